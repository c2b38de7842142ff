"""汇总: merging returned packets into the district database.

Two steps. ``plan_merge`` reads and checks every file once and works out, without
writing, what merging it would do (a dry run: new / unchanged / superseded / rejected,
rows new/changed/unchanged, conflicts, every problem by sheet and cell).
``apply_merge`` then writes each acceptable packet in its own transaction, recomputing
the plan against the database inside that transaction.

A field is merged three ways: *base* is what the office last saw (the values issued in
the packet, or those of a later return of the same packet already merged), *theirs* is
the returned value, *ours* is what the database holds now. Only the office changed it →
taken; only the district changed it → kept; both, differently → a ``Conflict`` for a
person to decide (never overwritten).

What a rejected packet leaves behind: nothing in the reported data or the plan. When
the packet could be identified as one this database issued (it is ours, but broken,
tampered with or invalid), the refusal is recorded in the packet ledger (direction
"returned", outcome "rejected") and, while the unit has no accepted return for the
period, its receipt shows 已拒收. A packet refused only because it belongs to another
plan or period (last month's file) records nothing.

Ledger rows written here: "<packet id>:returned:<revision>:<hash>" (outcome "applied",
``rows`` = the values taken from the file, the base of the next merge of that packet) and
"<packet id>:rejected:<revision>:<hash>" (outcome "rejected", ``message`` = the problems).
The file hash in the id lets two hand-filled files of the same revision both be recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.jobs import Cancelled, Reporter
from app.core.vocab import MERGE_STATUS_LABELS
from app.models import (
    AuditLog,
    Conflict,
    Flag,
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
from app.services.db import get_setting
from app.services.district.corrections import flagged_cells
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INDICATOR_PREFIX,
    SHEET_MANIFEST,
    TASK_INPUT_FIELDS,
    TASK_PREFIX,
)
from app.services.packets.reader import PacketFile, read_packet
from app.services.packets.seal import verify_seal
from app.services.packets.values import display, label, same, to_column, to_packet, to_text
from app.services.plans.query import period_label

# files a folder import picks up: spreadsheets of any kind, so a .xls or .xlsm sent by
# mistake is refused with a message instead of being silently skipped
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".et", ".ett", ".xlsb", ".xltx",
                                  ".xltm", ".ods", ".csv"})
APPLICABLE = ("new",)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a packet, located for a person (sheet, cell, plain Chinese)."""

    sheet: str
    cell: str
    message: str
    severity: str = "error"  # error: the packet is refused / warning: merged, item ignored

    def as_json(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}

    @property
    def where(self) -> str:
        return f"[{self.sheet}]{self.cell}" if self.sheet else self.cell


@dataclass(slots=True)
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


@dataclass
class PacketPreview:
    """The dry-run verdict on one file; ``apply_merge`` takes these back."""

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
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    reason: str = ""  # one line: why unchanged / superseded / rejected
    packet: PacketFile | None = field(default=None, repr=False)
    read_problems: list[Problem] = field(default_factory=list, repr=False)
    seal_verified: bool = False
    record_rejection: bool = False  # identified as ours: the refusal goes in the ledger

    @property
    def rows_applied(self) -> int:
        return self.rows_new + self.rows_changed

    @property
    def status_label(self) -> str:
        return MERGE_STATUS_LABELS.get(self.status, self.status)

    @property
    def problems(self) -> list[Problem]:
        return self.errors + self.warnings

    def reject(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.status = "rejected"
        self.errors.append(Problem(sheet, cell, message))
        if not self.reason:
            self.reason = message


@dataclass
class PacketResult:
    """What merging did with one file (the entries of `merge --json`)."""

    path: Path
    file: str
    status: str  # applied / unchanged / superseded / rejected / cancelled
    unit: str | None
    period: str | None
    revision: int | None
    rows_applied: int = 0
    conflicts: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    packet_id: str | None = None  # the ledger row written, if any
    reason: str = ""

    @property
    def status_label(self) -> str:
        return MERGE_STATUS_LABELS.get(self.status, self.status)

    @property
    def problems(self) -> list[Problem]:
        return self.errors + self.warnings

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file, "status": self.status, "unit": self.unit,
            "period": self.period, "rows_applied": self.rows_applied,
            "errors": [p.as_json() for p in self.errors]}
        if self.warnings:  # the one extra key (conflicts are listed here too)
            out["warnings"] = [p.as_json() for p in self.warnings]
        return out


def merge_json(results: Iterable[PacketResult]) -> dict[str, Any]:
    return {"packets": [r.as_json() for r in results]}


def preview_result(p: PacketPreview) -> PacketResult:
    """A dry-run preview in the shape of a result (for `merge --dry-run --json`): `new`
    shows as `applied`, the status it would get."""
    status = "applied" if p.status == "new" else p.status
    applied = status == "applied"
    return PacketResult(p.path, p.file, status, p.unit, p.period, p.revision,
                        p.rows_applied if applied else 0, p.conflicts if applied else 0,
                        list(p.errors), list(p.warnings), None, p.reason)


# ---------------------------------------------------------------- files

def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to merge from files and folders (folders: spreadsheets inside, recursively,
    skipping Office lock files like ~$name.xlsx); order kept, duplicates dropped."""
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
                    if f.suffix.lower() in SPREADSHEET_SUFFIXES and not name.startswith(
                            ("~$", ".~")):
                        add(f)
        else:
            add(p)
    return out


# ---------------------------------------------------------------- per plan caches

@dataclass
class _PlanCache:
    plan_id: int
    title: str
    secret: str
    tasks: dict[str, tuple[int, str]]  # uid -> (task id, code)
    indicators: dict[str, tuple[int, str]]


def _plan_cache(s: Session, plan_id: int, caches: dict[int, _PlanCache]) -> _PlanCache:
    cache = caches.get(plan_id)
    if cache is None:
        plan = s.get(Plan, plan_id)
        assert plan is not None
        cache = _PlanCache(
            plan_id, plan.title, plan.secret,
            {uid: (tid, code) for uid, tid, code in s.execute(
                select(Task.uid, Task.id, Task.code).where(Task.plan_id == plan_id))},
            {uid: (iid, code) for uid, iid, code in s.execute(
                select(Indicator.uid, Indicator.id, Indicator.code)
                .where(Indicator.plan_id == plan_id))})
        caches[plan_id] = cache
    return cache


@dataclass
class _Target:
    """What the database says this packet is: the issued ledger row and its context."""

    issued: Packet
    unit: Unit
    period: Period
    plan: _PlanCache


# ---------------------------------------------------------------- checking one packet

def _read(path: Path, preview: PacketPreview) -> PacketFile | None:
    try:
        packet = read_packet(path, name=path.name)
    except UserFacingError as exc:
        preview.reject(exc.message, exc.sheet or "", exc.cell or "")
        return None
    preview.file_hash = packet.file_hash
    m = packet.manifest
    preview.unit, preview.period, preview.revision = m.unit, m.period, m.revision
    preview.kind, preview.packet_uid = m.kind, m.packet_id
    preview.read_problems = [Problem(p.sheet, p.cell, p.message, p.severity)
                             for p in packet.problems]
    return packet


def _identify(s: Session, packet: PacketFile, preview: PacketPreview, period: str | None,
              plan_id: int | None, caches: dict[int, _PlanCache]) -> _Target | None:
    """The issued packet this file answers, after the checks that need no data compare."""
    m = packet.manifest
    issued = s.scalar(select(Packet).where(Packet.packet_uid == m.packet_id,
                                           Packet.direction == "issued"))
    if issued is None:
        known_plan = s.scalar(select(Plan.id).where(Plan.uid == m.plan.uid))
        if known_plan is None:
            preview.reject(f"此填报包属于“{m.plan.title}”,不是本数据库中的方案,未导入。",
                           SHEET_MANIFEST)
        else:
            preview.reject(f"此填报包(编号 {m.packet_id[:8]}…)不是本数据库下发的,"
                           "可能来自其他电脑或已被重新下发,未导入。", SHEET_MANIFEST)
        return None
    if packet.file_hash == issued.file_hash:
        preview.reject("这是区里下发的原始文件(还没有填写),不是单位的报送包,未导入。")
        return None
    plan = _plan_cache(s, issued.plan_id, caches)
    unit = s.get(Unit, issued.unit_id)
    per = s.get(Period, issued.period_id)
    assert unit is not None and per is not None
    preview.unit, preview.period = unit.name, per.key
    if plan_id is not None and issued.plan_id != plan_id:
        preview.reject(f"此填报包属于方案“{plan.title}”,不是当前选择的方案,未导入。")
        return None
    if period is not None and per.key != period:
        preview.reject(f"此填报包是{period_label(per.key)}的,当前汇总的是"
                       f"{period_label(period)},未导入(可能误发了其他月份的文件)。")
        return None
    preview.record_rejection = True  # from here on it is ours: a refusal is recorded
    if not preview.seal_verified and not verify_seal(plan.secret, m, packet.rows):
        preview.reject("填报包的防伪校验未通过:包的标识或下发内容被改动过,"
                       "或不是区里下发的原文件。请让单位用下发的原文件重新填写。", SHEET_MANIFEST)
        return None
    for sheet, title in packet.titles.items():
        # the visible title says whose packet the sheet was; a manifest sheet copied over
        # from another unit's (or month's) packet disagrees with it
        if title and not (title.startswith(f"{m.unit} ·")
                          and period_label(m.period) in title):
            preview.reject(f"表头写的是“{title}”,与包标识({m.unit} · {period_label(m.period)})"
                           "不符:此文件可能混用了其他单位或其他月份的填报包,未导入。", sheet, "A1")
    preview.seal_verified = True  # the bytes are in memory: no need to check again
    if m.unit != unit.name:
        preview.warnings.append(Problem(SHEET_MANIFEST, "", f"包中的单位名“{m.unit}”与数据库中的"
                                        f"“{unit.name}”不同(单位可能已改名)。", "warning"))
    if m.period != per.key or m.plan.uid != s.scalar(select(Plan.uid).where(
            Plan.id == issued.plan_id)):
        preview.reject("填报包的周期或方案与下发记录不符,未导入。", SHEET_MANIFEST)
        return None
    issued_keys = set(issued.rows or {})
    for row in packet.rows:
        if row.key not in issued_keys:
            preview.reject(f"第 {row.code} 项(行标识 {row.key[:20]})不是下发给"
                           f"{unit.name}的行,未导入。", row.sheet, f"A{row.row}")
        elif (row.key.startswith(TASK_PREFIX) and row.uid not in plan.tasks) \
                or (row.key.startswith(INDICATOR_PREFIX) and row.uid not in plan.indicators):
            preview.reject(f"第 {row.code} 项已从方案中删除,无法导入。", row.sheet,
                           f"A{row.row}")
    if preview.errors:
        return None
    return _Target(issued, unit, per, plan)


@dataclass
class _Applied:
    """The returns of this unit and period already merged (ledger rows)."""

    rows: list[Packet]

    def of_packet(self, uid: str) -> list[Packet]:
        return [p for p in self.rows if p.packet_uid == uid]


def _applied_returns(s: Session, unit_id: int, period_id: int) -> _Applied:
    return _Applied(list(s.scalars(
        select(Packet).where(Packet.unit_id == unit_id, Packet.period_id == period_id,
                             Packet.direction == "returned", Packet.outcome == "applied")
        .order_by(Packet.created_at, Packet.id))))


def _superseded(s: Session, target: _Target, packet: PacketFile, applied: _Applied
                ) -> str | None:
    """Why this return is older than one already merged, or None."""
    m = packet.manifest
    same_packet = applied.of_packet(m.packet_id)
    newer = [p for p in same_packet if p.revision > m.revision]
    if newer:
        return (f"已导入过此包更新的第 {max(p.revision for p in newer)} 版,"
                f"本文件是第 {m.revision} 版,未导入。")
    later_issue = {p.packet_uid for p in s.scalars(
        select(Packet).where(Packet.unit_id == target.unit.id,
                             Packet.period_id == target.period.id,
                             Packet.direction == "issued",
                             Packet.created_at > target.issued.created_at))}
    if any(p.packet_uid in later_issue for p in applied.rows):
        return "之后下发的包(如退回修改包)的报送已导入,本文件较旧,未导入。"
    return None


def _base_rows(target: _Target, packet: PacketFile, applied: _Applied) -> dict[str, Any]:
    """What the office last saw: the latest merged return of this packet, else the issue."""
    same_packet = applied.of_packet(packet.manifest.packet_id)
    if same_packet:
        latest = max(same_packet, key=lambda p: (p.revision, p.created_at))
        return dict(latest.rows or {})
    return dict(target.issued.rows or {})


def _current(s: Session, unit_id: int, period_id: int) -> tuple[dict[int, Any], dict[int, Any]]:
    """This unit's stored rows for the period (plain Core rows: id and the input fields)."""
    pe, iv = _table(ProgressEntry).c, _table(IndicatorValue).c
    entries = {r.task_id: r for r in s.connection().execute(
        select(pe.id, pe.task_id, *(pe[f] for f in TASK_INPUT_FIELDS))
        .where(pe.unit_id == unit_id, pe.period_id == period_id))}
    values = {r.indicator_id: r for r in s.connection().execute(
        select(iv.id, iv.indicator_id, *(iv[f] for f in INDICATOR_INPUT_FIELDS))
        .where(iv.unit_id == unit_id, iv.period_id == period_id))}
    return entries, values


@dataclass
class _Plan:
    """The writes one packet needs (computed inside the transaction that does them)."""

    new_entries: list[dict[str, Any]] = field(default_factory=list)
    new_values: list[dict[str, Any]] = field(default_factory=list)
    entry_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    value_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    # new rows: (entity, task/indicator id, field, sheet, cell, value) of every filled field
    new_audit: list[tuple[str, int, str, str, str, Any]] = field(default_factory=list)
    returned_rows: dict[str, dict[str, Any]] = field(default_factory=dict)


def _compare(s: Session, target: _Target, packet: PacketFile, preview: PacketPreview,
             applied: _Applied) -> _Plan:
    """Three-way compare of every returned field; fills the preview's counts."""
    base_rows = _base_rows(target, packet, applied)
    entries, values = _current(s, target.unit.id, target.period.id)
    plan = _Plan()
    # a correction packet: the flags sent with it say which cells were unlocked (the
    # manifest says so too, but it is not sealed)
    flagged = flagged_cells(s, packet.manifest.packet_id) \
        if target.issued.kind == "correction" else {}
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
                        preview.warnings.append(Problem(
                            row.sheet, row.cells.get(f, ""),
                            f"第 {code} 项:此单元格未要求修改,改动已忽略。", "warning"))
                    returned.pop(f)
        plan.returned_rows[row.key] = returned
        existing = entries.get(target_id) if is_task else values.get(target_id)
        if existing is None:
            # packet values are None or "" when empty (0 is a value)
            filled = [f for f in fields if returned.get(f) not in (None, "")]
            if not filled:
                preview.rows_unchanged += 1
                continue
            record: dict[str, Any] = {f: to_column(f, returned.get(f)) for f in fields}
            record.update(unit_id=target.unit.id, period_id=target.period.id)
            record["task_id" if is_task else "indicator_id"] = target_id
            (plan.new_entries if is_task else plan.new_values).append(record)
            preview.rows_new += 1
            plan.new_audit.extend((entity, target_id, f, row.sheet, row.cells.get(f, ""),
                                   returned[f]) for f in filled)
            continue
        taken: dict[str, Any] = {}
        for f in fields:
            if f not in returned:
                continue
            r, b = returned[f], base.get(f)
            c = to_packet(f, getattr(existing, f))
            if same(f, r, c) or same(f, r, b):
                continue  # nothing new from the office (keeps a district correction)
            action = "take" if same(f, c, b) else "conflict"
            change = FieldChange(row.key, code, entity, f, row.sheet, row.cells.get(f, ""),
                                 b, r, c, action)
            preview.changes.append(change)
            if action == "take":
                taken[f] = to_column(f, r)
            else:
                preview.conflicts += 1
                preview.warnings.append(Problem(
                    row.sheet, row.cells.get(f, ""),
                    f"第 {code} 项{label(f)}:区里已改为“{display(f, to_text(c))}”,"
                    f"报送的是“{display(f, to_text(r))}”,两边都改过,已列入冲突待人工决定。",
                    "warning"))
        if taken:
            (plan.entry_updates if is_task else plan.value_updates)[existing.id] = taken
            preview.rows_changed += 1
        else:
            preview.rows_unchanged += 1
    return plan


def _evaluate(s: Session, packet: PacketFile, preview: PacketPreview, period: str | None,
              plan_id: int | None, caches: dict[int, _PlanCache], compare: bool = True
              ) -> tuple[_Target, _Plan] | None:
    """Identify, check and compare one packet; None when it is not to be written.

    Runs again inside the writing transaction, so it starts from the reader's problems.
    `compare=False` stops before the field compare (status stays "new"): for a batch
    applied straight away, which compares inside each packet's transaction anyway.
    """
    preview.errors = [p for p in preview.read_problems if p.severity == "error"]
    preview.warnings = [p for p in preview.read_problems if p.severity != "error"]
    preview.reason = ""
    preview.record_rejection = False
    preview.changes = []
    preview.rows_new = preview.rows_changed = preview.rows_unchanged = preview.conflicts = 0
    target = _identify(s, packet, preview, period, plan_id, caches)
    if target is None:
        preview.status = "rejected"
        if not preview.reason:
            first = preview.errors[0]
            where = f"{first.where} " if first.where else ""
            preview.reason = (f"{where}{first.message}" if len(preview.errors) == 1 else
                              f"有 {len(preview.errors)} 处错误,整个文件未导入;"
                              f"第一处:{where}{first.message}")
        return None
    applied = _applied_returns(s, target.unit.id, target.period.id)
    if any(p.file_hash == packet.file_hash for p in applied.rows):
        preview.status = "unchanged"
        preview.reason = "同一文件已导入过,无需重复导入。"
        return None
    why = _superseded(s, target, packet, applied)
    if why:
        preview.status = "superseded"
        preview.reason = why
        return None
    if not compare:
        preview.status = "new"
        return None
    plan = _compare(s, target, packet, preview, applied)
    receipt = s.scalar(select(Receipt).where(Receipt.unit_id == target.unit.id,
                                             Receipt.period_id == target.period.id))
    accepted = receipt is not None and receipt.state == "accepted" and bool(applied.rows)
    if not preview.changes and not preview.rows_new and (
            applied.of_packet(packet.manifest.packet_id) or (
            accepted and target.issued.kind == "normal")):
        preview.status = "unchanged"
        preview.reason = "内容与数据库中已有的完全相同。"
        return None
    issued_rows = target.issued.rows or {}
    if packet.manifest.direction == "issued" and all(
            same(f, v, issued_rows.get(r.key, {}).get(f))
            for r in packet.rows for f, v in r.values.items()):
        preview.warnings.append(Problem("", "", "文件内容与下发时完全相同,可能是未填写的下发包。",
                                        "warning"))
    preview.status = "new"
    return target, plan


# ---------------------------------------------------------------- dry run

def plan_merge(db: Engine, paths: Sequence[str | Path], *, period: str | None = None,
               plan_id: int | None = None, reporter: Reporter | None = None,
               compare: bool = True) -> list[PacketPreview]:
    """Read and check every file; say what merging would do. Writes nothing.

    `period` (YYYY-MM, the period being merged) refuses packets of any other period;
    `plan_id` those of another plan. Files for the same unit and period in one batch are
    ordered by revision: an older one is `superseded`, a copy of another is `unchanged`.
    """
    reporter = reporter or Reporter()
    files = [Path(p) for p in paths]
    previews: list[PacketPreview] = []
    caches: dict[int, _PlanCache] = {}
    total = len(files)
    with Session(db) as s:
        for i, path in enumerate(files):
            reporter.step(i, total, f"正在检查 {path.name}({i + 1}/{total})")
            preview = PacketPreview(path, str(path))
            packet = _read(path, preview)
            preview.packet = packet
            if packet is not None:
                _evaluate(s, packet, preview, period, plan_id, caches, compare)
                _compact(preview)
            else:
                preview.status = "rejected"
            previews.append(preview)
    order_batch(previews)
    reporter.step(total, total, "检查完成")
    return previews


def _compact(preview: PacketPreview) -> None:
    """Keep only what applying needs: a batch of 1,000 previews stays small, and the
    garbage collector (which pauses every thread, the GUI's too) has little to walk."""
    packet = preview.packet
    if packet is None:
        return
    if preview.status != "new":
        packet.rows = []  # a refusal is recorded from the manifest and the file hash
        return
    for row in packet.rows:
        row.fixed = {"code": row.code}  # the seal is verified; the code names the row
        row.comments = {}


def order_batch(previews: list[PacketPreview]) -> None:
    """Within one batch: the newest revision of a packet wins, exact copies count once."""
    groups: dict[tuple[str | None, str | None], list[PacketPreview]] = defaultdict(list)
    for p in previews:
        if p.status == "new":
            groups[(p.unit, p.period)].append(p)
    for group in groups.values():
        seen_hash: dict[str, PacketPreview] = {}
        for p in group:
            first = seen_hash.get(p.file_hash)
            if first is not None:
                p.status = "unchanged"
                p.reason = f"与同批文件“{first.path.name}”内容相同。"
                continue
            seen_hash[p.file_hash] = p
        live = [p for p in group if p.status == "new"]
        for p in live:
            newer = [q for q in live if q.packet_uid == p.packet_uid and
                     (q.revision or 0) > (p.revision or 0)]
            if newer:
                best = max(newer, key=lambda q: q.revision or 0)
                p.status = "superseded"
                p.reason = (f"同批中“{best.path.name}”是更新的第 {best.revision} 版,"
                            f"本文件是第 {p.revision} 版,未导入。")


# ---------------------------------------------------------------- applying

def received_now() -> dt.datetime:
    """Local wall-clock time of receipt (naive), as Receipt.received_at stores it.

    Deadlines are local dates ("7月5日"), so lateness and the times shown in 收件登记 and
    the 通报 must be local too: a UTC stamp made a return at 07:30 Beijing time on the 6th
    count as received on the 5th.
    """
    return dt.datetime.now().replace(microsecond=0)


def apply_merge(db: Engine, items: Sequence[PacketPreview | str | Path], *,
                period: str | None = None, plan_id: int | None = None,
                reporter: Reporter | None = None, received_at: dt.datetime | None = None,
                actor: str | None = None) -> list[PacketResult]:
    """Merge each acceptable packet in its own transaction; record refusals.

    `items` are previews from ``plan_merge`` (files are not read again) or paths (checked
    first, as one batch). Previews that are not `new` write nothing except a refusal of a
    packet identified as ours. Cancelling stops between packets: those merged stay merged,
    the rest come back as `cancelled`.
    """
    reporter = reporter or Reporter()
    paths = [i for i in items if not isinstance(i, PacketPreview)]
    # files: read and identify now (batch order needs it), compare inside each transaction
    planned = iter(plan_merge(db, paths, period=period, plan_id=plan_id, compare=False,
                              reporter=reporter)
                   if paths else [])
    previews = [i if isinstance(i, PacketPreview) else next(planned) for i in items]
    caches: dict[int, _PlanCache] = {}
    results: list[PacketResult] = []
    total = len(previews)
    for i, preview in enumerate(previews):
        try:
            reporter.step(i, total, f"正在导入 {preview.path.name}({i + 1}/{total})")
        except Cancelled:
            results.extend(_cancelled(p) for p in previews[i:])
            return results
        results.append(_apply_one(db, preview, period, plan_id, caches,
                                  received_at or received_now(), actor))
    reporter.step(total, total, "导入完成")
    return results


def _cancelled(p: PacketPreview) -> PacketResult:
    return PacketResult(p.path, p.file, "cancelled", p.unit, p.period, p.revision,
                        reason="已取消,未导入。")


def _apply_one(db: Engine, preview: PacketPreview, period: str | None, plan_id: int | None,
               caches: dict[int, _PlanCache], now: dt.datetime, actor: str | None
               ) -> PacketResult:
    if preview.status == "new" and preview.packet is not None:
        with Session(db) as s, s.begin():
            done = _evaluate(s, preview.packet, preview, period, plan_id, caches)
            if done is not None:
                target, plan = done
                packet_id = _write(s, target, preview.packet, preview, plan, now,
                                   actor if actor is not None else get_setting(s, "actor"))
                result = _result(preview, "applied")
                result.packet_id = packet_id
                return result
    result = _result(preview, preview.status)
    if preview.status == "rejected" and preview.record_rejection:
        result.packet_id = _record_rejection(db, preview, now)
    return result


def _result(p: PacketPreview, status: str) -> PacketResult:
    rows = p.rows_applied if status == "applied" else 0
    return PacketResult(p.path, p.file, status, p.unit, p.period, p.revision, rows,
                        p.conflicts if status == "applied" else 0, list(p.errors),
                        list(p.warnings), None, p.reason)


def _ledger_id(uid: str, tag: str, revision: int, file_hash: str) -> str:
    return f"{uid[:32]}:{tag}:{revision}:{file_hash[:12]}"[:64]


def _write(s: Session, target: _Target, packet: PacketFile, preview: PacketPreview,
           plan: _Plan, now: dt.datetime, actor: str) -> str:
    m = packet.manifest
    packet_id = _ledger_id(m.packet_id, "returned", m.revision, packet.file_hash)
    s.add(Packet(id=packet_id, packet_uid=m.packet_id, plan_id=target.plan.plan_id,
                 unit_id=target.unit.id, period_id=target.period.id, direction="returned",
                 kind=target.issued.kind, revision=m.revision, file_name=preview.path.name,
                 file_hash=packet.file_hash, created_at=now, outcome="applied",
                 message=_summary(preview), rows=plan.returned_rows))
    s.flush()
    conn = s.connection()  # Core executemany from here (the brief: ~4x faster than the ORM)
    unit_id, period_id = target.unit.id, target.period.id
    if plan.new_entries:
        for r in plan.new_entries:
            r.update(packet_id=packet_id, updated_at=now)
        conn.execute(insert(_table(ProgressEntry)), plan.new_entries)
    if plan.new_values:
        for r in plan.new_values:
            r.update(packet_id=packet_id, updated_at=now)
        conn.execute(insert(_table(IndicatorValue)), plan.new_values)
    _bulk_update(s, ProgressEntry, plan.entry_updates, packet_id, now)
    _bulk_update(s, IndicatorValue, plan.value_updates, packet_id, now)

    ids: dict[tuple[str, int], int] = {}
    if plan.new_audit:
        ids.update({("progress", tid): eid for tid, eid in s.execute(
            select(ProgressEntry.task_id, ProgressEntry.id).where(
                ProgressEntry.unit_id == unit_id, ProgressEntry.period_id == period_id))})
        ids.update({("indicator_value", iid): vid for iid, vid in s.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.id).where(
                IndicatorValue.unit_id == unit_id, IndicatorValue.period_id == period_id))})
    entry_by_key, value_by_key = _current_ids(s, target, packet)
    audit: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    common = {"at": now, "actor": actor, "actor_unit": target.unit.name, "packet_id": packet_id,
              "file_hash": packet.file_hash}
    for entity, target_id, f, sheet, cell, value in plan.new_audit:
        audit.append({**common, "entity": entity, "entity_id": ids[(entity, target_id)],
                      "field": f, "old": None, "new": to_text(value), "sheet": sheet,
                      "cell": cell})
    for ch in preview.changes:  # fields of rows that existed: taken or conflicting
        entity_id = (entry_by_key if ch.entity == "progress" else value_by_key)[ch.key]
        if ch.action == "take":
            audit.append({**common, "entity": ch.entity, "entity_id": entity_id,
                          "field": ch.field, "old": to_text(ch.current),
                          "new": to_text(ch.returned), "sheet": ch.sheet, "cell": ch.cell})
        else:
            conflicts.append({"packet_id": packet_id, "entity": ch.entity,
                              "entity_id": entity_id, "field": ch.field,
                              "issued": to_text(ch.base), "returned": to_text(ch.returned),
                              "current": to_text(ch.current), "sheet": ch.sheet,
                              "cell": ch.cell, "status": "open"})
    if conflicts:
        # a newer return replaces an undecided older conflict on the same field
        for c in conflicts:
            s.execute(update(Conflict).where(
                Conflict.entity == c["entity"], Conflict.entity_id == c["entity_id"],
                Conflict.field == c["field"], Conflict.status == "open"
            ).values(status="replaced", resolved_at=now))
        conn.execute(insert(_table(Conflict)), conflicts)
    if audit:
        conn.execute(insert(_table(AuditLog)), audit)
    _accept_receipt(s, target, m.revision, packet_id, now)
    if target.issued.kind == "correction":
        s.execute(update(Flag).where(Flag.packet_id == m.packet_id, Flag.status == "open")
                  .values(status="closed", closed_at=now))
    return packet_id


def _current_ids(s: Session, target: _Target, packet: PacketFile
                 ) -> tuple[dict[str, int], dict[str, int]]:
    """Row key → id of the entry / indicator value of this unit and period."""
    task_key = {tid: TASK_PREFIX + uid for uid, (tid, _c) in target.plan.tasks.items()}
    ind_key = {iid: INDICATOR_PREFIX + uid for uid, (iid, _c) in target.plan.indicators.items()}
    entries = {task_key[tid]: eid for tid, eid in s.execute(
        select(ProgressEntry.task_id, ProgressEntry.id).where(
            ProgressEntry.unit_id == target.unit.id,
            ProgressEntry.period_id == target.period.id)) if tid in task_key}
    values = {ind_key[iid]: vid for iid, vid in s.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.id).where(
            IndicatorValue.unit_id == target.unit.id,
            IndicatorValue.period_id == target.period.id)) if iid in ind_key}
    return entries, values


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _bulk_update(s: Session, model: type[ProgressEntry] | type[IndicatorValue],
                 updates: dict[int, dict[str, Any]], packet_id: str, now: dt.datetime) -> None:
    """Core executemany, one statement per set of changed columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id, values in updates.items():
        cols = tuple(sorted(values))
        by_columns[cols].append({"_id": row_id, **{f"_{c}": v for c, v in values.items()}})
    table = _table(model)
    for cols, params in by_columns.items():
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({**{c: bindparam(f"_{c}") for c in cols}, "packet_id": packet_id,
                         "updated_at": now}))
        s.connection().execute(stmt, params)


def _accept_receipt(s: Session, target: _Target, revision: int, packet_id: str,
                    now: dt.datetime) -> None:
    receipt = s.scalar(select(Receipt).where(Receipt.unit_id == target.unit.id,
                                             Receipt.period_id == target.period.id))
    if receipt is None:
        s.add(Receipt(unit_id=target.unit.id, period_id=target.period.id, received_at=now,
                      state="accepted", revision=revision, packet_id=packet_id))
        return
    first = receipt.state not in ("accepted", "returned_for_fix") or receipt.received_at is None
    if first:
        receipt.received_at = now  # lateness counts from the first accepted return
    receipt.state = "accepted"
    receipt.revision = revision
    receipt.packet_id = packet_id


def _record_rejection(db: Engine, preview: PacketPreview, now: dt.datetime) -> str | None:
    """Ledger row (and receipt state) for a refused packet of ours; None if not ours."""
    packet = preview.packet
    if packet is None:
        return None
    with Session(db) as s, s.begin():
        issued = s.scalar(select(Packet).where(Packet.packet_uid == packet.manifest.packet_id,
                                               Packet.direction == "issued"))
        if issued is None:
            return None
        packet_id = _ledger_id(issued.packet_uid, "rejected", packet.manifest.revision,
                               packet.file_hash)
        if s.get(Packet, packet_id) is None:
            s.add(Packet(id=packet_id, packet_uid=issued.packet_uid, plan_id=issued.plan_id,
                         unit_id=issued.unit_id, period_id=issued.period_id,
                         direction="returned", kind=issued.kind,
                         revision=packet.manifest.revision, file_name=preview.path.name,
                         file_hash=packet.file_hash, created_at=now, outcome="rejected",
                         message=_summary(preview), rows={}))
        receipt = s.scalar(select(Receipt).where(Receipt.unit_id == issued.unit_id,
                                                 Receipt.period_id == issued.period_id))
        if receipt is None:
            s.add(Receipt(unit_id=issued.unit_id, period_id=issued.period_id,
                          received_at=now, state="rejected", revision=packet.manifest.revision,
                          packet_id=packet_id))
        elif receipt.state in ("issued", "rejected"):
            receipt.state = "rejected"
            receipt.received_at = now
            receipt.packet_id = packet_id
        return packet_id


def _summary(p: PacketPreview) -> str:
    """The ledger's one-line message: the reason, then the first problems."""
    lines = [f"{q.where} {q.message}".strip() for q in p.errors[:20]]
    if p.reason and not p.errors:
        lines.append(p.reason)
    if len(p.errors) > 20:
        lines.append(f"……共 {len(p.errors)} 处错误")
    return "\n".join(lines)
