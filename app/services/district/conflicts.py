"""The conflict queue: fields both the district and the office changed since issuing.

Merging never overwrites such a field; a person decides here. 保留本方 (keep) leaves the
district's value, 采用对方 (take) writes the returned one. Either way the decision is in
the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.models import (
    AuditLog,
    Conflict,
    Indicator,
    IndicatorValue,
    Packet,
    Period,
    ProgressEntry,
    Task,
    Unit,
)
from app.services.packets.values import display, from_text, label, to_text
from app.services.plans.query import short_title


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    packet_id: str
    unit: str
    period: str
    entity: str  # progress / indicator_value
    entity_id: int
    code: str  # task or indicator code
    title: str  # task title or indicator name
    field: str
    issued: str | None
    returned: str | None
    current: str | None  # the district's value when the packet was merged
    now: str | None  # the district's value today
    sheet: str | None
    cell: str | None
    status: str  # open / kept / taken
    resolved_at: dt.datetime | None

    @property
    def field_label(self) -> str:
        return label(self.field)

    def shown(self, which: str) -> str:
        """issued/returned/current/now as a person reads it (status label, not code)."""
        value: str | None = getattr(self, which)
        return display(self.field, value)


def list_conflicts(db: Engine, *, plan_id: int | None = None, period_id: int | None = None,
                   status: str | None = "open") -> list[ConflictInfo]:
    with Session(db) as s:
        query = (select(Conflict, Packet.unit_id, Packet.period_id)
                 .join(Packet, Packet.id == Conflict.packet_id).order_by(Conflict.id))
        if status is not None:
            query = query.where(Conflict.status == status)
        if plan_id is not None:
            query = query.where(Packet.plan_id == plan_id)
        if period_id is not None:
            query = query.where(Packet.period_id == period_id)
        return [_info(s, c, unit_id, pid) for c, unit_id, pid in s.execute(query)]


def _info(s: Session, c: Conflict, unit_id: int, period_id: int) -> ConflictInfo:
    unit = s.get(Unit, unit_id)
    period = s.get(Period, period_id)
    code, title, now = "", "", None
    if c.entity == "progress":
        e = s.get(ProgressEntry, c.entity_id)
        if e is not None:
            task = s.get(Task, e.task_id)
            code, title = (task.code, short_title(task.text)) if task else ("", "")
            now = to_text(getattr(e, c.field))
    else:
        v = s.get(IndicatorValue, c.entity_id)
        if v is not None:
            ind = s.get(Indicator, v.indicator_id)
            code, title = (ind.code, ind.name) if ind else ("", "")
            now = to_text(getattr(v, c.field))
    return ConflictInfo(c.id, c.packet_id, unit.name if unit else "", period.key if period else "",
                        c.entity, c.entity_id, code, title, c.field, c.issued, c.returned,
                        c.current, now, c.sheet, c.cell, c.status, c.resolved_at)


# what deciding a conflict writes: the field (when taken), the conflict, an audit row
RESOLVING = Changes(progress=True, conflicts=True, audit=True, note="conflict resolved")


def resolve_conflict(db: Engine, conflict_id: int, choice: str, actor: str = ""
                     ) -> ConflictInfo:
    """Decide one open conflict: 'keep' the district's value or 'take' the returned one."""
    if choice not in ("keep", "take"):
        raise ValueError(choice)
    with Session(db) as s, s.begin():
        c = s.get(Conflict, conflict_id)
        if c is None:
            raise UserFacingError("该冲突不存在(可能已被删除)。")
        if c.status != "open":
            raise UserFacingError("该冲突已处理过。")
        packet = s.get(Packet, c.packet_id)
        row: ProgressEntry | IndicatorValue | None = (
            s.get(ProgressEntry, c.entity_id) if c.entity == "progress"
            else s.get(IndicatorValue, c.entity_id))
        if row is None:
            raise UserFacingError("冲突对应的填报记录已不存在。")
        unit = s.get(Unit, row.unit_id)
        old = to_text(getattr(row, c.field))
        if choice == "take":
            setattr(row, c.field, from_text(c.field, c.returned))
            row.packet_id = c.packet_id
            new = c.returned
        else:
            new = old
        now = clock.now()
        c.status = "taken" if choice == "take" else "kept"
        c.resolved_at = now
        s.add(AuditLog(
            at=now, actor=actor, actor_unit=unit.name if unit else "",
            entity=c.entity, entity_id=c.entity_id,
            field=c.field if choice == "take" else f"{c.field}:kept",
            old=old if choice == "take" else c.returned, new=new,
            packet_id=c.packet_id, file_hash=packet.file_hash if packet else None,
            sheet=c.sheet, cell=c.cell))
        s.flush()
        return _info(s, c, row.unit_id, row.period_id)


def open_conflict_count(db: Engine, plan_id: int | None = None,
                        period_id: int | None = None) -> int:
    return len(list_conflicts(db, plan_id=plan_id, period_id=period_id))
