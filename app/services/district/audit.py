"""日志: the audit log as plain records, filtered by unit, task/indicator code and packet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from app.core import clock
from app.models import AuditLog, Indicator, IndicatorValue, Period, ProgressEntry, Task, Unit
from app.services.packets.values import display, label


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime  # local time
    actor: str
    unit: str
    period: str
    entity: str
    code: str  # task or indicator code
    field: str
    old: str | None
    new: str | None
    packet_id: str | None
    file_hash: str | None
    sheet: str | None
    cell: str | None

    @property
    def kept(self) -> bool:
        """A conflict decided for the district's value (nothing was written)."""
        return self.field.endswith(":kept")

    @property
    def field_label(self) -> str:
        base = self.field.removesuffix(":kept")
        return label(base) + ("(冲突:保留本方)" if self.kept else "")

    @property
    def old_text(self) -> str:
        return display(self.field.removesuffix(":kept"), self.old)

    @property
    def new_text(self) -> str:
        return display(self.field.removesuffix(":kept"), self.new)

    @property
    def where(self) -> str:
        return "".join(p for p in (f"[{self.sheet}]" if self.sheet else "", self.cell or ""))


def list_audit(db: Engine, *, plan_id: int | None = None, period_id: int | None = None,
               unit: str | None = None, code: str | None = None, packet: str | None = None,
               limit: int = 5000) -> list[AuditEntry]:
    """Newest first. `unit` matches the unit name, `code` a task or indicator code exactly,
    `packet` a packet id or its beginning."""
    pe, iv = ProgressEntry, IndicatorValue
    with Session(db) as s:
        query = (
            select(AuditLog, Unit.name, Period.key, Task.code, Indicator.code)
            .outerjoin(pe, (AuditLog.entity == "progress") & (pe.id == AuditLog.entity_id))
            .outerjoin(iv, (AuditLog.entity == "indicator_value") & (iv.id == AuditLog.entity_id))
            .outerjoin(Task, Task.id == pe.task_id)
            .outerjoin(Indicator, Indicator.id == iv.indicator_id)
            .outerjoin(Unit, Unit.id == func.coalesce(pe.unit_id, iv.unit_id))
            .outerjoin(Period, Period.id == func.coalesce(pe.period_id, iv.period_id))
            .order_by(AuditLog.id.desc()).limit(limit))
        if plan_id is not None:
            query = query.where(or_(Task.plan_id == plan_id, Indicator.plan_id == plan_id,
                                    AuditLog.entity.not_in(("progress", "indicator_value"))))
        if period_id is not None:
            query = query.where(Period.id == period_id)
        if unit:
            query = query.where(or_(Unit.name == unit, AuditLog.actor_unit == unit))
        if code:
            query = query.where(or_(Task.code == code, Indicator.code == code))
        if packet:
            query = query.where(AuditLog.packet_id.startswith(packet, autoescape=True))
        out = []
        for a, unit_name, period_key, task_code, ind_code in s.execute(query):
            out.append(AuditEntry(a.id, clock.to_local(a.at), a.actor, unit_name or a.actor_unit,
                                  period_key or "", a.entity, task_code or ind_code or "",
                                  a.field, a.old, a.new, a.packet_id, a.file_hash, a.sheet,
                                  a.cell))
        return out

