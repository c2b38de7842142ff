"""Issuing packets at the district: one workbook per unit for a plan and period.

Each file is written atomically (temporary file, then replace) and only then recorded in
the ledger (``Packet``, direction "issued"), one small transaction per packet, so a
cancel leaves no partial file and the ledger lists exactly the packets written. The
ledger row's ``rows`` holds the input values written into the packet (the carry-forward):
the district merge uses them as the base of its three-way merge.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import re
import uuid
from collections.abc import Collection, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.text import strip_invisible
from app.core.vocab import ROLES
from app.models import (
    CloseOut,
    IndicatorValue,
    Packet,
    Period,
    Plan,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
    UnitAlias,
)
from app.services.db import ConnectionCache, driver_rows
from app.services.db import sqlite_stamp as _sqlite_stamp
from app.services.district.progress import reporting_units
from app.services.packets.format import (
    Manifest,
    PacketRow,
    PlanMeta,
    empty_indicator_values,
    empty_task_values,
    indicator_key,
    role_text,
    task_key,
)
from app.services.packets.seal import canonical, compute_seal
from app.services.packets.values import entry_values, indicator_values, to_packet
from app.services.packets.writer import (
    PacketJob,
    WrittenFile,
    apply_corrections,
    job_bytes,
    save_job,
    temp_files,
    write_job,
)
from app.services.plans.query import (
    PeriodInfo,
    PlanInfo,
    TaskInfo,
    load_plan,
    resolve_plan_period,
)
from app.services.workers import POOL, spare_cores, start_failed
from app.services.workers import is_up as _is_up

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
CARRIED_FIELDS = ("status", "percent", "responsible", "phone")
_PREVIOUS_FIELDS = (*CARRIED_FIELDS, "completed_on")  # what build_rows reads of the last entry


def _app_version() -> str:
    from app import __version__

    return str(__version__)


@dataclass(frozen=True)
class IssueCandidate:
    """A unit that can get a packet: how many task items/indicators it would carry."""

    unit_id: int
    name: str
    kind: str
    tasks: int
    indicators: int
    last_issued_at: dt.datetime | None = None


@dataclass(frozen=True)
class IssuedPacket:
    unit: str
    path: Path
    packet_id: str  # the ledger id "<packet uid>:issued:0"
    packet_uid: str
    tasks: int
    indicators: int
    sha256: str


@dataclass
class IssueResult:
    plan_id: int
    period: str
    folder: Path
    packets: list[IssuedPacket] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # unit, reason
    workers: int = 0  # worker processes that wrote the files (0: the calling process)
    by_workers: int = 0  # packets those worker processes wrote (the rest: the calling one)

    @property
    def changes(self) -> Changes:
        """Each packet written is in the ledger and marks its unit's receipt 已下发."""
        return Changes(packets=True, receipts=True, note="issued") if self.packets \
            else Changes()


UNIT_NAME_CHARS = 30  # a 90-character unit name made `issue` fail: "File name too long"
TITLE_CHARS = 30  # with the period, at most ~200 bytes of UTF-8 (file systems allow 255)


def packet_file_name(period: str, unit: str, plan_title: str) -> str:
    """期间_单位_方案.xlsx, safe on Windows (no \\ / : * ? " < > |, no invisible
    characters), capped in length. When the unit's name had to be changed to fit (characters
    replaced, or shortened), a short tag of the full name is added, so "甲/乙" and "甲-乙",
    or two long names sharing their first 30 characters, never share a file."""
    title = re.sub(r"[((].*?[))]", "", plan_title).strip() or plan_title
    clean_unit = _UNSAFE.sub("-", strip_invisible(unit)).strip(" .")
    short_unit = clean_unit[:UNIT_NAME_CHARS].strip(" .")
    if short_unit != unit:
        short_unit += "~" + hashlib.sha256(unit.encode("utf-8")).hexdigest()[:6]
    parts = [_UNSAFE.sub("-", strip_invisible(period)).strip(" ."), short_unit,
             _UNSAFE.sub("-", strip_invisible(title)[:TITLE_CHARS]).strip(" .")]
    return "_".join(p for p in parts if p) + ".xlsx"


# plain rows whose attributes are named like the entry's fields, so the one rule
# (`values.entry_values`) turns them into packet values without loading ORM objects
_ENTRY_COLUMNS = (ProgressEntry.unit_id, ProgressEntry.task_id, Period.id.label("period_id"),
                  ProgressEntry.status,
                  ProgressEntry.percent, ProgressEntry.progress, ProgressEntry.problems,
                  ProgressEntry.next_steps, ProgressEntry.responsible, ProgressEntry.phone,
                  ProgressEntry.completed_on)


class _EntryRow(NamedTuple):
    """A row of _ENTRY_COLUMNS (dates: the driver's value, which `to_packet` takes)."""

    unit_id: int
    task_id: int
    period_id: int
    status: str | None
    percent: float | None
    progress: str | None
    problems: str | None
    next_steps: str | None
    responsible: str | None
    phone: str | None
    completed_on: Any


if _EntryRow._fields != tuple(c.key for c in _ENTRY_COLUMNS):
    raise RuntimeError("_EntryRow must name _ENTRY_COLUMNS in order")


class _ValueRow(NamedTuple):
    unit_id: int
    indicator_id: int
    period_id: int
    value: str | None
    note: str | None


class _History:
    """What the district holds for a plan up to a period, loaded once for all units (or
    only for `unit_ids`), as plain rows: issuing reads nothing else per packet."""

    def __init__(self, session: Session, plan_id: int, period: PeriodInfo,
                 unit_ids: Collection[int] | None = None) -> None:
        self.current: dict[tuple[int, int], dict[str, Any]] = {}
        # (unit, task) → its latest earlier entry's carried fields (_PREVIOUS_FIELDS)
        self.previous: dict[tuple[int, int], dict[str, Any]] = {}
        self.ind_current: dict[tuple[int, int], dict[str, Any]] = {}
        self.ind_previous: dict[tuple[int, int], dict[str, Any]] = {}
        # (unit, task) closed out (销号): no longer asked for in normal packets
        self.closed: set[tuple[int, int]] = {(u, t) for u, t in session.execute(
            select(CloseOut.unit_id, CloseOut.task_id).join(Task, Task.id == CloseOut.task_id)
            .where(Task.plan_id == plan_id))}
        entries = (select(*_ENTRY_COLUMNS).join(Period, Period.id == ProgressEntry.period_id)
                   .where(Period.plan_id == plan_id, Period.start <= period.start)
                   .order_by(Period.start))
        values = (select(IndicatorValue.unit_id, IndicatorValue.indicator_id,
                         Period.id.label("period_id"), IndicatorValue.value, IndicatorValue.note)
                  .join(Period, Period.id == IndicatorValue.period_id)
                  .where(Period.plan_id == plan_id, Period.start <= period.start)
                  .order_by(Period.start))
        if unit_ids is not None:
            entries = entries.where(ProgressEntry.unit_id.in_(list(unit_ids)))
            values = values.where(IndicatorValue.unit_id.in_(list(unit_ids)))
        # the driver's tuples, named (SQLAlchemy's Row objects were most of the time here);
        # of the periods before, only each item's latest entry is converted, and only the
        # fields a packet carries forward from it
        latest: dict[tuple[int, int], _EntryRow] = {}
        for row in map(_EntryRow._make, driver_rows(session, entries)):
            if row.period_id == period.id:
                self.current[(row.unit_id, row.task_id)] = entry_values(row)
            else:
                latest[(row.unit_id, row.task_id)] = row  # by period start: the latest wins
        self.previous = {key: {f: to_packet(f, getattr(row, f)) for f in _PREVIOUS_FIELDS}
                         for key, row in latest.items()}
        for value in map(_ValueRow._make, driver_rows(session, values)):
            target = self.ind_current if value.period_id == period.id else self.ind_previous
            if value.value or value.note or value.period_id == period.id:
                target[(value.unit_id, value.indicator_id)] = indicator_values(value)


class _Shared:
    """What the packets of one batch share, built once: each task item's and indicator's
    fixed content (the same for every unit with the same role) and its canonical JSON,
    which the seal and the manifest both use."""

    def __init__(self) -> None:
        self._fixed: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._canonical: dict[int, bytes] = {}  # id of a dict kept in _fixed → its JSON
        self._tasks: dict[str, list[tuple[TaskInfo, tuple[str, ...]]]] = {}

    def tasks_of(self, plan: PlanInfo, unit: str) -> list[tuple[TaskInfo, tuple[str, ...]]]:
        """The unit's task items and its roles in each (looked up once per unit)."""
        found = self._tasks.get(unit)
        if found is None:
            found = []
            for t in plan.tasks:
                roles = tuple(r for r in ROLES if unit in getattr(t, r))
                if roles:
                    found.append((t, roles))
            self._tasks[unit] = found
        return found

    def fixed(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        return self._fixed.get(key)

    def keep(self, key: tuple[Any, ...], fixed: dict[str, Any]) -> dict[str, Any]:
        self._fixed[key] = fixed
        self._canonical[id(fixed)] = canonical(fixed)
        return fixed

    def canonical(self, fixed: dict[str, Any]) -> bytes:
        found = self._canonical.get(id(fixed))
        return found if found is not None else canonical(fixed)


@dataclass(frozen=True)
class _PlanRow:
    """What a packet's manifest and seal take from the plan (the secret stays here)."""

    id: int
    uid: str
    title: str
    issuer: str
    office: str
    frequency: str
    deadline_day: int
    secret: str


@dataclass(frozen=True)
class _Loaded:
    """A plan as issuing reads it: its row, its content, and the fixed content its packets
    share (built as packets need it, kept with the plan)."""

    plan: _PlanRow
    info: PlanInfo
    shared: _Shared


def _read_plan(session: Session, plan_id: int) -> _Loaded:
    row = session.get(Plan, plan_id)
    if row is None:
        raise UserFacingError(f"方案 {plan_id} 不存在。")
    return _Loaded(_PlanRow(row.id, row.uid, row.title, row.issuer, row.office,
                            row.frequency, row.deadline_day, row.secret),
                   load_plan(session, plan_id), _Shared())


# Plans loaded for issuing, kept while the database is unchanged; issuing's own ledger
# rows keep them (`_PLANS.wrote`), any other change reloads.
_PLANS: ConnectionCache[_Loaded] = ConnectionCache()


def _plan(session: Session, plan_id: int) -> _Loaded:
    return _PLANS.get(session, plan_id, lambda: _read_plan(session, plan_id))


_deadline_end = functools.lru_cache(maxsize=4096)(clock.deadline_end)


def build_rows(plan: PlanInfo, period: PeriodInfo, unit_id: int, unit: str, history: _History,
               *, current_values: bool = False, shared: _Shared | None = None
               ) -> list[PacketRow]:
    """The unit's rows: its task items (any role) then the indicators it leads.

    Normal packets carry forward (see docs/packet-format.md) and leave out items closed
    out for the unit (销号); `current_values` (correction packets) pre-fills every field
    with what the district holds for this period. With `shared` (one per batch), rows of
    different units share their fixed content where it is the same (read-only).
    """
    share = shared or _Shared()
    rows: list[PacketRow] = []
    closed = history.closed
    for t, roles in share.tasks_of(plan, unit):
        if not current_values and (unit_id, t.id) in closed:
            continue
        now = history.current.get((unit_id, t.id))
        if current_values or now is not None:
            values = dict(now) if now is not None else empty_task_values()
        else:
            values = empty_task_values()
            before = history.previous.get((unit_id, t.id))
            if before is not None:
                for f in CARRIED_FIELDS:
                    values[f] = before[f]
                if before["status"] == "completed":
                    values["completed_on"] = before["completed_on"]
        end = _deadline_end(t.deadline)
        overdue = bool(end and end < period.end
                       and values.get("status") not in ("completed", "ongoing"))
        key: tuple[Any, ...] = ("T", t.id, roles, overdue)
        fixed = share.fixed(key) or share.keep(key, {
            "code": t.code, "section": t.section, "text": t.text,
            "role": role_text(roles), "roles": list(roles), "lead": list(t.lead),
            "cooperating": list(t.cooperating), "implementing": list(t.implementing),
            "deadline": t.deadline or "", "target": t.target or "", "overdue": overdue})
        rows.append(PacketRow(task_key(t.uid), fixed, values))
    parents = {i.parent_id for i in plan.indicators if i.parent_id is not None}
    names = {i.id: i.name for i in plan.indicators}
    for ind in plan.indicators:
        if unit not in ind.lead or ind.id in parents:
            continue  # a group heading (e.g. 7 环境空气质量) is reported through its children
        prev = history.ind_previous.get((unit_id, ind.id))
        now = history.ind_current.get((unit_id, ind.id))
        values = dict(now) if now is not None else empty_indicator_values()
        previous = prev["value"] if prev else ""
        key = ("I", ind.id, previous)
        fixed = share.fixed(key) or share.keep(key, {
            "code": ind.code, "name": ind.name, "unit": ind.unit or "",
            "standard": ind.standard or "", "attribute": ind.attribute or "",
            "target": ind.target or "", "previous": previous,
            "numeric": ind.threshold is not None,
            "group": names.get(ind.parent_id, "") if ind.parent_id else "",
            "domain": ind.domain, "category": ind.category, "target_year": ind.target_year})
        rows.append(PacketRow(indicator_key(ind.uid), fixed, values))
    return rows


def _manifest(plan: _PlanRow, period: PeriodInfo, unit: Unit, kind: str,
              packet_uid: str) -> Manifest:
    return Manifest(
        packet_id=packet_uid,
        plan=PlanMeta(uid=plan.uid, title=plan.title, issuer=plan.issuer, office=plan.office,
                      frequency=plan.frequency, deadline_day=plan.deadline_day),
        unit=unit.name, unit_kind=unit.kind, period=period.key, period_start=period.start,
        period_end=period.end, period_due=period.due, direction="issued", kind=kind,
        revision=0, app_version=_app_version())


def _record(session: Session, manifest: Manifest, plan_id: int, unit_id: int, period_id: int,
            values: dict[str, dict[str, Any]], written: WrittenFile) -> str:
    packet_id = f"{manifest.packet_id}:issued:0"
    session.add(Packet(id=packet_id, packet_uid=manifest.packet_id, plan_id=plan_id,
                       unit_id=unit_id, period_id=period_id, direction="issued",
                       kind=manifest.kind, revision=0, file_name=written.path.name,
                       file_hash=written.sha256, outcome="issued",
                       rows=values))
    if manifest.kind == "correction":
        # 收件登记 derives "issued" from this ledger; a correction reopens an accepted return
        receipt = session.scalar(select(Receipt).where(Receipt.unit_id == unit_id,
                                                       Receipt.period_id == period_id))
        if receipt is not None:
            receipt.state = "returned_for_fix"
    return packet_id


def _job(plan: _PlanRow, period: PeriodInfo, unit: Unit, rows: list[PacketRow], path: Path,
         kind: str, shared: _Shared | None = None) -> PacketJob:
    """The sealed packet, ready to write (the seal needs the plan secret, which stays in
    this process)."""
    manifest = _manifest(plan, period, unit, kind, uuid.uuid4().hex)
    # once for the seal and the manifest, or once per batch where rows share their content
    fixed_json = [shared.canonical(r.fixed) if shared else canonical(r.fixed) for r in rows]
    manifest = replace(manifest, seal=compute_seal(plan.secret, manifest, rows, fixed_json))
    return PacketJob(path, manifest, rows, fixed_json)


@dataclass(frozen=True)
class _Written:
    """A packet whole on disk, as the ledger records it: its rows are let go once it is
    written (a batch kept every unit's row objects until the ledger was written)."""

    order: int
    unit: Unit
    manifest: Manifest
    values: dict[str, dict[str, Any]]  # row key → the input values written
    tasks: int
    indicators: int
    file: WrittenFile


def _written(order: int, unit: Unit, job: PacketJob, file: WrittenFile) -> _Written:
    tasks = sum(r.is_task for r in job.rows)
    return _Written(order, unit, job.manifest, {r.key: r.values for r in job.rows}, tasks,
                    len(job.rows) - tasks, file)


def _record_all(engine: Engine, plan_id: int, period_id: int, written: list[_Written]
                ) -> list[IssuedPacket]:
    """Every packet written, in one transaction; if that fails, their files go too (the
    ledger lists exactly the packets that exist)."""
    written = sorted(written, key=lambda w: w.order)
    if not written:
        return []
    try:
        with Session(engine) as s, s.begin():
            before = _sqlite_stamp(s)
            ids = [_record(s, w.manifest, plan_id, w.unit.id, period_id, w.values, w.file)
                   for w in written]
            s.flush()
            _PLANS.wrote(s, before)
    except BaseException:
        for w in written:
            w.file.path.unlink(missing_ok=True)
        raise
    return [IssuedPacket(w.unit.name, w.file.path, packet_id, w.manifest.packet_id, w.tasks,
                         w.indicators, w.file.sha256)
            for w, packet_id in zip(written, ids, strict=True)]


def _write_and_record(engine: Engine, plan: _PlanRow, period: PeriodInfo, unit: Unit,
                      rows: list[PacketRow], path: Path, kind: str) -> IssuedPacket:
    job = _job(plan, period, unit, rows, path, kind)
    return _record_all(engine, plan.id, period.id, [_written(0, unit, job, write_job(job))])[0]


def _find_unit(session: Session, name: str) -> Unit:
    return _find_units(session, [name])[0]


def _find_units(session: Session, names: list[str]) -> list[Unit]:
    """The units named (by name, else by alias), in order, each once: two queries for a
    batch instead of one or two per unit."""
    wanted = [n.strip() for n in names]
    by_name = {u.name: u for u in session.scalars(select(Unit).where(Unit.name.in_(wanted)))}
    missing = [n for n in wanted if n not in by_name]
    by_alias: dict[str, Unit] = {}
    if missing:
        for alias, aliased in session.execute(
                select(UnitAlias.alias, Unit).join(Unit, UnitAlias.unit_id == Unit.id)
                .where(UnitAlias.alias.in_(missing))):
            by_alias.setdefault(alias, aliased)
    chosen: list[Unit] = []
    for name, clean in zip(names, wanted, strict=True):
        unit = by_name.get(clean) or by_alias.get(clean)
        if unit is None:
            raise UserFacingError(f"没有名为“{name}”的单位。")
        if unit not in chosen:
            chosen.append(unit)
    return chosen


def issue_candidates(engine: Engine, plan_id: int, period_id: int | None = None
                     ) -> list[IssueCandidate]:
    """Units expected to report (task assignments or indicator leads), in plan order, with
    when each was last issued a packet (for `period_id` if given; local time)."""
    with Session(engine) as s:
        info = load_plan(s, plan_id)
        query = select(Packet.unit_id, func.max(Packet.created_at)).where(
            Packet.plan_id == plan_id, Packet.direction == "issued")
        if period_id is not None:
            query = query.where(Packet.period_id == period_id)
        last = {unit_id: clock.to_local(at) for unit_id, at in s.execute(query.group_by(Packet.unit_id))}
        out = []
        parents = {i.parent_id for i in info.indicators if i.parent_id is not None}
        for u in reporting_units(s, plan_id):
            n_tasks = sum(u.name in t.units() for t in info.tasks)
            n_inds = sum(u.name in i.lead and i.id not in parents for i in info.indicators)
            out.append(IssueCandidate(u.id, u.name, u.kind, n_tasks, n_inds, last.get(u.id)))
        return out


def issue_packets(engine: Engine, period_key: str, out_dir: Path | str, *,
                  plan_id: int | None = None, units: list[str] | None = None,
                  reporter: Reporter | None = None, workers: int | None = None
                  ) -> IssueResult:
    """Write one packet per unit (default: every unit expected to report) into `out_dir`.

    The plan, the period and the history are loaded once; the files are written in this
    process or, for a batch large enough to pay for it, by worker processes (`workers`:
    how many; None decides, 0 = none). Then every packet written is recorded in the
    ledger in one transaction. A cancel (through `reporter`) or a failure stops the
    batch: the files already whole stay and are recorded, nothing is half-written.
    """
    reporter = reporter or Reporter()
    folder = Path(out_dir)
    with Session(engine) as s:
        period_row = resolve_plan_period(s, period_key, plan_id)
        loaded = _plan(s, period_row.plan_id)
        plan, info, shared = loaded.plan, loaded.info, loaded.shared
        period = next(p for p in info.periods if p.id == period_row.id)
        chosen = _find_units(s, units) if units else reporting_units(s, plan.id)
        history = _History(s, plan.id, period, {u.id for u in chosen} if units else None)
        for u in chosen:
            s.expunge(u)
    if not chosen:
        raise UserFacingError("此方案没有需要填报的单位(没有任务分配或指标牵头)。")
    result = IssueResult(plan.id, period.key, folder)

    def jobs() -> Iterator[tuple[int, Unit, PacketJob]]:
        used: set[str] = set()  # file names written in this batch
        for i, unit in enumerate(chosen):
            rows = build_rows(info, period, unit.id, unit.name, history, shared=shared)
            if not rows:
                result.skipped.append((unit.name, "没有分配给该单位的任务或指标"))
                continue
            name = packet_file_name(period.key, unit.name, plan.title)
            if name.casefold() in used:  # e.g. "ABC" and "abc" on Windows or macOS
                name = name.removesuffix(".xlsx") + f"~{unit.id}.xlsx"
            used.add(name.casefold())
            yield i, unit, _job(plan, period, unit, rows, folder / name, "normal", shared)

    n = result.workers = _worker_count(len(chosen), workers)
    written: list[_Written] = []
    try:
        if n:
            result.by_workers = _write_in_workers(jobs(), n, len(chosen), reporter, written)
        else:
            _write_here(jobs(), len(chosen), reporter, written)
    finally:  # also after a cancel or a failure: what was written is recorded
        _WORKERS.batch_done(len(written))
        result.packets = _record_all(engine, plan.id, period.id, written)
    reporter.step(len(chosen), len(chosen), f"已生成 {len(result.packets)} 个下发包")
    log.info("issue: period %s, %d packet(s) into %s (%d worker process(es)), %d unit(s) "
             "skipped", period.key, len(result.packets), folder, n, len(result.skipped))
    return result


def _write_here(jobs: Iterator[tuple[int, Unit, PacketJob]], total: int, reporter: Reporter,
                written: list[_Written]) -> None:
    """Write the packets in this process. Each file but the last is saved (written,
    fsync'd, renamed) by a helper thread while this one builds the next workbook: the one
    waits on the disk, the other on the CPU; the last (a call of one packet: the only one)
    is saved here, with nothing left to overlap. One save at a time, finished before the
    next starts, so a failure stops the batch where it did; after a cancel or a failure
    the save under way is finished and kept (a whole packet)."""
    reporter.step(0, total, "正在生成下发包")
    saving: tuple[int, Unit, PacketJob, Future[WrittenFile]] | None = None

    def finish() -> None:
        nonlocal saving
        if saving is not None:
            i, unit, job, future = saving
            saving = None
            written.append(_written(i, unit, job, future.result()))

    # the helper thread starts at the first submit: never for a call of one packet
    with ThreadPoolExecutor(1, thread_name_prefix="issue-save") as saver:
        try:
            pending = iter(jobs)
            nxt = next(pending, None)
            while nxt is not None:
                i, unit, job = nxt
                reporter.step(i, total, f"正在生成 {unit.name} 的下发包({i + 1}/{total})")
                data = job_bytes(job)
                nxt = next(pending, None)  # the next unit's rows and seal
                finish()
                if nxt is None:
                    written.append(_written(i, unit, job, save_job(job, data)))
                else:
                    saving = (i, unit, job, saver.submit(save_job, job, data))
        except BaseException:
            with contextlib.suppress(Exception):  # the first failure is the one raised
                finish()
            raise


# ---------------------------------------------------------------- worker processes

PARALLEL_COLD = 40  # packets a call from which worker processes are started for it alone
# (measured on 2 cores under load: a single call of 20 gained nothing from a worker
# starting beside it — its start takes the core it would write on)
PARALLEL_RUN = 8  # ... from which they are started when the call follows another batch
# of as many within IDLE_SECONDS (a district or city issuing period after period from one
# process): the run pays their start once. The calling thread writes while they start
# and hands them packets only once they are up, so a call never waits for their start.
PARALLEL_WARM = 4  # ... when they are already running from a batch moments ago
MAX_WORKERS = 4


def _worker_count(packets: int, requested: int | None) -> int:
    """How many worker processes write this batch beside the calling thread (0: it writes
    alone): none on one core, for a small batch, or when the machine is far busier than its
    cores (measured on 2 cores: at a load average of 3 workers made batches of 20 ≈ 1.5×
    faster, at 7.5 ≈ 15 % slower — they then only add their start and the hand-over).
    One core fewer than the machine has: the calling thread writes packets too."""
    if requested is not None:
        return max(0, min(requested, packets))
    if _WORKERS.warm:
        least = PARALLEL_WARM
    elif _WORKERS.recent_batch(PARALLEL_RUN):
        least = PARALLEL_RUN
    else:
        least = PARALLEL_COLD
    spare = spare_cores()
    if not spare or packets < least:
        return 0
    return max(1, min(spare, MAX_WORKERS, packets))


_WORKERS = POOL
shutdown_workers = _WORKERS.shutdown
start_workers = _WORKERS.start


def _write_in_workers(jobs: Iterator[tuple[int, Unit, PacketJob]], n: int, total: int,
                      reporter: Reporter, written: list[_Written]) -> int:
    """Worker processes write files (they get plain data and give back path and hash; the
    database stays here), and so does this thread. A worker gets packets only once it is
    up (never a queue waiting on a process still starting), one at a time plus one waiting
    while many remain. On a cancel or a failure, the packets not started are dropped, the
    ones being written are finished (a few tenths of a second) and kept, and a worker that
    died (which stops all of them) leaves no temporary file behind. Returns how many
    packets the workers wrote."""
    reporter.step(0, total, "正在生成下发包")
    pool, ready = _WORKERS.acquire(n)
    inflight: dict[Future[WrittenFile], tuple[int, Unit, PacketJob]] = {}
    started: list[tuple[Path, str]] = []  # (folder, packet id) of every job handed out
    broken = False
    handed = 0  # jobs taken from `jobs` (by a worker or this thread)
    by_workers = 0

    def progress() -> None:
        reporter.step(len(written), total, f"正在生成下发包({len(written)}/{total})")

    def collect(futures: Collection[Future[WrittenFile]]) -> None:
        nonlocal by_workers
        for future in futures:
            i, unit, job = inflight[future]
            written.append(_written(i, unit, job, future.result()))
            by_workers += 1
            del inflight[future]
        if futures:
            progress()

    try:
        pending = iter(jobs)
        more = True
        while more or inflight:
            up = sum(_is_up(f) for f in ready)
            # one packet per worker that is up, and one waiting behind it while many remain
            per_worker = 2 if total - handed > 3 * (up + 1) else 1
            while more and len(inflight) < per_worker * up:
                nxt = next(pending, None)
                if nxt is None:
                    more = False
                else:
                    handed += 1
                    started.append((nxt[2].path.parent, nxt[2].manifest.packet_id))
                    inflight[pool.submit(write_job, nxt[2])] = nxt
            collect([f for f in inflight if f.done()])
            nxt = next(pending, None) if more else None
            if nxt is None:
                more = False
            if nxt is not None:  # the workers have theirs (or are starting): write one here
                handed += 1
                written.append(_written(nxt[0], nxt[1], nxt[2], write_job(nxt[2])))
                progress()
            elif inflight:
                collect(wait(inflight, timeout=0.2, return_when=FIRST_COMPLETED).done)
                progress()
    except BrokenProcessPool as exc:
        broken = True
        raise UserFacingError("生成下发包的后台进程意外退出,本次下发未完成;已生成的下发包"
                              "已登记,请重试。") from exc
    finally:
        for future in inflight:
            future.cancel()
        for future, (i, unit, job) in inflight.items():
            if future.cancelled():
                continue
            try:
                written.append(_written(i, unit, job, future.result()))
                by_workers += 1
            except BaseException:  # the first failure is the one raised
                broken = broken or isinstance(future.exception(), BrokenProcessPool)
        # a worker that failed to start (it got no packet: this thread wrote them)
        broken = broken or start_failed(ready)
        _WORKERS.release(pool, broken)  # a broken pool: returns once its processes are gone
        done = {w.manifest.packet_id for w in written}
        for folder, packet_id in started:
            if packet_id not in done:
                for tmp in temp_files(folder, packet_id):
                    tmp.unlink(missing_ok=True)
    return by_workers


def issue_correction(engine: Engine, plan_id: int, period_key: str, unit_name: str,
                     out_path: Path | str, editable: dict[str, set[str]],
                     comments: dict[str, dict[str, str]] | None = None) -> IssuedPacket:
    """A correction packet (退回修改): the period's current values, only `editable` cells
    unlocked and highlighted, `comments` (row key → field → 退回意见) shown beside them.

    Recorded in the ledger like any issued packet (kind "correction"); its ``rows`` are the
    values written, i.e. the base for merging the corrected return.
    """
    with Session(engine) as s:
        period_row = resolve_plan_period(s, period_key, plan_id)
        loaded = _plan(s, period_row.plan_id)
        plan, info = loaded.plan, loaded.info
        period = next(p for p in info.periods if p.id == period_row.id)
        unit = _find_unit(s, unit_name)
        s.expunge(unit)
        history = _History(s, plan.id, period, {unit.id})
    rows = build_rows(info, period, unit.id, unit.name, history, current_values=True)
    if not rows:
        raise UserFacingError(f"没有分配给“{unit.name}”的任务或指标。")
    keys = {r.key for r in rows}
    unknown = set(editable) - keys
    if unknown:
        raise UserFacingError(f"退回修改的行不属于“{unit.name}”:{'、'.join(sorted(unknown))}")
    rows = apply_corrections(rows, editable, comments or {})
    return _write_and_record(engine, plan, period, unit, rows, Path(out_path),
                             "correction")


def issue_summary(result: IssueResult) -> str:
    text = f"已生成 {len(result.packets)} 个下发包({result.period}),保存在 {result.folder}"
    if result.skipped:
        text += ";跳过:" + "、".join(f"{u}({why})" for u, why in result.skipped)
    return text
