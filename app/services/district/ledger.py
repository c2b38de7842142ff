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

from app.core.errors import UserFacingError
from app.core.vocab import PROGRESS_FIELDS, ROLES
from app.models import (
    Approval,
    AuditLog,
    CloseOut,
    Packet,
    Period,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.district.progress import reporting_units, resolve_plan_period
from app.services.packets.values import to_packet
from app.services.plans.query import (
    PeriodInfo,
    PlanInfo,
    SectionInfo,
    load_plan,
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


@dataclass(frozen=True)
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

    def cell(self, task_id: int, unit_id: int) -> LedgerCell | None:
        return self.cells.get((task_id, unit_id))


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
    """The 台账 of one plan and period: tasks × reporting units, every assigned cell."""
    with Session(db) as s:
        per_row = resolve_plan_period(s, period, plan_id)
        plan = load_plan(s, per_row.plan_id)
        index = next(i for i, p in enumerate(plan.periods) if p.id == per_row.id)
        per = plan.periods[index]
        prev = plan.periods[index - 1] if index > 0 else None
        units = [(u.id, u.name, u.kind) for u in reporting_units(s, plan.plan.id)]
        id_of = {name: uid for uid, name, _ in units}
        pe = ProgressEntry.__table__.c
        conn = s.connection()
        now = {(r[0], r[1]): (r[2], r[3], r[4]) for r in conn.execute(
            select(pe.unit_id, pe.task_id, pe.status, pe.percent, pe.id)
            .where(pe.period_id == per.id))}
        before: dict[tuple[int, int], tuple[str | None, float | None]] = {}
        if prev is not None:
            before = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
                select(pe.unit_id, pe.task_id, pe.status, pe.percent)
                .where(pe.period_id == prev.id))}
        edited_ids = set(s.scalars(
            select(AuditLog.entity_id).join(ProgressEntry, ProgressEntry.id == AuditLog.entity_id)
            .where(AuditLog.kind == DISTRICT_EDIT, AuditLog.entity == "progress",
                   ProgressEntry.period_id == per.id).distinct()))
        approvals = approvals_of(s, per.id)
        closed = {k: c.closed_on for k, c in closed_pairs(s, plan.plan.id).items()}
        received = set(s.scalars(select(Receipt.unit_id).where(
            Receipt.period_id == per.id, Receipt.state == "accepted")))

    cells: dict[tuple[int, int], LedgerCell] = {}
    task_rows: list[LedgerTask] = []
    unit_assigned = dict.fromkeys(id_of.values(), 0)
    unit_reported = dict.fromkeys(id_of.values(), 0)
    for t in plan.tasks:
        assigned = reported = 0
        for role in ROLES:
            for name in getattr(t, role):
                uid = id_of.get(name)
                if uid is None or (t.id, uid) in cells:
                    continue
                key = (uid, t.id)
                status, percent, entry_id = now.get(key, (None, None, None))
                prev_status, prev_percent = before.get(key, (None, None))
                closed_on = closed.get((t.id, uid))
                cells[(t.id, uid)] = LedgerCell(
                    t.id, uid, role, status, percent, prev_status, prev_percent,
                    change_direction(status, percent, prev_status, prev_percent,
                                     key in before),
                    None if closed_on is not None else
                    behind_reason(status, t.deadline, per.end) if status is not None
                    else None,
                    uid in approvals, closed_on, entry_id in edited_ids)
                assigned += 1
                unit_assigned[uid] += 1
                if status is not None:
                    reported += 1
                    unit_reported[uid] += 1
        task_rows.append(LedgerTask(t.id, t.code, t.title, t.section_id, t.section, t.deadline,
                                    assigned, reported))
    unit_rows = [LedgerUnit(uid, name, kind, unit_assigned[uid], unit_reported[uid],
                            uid in received,
                            approvals[uid].approved_at if uid in approvals else None)
                 for uid, name, kind in units]
    return LedgerGrid(plan.plan.id, plan.plan.title, per, prev, unit_rows, task_rows,
                      plan.sections, cells)


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
    received_at: dt.datetime | None
    sources: dict[str, FieldSource]  # field → latest source
    history: list[HistoryPoint]
    changes: list[ChangeRecord]
    approved_at: dt.datetime | None
    closed_on: dt.date | None
    closed_note: str
    behind: str | None

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


def _values(e: ProgressEntry) -> dict[str, Any]:
    return {f: to_packet(f, getattr(e, f)) for f in PROGRESS_FIELDS}


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
        plan = load_plan(s, per.plan_id)
        return _detail(s, per, plan, find_unit(s, unit), find_task(s, per.plan_id, task_code))


def _detail(s: Session, per: Period, plan: PlanInfo, u: Unit, task: Task) -> CellDetail:
    info = next(t for t in plan.tasks if t.id == task.id)
    role = info.role_of(u.name)
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
    for p in plan.periods:
        e = entries.get(p.id)
        if p.start > per.start:
            break
        if e is None:
            continue
        if p.id != per.id:
            previous = _values(e)
        src = files.get(e.packet_id or "")
        history.append(HistoryPoint(p.key, p.label, e.status, e.percent,
                                    e.id in edited_entries, src.file_name if src else ""))
    entry = entries.get(per.id)
    sources: dict[str, FieldSource] = {}
    changes: list[ChangeRecord] = []
    if entry is not None:
        rows = list(s.scalars(select(AuditLog).where(
            AuditLog.entity == "progress", AuditLog.entity_id == entry.id)
            .order_by(AuditLog.id)))
        ledger = {p.id: p for p in s.scalars(select(Packet).where(
            Packet.id.in_({a.packet_id for a in rows if a.packet_id})))}
        for a in rows:
            name = a.field.removesuffix(":kept")
            changes.append(ChangeRecord(a.at, a.actor, a.field, a.old, a.new, a.kind,
                                        a.note or "", a.packet_id))
            if a.field.endswith(":kept"):
                continue
            pk = ledger.get(a.packet_id or "")
            kind = DISTRICT_EDIT if a.kind == DISTRICT_EDIT else (
                "return" if pk is not None else "conflict")
            sources[name] = FieldSource(name, kind, a.at, a.actor, a.packet_id,
                                        pk.file_name if pk else "",
                                        pk.revision if pk else None, a.sheet, a.cell,
                                        a.note or "")
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
    values = _values(entry) if entry is not None else None
    status = values["status"] if values else None
    return CellDetail(
        per.plan_id, per.key, u.name, u.kind, task.code, short_title(task.text), task.text,
        info.section, task.deadline, task.target, role, values, previous,
        entry.packet_id if entry is not None else None, src.file_name if src else "",
        src.revision if src else None,
        src.created_at if src is not None else receipt_at, sources, history, changes,
        approval.approved_at if approval else None,
        close.closed_on if close else None, close.note if close else "",
        None if close is not None or status is None
        else behind_reason(status, task.deadline, period_end))


def unit_period(db: Engine, period: str, unit: str, plan_id: int | None = None
                ) -> list[CellDetail]:
    """One unit's whole period, item by item in plan order (the clerk's view of it)."""
    with Session(db) as s:
        per = resolve_plan_period(s, period, plan_id)
        u = find_unit(s, unit)
        plan = load_plan(s, per.plan_id)
        tasks = {t.id: t for t in s.scalars(select(Task).where(Task.plan_id == per.plan_id))}
        return [_detail(s, per, plan, u, tasks[t.id]) for t in plan.tasks
                if t.role_of(u.name) is not None]
