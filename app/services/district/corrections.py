"""退回修改: the district flags reported fields with a comment and sends a correction packet.

The correction packet (written by ``issue.issue_correction``) carries the period's
current values with only the flagged cells unlocked and highlighted and the comments
beside them. Each flag remembers the packet it went out in; merging that packet's return
takes only the flagged cells (the flags, not the workbook, say which cells those are)
and closes the flags.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.models import (
    Assignment,
    AuditLog,
    Flag,
    Indicator,
    IndicatorValue,
    Period,
    Plan,
    PlanUnit,
    ProgressEntry,
    Task,
    Unit,
)
from app.services.district.issue import IssuedPacket, issue_correction
from app.services.district.ledger import DISTRICT_EDIT, find_task, find_unit
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INDICATOR_PREFIX,
    TASK_INPUT_FIELDS,
    TASK_PREFIX,
)
from app.services.packets.values import (
    display,
    label,
    normalise_value,
    same,
    to_column,
    to_packet,
    to_text,
)
from app.services.plans.query import resolve_plan_period, short_title


@dataclass(frozen=True)
class ReportedField:
    """One stored field of a unit's report, as the flagging dialog lists it."""

    key: str  # row key T:<uid> / I:<uid>
    code: str
    title: str
    field: str
    value: str | None
    flag_id: int | None  # an open flag on it
    comment: str = ""  # its 退回意见

    @property
    def field_label(self) -> str:
        return label(self.field)

    @property
    def shown(self) -> str:
        return display(self.field, self.value)


@dataclass(frozen=True)
class FlagInfo:
    id: int
    unit: str
    period: str
    key: str
    code: str
    title: str
    field: str
    comment: str
    status: str  # open / closed
    packet_uid: str | None  # the correction packet it was sent in
    created_at: dt.datetime
    closed_at: dt.datetime | None

    @property
    def field_label(self) -> str:
        return label(self.field)


def _period(s: Session, plan_id: int, period: str | int) -> Period:
    query = select(Period).where(Period.plan_id == plan_id)
    query = query.where(Period.id == period) if isinstance(period, int) else query.where(
        Period.key == period)
    row = s.scalar(query)
    if row is None:
        raise UserFacingError(f"方案 {plan_id} 没有填报周期 {period}。")
    return row


def _unit(s: Session, name: str) -> Unit:
    unit = s.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        raise UserFacingError(f"没有名为“{name}”的单位。")
    return unit


def _target(s: Session, plan_id: int, key: str) -> tuple[int | None, int | None, str, str]:
    """(task id, indicator id, code, title) of a row key in the plan."""
    if key.startswith(TASK_PREFIX):
        t = s.scalar(select(Task).where(Task.plan_id == plan_id, Task.uid == key[2:]))
        if t is not None:
            return t.id, None, t.code, short_title(t.text)
    elif key.startswith(INDICATOR_PREFIX):
        i = s.scalar(select(Indicator).where(Indicator.plan_id == plan_id,
                                             Indicator.uid == key[2:]))
        if i is not None:
            return None, i.id, i.code, i.name
    raise UserFacingError(f"方案中没有这一行({key})。")


def reported_fields(db: Engine, plan_id: int, period: str | int, unit: str
                    ) -> list[ReportedField]:
    """Every input field the unit has stored for the period (rows with an entry)."""
    with Session(db) as s:
        per = _period(s, plan_id, period)
        u = _unit(s, unit)
        flags = {(f.task_id, f.indicator_id, f.field): (f.id, f.comment) for f in s.scalars(
            select(Flag).where(Flag.unit_id == u.id, Flag.period_id == per.id,
                               Flag.status == "open"))}
        out: list[ReportedField] = []
        for task, e in s.execute(
                select(Task, ProgressEntry).join(ProgressEntry, ProgressEntry.task_id == Task.id)
                .where(ProgressEntry.unit_id == u.id, ProgressEntry.period_id == per.id)
                .order_by(Task.position, Task.id)):
            for f in TASK_INPUT_FIELDS:
                flag_id, comment = flags.get((task.id, None, f), (None, ""))
                out.append(ReportedField(TASK_PREFIX + task.uid, task.code,
                                         short_title(task.text), f,
                                         to_text(to_packet(f, getattr(e, f))), flag_id,
                                         comment))
        for ind, v in s.execute(
                select(Indicator, IndicatorValue)
                .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
                .where(IndicatorValue.unit_id == u.id, IndicatorValue.period_id == per.id)
                .order_by(Indicator.position, Indicator.id)):
            for f in INDICATOR_INPUT_FIELDS:
                flag_id, comment = flags.get((None, ind.id, f), (None, ""))
                out.append(ReportedField(INDICATOR_PREFIX + ind.uid, ind.code, ind.name, f,
                                         to_text(getattr(v, f)), flag_id, comment))
        return out


def flag_field(db: Engine, plan_id: int, period: str | int, unit: str, key: str, field: str,
               comment: str) -> FlagInfo:
    """Mark one field for correction (an open flag on the same field gets the new comment)."""
    comment = comment.strip()
    if not comment:
        raise UserFacingError("请写明需要修改的内容(退回意见)。")
    allowed = TASK_INPUT_FIELDS if key.startswith(TASK_PREFIX) else INDICATOR_INPUT_FIELDS
    if field not in allowed:
        raise UserFacingError(f"“{label(field)}”不是可退回修改的填报项。")
    with Session(db) as s, s.begin():
        per = _period(s, plan_id, period)
        u = _unit(s, unit)
        task_id, ind_id, _code, _title = _target(s, plan_id, key)
        flag = s.scalar(select(Flag).where(
            Flag.unit_id == u.id, Flag.period_id == per.id, Flag.task_id == task_id,
            Flag.indicator_id == ind_id, Flag.field == field, Flag.status == "open"))
        if flag is None:
            flag = Flag(unit_id=u.id, period_id=per.id, task_id=task_id, indicator_id=ind_id,
                        field=field, comment=comment)
            s.add(flag)
        else:
            flag.comment = comment
        s.flush()
        return _info(s, flag)


def remove_flag(db: Engine, flag_id: int) -> None:
    """Withdraw an open flag (e.g. flagged by mistake)."""
    with Session(db) as s, s.begin():
        flag = s.get(Flag, flag_id)
        if flag is None or flag.status != "open":
            raise UserFacingError("该退回标记不存在或已关闭。")
        s.delete(flag)


def list_flags(db: Engine, plan_id: int, period: str | int | None = None,
               unit: str | None = None, status: str | None = "open") -> list[FlagInfo]:
    with Session(db) as s:
        query = select(Flag).join(Period, Period.id == Flag.period_id).where(
            Period.plan_id == plan_id).order_by(Flag.id)
        if period is not None:
            query = query.where(Flag.period_id == _period(s, plan_id, period).id)
        if unit is not None:
            query = query.where(Flag.unit_id == _unit(s, unit).id)
        if status is not None:
            query = query.where(Flag.status == status)
        return [_info(s, f) for f in s.scalars(query)]


def _info(s: Session, f: Flag) -> FlagInfo:
    unit = s.get(Unit, f.unit_id)
    per = s.get(Period, f.period_id)
    if f.task_id is not None:
        t = s.get(Task, f.task_id)
        key, code, title = (TASK_PREFIX + t.uid, t.code, short_title(t.text)) if t else ("", "", "")
    else:
        i = s.get(Indicator, f.indicator_id)
        key, code, title = (INDICATOR_PREFIX + i.uid, i.code, i.name) if i else ("", "", "")
    return FlagInfo(f.id, unit.name if unit else "", per.key if per else "", key, code, title,
                    f.field, f.comment, f.status, f.packet_id, f.created_at, f.closed_at)


# what writing a correction packet changes: the ledger, the receipt, the flags' packet
ISSUING_CORRECTION = Changes(packets=True, receipts=True, flags=True,
                             note="correction issued")


def issue_correction_packet(db: Engine, plan_id: int, period: str, unit: str,
                            out_path: str | Path) -> IssuedPacket:
    """Write the correction packet for the unit's open flags and link the flags to it."""
    flags = list_flags(db, plan_id, period, unit)
    if not flags:
        raise UserFacingError(f"{unit}在本期没有待退回修改的字段,请先标记需要修改的内容。")
    editable: dict[str, set[str]] = defaultdict(set)
    comments: dict[str, dict[str, str]] = defaultdict(dict)
    for f in flags:
        editable[f.key].add(f.field)
        comments[f.key][f.field] = f.comment
    issued = issue_correction(db, plan_id, period, unit, out_path, dict(editable),
                              dict(comments))
    with Session(db) as s, s.begin():
        for f in flags:
            row = s.get(Flag, f.id)
            if row is not None:
                row.packet_id = issued.packet_uid
    return issued


def flagged_cells(session: Session, packet_uid: str) -> dict[str, set[str]]:
    """Row key → fields unlocked by the flags sent in correction packet `packet_uid`."""
    out: dict[str, set[str]] = defaultdict(set)
    for f, task_uid, ind_uid in session.execute(
            select(Flag, Task.uid, Indicator.uid)
            .outerjoin(Task, Task.id == Flag.task_id)
            .outerjoin(Indicator, Indicator.id == Flag.indicator_id)
            .where(Flag.packet_id == packet_uid)):
        key = TASK_PREFIX + task_uid if task_uid else INDICATOR_PREFIX + (ind_uid or "")
        out[key].add(f.field)
    return dict(out)


# ---------------------------------------------------------------- 更正: the district edits

@dataclass(frozen=True)
class EditResult:
    unit: str
    period: str
    code: str
    changed: dict[str, tuple[str | None, str | None]]  # field → (old, new) as audit text


def district_actor(s: Session, plan_id: int) -> str:
    """Who the district is in the audit log: its office unit of the plan (区创建办)."""
    name = s.scalar(select(Unit.name).join(PlanUnit, PlanUnit.unit_id == Unit.id)
                    .where(PlanUnit.plan_id == plan_id, Unit.kind == "district_office")
                    .order_by(PlanUnit.position).limit(1))
    if name:
        return name
    plan = s.get(Plan, plan_id)
    return (plan.office if plan is not None and plan.office else "") or "区创建办"


def edit_entry(db: Engine, plan_id: int | None, period: str, unit: str, task_code: str,
               values: dict[str, Any], reason: str) -> EditResult:
    """Correct reported fields of one unit/task/period in one audited transaction.

    The audit rows say actor = the district office, kind "district_edit" and the 说明. The
    entry keeps its packet: a later return compares against what was issued/returned, so
    the district's value is *ours* in the three-way merge and a differing return becomes a
    conflict instead of overwriting it. Invalid input raises before anything is written.
    """

    reason = reason.strip()
    if not reason:
        raise UserFacingError("请填写更正说明。")
    if not values:
        raise UserFacingError("没有要更正的内容。")
    clean: dict[str, Any] = {}
    for f, raw in values.items():
        if f not in TASK_INPUT_FIELDS:
            raise UserFacingError(f"“{f}”不是可更正的填报项(可用:{'、'.join(TASK_INPUT_FIELDS)})。")
        value, problem = normalise_value(f, raw)
        if problem is not None:
            raise UserFacingError(problem)
        clean[f] = value
    with Session(db) as s, s.begin():
        per = resolve_plan_period(s, period, plan_id)
        u = find_unit(s, unit)
        task = find_task(s, per.plan_id, task_code)
        if s.scalar(select(Assignment.role).where(Assignment.task_id == task.id,
                                                  Assignment.unit_id == u.id).limit(1)) is None:
            raise UserFacingError(f"任务 {task.code} 没有分配给{u.name}。")
        entry = s.scalar(select(ProgressEntry).where(
            ProgressEntry.unit_id == u.id, ProgressEntry.task_id == task.id,
            ProgressEntry.period_id == per.id))
        if entry is None:
            entry = ProgressEntry(unit_id=u.id, task_id=task.id, period_id=per.id, progress="",
                                  problems="", next_steps="", responsible="", phone="")
            s.add(entry)
            s.flush()
        changed: dict[str, tuple[str | None, str | None]] = {}
        for f, value in clean.items():
            old = to_packet(f, getattr(entry, f))
            if same(f, old, value):
                continue
            setattr(entry, f, to_column(f, value))
            changed[f] = (to_text(old), to_text(value))
        if not changed:
            raise UserFacingError("更正后的内容与现有内容相同,没有改动。")
        now = clock.now()
        actor = district_actor(s, per.plan_id)
        for f, (old_text, new_text) in changed.items():
            s.add(AuditLog(at=now, actor=actor, actor_unit=actor, entity="progress",
                           entity_id=entry.id, field=f, old=old_text, new=new_text,
                           kind=DISTRICT_EDIT, note=reason))
        return EditResult(u.name, per.key, task.code, changed)
