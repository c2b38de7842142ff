"""What units report: progress entries, indicator values, packets, audit, conflicts, flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import now
from app.core.vocab import INDICATOR_FIELDS, PROGRESS_FIELDS, STATUS_LABELS, STATUSES
from app.models.base import Base

__all__ = ["INDICATOR_FIELDS", "PROGRESS_FIELDS", "STATUSES", "STATUS_LABELS"]


class ProgressEntry(Base):
    """One unit's report on one task item for one period."""

    __tablename__ = "progress_entry"
    __table_args__ = (
        UniqueConstraint("unit_id", "task_id", "period_id"),
        CheckConstraint(
            "status IS NULL OR status IN ('not_started','in_progress','completed','behind','ongoing')",
            name="status"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        # a unit's rows of one period (every merge reads them; unit_id alone used to scan
        # every period of the unit, a cost that grew with the database)
        Index("ix_progress_entry_unit_id_period_id", "unit_id", "period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    status: Mapped[str | None] = mapped_column(String(16))
    percent: Mapped[float | None] = mapped_column(Float)
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)
    packet_id: Mapped[str | None] = mapped_column(ForeignKey("packet.id", ondelete="SET NULL"))


class IndicatorValue(Base):
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("unit_id", "indicator_id", "period_id"),
                      Index("ix_indicator_value_unit_id_period_id", "unit_id", "period_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"),
                                              index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(Text, default="")  # as reported; numeric where the standard is
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)
    packet_id: Mapped[str | None] = mapped_column(ForeignKey("packet.id", ondelete="SET NULL"))


class Packet(Base):
    """Ledger of every packet issued or received (a returned packet keeps its issued id)."""

    __tablename__ = "packet"
    __table_args__ = (
        CheckConstraint("direction IN ('issued','returned')", name="direction"),
        Index("ix_packet_unit_id_period_id", "unit_id", "period_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # packet id + direction + revision
    packet_uid: Mapped[str] = mapped_column(String(32), index=True)  # the id written in the manifest
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(12), default="normal")  # normal / correction
    revision: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(Text, default="")
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    outcome: Mapped[str] = mapped_column(String(12), default="issued")
    message: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # row key -> issued values
    # a return that came in a mail (.eml): the message's From, Date and Subject as written
    mail_from: Mapped[str | None] = mapped_column(Text)
    mail_date: Mapped[str | None] = mapped_column(Text)
    mail_subject: Mapped[str | None] = mapped_column(Text)
    # a returned packet exported by the office app: the sha256 of the files it continues,
    # newest first (its earlier exports, then the packet file the office opened); None =
    # not recorded (a packet filled by hand, or exported by an older version)
    lineage: Mapped[list[str] | None] = mapped_column(JSON, nullable=True, default=None)
    # a merged return (written since 0008): " T<task id> I<indicator id> … " of the rows it
    # created, then its values and first values' provenance, packed
    # (app/services/district/packed.py; `rows` is then {}). Small column first: a scan of
    # it does not walk the packed value's overflow pages.
    first_targets: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    packed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, default=None)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)
    actor: Mapped[str] = mapped_column(Text, default="")
    actor_unit: Mapped[str] = mapped_column(Text, default="")
    entity: Mapped[str] = mapped_column(String(32))  # progress / indicator_value / task / ...
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    packet_id: Mapped[str | None] = mapped_column(String(64), index=True)
    file_hash: Mapped[str | None] = mapped_column(String(64))
    sheet: Mapped[str | None] = mapped_column(Text)
    cell: Mapped[str | None] = mapped_column(String(16))
    # what kind of change: "" merge or conflict decision, "district_edit" (更正), "approval",
    # "close_out"; `note` is the 说明 a person gave for it
    kind: Mapped[str] = mapped_column(String(16), default="", server_default="")
    note: Mapped[str | None] = mapped_column(Text)


class Conflict(Base):
    """A field both the district and the office changed since the packet was issued."""

    __tablename__ = "conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[str] = mapped_column(ForeignKey("packet.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(32))  # progress / indicator_value
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    issued: Mapped[str | None] = mapped_column(Text)
    returned: Mapped[str | None] = mapped_column(Text)
    current: Mapped[str | None] = mapped_column(Text)
    sheet: Mapped[str | None] = mapped_column(Text)
    cell: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / kept / taken
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Flag(Base):
    """A field the district sent back for correction (退回修改)."""

    __tablename__ = "flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / closed
    packet_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Setting(Base):
    """Per-database facts: role (district/office), the office's own unit, the actor name."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Receipt(Base):
    """Latest state of a unit's return for a period (收件登记); derived from packets on merge."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # naive UTC (app.core.clock)
    state: Mapped[str] = mapped_column(String(20), default="issued")  # issued/accepted/rejected/returned_for_fix
    revision: Mapped[int] = mapped_column(Integer, default=0)
    packet_id: Mapped[str | None] = mapped_column(String(64))


class Approval(Base):
    """审核通过: the district signed off a unit's report for a period; merging refuses later
    returns for it until the approval is withdrawn (the row is deleted, the audit log keeps
    both decisions)."""

    __tablename__ = "approval"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(Text, default="")


class CloseOut(Base):
    """销号: a task item closed for one unit (reported 已完成, checked by the district);
    it is no longer asked for and never counts as behind. Reopening deletes the row."""

    __tablename__ = "close_out"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    closed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
