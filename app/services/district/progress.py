"""What the database holds for a period: the `progress --json` view, read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.models import (
    Approval,
    Assignment,
    CloseOut,
    Indicator,
    IndicatorLead,
    IndicatorValue,
    Packet,
    Period,
    PlanUnit,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.plans.query import resolve_plan_period


@dataclass(frozen=True)
class TaskProgress:
    code: str
    status: str | None
    percent: float | None
    progress: str
    problems: str
    next_steps: str
    responsible: str = ""
    phone: str = ""
    completed_on: dt.date | None = None
    closed: bool = False  # 销号 for this unit


@dataclass
class UnitProgress:
    name: str
    kind: str
    returned: bool
    late: bool
    received_at: dt.datetime | None  # local time
    tasks: list[TaskProgress] = field(default_factory=list)
    indicators: list[tuple[str, str, str]] = field(default_factory=list)  # code, value, note
    approved: bool = False  # 审核通过 for the period


@dataclass
class PeriodProgress:
    plan_id: int
    period: str
    due: dt.date
    units: list[UnitProgress]




def reporting_units(session: Session, plan_id: int) -> list[Unit]:
    """Units expected to report in a plan: any task assignment or indicator lead, in plan order."""
    # DISTINCT in SQL: a plan of 300 tasks × 100 units has 30,000 assignments
    with_tasks = select(Assignment.unit_id).join(Task).where(Task.plan_id == plan_id).distinct()
    with_inds = (select(IndicatorLead.unit_id).join(Indicator)
                 .where(Indicator.plan_id == plan_id).distinct())
    ids = set(session.scalars(with_tasks)) | set(session.scalars(with_inds))
    ordered = session.scalars(select(Unit).join(PlanUnit, PlanUnit.unit_id == Unit.id)
                              .where(PlanUnit.plan_id == plan_id)
                              .order_by(PlanUnit.position))
    return [u for u in ordered if u.id in ids and u.kind != "district_office"]


def latest_active_period(engine: Engine, plan_id: int) -> str | None:
    """Key of the latest period with any issued packet, return or progress entry."""
    with Session(engine) as s:
        ids = set(s.scalars(select(ProgressEntry.period_id).distinct()))
        ids |= set(s.scalars(select(Receipt.period_id).distinct()))
        ids |= set(s.scalars(select(Packet.period_id).where(Packet.plan_id == plan_id)
                             .distinct()))
        if not ids:
            return None
        return s.scalar(select(Period.key).where(Period.plan_id == plan_id, Period.id.in_(ids))
                        .order_by(Period.start.desc()).limit(1))


def period_progress(engine: Engine, period_key: str, plan_id: int | None = None
                    ) -> PeriodProgress:
    with Session(engine) as s:
        period = resolve_plan_period(s, period_key, plan_id)
        units = reporting_units(s, period.plan_id)
        receipts = {r.unit_id: r for r in s.scalars(
            select(Receipt).where(Receipt.period_id == period.id))}
        closed = {(u, t) for u, t in s.execute(
            select(CloseOut.unit_id, CloseOut.task_id).join(Task, Task.id == CloseOut.task_id)
            .where(Task.plan_id == period.plan_id))}
        approved = set(s.scalars(select(Approval.unit_id).where(
            Approval.period_id == period.id)))
        entries: dict[int, list[TaskProgress]] = {}
        for unit_id, code, e in s.execute(
                select(ProgressEntry.unit_id, Task.code, ProgressEntry)
                .join(Task, Task.id == ProgressEntry.task_id)
                .where(ProgressEntry.period_id == period.id)
                .order_by(Task.position, Task.id)):
            entries.setdefault(unit_id, []).append(TaskProgress(
                code, e.status, e.percent, e.progress, e.problems, e.next_steps, e.responsible,
                e.phone, e.completed_on, (unit_id, e.task_id) in closed))
        values: dict[int, list[tuple[str, str, str]]] = {}
        for unit_id, code, value, note in s.execute(
                select(IndicatorValue.unit_id, Indicator.code, IndicatorValue.value,
                       IndicatorValue.note)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .where(IndicatorValue.period_id == period.id)
                .order_by(Indicator.position, Indicator.id)):
            values.setdefault(unit_id, []).append((code, value, note))
        out = []
        for u in units:
            r = receipts.get(u.id)
            returned = r is not None and r.state == "accepted"
            at = r.received_at if r else None
            late = bool(returned and at and clock.days_late(at, period.due))
            out.append(UnitProgress(u.name, u.kind, returned, late,
                                    clock.to_local(at) if at else None, entries.get(u.id, []),
                                    values.get(u.id, []), u.id in approved))
        return PeriodProgress(period.plan_id, period.key, period.due, out)


def progress_json(data: PeriodProgress) -> dict[str, Any]:
    """The `progress --json` shape of the brief."""
    return {
        "plan": data.plan_id,
        "period": data.period,
        "units": [{
            "name": u.name,
            "returned": u.returned,
            "late": u.late,
            "approved": u.approved,
            "tasks": [{"code": t.code, "status": t.status, "percent": t.percent,
                       "progress": t.progress, "problems": t.problems,
                       "next_steps": t.next_steps, "closed": t.closed} for t in u.tasks],
            "indicators": [{"code": code, "value": value} for code, value, _ in u.indicators],
        } for u in data.units],
    }


def default_period_key(engine: Engine, plan_id: int, today: dt.date) -> str | None:
    """The period to open a plan on: the one whose deadline is next (being reported now);
    for a finished plan the latest with any activity, else its last period."""
    with Session(engine) as s:
        periods = list(s.execute(select(Period.key, Period.due).where(Period.plan_id == plan_id)
                                 .order_by(Period.start)))
    upcoming = [(due, key) for key, due in periods if due is not None and due >= today]
    if upcoming:
        return min(upcoming)[1]
    return latest_active_period(engine, plan_id) or (periods[-1][0] if periods else None)
