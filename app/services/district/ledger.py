"""台账: what every unit reported on every task item for one period, and the report
behind one cell (its full entry, where it came from, its history across periods).

``ledger_grid`` is one read (a handful of set-based queries, no per-row loads) returning
plain dataclasses; the 台账 page's table model and `ledger --json` both read it. Cell
rules live here once: *reported* = the entry has a status; *changed* = status or percent
differ from the unit's previous period (``up``/``down`` by percent, ``status`` when only
the status moved, ``new`` for a first report); *backwards* = percent lower than the
previous period's; *behind* = ``summary.behind_reason`` unless the item is closed (销号).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.core.vocab import PROGRESS_FIELDS, ROLES
from app.models import (
    Approval,
    Assignment,
    AuditLog,
    CloseOut,
    Packet,
    Period,
    Plan,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.district.audit import entry_history
from app.services.district.progress import reporting_units
from app.services.packets.values import entry_values
from app.services.plans.query import (
    PeriodInfo,
    SectionInfo,
    load_periods,
    load_plan,
    load_sections,
    resolve_plan_period,
    section_paths,
    short_title,
)
from app.services.reports.summary import behind_reason

DISTRICT_EDIT = "district_edit"  # AuditLog.kind of a 更正 by the district


@dataclass(frozen=True)
class LedgerUnit:
    id: int
    name: str
    kind: str
    assigned: int  # task items assigned (any role)
    reported: int  # of which reported this period (a status)
    received: bool  # its return for the period is accepted
    approved_at: dt.datetime | None  # 审核通过 (None: not approved)

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


@dataclass(frozen=True)
class LedgerTask:
    id: int
    code: str
    title: str
    section_id: int | None
    section: str  # path, "巩固生态安全屏障 › 环境空气质量改善"
    deadline: str | None
    assigned: int
    reported: int


@dataclass(slots=True)
class LedgerCell:
    """One unit's state for one assigned task item in the period."""

    task_id: int
    unit_id: int
    role: str  # lead / cooperating / implementing
    status: str | None  # None: not reported
    percent: float | None
    previous_status: str | None
    previous_percent: float | None
    changed: str | None  # up / down / status / new / None
    behind: str | None  # behind / overdue / None (never for a closed item)
    approved: bool
    closed_on: dt.date | None  # 销号 date
    edited: bool  # the district corrected a field of this entry (更正)

    @property
    def reported(self) -> bool:
        return self.status is not None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    @property
    def backwards(self) -> bool:
        return self.changed == "down"


@dataclass
class LedgerGrid:
    plan_id: int
    plan_title: str
    period: PeriodInfo
    previous: PeriodInfo | None
    units: list[LedgerUnit]
    tasks: list[LedgerTask]
    sections: list[SectionInfo]
    cells: dict[tuple[int, int], LedgerCell] = field(default_factory=dict)  # (task, unit)
    behind: int = 0  # cells behind or overdue

    def cell(self, task_id: int, unit_id: int) -> LedgerCell | None:
        return self.cells.get((task_id, unit_id))


def has_returns(db: Engine, plan_id: int) -> bool:
    """Whether any unit's return for the plan has been merged (the window then opens on
    the 台账)."""
    with Session(db) as s:
        return s.scalar(select(Receipt.id).join(Period, Period.id == Receipt.period_id).where(
            Period.plan_id == plan_id, Receipt.state == "accepted").limit(1)) is not None


def change_direction(status: str | None, percent: float | None, prev_status: str | None,
                     prev_percent: float | None, had_previous: bool) -> str | None:
    """How an entry moved since the unit's previous period (None: unchanged/unreported)."""
    if status is None:
        return None
    if not had_previous or prev_status is None:
        return "new"
    if percent is not None and prev_percent is not None and percent != prev_percent:
        return "up" if percent > prev_percent else "down"
    if status != prev_status:
        return "status"
    return None


def closed_pairs(session: Session, plan_id: int) -> dict[tuple[int, int], CloseOut]:
    """(task id, unit id) → its close-out, for every closed item of the plan."""
    return {(c.task_id, c.unit_id): c for c in session.scalars(
        select(CloseOut).join(Task, Task.id == CloseOut.task_id).where(Task.plan_id == plan_id))}


def approvals_of(session: Session, period_id: int) -> dict[int, Approval]:
    """unit id → its approval for the period."""
    return {a.unit_id: a for a in session.scalars(
        select(Approval).where(Approval.period_id == period_id))}


def ledger_grid(db: Engine, period: str, plan_id: int | None = None) -> LedgerGrid:
    """The 台账 of one plan and period: tasks × reporting units, every assigned cell.

    Set-based and lean (plain rows, no ORM objects for the 30,000 cells of 100 units ×
    300 tasks): see benchmarks/bench_ledger.py."""
    with Session(db) as s:
        per_row = resolve_plan_period(s, period, plan_id)
        pid = per_row.plan_id
        title = s.scalar(select(Plan.title).where(Plan.id == pid)) or ""
        periods = load_periods(s, pid)
        index = next(i for i, p in enumerate(periods) if p.id == per_row.id)
        per = periods[index]
        prev = periods[index - 1] if index > 0 else None
        sections = load_sections(s, pid)
        tasks = s.execute(select(Task.id, Task.code, Task.text, Task.section_id, Task.deadline)
                          .where(Task.plan_id == pid).order_by(Task.position, Task.id)).all()
        conn = s.connection()

        def rows(stmt: Any) -> list[Any]:
            # plain int/str/float columns: the DBAPI cursor's tuples as they are (SQLAlchemy's
            # row processing costs more than the read itself at 30,000 rows)
            return list(conn.execute(stmt).cursor.fetchall())

        assignments = rows(
            select(Assignment.task_id, Assignment.unit_id, Assignment.role)
            .join(Task, Task.id == Assignment.task_id).where(Task.plan_id == pid))
        units = [(u.id, u.name, u.kind) for u in reporting_units(s, pid)]
        pe = ProgressEntry.__table__.c
        now = {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows(
            select(pe.unit_id, pe.task_id, pe.status, pe.percent, pe.id)
            .where(pe.period_id == per.id))}
        before: dict[tuple[int, int], tuple[str | None, float | None]] = {}
        if prev is not None:
            before = {(r[0], r[1]): (r[2], r[3]) for r in rows(
                select(pe.unit_id, pe.task_id, pe.status, pe.percent)
                .where(pe.period_id == prev.id))}
        edited_ids = set(s.scalars(
            select(AuditLog.entity_id).join(ProgressEntry, ProgressEntry.id == AuditLog.entity_id)
            .where(AuditLog.kind == DISTRICT_EDIT, AuditLog.entity == "progress",
                   ProgressEntry.period_id == per.id).distinct()))
        approvals = approvals_of(s, per.id)
        closed = {k: c.closed_on for k, c in closed_pairs(s, pid).items()}
        received = set(s.scalars(select(Receipt.unit_id).where(
            Receipt.period_id == per.id, Receipt.state == "accepted")))

    unit_ids = {uid for uid, _, _ in units}
    rank = {r: i for i, r in enumerate(ROLES)}
    roles: dict[int, dict[int, str]] = {}  # task → unit → its first role (lead first)
    for task_id, unit_id, role in assignments:
        if unit_id in unit_ids:
            mine = roles.setdefault(task_id, {})
            if unit_id not in mine or rank[role] < rank[mine[unit_id]]:
                mine[unit_id] = role
    paths = {x.id: x.path for x in sections}
    cells: dict[tuple[int, int], LedgerCell] = {}
    task_rows: list[LedgerTask] = []
    unit_assigned = dict.fromkeys(unit_ids, 0)
    unit_reported = dict.fromkeys(unit_ids, 0)
    no_entry: tuple[None, None, None] = (None, None, None)
    no_before: tuple[None, None] = (None, None)
    n_behind = 0
    for task_id, code, text, section_id, deadline in tasks:
        end = clock.deadline_end(deadline)
        overdue = end is not None and end < per.end
        reported = 0
        assigned = roles.get(task_id, {})
        for uid, role in assigned.items():
            key = (uid, task_id)
            status, percent, entry_id = now.get(key, no_entry)
            prev_status, prev_percent = before.get(key, no_before)
            closed_on = closed.get((task_id, uid))
            # the rule of summary.behind_reason, inlined for speed
            behind = None if closed_on is not None or status is None else (
                "behind" if status == "behind" else
                "overdue" if overdue and status not in ("completed", "ongoing") else None)
            cells[(task_id, uid)] = LedgerCell(
                task_id, uid, role, status, percent, prev_status, prev_percent,
                change_direction(status, percent, prev_status, prev_percent, key in before),
                behind, uid in approvals, closed_on, entry_id in edited_ids)
            if status is not None:
                reported += 1
                unit_reported[uid] += 1
            if behind is not None:
                n_behind += 1
            unit_assigned[uid] += 1
        task_rows.append(LedgerTask(task_id, code, short_title(text), section_id,
                                    paths.get(section_id, "") if section_id is not None
                                    else "", deadline, len(assigned), reported))
    unit_rows = [LedgerUnit(uid, name, kind, unit_assigned[uid], unit_reported[uid],
                            uid in received,
                            approvals[uid].approved_at if uid in approvals else None)
                 for uid, name, kind in units]
    return LedgerGrid(pid, title, per, prev, unit_rows, task_rows, sections, cells, n_behind)


def ledger_json(grid: LedgerGrid) -> dict[str, Any]:
    """The `ledger --json` shape of issue 10 (cells only for assigned units)."""
    names = {u.id: u.name for u in grid.units}
    order = {u.id: i for i, u in enumerate(grid.units)}
    out = []
    for t in grid.tasks:
        cells = sorted((c for (tid, _), c in grid.cells.items() if tid == t.id),
                       key=lambda c: order[c.unit_id])
        out.append({"code": t.code, "cells": [
            {"unit": names[c.unit_id], "role": c.role, "status": c.status,
             "percent": c.percent, "changed": c.changed, "approved": c.approved,
             "closed": c.closed} for c in cells]})
    return {"plan": grid.plan_id, "period": grid.period.key,
            "units": [u.name for u in grid.units], "tasks": out}


# ---------------------------------------------------------------- the report behind a cell

@dataclass(frozen=True)
class FieldSource:
    """Where one field's current value came from: a return (packet, file, revision, sheet,
    cell, received) or a district correction (who, when, 说明)."""

    field: str
    kind: str  # return / district_edit / conflict
    at: dt.datetime
    actor: str
    packet_id: str | None
    file_name: str
    revision: int | None
    sheet: str | None
    cell: str | None
    note: str


@dataclass(frozen=True)
class HistoryPoint:
    period: str
    label: str
    status: str | None
    percent: float | None
    edited: bool
    source: str  # file name of the return, or "" (district edit / no packet)


@dataclass(frozen=True)
class ChangeRecord:
    """One audited change of this entry (newest first)."""

    at: dt.datetime
    actor: str
    field: str
    old: str | None
    new: str | None
    kind: str
    note: str
    packet_id: str | None


@dataclass(frozen=True)
class CellDetail:
    plan_id: int
    period: str
    unit: str
    unit_kind: str
    task_code: str
    task_title: str
    task_text: str
    section: str
    deadline: str | None
    target: str | None
    role: str
    values: dict[str, Any] | None  # packet-form values of PROGRESS_FIELDS; None: not reported
    previous: dict[str, Any] | None  # the previous period's, if any
    packet_id: str | None
    file_name: str
    revision: int | None
    received_at: dt.datetime | None  # local time
    sources: dict[str, FieldSource]  # field → latest source
    history: list[HistoryPoint]
    changes: list[ChangeRecord]
    approved_at: dt.datetime | None  # local time
    closed_on: dt.date | None
    closed_note: str
    behind: str | None
    mail: str = ""  # the mail the return came in: From · Subject · Date ("" for a file)

    @property
    def backwards(self) -> bool:
        now = (self.values or {}).get("percent")
        before = (self.previous or {}).get("percent")
        return now is not None and before is not None and now < before

    def where(self) -> str:
        """The sheet and cells of the return (e.g. 任务进展!E5)."""
        for f in ("status", "percent", *PROGRESS_FIELDS):
            src = self.sources.get(f)
            if src is not None and src.kind == "return" and src.sheet:
                return f"{src.sheet}!{src.cell}" if src.cell else src.sheet
        return ""


def find_task(session: Session, plan_id: int, code: str) -> Task:
    task = session.scalar(select(Task).where(Task.plan_id == plan_id, Task.code == code.strip()))
    if task is None:
        raise UserFacingError(f"方案中没有编号为“{code}”的任务。")
    return task


def find_unit(session: Session, name: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.name == name.strip()))
    if unit is None:
        raise UserFacingError(f"没有名为“{name}”的单位。")
    return unit


def cell_detail(db: Engine, period: str, unit: str, task_code: str,
                plan_id: int | None = None) -> CellDetail:
    """The report behind one cell: the full entry, its sources, history and changes."""
    with Session(db) as s:
        per = resolve_plan_period(s, period, plan_id)
        u, task = find_unit(s, unit), find_task(s, per.plan_id, task_code)
        # (the one task's roles and section, not the whole plan: the pane asks for this
        # on every click and every period switch)
        roles = set(s.scalars(select(Assignment.role).where(Assignment.task_id == task.id,
                                                            Assignment.unit_id == u.id)))
        section = section_paths(s, per.plan_id).get(task.section_id, "") \
            if task.section_id is not None else ""
        return _detail(s, per, load_periods(s, per.plan_id), u, task,
                       next((r for r in ROLES if r in roles), None), section)


def _detail(s: Session, per: Period, periods: list[PeriodInfo], u: Unit, task: Task,
            role: str | None, section: str) -> CellDetail:
    if role is None:
        raise UserFacingError(f"任务 {task.code} 没有分配给{u.name}。")
    entries = {pid: e for e, pid in s.execute(
        select(ProgressEntry, ProgressEntry.period_id).where(
            ProgressEntry.unit_id == u.id, ProgressEntry.task_id == task.id))}
    files = {p.id: p for p in s.scalars(select(Packet).where(
        Packet.id.in_([e.packet_id for e in entries.values() if e.packet_id])))}
    edited_entries = set(s.scalars(select(AuditLog.entity_id).where(
        AuditLog.entity == "progress", AuditLog.kind == DISTRICT_EDIT,
        AuditLog.entity_id.in_([e.id for e in entries.values()]))))
    history: list[HistoryPoint] = []
    previous: dict[str, Any] | None = None
    for p in periods:
        e = entries.get(p.id)
        if p.start > per.start:
            break
        if e is None:
            continue
        if p.id != per.id:
            previous = entry_values(e)
        src = files.get(e.packet_id or "")
        history.append(HistoryPoint(p.key, p.label, e.status, e.percent,
                                    e.id in edited_entries, src.file_name if src else ""))
    entry = entries.get(per.id)
    sources: dict[str, FieldSource] = {}
    changes: list[ChangeRecord] = []
    if entry is not None:
        rows = entry_history(s, "progress", entry.id, task.id, u.id, per.id)
        ledger = {p.id: p for p in s.scalars(select(Packet).where(
            Packet.id.in_({a.packet_id for a in rows if a.packet_id})))}
        for a in rows:
            name = a.field.removesuffix(":kept")
            changes.append(ChangeRecord(clock.to_local(a.at), a.actor, a.field, a.old, a.new, a.kind,
                                        a.note, a.packet_id))
            if a.field.endswith(":kept"):
                continue
            pk = ledger.get(a.packet_id or "")
            kind = DISTRICT_EDIT if a.kind == DISTRICT_EDIT else (
                "return" if pk is not None else "conflict")
            sources[name] = FieldSource(name, kind, clock.to_local(a.at), a.actor, a.packet_id,
                                        pk.file_name if pk else "",
                                        pk.revision if pk else None, a.sheet, a.cell,
                                        a.note)
        changes.reverse()
    src = files.get(entry.packet_id or "") if entry is not None else None
    receipt_at = s.scalar(select(Receipt.received_at).where(
        Receipt.unit_id == u.id, Receipt.period_id == per.id))
    approval = s.scalar(select(Approval).where(Approval.unit_id == u.id,
                                               Approval.period_id == per.id))
    close = s.scalar(select(CloseOut).where(CloseOut.task_id == task.id,
                                            CloseOut.unit_id == u.id))
    period_end = s.scalar(select(Period.end).where(Period.id == per.id))
    assert period_end is not None
    values = entry_values(entry) if entry is not None else None
    status = values["status"] if values else None
    return CellDetail(
        per.plan_id, per.key, u.name, u.kind, task.code, short_title(task.text), task.text,
        section, task.deadline, task.target, role, values, previous,
        entry.packet_id if entry is not None else None, src.file_name if src else "",
        src.revision if src else None,
        clock.to_local(src.created_at) if src is not None else
        clock.to_local(receipt_at) if receipt_at is not None else None,
        sources, history, changes,
        clock.to_local(approval.approved_at) if approval else None,
        close.closed_on if close else None, close.note if close else "",
        None if close is not None or status is None
        else behind_reason(status, task.deadline, period_end),
        " · ".join(x for x in (src.mail_from, src.mail_subject, src.mail_date) if x)
        if src is not None else "")


def unit_period(db: Engine, period: str, unit: str, plan_id: int | None = None
                ) -> list[CellDetail]:
    """One unit's whole period, item by item in plan order (the clerk's view of it)."""
    with Session(db) as s:
        per = resolve_plan_period(s, period, plan_id)
        u = find_unit(s, unit)
        plan = load_plan(s, per.plan_id)
        tasks = {t.id: t for t in s.scalars(select(Task).where(Task.plan_id == per.plan_id))}
        return [_detail(s, per, plan.periods, u, tasks[t.id], t.role_of(u.name), t.section)
                for t in plan.tasks if t.role_of(u.name) is not None]


# ---------------------------------------------------------------- 整改清单

RECTIFICATION_STATES = ("open", "done", "closed", "overdue")
RECTIFICATION_LABELS = {"open": "未完成", "done": "已完成待销号", "closed": "已销号",
                        "overdue": "逾期"}


@dataclass(frozen=True)
class RectificationItem:
    """One item of a rectification list (整改清单), item by item to its close-out."""

    task_id: int
    code: str
    title: str
    section: str
    responsible: tuple[str, ...]  # 责任单位: the lead units, then the others
    deadline: str | None
    target: str | None
    state: str  # RECTIFICATION_STATES
    units: int  # units assigned
    completed: int  # of which latest report 已完成 (or closed)
    closed: int  # of which closed out
    closed_on: dt.date | None  # the last close-out date once every unit is closed

    @property
    def state_label(self) -> str:
        return RECTIFICATION_LABELS[self.state]


def is_rectification_plan(title: str) -> bool:
    """A plan of rectification measures (the 无锡 shape: 整改方案, 一项一项销号)."""
    return "整改" in title


def rectification_list(db: Engine, plan_id: int, today: dt.date | None = None
                       ) -> list[RectificationItem]:
    """Every item with its state: 已销号 when every unit is closed, 已完成待销号 when every
    unit's latest report is 已完成, 逾期 when its deadline has passed, else 未完成."""
    today = today or clock.today()
    with Session(db) as s:
        plan = load_plan(s, plan_id)
        offices = {u.name for u in plan.units if u.kind == "district_office"}
        ids = {u.name: u.id for u in plan.units}
        closed = closed_pairs(s, plan_id)
        latest: dict[tuple[int, int], str | None] = {}
        for unit_id, task_id, status in s.execute(
                select(ProgressEntry.unit_id, ProgressEntry.task_id, ProgressEntry.status)
                .join(Period, Period.id == ProgressEntry.period_id)
                .where(Period.plan_id == plan_id, ProgressEntry.status.is_not(None))
                .order_by(Period.start)):
            latest[(unit_id, task_id)] = status
    out: list[RectificationItem] = []
    for t in plan.tasks:
        names = [n for n in dict.fromkeys(t.units()) if n not in offices and n in ids]
        unit_ids = [ids[n] for n in names]
        n_closed = sum((t.id, u) in closed for u in unit_ids)
        n_done = sum((t.id, u) in closed or latest.get((u, t.id)) == "completed"
                     for u in unit_ids)
        end = clock.deadline_end(t.deadline)
        if unit_ids and n_closed == len(unit_ids):
            state = "closed"
        elif unit_ids and n_done == len(unit_ids):
            state = "done"
        elif end is not None and end < today:
            state = "overdue"
        else:
            state = "open"
        closed_on = max((closed[(t.id, u)].closed_on for u in unit_ids if (t.id, u) in closed),
                        default=None) if state == "closed" else None
        out.append(RectificationItem(t.id, t.code, t.title, t.section, tuple(names),
                                     t.deadline, t.target, state, len(unit_ids), n_done,
                                     n_closed, closed_on))
    return out
