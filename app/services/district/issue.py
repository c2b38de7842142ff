"""Issuing packets at the district: one workbook per unit for a plan and period.

Each file is written atomically (temporary file, then replace) and only then recorded in
the ledger (``Packet``, direction "issued"), one small transaction per packet, so a
cancel leaves no partial file and the ledger lists exactly the packets written. The
ledger row's ``rows`` holds the input values written into the packet (the carry-forward):
the district merge uses them as the base of its three-way merge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
from app.services.packets.values import entry_values, indicator_values
from app.services.packets.writer import WrittenFile, apply_corrections, atomic_write, packet_bytes
from app.services.plans.query import PeriodInfo, PlanInfo, load_plan, resolve_plan_period

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
CARRIED_FIELDS = ("status", "percent", "responsible", "phone")


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


class _History:
    """What the district holds for a plan up to a period, loaded once for all units (or
    only for `unit_ids`), as plain rows: issuing reads nothing else per packet."""

    def __init__(self, session: Session, plan_id: int, period: PeriodInfo,
                 unit_ids: Collection[int] | None = None) -> None:
        self.current: dict[tuple[int, int], dict[str, Any]] = {}
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
        for row in session.execute(entries):
            target = self.current if row.period_id == period.id else self.previous
            target[(row.unit_id, row.task_id)] = entry_values(row)
        for row in session.execute(values):
            target = self.ind_current if row.period_id == period.id else self.ind_previous
            if row.value or row.note or row.period_id == period.id:
                target[(row.unit_id, row.indicator_id)] = indicator_values(row)


def build_rows(plan: PlanInfo, period: PeriodInfo, unit_id: int, unit: str, history: _History,
               *, current_values: bool = False) -> list[PacketRow]:
    """The unit's rows: its task items (any role) then the indicators it leads.

    Normal packets carry forward (see docs/packet-format.md) and leave out items closed
    out for the unit (销号); `current_values` (correction packets) pre-fills every field
    with what the district holds for this period.
    """
    rows: list[PacketRow] = []
    for t in plan.tasks:
        roles = [r for r in ROLES if unit in getattr(t, r)]
        if not roles or (not current_values and (unit_id, t.id) in history.closed):
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
        end = clock.deadline_end(t.deadline)
        overdue = bool(end and end < period.end
                       and values.get("status") not in ("completed", "ongoing"))
        fixed = {"code": t.code, "section": t.section, "text": t.text,
                 "role": role_text(roles), "roles": roles, "lead": list(t.lead),
                 "cooperating": list(t.cooperating), "implementing": list(t.implementing),
                 "deadline": t.deadline or "", "target": t.target or "", "overdue": overdue}
        rows.append(PacketRow(task_key(t.uid), fixed, values))
    parents = {i.parent_id for i in plan.indicators if i.parent_id is not None}
    names = {i.id: i.name for i in plan.indicators}
    for ind in plan.indicators:
        if unit not in ind.lead or ind.id in parents:
            continue  # a group heading (e.g. 7 环境空气质量) is reported through its children
        prev = history.ind_previous.get((unit_id, ind.id))
        now = history.ind_current.get((unit_id, ind.id))
        values = dict(now) if now is not None else empty_indicator_values()
        fixed = {"code": ind.code, "name": ind.name, "unit": ind.unit or "",
                 "standard": ind.standard or "", "attribute": ind.attribute or "",
                 "target": ind.target or "", "previous": prev["value"] if prev else "",
                 "numeric": ind.threshold is not None,
                 "group": names.get(ind.parent_id, "") if ind.parent_id else "",
                 "domain": ind.domain, "category": ind.category, "target_year": ind.target_year}
        rows.append(PacketRow(indicator_key(ind.uid), fixed, values))
    return rows


def _manifest(plan: Plan, period: PeriodInfo, unit: Unit, kind: str,
              packet_uid: str) -> Manifest:
    return Manifest(
        packet_id=packet_uid,
        plan=PlanMeta(uid=plan.uid, title=plan.title, issuer=plan.issuer, office=plan.office,
                      frequency=plan.frequency, deadline_day=plan.deadline_day),
        unit=unit.name, unit_kind=unit.kind, period=period.key, period_start=period.start,
        period_end=period.end, period_due=period.due, direction="issued", kind=kind,
        revision=0, app_version=_app_version())


def _record(session: Session, manifest: Manifest, plan_id: int, unit_id: int, period_id: int,
            rows: list[PacketRow], written: WrittenFile) -> str:
    packet_id = f"{manifest.packet_id}:issued:0"
    session.add(Packet(id=packet_id, packet_uid=manifest.packet_id, plan_id=plan_id,
                       unit_id=unit_id, period_id=period_id, direction="issued",
                       kind=manifest.kind, revision=0, file_name=written.path.name,
                       file_hash=written.sha256, outcome="issued",
                       rows={r.key: r.values for r in rows}))
    if manifest.kind == "correction":
        # 收件登记 derives "issued" from this ledger; a correction reopens an accepted return
        receipt = session.scalar(select(Receipt).where(Receipt.unit_id == unit_id,
                                                       Receipt.period_id == period_id))
        if receipt is not None:
            receipt.state = "returned_for_fix"
    return packet_id


def _write_and_record(engine: Engine, plan: Plan, period: PeriodInfo, unit: Unit, rows: list[PacketRow], path: Path, kind: str) -> IssuedPacket:
    packet_uid = uuid.uuid4().hex
    manifest = _manifest(plan, period, unit, kind, packet_uid)
    fixed_json = [canonical(r.fixed) for r in rows]  # once for the seal and the manifest
    manifest = replace(manifest, seal=compute_seal(plan.secret, manifest, rows, fixed_json))
    written = atomic_write(path, packet_bytes(manifest, rows, fixed_json))
    try:
        with Session(engine) as s, s.begin():
            packet_id = _record(s, manifest, plan.id, unit.id, period.id, rows, written)
    except BaseException:
        written.path.unlink(missing_ok=True)  # the ledger lists only packets that exist
        raise
    return IssuedPacket(unit.name, written.path, packet_id, packet_uid,
                        sum(r.is_task for r in rows), sum(not r.is_task for r in rows),
                        written.sha256)


def _find_unit(session: Session, name: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.name == name.strip()))
    if unit is None:
        unit = session.scalar(select(Unit).join(UnitAlias, UnitAlias.unit_id == Unit.id)
                              .where(UnitAlias.alias == name.strip()))
    if unit is None:
        raise UserFacingError(f"没有名为“{name}”的单位。")
    return unit


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
                  reporter: Reporter | None = None) -> IssueResult:
    """Write one packet per unit (default: every unit expected to report) into `out_dir`.

    Raises Cancelled (through `reporter`) between packets; what was written before stays
    written and recorded.
    """
    reporter = reporter or Reporter()
    folder = Path(out_dir)
    with Session(engine) as s:
        period_row = resolve_plan_period(s, period_key, plan_id)
        plan = s.get(Plan, period_row.plan_id)
        assert plan is not None
        s.expunge(plan)
        info = load_plan(s, plan.id)
        period = next(p for p in info.periods if p.id == period_row.id)
        if units:
            chosen = []
            for name in units:
                unit = _find_unit(s, name)
                if unit not in chosen:
                    chosen.append(unit)
        else:
            chosen = reporting_units(s, plan.id)
        history = _History(s, plan.id, period, {u.id for u in chosen} if units else None)
        for u in chosen:
            s.expunge(u)
    if not chosen:
        raise UserFacingError("此方案没有需要填报的单位(没有任务分配或指标牵头)。")
    result = IssueResult(plan.id, period.key, folder)
    used: set[str] = set()  # file names written in this batch
    total = len(chosen)
    for i, unit in enumerate(chosen):
        reporter.step(i, total, f"正在生成 {unit.name} 的下发包({i + 1}/{total})")
        rows = build_rows(info, period, unit.id, unit.name, history)
        if not rows:
            result.skipped.append((unit.name, "没有分配给该单位的任务或指标"))
            continue
        name = packet_file_name(period.key, unit.name, plan.title)
        if name.casefold() in used:  # e.g. "ABC" and "abc" on Windows or macOS
            name = name.removesuffix(".xlsx") + f"~{unit.id}.xlsx"
        used.add(name.casefold())
        path = folder / name
        result.packets.append(_write_and_record(engine, plan, period, unit, rows, path,
                                                "normal"))
    reporter.step(total, total, f"已生成 {len(result.packets)} 个下发包")
    log.info("issue: period %s, %d packet(s) into %s, %d unit(s) skipped", period.key,
             len(result.packets), folder, len(result.skipped))
    return result


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
        plan = s.get(Plan, period_row.plan_id)
        assert plan is not None
        s.expunge(plan)
        info = load_plan(s, plan.id)
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
