"""What a plan is: sections, task items, units, assignments, indicators and periods."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import now
from app.core.vocab import FREQUENCIES, ROLES, UNIT_KINDS
from app.models.base import Base

__all__ = ["FREQUENCIES", "ROLES", "UNIT_KINDS"]


def new_uid() -> str:
    """Stable identifier that travels in packets between databases."""
    return uuid.uuid4().hex


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (CheckConstraint("frequency IN ('month','quarter','half_year','year')",
                                      name="frequency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    key: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(Text, default="")
    office: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(16), default="month")
    deadline_day: Mapped[int] = mapped_column(Integer, default=5)
    secret: Mapped[str] = mapped_column(String(64), default=lambda: uuid.uuid4().hex + uuid.uuid4().hex)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)

    sections: Mapped[list[Section]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    periods: Mapped[list[Period]] = relationship(back_populates="plan", cascade="all, delete-orphan")


class Section(Base):
    """领域 › 任务类别: a tree of task groups inside one plan."""

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(back_populates="sections")


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (CheckConstraint(
        "kind IN ('district_office','department','town','street','zone')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="department")
    contact: Mapped[str] = mapped_column(Text, default="")  # 联系人
    phone: Mapped[str] = mapped_column(Text, default="", server_default="")  # 电话
    email: Mapped[str] = mapped_column(Text, default="", server_default="")  # 邮箱 (drafts' To)

    aliases: Mapped[list[UnitAlias]] = relationship(back_populates="unit", cascade="all, delete-orphan")


class UnitAlias(Base):
    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class PlanUnit(Base):
    """Units taking part in a plan, including those with no task assigned yet."""

    __tablename__ = "plan_unit"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(String(10))  # "YYYY-MM" or "YYYY-MM-DD"
    target: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="task",
                                                         cascade="all, delete-orphan")


class Assignment(Base):
    __tablename__ = "assignment"
    __table_args__ = (CheckConstraint("role IN ('lead','cooperating','implementing')", name="role"),)

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    domain: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    standard: Mapped[str | None] = mapped_column(Text)
    comparator: Mapped[str | None] = mapped_column(String(2))  # ">=", "<=", ">", "<", "="
    threshold: Mapped[float | None] = mapped_column(Float)
    attribute: Mapped[str | None] = mapped_column(Text)  # 约束性 / 参考性
    target: Mapped[str | None] = mapped_column(Text)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    leads: Mapped[list[IndicatorLead]] = relationship(cascade="all, delete-orphan")


class IndicatorLead(Base):
    __tablename__ = "indicator_lead"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"),
                                              primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit] = relationship()


class Period(Base):
    """One reporting period of a plan, e.g. "2021-06" due 2021-07-05."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(16))  # YYYY-MM, YYYY-Q1, YYYY-H1, YYYY
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="periods")
