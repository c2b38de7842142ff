"""审核 and 销号: the district signs off a unit's period and closes finished task items.

审核通过 (approve) locks one unit's period: merging refuses a later return for it with a
message naming the approval date (see ``approval_block``) until 取消审核 (undo). 销号
(close-out) closes a task item for one unit, or for all its units, once reported 已完成:
it is not asked for in later packets, never counts as behind and is listed as 已销号.
Every decision is one audited transaction (actor = the district office).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.core.vocab import ROLES
from app.models import (
    Approval,
    Assignment,
    AuditLog,
    CloseOut,
    Period,
    Plan,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.district.corrections import district_actor
from app.services.district.ledger import find_task, find_unit
from app.services.plans.query import period_label, resolve_plan_period, short_title

APPROVAL = "approval"
CLOSE_OUT = "close_out"


@dataclass(frozen=True)
class ApprovalResult:
    unit: str
    period: str
    approved_at: dt.datetime | None  # None after 取消审核


# (made once: a merge asks for every packet)
_APPROVED_AT = select(Approval.approved_at).where(Approval.unit_id == bindparam("unit"),
                                                  Approval.period_id == bindparam("period"))


def approval_block(s: Session, unit_id: int, period_id: int, period_key: str,
                   unit_name: str) -> str | None:
    """Why a return for this unit/period may not be merged (it is approved), or None."""
    at = s.scalar(_APPROVED_AT, {"unit": unit_id, "period": period_id})
    if at is None:
        return None
    return (f"{unit_name}{period_label(period_key)}的报送已于{clock.to_local(at):%Y-%m-%d}审核通过,"
            "未导入;如需更新,请先在台账中取消审核。")


def _audit(s: Session, actor: str, entity: str, entity_id: int, field: str, old: str | None,
           new: str | None, note: str = "") -> None:
    s.add(AuditLog(at=clock.now(), actor=actor, actor_unit=actor, entity=entity,
                   entity_id=entity_id, field=field, old=old, new=new, kind=entity,
                   note=note or None))


def approve(db: Engine, period: str, unit: str, *, plan_id: int | None = None,
            undo: bool = False) -> ApprovalResult:
    """审核通过 (or 取消审核 with `undo`) one unit's report for a period."""
    with Session(db) as s, s.begin():
        per = resolve_plan_period(s, period, plan_id)
        u = find_unit(s, unit)
        return _approve(s, per, u, undo)


def _approve(s: Session, per: Period, u: Unit, undo: bool) -> ApprovalResult:
    row = s.scalar(select(Approval).where(Approval.unit_id == u.id,
                                          Approval.period_id == per.id))
    actor = district_actor(s, per.plan_id)
    when = period_label(per.key)
    if undo:
        if row is None:
            raise UserFacingError(f"{u.name}{when}的报送尚未审核,无需取消。")
        _audit(s, actor, APPROVAL, u.id, f"period:{per.key}", "已审核", "未审核")
        s.delete(row)
        return ApprovalResult(u.name, per.key, None)
    if row is not None:
        raise UserFacingError(f"{u.name}{when}的报送已于{clock.to_local(row.approved_at):%Y-%m-%d}"
                              "审核通过。")
    received = s.scalar(select(Receipt.state).where(Receipt.unit_id == u.id,
                                                    Receipt.period_id == per.id))
    if received != "accepted":
        raise UserFacingError(f"{u.name}{when}还没有已导入的报送,不能审核。")
    now = clock.now()
    s.add(Approval(unit_id=u.id, period_id=per.id, approved_at=now, actor=actor))
    _audit(s, actor, APPROVAL, u.id, f"period:{per.key}", "未审核", "已审核")
    return ApprovalResult(u.name, per.key, now)


def approve_received(db: Engine, period: str, plan_id: int | None = None
                     ) -> list[ApprovalResult]:
    """Batch 审核通过 for every unit whose return for the period is in and not yet approved."""
    with Session(db) as s, s.begin():
        per = resolve_plan_period(s, period, plan_id)
        done = set(s.scalars(select(Approval.unit_id).where(Approval.period_id == per.id)))
        units = list(s.scalars(select(Unit).join(Receipt, Receipt.unit_id == Unit.id).where(
            Receipt.period_id == per.id, Receipt.state == "accepted").order_by(Unit.id)))
        return [_approve(s, per, u, False) for u in units if u.id not in done]


def approval_counts(s: Session, period_id: int) -> int:
    return int(s.scalar(select(func.count()).select_from(Approval)
                        .where(Approval.period_id == period_id)) or 0)


# ---------------------------------------------------------------- 销号

@dataclass(frozen=True)
class CloseOutInfo:
    task_id: int
    code: str
    title: str
    unit: str
    closed_on: dt.date
    note: str


def _plan_id(s: Session, plan_id: int | None) -> int:
    if plan_id is not None:
        if s.get(Plan, plan_id) is None:
            raise UserFacingError(f"方案 {plan_id} 不存在。")
        return plan_id
    ids = list(s.scalars(select(Plan.id)))
    if len(ids) != 1:
        raise UserFacingError("数据库中有多个方案,请用 --plan 指定方案。" if ids else
                              "数据库中还没有方案。")
    return ids[0]


def latest_status(s: Session, task_id: int, unit_id: int) -> str | None:
    """The unit's most recent reported status for the task (any period)."""
    return s.scalar(select(ProgressEntry.status).join(Period, Period.id ==
                                                      ProgressEntry.period_id)
                    .where(ProgressEntry.task_id == task_id, ProgressEntry.unit_id == unit_id,
                           ProgressEntry.status.is_not(None))
                    .order_by(Period.start.desc()).limit(1))


def close_out(db: Engine, task_code: str, *, unit: str | None = None,
              on: dt.date | None = None, note: str = "", plan_id: int | None = None,
              undo: bool = False) -> list[CloseOutInfo]:
    """销号 a task item for one unit or (no `unit`) all its units; `undo` reopens.

    Closing needs each unit's latest report to be 已完成, a date and a note; closing all
    units refuses (naming them) while any is not finished. Returns what was closed or
    reopened.
    """
    note = note.strip()
    if not undo:
        if on is None:
            raise UserFacingError("请填写销号日期。")
        if not note:
            raise UserFacingError("请填写销号说明(如验收材料)。")
    with Session(db) as s, s.begin():
        pid = _plan_id(s, plan_id)
        task = find_task(s, pid, task_code)
        assigned = {uid: role for uid, role in s.execute(
            select(Assignment.unit_id, Assignment.role).where(Assignment.task_id == task.id))}
        units = {u.id: u for u in s.scalars(select(Unit).where(Unit.id.in_(assigned))
                                            .where(Unit.kind != "district_office"))}
        if unit is not None:
            u = find_unit(s, unit)
            if u.id not in units:
                raise UserFacingError(f"任务 {task.code} 没有分配给{u.name}。")
            chosen = [u]
        else:
            order = {r: i for i, r in enumerate(ROLES)}
            chosen = sorted(units.values(), key=lambda x: (order.get(assigned[x.id], 9), x.id))
        existing = {c.unit_id: c for c in s.scalars(select(CloseOut).where(
            CloseOut.task_id == task.id))}
        actor = district_actor(s, pid)
        title = short_title(task.text)
        out: list[CloseOutInfo] = []
        if undo:
            targets = [u for u in chosen if u.id in existing]
            if not targets:
                raise UserFacingError(f"任务 {task.code} "
                                      f"{'在' + chosen[0].name if unit else ''}尚未销号。")
            for u in targets:
                c = existing[u.id]
                out.append(CloseOutInfo(task.id, task.code, title, u.name, c.closed_on,
                                        c.note))
                _audit(s, actor, CLOSE_OUT, task.id, f"unit:{u.name}",
                       f"已销号 {c.closed_on.isoformat()}", "未销号", note)
                s.delete(c)
            return out
        assert on is not None
        targets = [u for u in chosen if u.id not in existing]
        if not targets:
            raise UserFacingError(f"任务 {task.code} 已经销号。")
        unfinished = [u.name for u in targets if latest_status(s, task.id, u.id) != "completed"]
        if unfinished:
            shown = "、".join(unfinished[:5]) + (f"等 {len(unfinished)} 个单位"
                                                 if len(unfinished) > 5 else "")
            raise UserFacingError(f"任务 {task.code} 还没有报“已完成”的单位:{shown},不能销号。")
        for u in targets:
            s.add(CloseOut(task_id=task.id, unit_id=u.id, closed_on=on, note=note,
                           actor=actor))
            _audit(s, actor, CLOSE_OUT, task.id, f"unit:{u.name}", "未销号",
                   f"已销号 {on.isoformat()}", note)
            out.append(CloseOutInfo(task.id, task.code, title, u.name, on, note))
        return out


def closed_items(s: Session, plan_id: int) -> list[CloseOutInfo]:
    """Every closed (task, unit) of the plan in task order, for the 通报 and the 汇总表."""
    return [CloseOutInfo(t.id, t.code, short_title(t.text), name, c.closed_on, c.note)
            for c, t, name in s.execute(
                select(CloseOut, Task, Unit.name).join(Task, Task.id == CloseOut.task_id)
                .join(Unit, Unit.id == CloseOut.unit_id).where(Task.plan_id == plan_id)
                .order_by(Task.position, Task.id, Unit.id))]
