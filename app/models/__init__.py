"""SQLAlchemy ORM models (no Qt here)."""

from __future__ import annotations

from app.models.base import Base
from app.models.plan import (
    FREQUENCIES,
    ROLES,
    UNIT_KINDS,
    Assignment,
    Indicator,
    IndicatorLead,
    Period,
    Plan,
    PlanUnit,
    Section,
    Task,
    Unit,
    UnitAlias,
    new_uid,
)
from app.models.reporting import (
    INDICATOR_FIELDS,
    PROGRESS_FIELDS,
    STATUS_LABELS,
    STATUSES,
    Approval,
    AuditLog,
    CloseOut,
    Conflict,
    Flag,
    IndicatorValue,
    Packet,
    ProgressEntry,
    Receipt,
    Setting,
)

__all__ = [
    "FREQUENCIES", "INDICATOR_FIELDS", "PROGRESS_FIELDS", "ROLES", "STATUSES", "STATUS_LABELS",
    "UNIT_KINDS", "Approval", "Assignment", "AuditLog", "Base", "CloseOut", "Conflict", "Flag",
    "Indicator",
    "IndicatorLead", "IndicatorValue", "Packet", "Period", "Plan", "PlanUnit", "ProgressEntry",
    "Receipt", "Section", "Setting", "Task", "Unit", "UnitAlias", "new_uid",
]
