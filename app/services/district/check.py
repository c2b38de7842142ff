"""汇总, step 1: checking returned packets (the dry run).

``check_packets`` reads and checks every file once and works out, without writing, what
merging it would do (new / unchanged / superseded / rejected, rows new/changed/unchanged,
conflicts, every problem by sheet and cell). ``merge.apply_packets`` then writes each
acceptable packet in its own transaction, checking it again against the database inside
that transaction with ``evaluate`` from here.

A field is merged three ways: *base* is what the office last saw (the values issued in
the packet, or those of a later return of the same packet already merged), *theirs* is
the returned value, *ours* is what the database holds now. Only the office changed it →
taken; only the district changed it → kept; both, differently → a ``Conflict`` for a
person to decide (never overwritten).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.problems import Problem
from app.core.vocab import MERGE_STATUS_LABELS
from app.models import (
    Indicator,
    IndicatorValue,
    Packet,
    Period,
    Plan,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.district.approval import approval_block
from app.services.district.corrections import flagged_cells
from app.services.district.inbox import (
    CONTAINER_SUFFIXES,
    SPREADSHEET_SUFFIXES,
    MailOrigin,
    Member,
    Refused,
    Source,
    is_container,
    sources,
)
from app.services.district.packed import Created, Handed, read_packed, returned_values
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INDICATOR_PREFIX,
    SHEET_MANIFEST,
    TASK_INPUT_FIELDS,
    TASK_PREFIX,
)
from app.services.packets.glance import Glance, glance_many
from app.services.packets.glance import glance as glance_at
from app.services.packets.reader import (
    PacketFile,
    read_packet,
)
from app.services.packets.seal import verify_seal
from app.services.packets.values import (
    column_of,
    display,
    fraction_warning,
    label,
    same,
    to_column,
    to_packet,
    to_text,
)
from app.services.plans.query import period_label
from app.services.workers import POOL, is_up, spare_cores, start_failed

# files a folder import picks up: spreadsheets of any kind (so a .xls or .xlsm sent by
# mistake is refused with a message instead of being silently skipped), saved mails and
# archives (the packets inside them)
PICKED_UP = SPREADSHEET_SUFFIXES | CONTAINER_SUFFIXES
APPLICABLE = ("new",)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """What merging does with one returned field that differs from the database."""

    key: str
    code: str
    entity: str  # progress / indicator_value
    field: str
    sheet: str
    cell: str
    base: Any
    returned: Any
    current: Any
    action: str  # take / conflict


class Outcome:
    """What a preview and a result both tell about a file: a status and its problems."""

    status: str
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def status_label(self) -> str:
        return MERGE_STATUS_LABELS.get(self.status, self.status)

    @property
    def problems(self) -> list[Problem]:
        return [*self.errors, *self.warnings]


@dataclass(frozen=True)
class PacketPreview(Outcome):
    """The dry-run verdict on one file, never changed once made: ``apply_packets`` takes
    it back and writes what it says (or checks again, if the database moved meanwhile)."""

    path: Path
    file: str
    status: str = "new"  # new / unchanged / superseded / rejected
    file_hash: str = ""
    unit: str | None = None
    period: str | None = None
    revision: int | None = None
    kind: str = "normal"
    packet_uid: str | None = None
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    conflicts: int = 0
    backwards: int = 0  # task rows whose percent fell below the previous period's
    changes: tuple[FieldChange, ...] = ()
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    reason: str = ""  # one line: why unchanged / superseded / rejected
    packet: PacketFile | None = field(default=None, repr=False)
    read_problems: tuple[Problem, ...] = field(default=(), repr=False)
    seal_verified: bool = False
    record_rejection: bool = False  # identified as ours: the refusal goes in the ledger
    # what writing it takes, and a digest of the database rows that verdict rests on
    writes: Writes | None = field(default=None, repr=False)
    basis: str = field(default="", repr=False)
    origin: MailOrigin | None = None  # the mail it came in (From, Date, Subject)

    @property
    def rows_applied(self) -> int:
        return self.rows_new + self.rows_changed


@dataclass
class Draft:
    """A verdict being worked out (by the check, or again inside the writing transaction);
    ``freeze`` turns it into the preview nobody changes afterwards."""

    path: Path
    file: str
    status: str = "new"
    file_hash: str = ""
    unit: str | None = None
    period: str | None = None
    revision: int | None = None
    kind: str = "normal"
    packet_uid: str | None = None
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    conflicts: int = 0
    backwards: int = 0
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    reason: str = ""
    packet: PacketFile | None = None
    read_problems: list[Problem] = field(default_factory=list)
    seal_verified: bool = False
    record_rejection: bool = False
    writes: Writes | None = None
    basis: str = ""
    origin: MailOrigin | None = None
    # the uid of the plan whose secret a worker process verified the seal with (it then
    # sent the rows without their sealed content): the seal holds if that is the plan
    # the packet was issued under
    sealed_plan: str | None = None
    # the rows' stream of the ledger row, made by that worker (``packed.read_packed``)
    packed_rows: bytes | None = None

    @classmethod
    def of(cls, p: PacketPreview) -> Draft:
        """A fresh start from a preview (the preview itself stays as it is)."""
        return cls(p.path, p.file, p.status, p.file_hash, p.unit, p.period, p.revision,
                   p.kind, p.packet_uid, packet=p.packet, read_problems=list(p.read_problems),
                   seal_verified=p.seal_verified, origin=p.origin)

    def adopt(self, p: PacketPreview) -> None:
        """Take a verdict made on the same inputs (the preview's) instead of redoing it."""
        self.status, self.reason = p.status, p.reason
        self.rows_new, self.rows_changed = p.rows_new, p.rows_changed
        self.rows_unchanged, self.conflicts = p.rows_unchanged, p.conflicts
        self.backwards = p.backwards
        self.changes, self.errors, self.warnings = list(p.changes), list(p.errors), list(
            p.warnings)
        self.writes = p.writes

    def reject(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.status = "rejected"
        self.errors.append(Problem(sheet, cell, message))
        if not self.reason:
            self.reason = message

    def freeze(self) -> PacketPreview:
        return PacketPreview(
            self.path, self.file, self.status, self.file_hash, self.unit, self.period,
            self.revision, self.kind, self.packet_uid, self.rows_new, self.rows_changed,
            self.rows_unchanged, self.conflicts, self.backwards, tuple(self.changes),
            tuple(self.errors),
            tuple(self.warnings), self.reason, self.packet, tuple(self.read_problems),
            self.seal_verified, self.record_rejection, self.writes, self.basis, self.origin)


# ---------------------------------------------------------------- files

def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to merge from files and folders (folders: spreadsheets, .eml and .zip inside,
    recursively, skipping Office lock files like ~$name.xlsx); order kept, duplicates
    dropped."""
    out: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)

    for item in paths:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # hidden folders
                for name in sorted(files):
                    f = Path(root) / name
                    if f.suffix.lower() in PICKED_UP and not name.startswith(
                            ("~$", ".~")):
                        add(f)
        else:
            add(p)
    return out


# ---------------------------------------------------------------- per plan caches

@dataclass(frozen=True, slots=True)
class UnitRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PeriodRef:
    id: int
    key: str
    plan_id: int
    start: dt.date


@dataclass
class PlanCache:
    """What a batch looks up once per plan instead of once per packet (a batch is one
    unit of work; a unit renamed meanwhile shows its new name in the next batch)."""

    plan_id: int
    uid: str
    title: str
    secret: str
    tasks: dict[str, tuple[int, str]]  # uid -> (task id, code)
    indicators: dict[str, tuple[int, str]]
    units: dict[int, UnitRef] = field(default_factory=dict)
    periods: dict[int, PeriodRef] = field(default_factory=dict)
    previous: dict[int, int | None] = field(default_factory=dict)  # period → the one before
    # row key → (entity, task/indicator id, code): what a row of a packet of this plan is
    row_targets: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def unit(self, s: Session, unit_id: int) -> UnitRef:
        ref = self.units.get(unit_id)
        if ref is None:
            name = s.scalar(select(Unit.name).where(Unit.id == unit_id))
            assert name is not None
            ref = self.units[unit_id] = UnitRef(unit_id, name)
        return ref

    def period(self, s: Session, period_id: int) -> PeriodRef:
        ref = self.periods.get(period_id)
        if ref is None:
            row = s.execute(select(Period.key, Period.plan_id, Period.start)
                            .where(Period.id == period_id)).one()
            ref = self.periods[period_id] = PeriodRef(period_id, row.key, row.plan_id, row.start)
        return ref

    def previous_period(self, s: Session, period: PeriodRef) -> int | None:
        if period.id not in self.previous:
            self.previous[period.id] = s.scalar(
                select(Period.id).where(Period.plan_id == period.plan_id,
                                        Period.start < period.start)
                .order_by(Period.start.desc()).limit(1))
        return self.previous[period.id]


# The statements checking runs for every packet, made once: SQLAlchemy then finds each
# one's compiled form without building and hashing the statement again (measured: a Core
# select 0.28 → 0.04 ms, the issued packet's ORM select 1.7 → 0.9 ms)
_ISSUED = select(Packet).where(Packet.packet_uid == bindparam("uid"),
                               Packet.direction == "issued")
_APPLIED = select(Packet).where(
    Packet.unit_id == bindparam("unit"), Packet.period_id == bindparam("period"),
    Packet.direction == "returned", Packet.outcome == "applied"
).order_by(Packet.created_at, Packet.id)
_RECEIPT = select(Receipt).where(Receipt.unit_id == bindparam("unit"),
                                 Receipt.period_id == bindparam("period"))
_PE, _IV = ProgressEntry.__table__.c, IndicatorValue.__table__.c
_ENTRIES = select(_PE.id, _PE.task_id, *(_PE[f] for f in TASK_INPUT_FIELDS)).where(
    _PE.unit_id == bindparam("unit"), _PE.period_id == bindparam("period"))
_VALUES = select(_IV.id, _IV.indicator_id, *(_IV[f] for f in INDICATOR_INPUT_FIELDS)).where(
    _IV.unit_id == bindparam("unit"), _IV.period_id == bindparam("period"))
_PERCENTS = select(_PE.task_id, _PE.percent).where(
    _PE.unit_id == bindparam("unit"), _PE.period_id == bindparam("period"),
    _PE.percent.is_not(None))


def _plan_cache(s: Session, plan_id: int, caches: dict[int, PlanCache]) -> PlanCache:
    cache = caches.get(plan_id)
    if cache is None:
        plan = s.execute(select(Plan.uid, Plan.title, Plan.secret)
                         .where(Plan.id == plan_id)).one()
        cache = PlanCache(
            plan_id, plan.uid, plan.title, plan.secret,
            {uid: (tid, code) for uid, tid, code in s.execute(
                select(Task.uid, Task.id, Task.code).where(Task.plan_id == plan_id))},
            {uid: (iid, code) for uid, iid, code in s.execute(
                select(Indicator.uid, Indicator.id, Indicator.code)
                .where(Indicator.plan_id == plan_id))})
        cache.row_targets.update((TASK_PREFIX + uid, ("progress", tid, code))
                                 for uid, (tid, code) in cache.tasks.items())
        cache.row_targets.update((INDICATOR_PREFIX + uid, ("indicator_value", iid, code))
                                 for uid, (iid, code) in cache.indicators.items())
        caches[plan_id] = cache
    return cache


@dataclass
class Target:
    """What the database says this packet is: the issued ledger row and its context."""

    issued: Packet
    unit: UnitRef
    period: PeriodRef
    plan: PlanCache
    receipt: Receipt | None = None  # read with the basis of the compare (the writer updates it)


# ---------------------------------------------------------------- a glance at a file

def glance(source: Path | Member) -> Glance | None:
    """``packets.glance.glance`` of a packet file or of a packet inside a mail or archive."""
    return glance_at(source.data if isinstance(source, Member) else source)


# ---------------------------------------------------------------- checking one packet

def draft_of(source: Path | Member) -> Draft:
    """A verdict to work out for one packet file (or a packet inside a mail or archive)."""
    path = source.path if isinstance(source, Member) else source
    return Draft(path, str(path), origin=source.origin if isinstance(source, Member) else None)


def read_into(source: Path | Member, draft: Draft,
              read: Callable[[], Handed] | None = None) -> PacketFile | None:
    """Read the file whole (its identity goes into the draft); None when it is refused.
    `read`: the packet as read elsewhere (a worker process's result), raising the reader's
    refusal as reading it here would."""
    packet = _read(source, draft, read)
    draft.packet = packet
    if packet is None:
        draft.status = "rejected"
    return packet


def read_args(source: Path | Member) -> tuple[Path | bytes, str]:
    """``read_packet``'s arguments for a source (a path is read by whoever reads it)."""
    if isinstance(source, Member):  # a packet inside a mail or an archive
        return source.data, source.name
    return source, source.name


# Checking and merging read files in worker processes (app/services/workers.py) while this
# thread checks (and writes) the packets before them: from this many files a batch (fewer:
# their start costs more than they save), a few files ahead of the one being checked.
READ_AHEAD_FILES = 20
READ_AHEAD_WARM = 4  # ... when they are already running (a batch moments ago)
MAX_READERS = 2  # this thread's checking and writing take about as long as reading
GLANCE_CHUNK = 25  # files a worker glances at in one go (a batch's survey)


def read_workers(files: int) -> int:
    """How many worker processes read this batch's files ahead (0: this thread reads):
    none on one core, for a small batch, or when the machine is far busier than its
    cores (the reads then only wait their turn)."""
    least = READ_AHEAD_WARM if POOL.warm else READ_AHEAD_FILES
    return min(spare_cores(), MAX_READERS) if files >= least else 0


def warm_readers() -> bool:
    """Start the worker processes that read a batch ahead now, without waiting for them,
    when a batch is about to come (files dragged over the 汇总 page, its file dialog
    opened): the batch then finds them up instead of reading its first files alone while
    they start. Only where a batch would get them (`read_workers`); unused, they stop after
    `workers.IDLE_SECONDS` as after a batch. True when they are running or starting."""
    if POOL.warm:
        return True
    n = read_workers(READ_AHEAD_FILES)
    started = _start_readers(n) if n else None
    if started is None:
        return False
    POOL.release(started[0], False)
    return True


def _start_readers(n: int) -> tuple[ProcessPoolExecutor, list[Future[int]]] | None:
    """``POOL.acquire(n)``, or None where no process is to be had (the batch then reads
    its files in the calling thread; a warning in the log)."""
    try:
        return POOL.acquire(n)
    except (OSError, RuntimeError) as exc:
        log.warning("reading ahead: no worker process could be started (%s)", exc)
        return None


class ReadAhead:
    """Packet files read by worker processes a few files ahead of the one being checked.

    A worker gets files only once it is up (this thread reads the first files itself
    while they start), each the next file not yet taken, at most two a worker at a time
    (so memory does not grow with the batch). The reader's refusal comes back as the
    UserFacingError it raised; a worker that dies (which stops all of them) leaves this
    thread to read the rest itself, as without workers.

    `share`: this thread, rather than wait for the file due, reads the next file not yet
    handed out itself (kept for its turn). For the dry run, whose own work per file is a
    fraction of reading one: waiting, its thread idled most of the batch while a worker
    read every file (measured: 50 files took longer read ahead than read here).

    A worker runs ``packed.read_packed``: the reader, then the seal checked with the
    plan's secret and the ledger row's rows packed there, so the packet handed back is
    small and the calling thread does less; a merge's workers also glance at part of its
    batch first (`glances`)."""

    read = staticmethod(read_packet)  # what a worker runs (module-level: it is pickled)

    def __init__(self, workers: int, share: bool = False) -> None:
        self._pending: deque[tuple[int, tuple[Path | bytes, str]]] = deque()
        self._reads: dict[int, Future[Handed]] = {}
        self._secrets: dict[str, str] = {}
        self._share = share
        self._here: dict[int, Callable[[], Handed]] = {}  # read by this thread early
        self._pool: ProcessPoolExecutor | None = None
        self._ready: list[Future[int]] = []
        started = _start_readers(workers) if workers else None
        if started is not None:
            self._pool, self._ready = started
        self._broken = False

    def plan(self, db: Engine, files: Iterable[tuple[int, Path | Member]]) -> None:
        """The batch's files to read ahead (index in the batch, source), in batch order."""
        if self._pool is not None:
            self._pending.extend((i, read_args(source)) for i, source in files)
            if self._pending:
                with Session(db) as s:
                    self._secrets = {uid: secret for uid, secret in s.execute(
                        select(Plan.uid, Plan.secret))}

    def take(self, i: int) -> Callable[[], Handed] | None:
        """File i as a worker (or, sharing, this thread while it waited) read it: a call
        giving the packet and the plan its seal was verified with (None: not verified), or
        raising the reader's refusal; or None: this thread reads it."""
        while self._pending and self._pending[0][0] < i:  # read here: their turn came first
            self._pending.popleft()
        early = self._here.pop(i, None)
        self._hand_out()
        if early is not None:
            return early
        read = self._reads.pop(i, None)
        if read is None:
            return None
        while self._share and not read.done() and self._pending and not self._broken:
            j, (data, name) = self._pending.popleft()
            self._here[j] = _read_here(data, name)
            self._hand_out()
        self._hand_out()  # the next file is read while this one is checked and written
        if isinstance(read.exception(), BrokenProcessPool):  # (waits for the read)
            self._stop()
            return None  # read here, as without workers
        return read.result  # the packet, or the reader's refusal raised

    def _hand_out(self) -> None:
        if self._pool is None or self._broken or not self._pending:
            return
        up = sum(is_up(f) for f in self._ready)
        if self._ready and all(f.done() for f in self._ready) and not up:
            self._stop()  # none could start
            return
        while self._pending and len(self._reads) < 2 * up:
            i, (data, name) = self._pending.popleft()
            try:
                self._reads[i] = self._pool.submit(read_packed, self.read, data, name,
                                                   self._secrets)
            except (BrokenProcessPool, RuntimeError):  # died meanwhile / shut down
                self._stop()
                return

    def _stop(self) -> None:
        """Workers gone: this thread reads every file not yet read (those it read early
        are kept)."""
        self._broken = True
        self._drop()

    def _drop(self) -> None:
        for read in self._reads.values():
            read.cancel()
        self._reads.clear()
        self._pending.clear()

    def glances(self, files: Sequence[tuple[int, Path | Member]],
                step: Callable[[int], None]) -> dict[int, Glance | None]:
        """A glance at each file (index in the batch → ``glance``): this thread from the
        front (`step(i)` before each: progress, cancel), the workers, once up, a chunk at a
        time from the back (a worker that dies leaves its chunk to this thread)."""
        out: dict[int, Glance | None] = {}
        todo = deque(files)
        sent: list[tuple[list[tuple[int, Path | Member]], Future[list[Glance | None]]]] = []
        while todo or sent:
            up = 0 if self._pool is None or self._broken else sum(
                is_up(f) for f in self._ready)
            while len(sent) < 2 * up and len(todo) > GLANCE_CHUNK:
                chunk = [todo.pop() for _ in range(GLANCE_CHUNK)]
                try:
                    assert self._pool is not None
                    sent.append((chunk, self._pool.submit(glance_many, [
                        s.data if isinstance(s, Member) else s for _i, s in chunk])))
                except (BrokenProcessPool, RuntimeError):  # died meanwhile / shut down
                    todo.extend(reversed(chunk))
                    self._stop()
                    break
            for chunk, future in [c for c in sent if c[1].done()]:
                sent.remove((chunk, future))
                try:
                    out.update(zip((i for i, _s in chunk), future.result(), strict=True))
                except BrokenProcessPool:
                    self._stop()
                    todo.extend(reversed(chunk))
            if todo:
                i, source = todo.popleft()
                step(i)
                out[i] = glance(source)
            elif sent:
                wait([f for _c, f in sent], return_when=FIRST_COMPLETED)
        return out

    def close(self) -> None:
        """After the batch (also a cancelled or failed one): files not taken are dropped,
        the workers kept for the next batch (or stopped, if one died)."""
        self._here.clear()
        if self._pool is None:
            return
        self._drop()
        broken = self._broken or start_failed(self._ready)
        POOL.release(self._pool, broken)
        self._pool = None


def _read_here(data: Path | bytes, name: str) -> Callable[[], Handed]:
    """A file read by this thread ahead of its turn, in the shape of a worker's result
    (its seal left for the check to verify)."""
    try:
        packet = read_packet(data, name=name)
    except UserFacingError as exc:
        refusal = exc

        def refuse() -> Handed:
            raise refusal
        return refuse
    return lambda: (packet, None, None)


def _read(source: Path | Member, draft: Draft,
          read: Callable[[], Handed] | None = None) -> PacketFile | None:
    try:
        if read is not None:
            packet, draft.sealed_plan, draft.packed_rows = read()
        else:
            data, name = read_args(source)
            packet = read_packet(data, name=name)
    except UserFacingError as exc:
        draft.reject(exc.message, exc.sheet or "", exc.cell or "")
        return None
    draft.file_hash = packet.file_hash
    m = packet.manifest
    draft.unit, draft.period, draft.revision = m.unit, m.period, m.revision
    draft.kind, draft.packet_uid = m.kind, m.packet_id
    draft.read_problems = list(packet.problems)
    return packet


def _identify(s: Session, packet: PacketFile, draft: Draft, period: str | None,
              plan_id: int | None, caches: dict[int, PlanCache]) -> Target | None:
    """The issued packet this file answers, after the checks that need no data compare."""
    m = packet.manifest
    issued = s.scalar(_ISSUED, {"uid": m.packet_id})
    if issued is None:
        known_plan = s.scalar(select(Plan.id).where(Plan.uid == m.plan.uid))
        if known_plan is None:
            draft.reject(f"此填报包属于“{m.plan.title}”,不是本数据库中的方案,未导入。",
                           SHEET_MANIFEST)
        else:
            draft.reject(f"此填报包(编号 {m.packet_id[:8]}…)不是本数据库下发的,"
                           "可能来自其他电脑或已被重新下发,未导入。", SHEET_MANIFEST)
        return None
    if packet.file_hash == issued.file_hash:
        draft.reject("这是区里下发的原始文件(还没有填写),不是单位的报送包,未导入。")
        return None
    plan = _plan_cache(s, issued.plan_id, caches)
    unit = plan.unit(s, issued.unit_id)
    per = plan.period(s, issued.period_id)
    draft.unit, draft.period = unit.name, per.key
    if plan_id is not None and issued.plan_id != plan_id:
        draft.reject(f"此填报包属于方案“{plan.title}”,不是当前选择的方案,未导入。")
        return None
    if period is not None and per.key != period:
        draft.reject(f"此填报包是{period_label(per.key)}的,当前汇总的是"
                       f"{period_label(period)},未导入(可能误发了其他月份的文件)。")
        return None
    draft.record_rejection = True  # from here on it is ours: a refusal is recorded
    if draft.sealed_plan is not None:  # verified by the worker that read it (its sealed
        sealed = draft.sealed_plan == plan.uid  # content is not here to verify again)
    else:
        sealed = draft.seal_verified or verify_seal(plan.secret, m, packet.rows)
    if not sealed:
        draft.reject("填报包的防伪校验未通过:包的标识或下发内容被改动过,"
                       "或不是区里下发的原文件。请让单位用下发的原文件重新填写。", SHEET_MANIFEST)
        return None
    for sheet, title in packet.titles.items():
        # the visible title says whose packet the sheet was; a manifest sheet copied over
        # from another unit's (or month's) packet disagrees with it
        if title and not (title.startswith(f"{m.unit} ·")
                          and period_label(m.period) in title):
            draft.reject(f"表头写的是“{title}”,与包标识({m.unit} · {period_label(m.period)})"
                           "不符:此文件可能混用了其他单位或其他月份的填报包,未导入。", sheet, "A1")
    draft.seal_verified = True  # the bytes are in memory: no need to check again
    if m.unit != unit.name:
        draft.warnings.append(Problem(SHEET_MANIFEST, "", f"包中的单位名“{m.unit}”与数据库中的"
                                        f"“{unit.name}”不同(单位可能已改名)。", "warning"))
    if m.period != per.key or m.plan.uid != plan.uid:
        draft.reject("填报包的周期或方案与下发记录不符,未导入。", SHEET_MANIFEST)
        return None
    issued_keys = set(issued.rows or {})
    for row in packet.rows:
        if row.key not in issued_keys:
            draft.reject(f"第 {row.code} 项(行标识 {row.key[:20]})不是下发给"
                           f"{unit.name}的行,未导入。", row.sheet, f"A{row.row}")
        elif (row.key.startswith(TASK_PREFIX) and row.uid not in plan.tasks) \
                or (row.key.startswith(INDICATOR_PREFIX) and row.uid not in plan.indicators):
            draft.reject(f"第 {row.code} 项已从方案中删除,无法导入。", row.sheet,
                           f"A{row.row}")
    if draft.errors:
        return None
    return Target(issued, unit, per, plan)


@dataclass
class _Applied:
    """The returns of this unit and period already merged (ledger rows)."""

    rows: list[Packet]

    def of_packet(self, uid: str) -> list[Packet]:
        return [p for p in self.rows if p.packet_uid == uid]


def _applied_returns(s: Session, unit_id: int, period_id: int) -> _Applied:
    return _Applied(list(s.scalars(_APPLIED, {"unit": unit_id, "period": period_id})))


def _superseded(s: Session, target: Target, packet: PacketFile, applied: _Applied
                ) -> str | None:
    """Why this return is older than one already merged, or None.

    Order comes from lineage where the files carry it (office exports): a file is older
    when an applied export continues it. Only a file without lineage (filled by hand, or
    from an older version) is ordered by its revision number (not sealed), then by when it
    was received.
    """
    m = packet.manifest
    same_packet = applied.of_packet(m.packet_id)
    descendants = [p for p in same_packet if packet.file_hash in (p.lineage or ())]
    if descendants:
        return (f"已导入过在此文件基础上继续填写的第 {max(p.revision for p in descendants)} 版,"
                f"本文件是第 {m.revision} 版,未导入。")
    newer = [p for p in same_packet if p.revision > m.revision] if m.lineage is None else []
    if newer:
        return (f"已导入过此包更新的第 {max(p.revision for p in newer)} 版,"
                f"本文件是第 {m.revision} 版,未导入。")
    if not applied.rows:
        return None
    later_issue = set(s.scalars(
        select(Packet.packet_uid).where(Packet.unit_id == target.unit.id,
                                        Packet.period_id == target.period.id,
                                        Packet.direction == "issued",
                                        Packet.created_at > target.issued.created_at)))
    if any(p.packet_uid in later_issue for p in applied.rows):
        return "之后下发的包(如退回修改包)的报送已导入,本文件较旧,未导入。"
    return None


def _base_rows(target: Target, packet: PacketFile, applied: _Applied) -> dict[str, Any]:
    """What the office last saw. An export with lineage: the newest file it continues that
    was merged here, else the issue — so a return that does not descend from the one
    applied changes only the fields it changed. Without lineage: the latest merged return
    of this packet, else the issue."""
    same_packet = applied.of_packet(packet.manifest.packet_id)
    if packet.manifest.lineage is not None:
        by_hash = {p.file_hash: p for p in same_packet}
        for h in packet.manifest.lineage:
            if h in by_hash:
                return returned_values(by_hash[h].packed, by_hash[h].rows)
        return dict(target.issued.rows or {})
    if same_packet:
        latest = max(same_packet, key=lambda p: (p.revision, p.created_at))
        return returned_values(latest.packed, latest.rows)
    return dict(target.issued.rows or {})


def _current(s: Session, unit_id: int, period_id: int, tasks: bool = True,
             indicators: bool = True) -> tuple[dict[int, Any], dict[int, Any]]:
    """This unit's stored rows for the period (plain Core rows: id and the input fields);
    only of the kinds the packet has rows of."""
    at = {"unit": unit_id, "period": period_id}
    conn = s.connection()
    entries = {r.task_id: r for r in conn.execute(_ENTRIES, at).all()} if tasks else {}
    values = {r.indicator_id: r for r in conn.execute(_VALUES, at).all()} if indicators \
        else {}
    return entries, values


def _fraction_warnings(target: Target, packet: PacketFile, draft: Draft,
                       previous: dict[int, float]) -> None:
    """Warn where 完成进度 reads 0–1 from a cell without a percent format while the unit's
    previous period said more than 1: probably "60%" typed into a fixed-format cell."""
    suspects = [r for r in packet.rows if r.key.startswith(TASK_PREFIX) and not r.percent_format
                and isinstance(r.values.get("percent"), float)
                and 0 < r.values["percent"] <= 1]
    for row in suspects:
        task_id, code = target.plan.tasks[row.uid]
        message = fraction_warning(row.values["percent"], previous.get(task_id))
        if message:
            draft.warnings.append(Problem(row.sheet, row.cells.get("percent", ""),
                                          f"第 {code} 项:{message}", "warning"))


@dataclass(frozen=True)
class Writes:
    """The writes one packet needs, as the compare found them. Read-only: the writer copies
    each record before adding the packet id and time."""

    new_entries: tuple[dict[str, Any], ...] = ()
    new_values: tuple[dict[str, Any], ...] = ()
    entry_updates: tuple[tuple[int, dict[str, Any]], ...] = ()  # (row id, changed columns)
    value_updates: tuple[tuple[int, dict[str, Any]], ...] = ()
    # rows created: the first values' provenance (packed.Created: entity, task/indicator
    # id, row key, sheet, row number, field → cell)
    created: tuple[Created, ...] = ()
    returned_rows: tuple[tuple[str, dict[str, Any]], ...] = ()  # the next merge's base
    # their stream in the ledger row, where a worker made it (the file's values all taken):
    # the same writes either way
    packed_rows: bytes | None = field(default=None, compare=False, repr=False)


def _previous_percents(s: Session, target: Target, tasks: bool = True) -> dict[int, float]:
    """Task id → the unit's percent in the plan's previous period (where reported)."""
    prev = target.plan.previous_period(s, target.period) if tasks else None
    if prev is None:
        return {}
    return {tid: float(pct) for tid, pct in s.connection().execute(
        _PERCENTS, {"unit": target.unit.id, "period": prev}).all() if pct is not None}


def _flag_backwards(draft: Draft, sheet: str, cell: str, code: str, now: Any,
                    before: float | None) -> None:
    """Progress that goes backwards is flagged (a warning, never a refusal)."""
    if now in (None, "") or before is None:
        return
    try:
        percent = float(now)
    except (TypeError, ValueError):
        return
    if percent < before:
        draft.backwards += 1
        draft.warnings.append(Problem(
            sheet, cell, f"第 {code} 项完成进度 {percent:g}% 低于上期的 {before:g}%"
            "(进度倒退),请核实;单位应在存在问题中说明原因。", "warning"))


@dataclass
class _Basis:
    """What a packet's verdict rests on besides the file: read once per evaluation."""

    entries: dict[int, Any]
    values: dict[int, Any]
    flagged: dict[str, set[str]]
    receipt: Receipt | None
    before: dict[int, float]  # task id → last period's percent

    def digest(self, applied: _Applied, draft: Draft) -> str:
        """Equal digests → the compare would come out the same (so need not run again)."""
        state = (sorted(tuple(r) for r in self.entries.values()),
                 sorted(tuple(r) for r in self.values.values()),
                 sorted((k, sorted(v)) for k, v in self.flagged.items()),
                 (self.receipt.state, self.receipt.packet_id) if self.receipt else None,
                 sorted(self.before.items()),
                 [p.id for p in applied.rows], draft.errors, draft.warnings)
        return hashlib.sha1(repr(state).encode()).hexdigest()


def _read_basis(s: Session, target: Target, packet: PacketFile) -> _Basis:
    tasks = any(r.key.startswith(TASK_PREFIX) for r in packet.rows)
    indicators = any(r.key.startswith(INDICATOR_PREFIX) for r in packet.rows)
    entries, values = _current(s, target.unit.id, target.period.id, tasks, indicators)
    # a correction packet: the flags sent with it say which cells were unlocked (the
    # manifest says so too, but it is not sealed)
    flagged = flagged_cells(s, packet.manifest.packet_id) \
        if target.issued.kind == "correction" else {}
    receipt = s.scalar(_RECEIPT, {"unit": target.unit.id, "period": target.period.id})
    target.receipt = receipt
    return _Basis(entries, values, flagged, receipt, _previous_percents(s, target, tasks))


_EMPTY = (None, "")  # an empty packet value (0 is a value)


def _compare(target: Target, packet: PacketFile, draft: Draft, applied: _Applied,
             basis: _Basis) -> Writes:
    """Three-way compare of every returned field; fills the draft's counts."""
    base_rows = _base_rows(target, packet, applied)
    entries, values, flagged = basis.entries, basis.values, basis.flagged
    new_entries: list[dict[str, Any]] = []
    new_values: list[dict[str, Any]] = []
    entry_updates: dict[int, dict[str, Any]] = {}
    value_updates: dict[int, dict[str, Any]] = {}
    created: list[Created] = []
    returned_rows: dict[str, dict[str, Any]] = {}
    before = basis.before
    task_columns = [(f, column_of(f)) for f in TASK_INPUT_FIELDS]
    value_columns = [(f, column_of(f)) for f in INDICATOR_INPUT_FIELDS]
    whole = True  # every value of the file taken (a correction's locked cells are not)
    for row in packet.rows:
        is_task = row.key.startswith(TASK_PREFIX)
        fields = TASK_INPUT_FIELDS if is_task else INDICATOR_INPUT_FIELDS
        entity = "progress" if is_task else "indicator_value"
        target_id, code = (target.plan.tasks if is_task else target.plan.indicators)[row.uid]
        base = base_rows.get(row.key) or {}
        returned = dict(row.values)
        editable = flagged.get(row.key, set()) if flagged else row.editable
        if target.issued.kind == "correction" and editable is None:
            editable = set()
        if editable is not None:  # correction packet: only the unlocked cells count
            for f in list(returned):
                if f not in editable:
                    if not same(f, returned[f], base.get(f)):
                        draft.warnings.append(Problem(
                            row.sheet, row.cells.get(f, ""),
                            f"第 {code} 项:此单元格未要求修改,改动已忽略。", "warning"))
                    returned.pop(f)
                    whole = False
        returned_rows[row.key] = returned
        if is_task and target_id in before:
            _flag_backwards(draft, row.sheet, row.cells.get("percent", ""), code,
                            returned.get("percent"), before[target_id])
        existing = entries.get(target_id) if is_task else values.get(target_id)
        if existing is None:
            # packet values are None or "" when empty (0 is a value)
            if all(returned.get(f) in _EMPTY for f in fields):
                draft.rows_unchanged += 1
                continue
            record: dict[str, Any] = {f: convert(returned.get(f)) for f, convert in (
                task_columns if is_task else value_columns)}
            record.update(unit_id=target.unit.id, period_id=target.period.id)
            record["task_id" if is_task else "indicator_id"] = target_id
            (new_entries if is_task else new_values).append(record)
            draft.rows_new += 1
            created.append((entity, target_id, row.key, row.sheet, row.row, row.cells))
            continue
        taken: dict[str, Any] = {}
        for f in fields:
            if f not in returned:
                continue
            r, b = returned[f], base.get(f)
            c = to_packet(f, getattr(existing, f))
            if same(f, r, c) or same(f, r, b):
                continue  # nothing new from the office (keeps a district correction)
            # an empty value never silently replaces a filled one: a person decides
            emptied = same(f, r, None) and not same(f, c, None)
            action = "take" if same(f, c, b) and not emptied else "conflict"
            change = FieldChange(row.key, code, entity, f, row.sheet, row.cells.get(f, ""),
                                 b, r, c, action)
            draft.changes.append(change)
            if action == "take":
                taken[f] = to_column(f, r)
            else:
                draft.conflicts += 1
                message = (f"第 {code} 项{label(f)}:报送的是空白,数据库中是"
                           f"“{display(f, to_text(c))}”;空白不会自动覆盖已填的内容,"
                           "已列入冲突待人工决定。" if emptied and same(f, c, b) else
                           f"第 {code} 项{label(f)}:区里已改为“{display(f, to_text(c))}”,"
                           f"报送的是“{display(f, to_text(r))}”,两边都改过,已列入冲突待人工决定。")
                draft.warnings.append(Problem(row.sheet, row.cells.get(f, ""), message,
                                              "warning"))
        if taken:
            (entry_updates if is_task else value_updates)[existing.id] = taken
            draft.rows_changed += 1
        else:
            draft.rows_unchanged += 1
    return Writes(tuple(new_entries), tuple(new_values), tuple(entry_updates.items()),
                  tuple(value_updates.items()), tuple(created), tuple(returned_rows.items()),
                  draft.packed_rows if whole else None)


def evaluate(s: Session, packet: PacketFile, draft: Draft, period: str | None,
             plan_id: int | None, caches: dict[int, PlanCache], compare: bool = True,
             checked: PacketPreview | None = None) -> tuple[Target, Writes] | None:
    """Identify, check and compare one packet; None when it is not to be written.

    Runs again inside the writing transaction, so it starts from the reader's problems.
    `compare=False` stops before the field compare (status stays "new"): for a batch
    applied straight away, which compares inside each packet's transaction anyway.
    `checked`: the preview of the same file made earlier; when nothing its verdict rests
    on has changed since, that verdict is taken instead of comparing again.
    """
    draft.errors = [p for p in draft.read_problems if p.severity == "error"]
    draft.warnings = [p for p in draft.read_problems if p.severity != "error"]
    draft.reason = ""
    draft.record_rejection = False
    draft.changes = []
    draft.rows_new = draft.rows_changed = draft.rows_unchanged = draft.conflicts = 0
    draft.backwards = 0
    target = _identify(s, packet, draft, period, plan_id, caches)
    if target is None:
        draft.status = "rejected"
        if not draft.reason:
            first = draft.errors[0]
            where = f"{first.where} " if first.where else ""
            draft.reason = (f"{where}{first.message}" if len(draft.errors) == 1 else
                            f"有 {len(draft.errors)} 处错误,整个文件未导入;"
                            f"第一处:{where}{first.message}")
        return None
    applied = _applied_returns(s, target.unit.id, target.period.id)
    if any(p.file_hash == packet.file_hash for p in applied.rows):
        draft.status = "unchanged"
        draft.reason = "同一文件已导入过,无需重复导入。"
        return None
    locked = approval_block(s, target.unit.id, target.period.id, target.period.key,
                            target.unit.name)
    if locked:  # 审核通过: nothing more is merged until the district withdraws it
        draft.reject(locked)
        return None
    why = _superseded(s, target, packet, applied)
    if why:
        draft.status = "superseded"
        draft.reason = why
        return None
    if not compare:
        draft.status = "new"
        return None
    basis = _read_basis(s, target, packet)
    draft.basis = basis.digest(applied, draft)
    if checked is not None and checked.writes is not None and checked.basis == draft.basis:
        draft.adopt(checked)
        return target, checked.writes
    writes = _compare(target, packet, draft, applied, basis)
    _fraction_warnings(target, packet, draft, basis.before)
    receipt = basis.receipt
    accepted = receipt is not None and receipt.state == "accepted" and bool(applied.rows)
    if not draft.changes and not draft.rows_new and (
            applied.of_packet(packet.manifest.packet_id) or (
            accepted and target.issued.kind == "normal")):
        draft.status = "unchanged"
        draft.reason = "内容与数据库中已有的完全相同。"
        return None
    issued_rows = target.issued.rows or {}
    if packet.manifest.direction == "issued" and all(
            same(f, v, issued_rows.get(r.key, {}).get(f))
            for r in packet.rows for f, v in r.values.items()):
        draft.warnings.append(Problem("", "", "文件内容与下发时完全相同,可能是未填写的下发包。",
                                      "warning"))
    draft.status = "new"
    draft.writes = writes
    return target, writes


def table_of(model: type[Any]) -> Table:
    """The Core table of a model, for executemany statements."""
    return cast(Table, model.__table__)


# ---------------------------------------------------------------- dry run

def check_packets(db: Engine, paths: Sequence[str | Path | Member], *,
                  period: str | None = None, plan_id: int | None = None,
                  reporter: Reporter | None = None, compare: bool = True,
                  batch: Sequence[PacketPreview] = ()) -> tuple[PacketPreview, ...]:
    """Read and check every file; say what merging would do. Writes nothing.

    `period` (YYYY-MM, the period being merged) refuses packets of any other period;
    `plan_id` those of another plan. Files for the same unit and period in one batch are
    ordered by revision: an older one is `superseded`, a copy of another is `unchanged`.
    `batch`: previews checked earlier that the new files join (files added to a list on
    screen); they are not read again, only ordered with the new ones. Returns the batch's
    previews (in the given order) then the new files'. A saved mail (.eml) or an archive
    (.zip) gives a preview per packet inside it (``inbox.sources``), or one rejected
    preview saying why it gave none.
    """
    reporter = reporter or Reporter()
    files = list(paths)
    previews: list[PacketPreview] = []
    caches: dict[int, PlanCache] = {}
    total = len(files)
    # packet files (not mails or archives: read here, packet by packet) read ahead
    plain = [(i, f if isinstance(f, Member) else Path(f)) for i, f in enumerate(files)
             if isinstance(f, Member) or not is_container(Path(f))]
    ahead = ReadAhead(read_workers(len(plain)), share=True)
    try:
        ahead.plan(db, plain)
        with Session(db) as s:
            for i, item in enumerate(files):
                shown = item.path if isinstance(item, Member) else Path(item)
                reporter.step(i, total, f"正在检查 {shown.name}({i + 1}/{total})")
                read = ahead.take(i)
                for source in sources([item]):
                    previews.append(check_one(s, source, period, plan_id, caches, compare,
                                              read))
    finally:
        ahead.close()
    ordered = order_batch([*batch, *previews])
    reporter.step(total, total, "检查完成")
    return ordered


def check_one(s: Session, source: Source, period: str | None, plan_id: int | None,
              caches: dict[int, PlanCache], compare: bool,
              read: Callable[[], Handed] | None = None) -> PacketPreview:
    """One packet file (or a mail or archive that gave none) → its frozen preview;
    `read`: the file as a worker process read it."""
    if isinstance(source, Refused):
        refused = Draft(source.path, str(source.path))
        refused.reject(source.message)
        return refused.freeze()
    draft = draft_of(source)
    packet = read_into(source, draft, read)
    if packet is not None:
        evaluate(s, packet, draft, period, plan_id, caches, compare)
        _compact(draft)
    return draft.freeze()


def _compact(draft: Draft) -> None:
    """Keep only what applying needs: a batch of 1,000 previews stays small, and the
    garbage collector (which pauses every thread, the GUI's too) has little to walk."""
    packet = draft.packet
    if packet is None:
        return
    if draft.status != "new":
        packet.rows = []  # a refusal is recorded from the manifest and the file hash
        return
    for row in packet.rows:
        row.fixed = {"code": row.code}  # the seal is verified; the code names the row
        row.fixed_json = None
        row.comments = {}


def order_batch(previews: Sequence[PacketPreview]) -> tuple[PacketPreview, ...]:
    """Within one batch: a file that another continues loses (lineage), a file without
    lineage loses to a higher revision, exact copies count once.

    Returns the previews in the same order, those that lose as new previews."""
    out = list(previews)
    groups: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for i, p in enumerate(out):
        if p.status == "new":
            groups[(p.unit, p.period)].append(i)
    for group in groups.values():
        seen_hash: dict[str, PacketPreview] = {}
        live: list[int] = []
        for i in group:
            p = out[i]
            first = seen_hash.get(p.file_hash)
            if first is not None:
                out[i] = replace(p, status="unchanged",
                                 reason=f"与同批文件“{first.path.name}”内容相同。")
                continue
            seen_hash[p.file_hash] = p
            live.append(i)
        for i in live:
            p = out[i]
            same = [out[j] for j in live if j != i and out[j].packet_uid == p.packet_uid]
            continuing = [q for q in same if p.file_hash in (_lineage(q) or ())]
            if continuing:
                best = max(continuing, key=lambda q: q.revision or 0)
                out[i] = replace(p, status="superseded", reason=(
                    f"同批中“{best.path.name}”(第 {best.revision} 版)是在本文件基础上继续填写的,"
                    f"本文件是第 {p.revision} 版,未导入。"))
                continue
            # Only a file without lineage (filled by hand) is ordered by its revision
            # number, which is not sealed: as `_superseded` does against merged returns.
            newer = [q for q in same if (q.revision or 0) > (p.revision or 0)]
            if newer and _lineage(p) is None:
                best = max(newer, key=lambda q: q.revision or 0)
                out[i] = replace(p, status="superseded", reason=(
                    f"同批中“{best.path.name}”是更新的第 {best.revision} 版,"
                    f"本文件是第 {p.revision} 版,未导入。"))
    return tuple(out)


def _lineage(p: PacketPreview) -> tuple[str, ...] | None:
    """The exports and files this return continues (None: no record, filled by hand)."""
    return None if p.packet is None else p.packet.manifest.lineage
