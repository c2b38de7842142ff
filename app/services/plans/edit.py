"""Editing a plan in the application: tasks, sections, indicators, units, assignments,
reporting settings and periods.

Each call is one transaction that validates its input, writes audit-log rows (entity,
field, old → new, actor) and returns a ``Change`` saying what it did, with enough of the
before-state for the caller to undo it by calling the inverse service (the GUI's undo stack
does exactly that). Deleting something that reported data hangs on is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.vocab import FREQUENCIES, ROLES, UNIT_KINDS
from app.models import (
    Assignment,
    AuditLog,
    Flag,
    Indicator,
    IndicatorLead,
    IndicatorValue,
    Packet,
    Period,
    Plan,
    PlanUnit,
    ProgressEntry,
    Receipt,
    Section,
    Task,
    Unit,
    UnitAlias,
)
from app.services.backups import make_backup
from app.services.db import current_actor
from app.services.plans.contacts import clean_contact
from app.services.plans.importing.parsers import parse_deadline, parse_standard_text
from app.services.plans.query import guess_kind, make_periods

EDIT_BACKUP_INTERVAL = dt.timedelta(minutes=5)
CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"


@dataclass(frozen=True)
class Change:
    """What one edit did. `before`/`after` are the field dataclasses (or snapshots)."""

    entity: str
    id: int
    action: str
    fields: tuple[str, ...] = ()
    before: Any = None
    after: Any = None


# ---------------------------------------------------------------- field records


@dataclass(frozen=True)
class PlanSettings:
    title: str
    issuer: str = ""
    office: str = ""
    frequency: str = "month"
    deadline_day: int = 5
    first_period: str | None = None  # YYYY-MM of the first period's first month
    last_period: str | None = None


@dataclass(frozen=True)
class TaskFields:
    code: str
    text: str
    section_id: int | None = None
    deadline: str | None = None
    target: str | None = None
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    implementing: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskSnapshot:
    """A deleted task, to put back exactly (same id, uid and position)."""

    id: int
    uid: str
    plan_id: int
    position: int
    fields: TaskFields


@dataclass(frozen=True)
class SectionFields:
    title: str
    code: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class SectionSnapshot:
    id: int
    plan_id: int
    position: int
    fields: SectionFields
    task_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class IndicatorFields:
    code: str
    name: str
    parent_id: int | None = None
    domain: str = ""
    category: str = ""
    unit: str | None = None
    standard: str | None = None
    attribute: str | None = None
    target: str | None = None
    target_year: int | None = None
    lead: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSnapshot:
    id: int
    uid: str
    plan_id: int
    position: int
    fields: IndicatorFields


@dataclass(frozen=True)
class UnitFields:
    name: str
    kind: str = "department"
    contact: str = ""  # 联系人
    aliases: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""  # checked by plans.contacts.clean_email; several joined by "; "


@dataclass(frozen=True)
class UnitSnapshot:
    id: int
    fields: UnitFields
    plans: tuple[tuple[int, int], ...] = ()  # (plan id, position)


Assignments = dict[int, dict[str, tuple[str, ...]]]  # task id → role → unit names


@dataclass
class _Audit:
    session: Session
    actor: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, entity: str, entity_id: int, fld: str, old: Any, new: Any) -> None:
        self.rows.append({"actor": self.actor, "entity": entity, "entity_id": entity_id,
                          "field": fld, "old": _text(old), "new": _text(new)})

    def flush(self) -> None:
        if self.rows:
            self.session.execute(insert(AuditLog), self.rows)


@contextmanager
def _editing(engine: Engine) -> Iterator[Session]:
    """One edit's transaction, after a backup (at most one per five minutes of editing)."""
    make_backup(engine, "edit", min_interval=EDIT_BACKUP_INTERVAL)
    with Session(engine) as s, s.begin():
        yield s


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return json.dumps(asdict(value), ensure_ascii=False, default=str)
    return str(value)


def _audit(session: Session) -> _Audit:
    return _Audit(session, current_actor(session))


def _diff(before: Any, after: Any) -> tuple[str, ...]:
    return tuple(k for k in asdict(after) if getattr(before, k) != getattr(after, k))


# ---------------------------------------------------------------- plans and periods


def _periods_in_use(session: Session, period_ids: list[int]) -> set[int]:
    used: set[int] = set()
    if not period_ids:
        return used
    for model in (ProgressEntry, IndicatorValue, Packet, Receipt, Flag):
        used.update(session.scalars(select(model.period_id)
                                    .where(model.period_id.in_(period_ids))))
    return used


def _validate_settings(settings: PlanSettings) -> PlanSettings:
    title = settings.title.strip()
    if not title:
        raise UserFacingError("方案名称不能为空。")
    if settings.frequency not in FREQUENCIES:
        raise UserFacingError(f"填报频率“{settings.frequency}”无效。")
    if not 1 <= int(settings.deadline_day) <= 28:
        raise UserFacingError("报送截止日应在 1–28 日之间。")
    first, last = settings.first_period, settings.last_period
    if bool(first) != bool(last):
        raise UserFacingError("请同时填写起始月份和结束月份。")
    if first and last:
        for label, value in (("起始月份", first), ("结束月份", last)):
            month, ok = parse_deadline(value, None)
            if not ok or month is None:
                raise UserFacingError(f"{label}“{value}”不是年月(如 2021-03)。")
        first = parse_deadline(first, None)[0][:7]  # type: ignore[index]
        last = parse_deadline(last, None)[0][:7]  # type: ignore[index]
        if first > last:
            raise UserFacingError("起始月份晚于结束月份。")
        if (int(last[:4]) - int(first[:4])) > 20:
            raise UserFacingError("填报周期跨度超过 20 年,请检查月份。")
    return replace(settings, title=title, issuer=settings.issuer.strip(),
                   office=settings.office.strip(), deadline_day=int(settings.deadline_day),
                   first_period=first or None, last_period=last or None)


def plan_settings(engine: Engine, plan_id: int) -> PlanSettings:
    with Session(engine) as s:
        return _settings(s, plan_id)


def _settings(session: Session, plan_id: int) -> PlanSettings:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserFacingError(f"方案 {plan_id} 不存在。")
    periods = list(session.execute(select(Period.start, Period.end)
                                   .where(Period.plan_id == plan_id).order_by(Period.start)))
    first = periods[0][0].strftime("%Y-%m") if periods else None
    last = periods[-1][1].strftime("%Y-%m") if periods else None
    return PlanSettings(plan.title, plan.issuer, plan.office, plan.frequency, plan.deadline_day,
                        first, last)


def create_plan(engine: Engine, settings: PlanSettings) -> Change:
    """A new, empty plan (tasks and units are added afterwards)."""
    settings = _validate_settings(settings)
    with _editing(engine) as s:
        plan = Plan(title=settings.title, issuer=settings.issuer, office=settings.office,
                    frequency=settings.frequency, deadline_day=settings.deadline_day)
        s.add(plan)
        s.flush()
        _write_periods(s, plan.id, settings)
        audit = _audit(s)
        audit.add("plan", plan.id, CREATED, None, settings.title)
        audit.flush()
        return Change("plan", plan.id, CREATED, after=settings)


def _write_periods(session: Session, plan_id: int, settings: PlanSettings) -> tuple[str, ...]:
    """Make the plan's periods those of the settings; keeps periods that stay (and their
    data), refuses to drop a period something was reported or issued for."""
    wanted = []
    if settings.first_period and settings.last_period:
        wanted = make_periods(settings.frequency, settings.first_period, settings.last_period,
                              settings.deadline_day)
    current = {p.key: p for p in session.scalars(select(Period).where(Period.plan_id == plan_id))}
    keys = {k for k, *_ in wanted}
    dropped = [p for k, p in current.items() if k not in keys]
    used = _periods_in_use(session, [p.id for p in dropped])
    if used:
        names = "、".join(sorted(p.key for p in dropped if p.id in used))
        raise UserFacingError(f"周期 {names} 已有下发或填报数据,不能删除。请保留这些周期(调整起止月份或频率)。")
    for p in dropped:
        session.delete(p)
    session.flush()
    for key, start, end, due in wanted:
        row = current.get(key)
        if row is None:
            session.add(Period(plan_id=plan_id, key=key, start=start, end=end, due=due))
        else:
            row.start, row.end, row.due = start, end, due
    session.flush()
    return tuple(sorted(p.key for p in dropped))


def update_plan_settings(engine: Engine, plan_id: int, settings: PlanSettings) -> Change:
    """Title, issuer, office, reporting frequency, deadline day and the period range."""
    settings = _validate_settings(settings)
    with _editing(engine) as s:
        before = _settings(s, plan_id)
        plan = s.get(Plan, plan_id)
        assert plan is not None
        changed = _diff(before, settings)
        if not changed:
            return Change("plan", plan_id, UPDATED, (), before, settings)
        plan.title, plan.issuer, plan.office = settings.title, settings.issuer, settings.office
        plan.frequency, plan.deadline_day = settings.frequency, settings.deadline_day
        s.flush()
        if {"frequency", "deadline_day", "first_period", "last_period"} & set(changed):
            _write_periods(s, plan_id, settings)
        audit = _audit(s)
        for f in changed:
            audit.add("plan", plan_id, f, getattr(before, f), getattr(settings, f))
        audit.flush()
        return Change("plan", plan_id, UPDATED, changed, before, settings)


# ---------------------------------------------------------------- units by name


def _unit_ids(session: Session, names: tuple[str, ...] | list[str]) -> list[int]:
    ids = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        uid = session.scalar(select(Unit.id).where(Unit.name == name))
        if uid is None:
            uid = session.scalar(select(UnitAlias.unit_id).where(UnitAlias.alias == name))
        if uid is None:
            raise UserFacingError(f"单位“{name}”不存在,请先在单位中添加。")
        if uid not in ids:
            ids.append(uid)
    return ids


def _join_plan(session: Session, plan_id: int, unit_ids: list[int]) -> None:
    present = set(session.scalars(select(PlanUnit.unit_id).where(PlanUnit.plan_id == plan_id)))
    pos = session.scalar(select(func.max(PlanUnit.position)).where(PlanUnit.plan_id == plan_id))
    pos = -1 if pos is None else pos
    for uid in unit_ids:
        if uid not in present:
            pos += 1
            session.add(PlanUnit(plan_id=plan_id, unit_id=uid, position=pos))
            present.add(uid)
    session.flush()


def _roles(session: Session, task_id: int) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for role, name in session.execute(
            select(Assignment.role, Unit.name).join(Unit, Unit.id == Assignment.unit_id)
            .where(Assignment.task_id == task_id).order_by(Assignment.role, Assignment.position)):
        out[role].append(name)
    return {r: tuple(v) for r, v in out.items()}


def _set_roles(session: Session, task: Task, roles: dict[str, tuple[str, ...]]) -> None:
    session.execute(delete(Assignment).where(Assignment.task_id == task.id))
    all_ids: list[int] = []
    rows = []
    for role in ROLES:
        for pos, uid in enumerate(_unit_ids(session, roles.get(role, ()))):
            rows.append({"task_id": task.id, "unit_id": uid, "role": role, "position": pos})
            all_ids.append(uid)
    if rows:
        session.execute(insert(Assignment), rows)
    _join_plan(session, task.plan_id, all_ids)


# ---------------------------------------------------------------- tasks


def _task_fields(session: Session, task: Task) -> TaskFields:
    roles = _roles(session, task.id)
    return TaskFields(task.code, task.text, task.section_id, task.deadline, task.target,
                      roles["lead"], roles["cooperating"], roles["implementing"])


def _clean_task(session: Session, plan_id: int, fields: TaskFields,
                task_id: int | None) -> TaskFields:
    code = fields.code.strip()
    text = fields.text.strip()
    if not code:
        raise UserFacingError("任务编号不能为空。")
    if len(code) > 32:
        raise UserFacingError("任务编号太长(最多 32 个字符)。")
    if not text:
        raise UserFacingError("任务内容不能为空。")
    clash = session.scalar(select(Task.id).where(Task.plan_id == plan_id, Task.code == code))
    if clash is not None and clash != task_id:
        raise UserFacingError(f"编号“{code}”已被本方案的另一项任务使用。")
    if fields.section_id is not None:
        sec = session.get(Section, fields.section_id)
        if sec is None or sec.plan_id != plan_id:
            raise UserFacingError("所选领域不属于本方案。")
    deadline = (fields.deadline or "").strip() or None
    if deadline:
        parsed, ok = parse_deadline(deadline, None)
        if not ok or parsed is None:
            raise UserFacingError(f"完成时限“{deadline}”无法识别,请写作 2022-05 或 2022-05-31。")
        deadline = parsed
    roles = {r: tuple(dict.fromkeys(n.strip() for n in getattr(fields, r) if n.strip()))
             for r in ROLES}
    return TaskFields(code, text, fields.section_id, deadline, (fields.target or "").strip()
                      or None, roles["lead"], roles["cooperating"], roles["implementing"])


def add_task(engine: Engine, plan_id: int, fields: TaskFields) -> Change:
    with _editing(engine) as s:
        if s.get(Plan, plan_id) is None:
            raise UserFacingError(f"方案 {plan_id} 不存在。")
        fields = _clean_task(s, plan_id, fields, None)
        pos = s.scalar(select(func.max(Task.position)).where(Task.plan_id == plan_id))
        task = Task(plan_id=plan_id, code=fields.code, text=fields.text,
                    section_id=fields.section_id, deadline=fields.deadline,
                    target=fields.target, position=(pos + 1) if pos is not None else 0)
        s.add(task)
        s.flush()
        _set_roles(s, task, asdict(fields))
        audit = _audit(s)
        audit.add("task", task.id, CREATED, None, f"{fields.code} {fields.text[:60]}")
        audit.flush()
        return Change("task", task.id, CREATED, after=fields)


def update_task(engine: Engine, task_id: int, fields: TaskFields) -> Change:
    with _editing(engine) as s:
        task = s.get(Task, task_id)
        if task is None:
            raise UserFacingError("任务已不存在(可能已被删除)。")
        fields = _clean_task(s, task.plan_id, fields, task_id)
        before = _task_fields(s, task)
        changed = _diff(before, fields)
        if not changed:
            return Change("task", task_id, UPDATED, (), before, fields)
        task.code, task.text, task.section_id = fields.code, fields.text, fields.section_id
        task.deadline, task.target = fields.deadline, fields.target
        if set(changed) & set(ROLES):
            _set_roles(s, task, asdict(fields))
        s.flush()
        audit = _audit(s)
        for f in changed:
            audit.add("task", task_id, f, getattr(before, f), getattr(fields, f))
        audit.flush()
        return Change("task", task_id, UPDATED, changed, before, fields)


def delete_task(engine: Engine, task_id: int) -> Change:
    with _editing(engine) as s:
        task = s.get(Task, task_id)
        if task is None:
            raise UserFacingError("任务已不存在(可能已被删除)。")
        reported = s.scalar(select(func.count()).select_from(ProgressEntry)
                            .where(ProgressEntry.task_id == task_id)) or 0
        if reported:
            raise UserFacingError(f"任务 {task.code} 已有 {reported} 条填报记录,不能删除。")
        snap = TaskSnapshot(task.id, task.uid, task.plan_id, task.position,
                            _task_fields(s, task))
        s.execute(delete(Flag).where(Flag.task_id == task_id))
        s.delete(task)
        s.flush()
        audit = _audit(s)
        audit.add("task", task_id, DELETED, snap.fields, None)
        audit.flush()
        return Change("task", task_id, DELETED, before=snap)


def restore_task(engine: Engine, snap: TaskSnapshot) -> Change:
    """Put a deleted task back with its id, uid and place (undo of delete)."""
    with _editing(engine) as s:
        if s.get(Task, snap.id) is not None or s.scalar(
                select(Task.id).where(Task.uid == snap.uid)) is not None:
            raise UserFacingError("无法恢复任务:它已存在。")
        fields = _clean_task(s, snap.plan_id, snap.fields, None)
        task = Task(id=snap.id, uid=snap.uid, plan_id=snap.plan_id, code=fields.code,
                    text=fields.text, section_id=fields.section_id, deadline=fields.deadline,
                    target=fields.target, position=snap.position)
        s.add(task)
        s.flush()
        _set_roles(s, task, asdict(fields))
        audit = _audit(s)
        audit.add("task", task.id, CREATED, None, f"{fields.code} {fields.text[:60]}(恢复)")
        audit.flush()
        return Change("task", task.id, CREATED, after=fields)


def task_assignments(engine: Engine, task_ids: list[int]) -> Assignments:
    with Session(engine) as s:
        return {tid: _roles(s, tid) for tid in task_ids}


def set_assignments(engine: Engine, assignments: Assignments) -> Change:
    """Set the units of several tasks at once (also the undo of ``assign_units``)."""
    with _editing(engine) as s:
        before: Assignments = {}
        audit = _audit(s)
        for task_id, roles in assignments.items():
            task = s.get(Task, task_id)
            if task is None:
                raise UserFacingError("任务已不存在(可能已被删除)。")
            before[task_id] = _roles(s, task_id)
            merged = {**before[task_id], **roles}
            _set_roles(s, task, merged)
            for r in ROLES:
                if merged[r] != before[task_id][r]:
                    audit.add("task", task_id, r, before[task_id][r], merged[r])
        audit.flush()
        return Change("assignment", 0, UPDATED, tuple(ROLES), before, assignments)


def assign_units(engine: Engine, task_ids: list[int], role: str, names: list[str],
                 replace_existing: bool = False) -> Change:
    """Give the selected tasks these units in `role` (added to, or replacing, what they
    have): how a plan imported without units, like a work-points list, gets them."""
    if role not in ROLES:
        raise UserFacingError(f"角色“{role}”无效。")
    if not task_ids:
        raise UserFacingError("请先选择任务。")
    if not names and not replace_existing:
        raise UserFacingError("请至少选择一个单位。")
    current = task_assignments(engine, task_ids)
    wanted: Assignments = {}
    for tid in task_ids:
        have = () if replace_existing else current[tid][role]
        wanted[tid] = {role: tuple(dict.fromkeys([*have, *names]))}
    return set_assignments(engine, wanted)


# ---------------------------------------------------------------- sections


def _clean_section(session: Session, plan_id: int, fields: SectionFields,
                   section_id: int | None) -> SectionFields:
    title = fields.title.strip()
    if not title:
        raise UserFacingError("领域名称不能为空。")
    code = fields.code.strip()
    if code:
        clash = session.scalar(select(Section.id).where(Section.plan_id == plan_id,
                                                        Section.code == code))
        if clash is not None and clash != section_id:
            raise UserFacingError(f"领域编号“{code}”已被使用。")
    parent = fields.parent_id
    while parent is not None:
        if parent == section_id:
            raise UserFacingError("不能把领域放到它自己的下级中。")
        row = session.get(Section, parent)
        if row is None or row.plan_id != plan_id:
            raise UserFacingError("上级领域不属于本方案。")
        parent = row.parent_id
    return SectionFields(title, code, fields.parent_id)


def add_section(engine: Engine, plan_id: int, fields: SectionFields) -> Change:
    with _editing(engine) as s:
        if s.get(Plan, plan_id) is None:
            raise UserFacingError(f"方案 {plan_id} 不存在。")
        fields = _clean_section(s, plan_id, fields, None)
        pos = s.scalar(select(func.max(Section.position)).where(
            Section.plan_id == plan_id, Section.parent_id.is_(None) if fields.parent_id is None
            else Section.parent_id == fields.parent_id))
        row = Section(plan_id=plan_id, parent_id=fields.parent_id, code=fields.code,
                      title=fields.title, position=(pos + 1) if pos is not None else 0)
        s.add(row)
        s.flush()
        audit = _audit(s)
        audit.add("section", row.id, CREATED, None, f"{fields.code} {fields.title}".strip())
        audit.flush()
        return Change("section", row.id, CREATED, after=fields)


def update_section(engine: Engine, section_id: int, fields: SectionFields) -> Change:
    with _editing(engine) as s:
        row = s.get(Section, section_id)
        if row is None:
            raise UserFacingError("领域已不存在(可能已被删除)。")
        fields = _clean_section(s, row.plan_id, fields, section_id)
        before = SectionFields(row.title, row.code, row.parent_id)
        changed = _diff(before, fields)
        row.title, row.code, row.parent_id = fields.title, fields.code, fields.parent_id
        s.flush()
        audit = _audit(s)
        for f in changed:
            audit.add("section", section_id, f, getattr(before, f), getattr(fields, f))
        audit.flush()
        return Change("section", section_id, UPDATED, changed, before, fields)


def delete_section(engine: Engine, section_id: int) -> Change:
    """Delete an empty-of-subsections section; its tasks stay, without a section."""
    with _editing(engine) as s:
        row = s.get(Section, section_id)
        if row is None:
            raise UserFacingError("领域已不存在(可能已被删除)。")
        if s.scalar(select(Section.id).where(Section.parent_id == section_id).limit(1)):
            raise UserFacingError(f"领域“{row.title}”下还有下级领域,请先删除或移动它们。")
        task_ids = tuple(s.scalars(select(Task.id).where(Task.section_id == section_id)))
        snap = SectionSnapshot(row.id, row.plan_id, row.position,
                               SectionFields(row.title, row.code, row.parent_id), task_ids)
        for task in s.scalars(select(Task).where(Task.section_id == section_id)):
            task.section_id = None
        s.delete(row)
        s.flush()
        audit = _audit(s)
        audit.add("section", section_id, DELETED, snap.fields, None)
        audit.flush()
        return Change("section", section_id, DELETED, before=snap)


def restore_section(engine: Engine, snap: SectionSnapshot) -> Change:
    with _editing(engine) as s:
        if s.get(Section, snap.id) is not None:
            raise UserFacingError("无法恢复领域:它已存在。")
        fields = _clean_section(s, snap.plan_id, snap.fields, None)
        row = Section(id=snap.id, plan_id=snap.plan_id, parent_id=fields.parent_id,
                      code=fields.code, title=fields.title, position=snap.position)
        s.add(row)
        s.flush()
        for task in s.scalars(select(Task).where(Task.id.in_(snap.task_ids))):
            task.section_id = row.id
        audit = _audit(s)
        audit.add("section", row.id, CREATED, None, f"{fields.code} {fields.title}(恢复)".strip())
        audit.flush()
        return Change("section", row.id, CREATED, after=fields)


# ---------------------------------------------------------------- indicators


def _indicator_fields(session: Session, ind: Indicator) -> IndicatorFields:
    leads = tuple(session.scalars(select(Unit.name).join(IndicatorLead,
                                                         IndicatorLead.unit_id == Unit.id)
                                  .where(IndicatorLead.indicator_id == ind.id)
                                  .order_by(IndicatorLead.position)))
    return IndicatorFields(ind.code, ind.name, ind.parent_id, ind.domain, ind.category,
                           ind.unit, ind.standard, ind.attribute, ind.target, ind.target_year,
                           leads)


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _clean_indicator(session: Session, plan_id: int, fields: IndicatorFields,
                     indicator_id: int | None) -> IndicatorFields:
    code, name = fields.code.strip(), fields.name.strip()
    if not code:
        raise UserFacingError("指标序号不能为空。")
    if not name:
        raise UserFacingError("指标名称不能为空。")
    clash = session.scalar(select(Indicator.id).where(Indicator.plan_id == plan_id,
                                                      Indicator.code == code))
    if clash is not None and clash != indicator_id:
        raise UserFacingError(f"指标序号“{code}”已被使用。")
    parent = fields.parent_id
    while parent is not None:
        if parent == indicator_id:
            raise UserFacingError("不能把指标放到它自己的下级中。")
        row = session.get(Indicator, parent)
        if row is None or row.plan_id != plan_id:
            raise UserFacingError("上级指标不属于本方案。")
        parent = row.parent_id
    attribute = _opt(fields.attribute)
    if attribute and attribute not in ("约束性", "参考性"):
        raise UserFacingError("指标属性应为“约束性”或“参考性”(或留空)。")
    year = fields.target_year
    if year is not None and not 1990 <= int(year) <= 2100:
        raise UserFacingError(f"目标年份 {year} 不合理。")
    standard = _opt(fields.standard)
    return IndicatorFields(code, name, fields.parent_id, fields.domain.strip(),
                           fields.category.strip(), _opt(fields.unit),
                           standard.replace("≧", "≥").replace("≦", "≤") if standard else None,
                           attribute, _opt(fields.target), int(year) if year else None,
                           tuple(dict.fromkeys(n.strip() for n in fields.lead if n.strip())))


def _write_indicator(session: Session, ind: Indicator, fields: IndicatorFields) -> None:
    ind.code, ind.name, ind.parent_id = fields.code, fields.name, fields.parent_id
    ind.domain, ind.category, ind.unit = fields.domain, fields.category, fields.unit
    ind.standard, ind.attribute = fields.standard, fields.attribute
    ind.target, ind.target_year = fields.target, fields.target_year
    ind.comparator, ind.threshold = parse_standard_text(fields.standard)
    ind.target_value = parse_standard_text(fields.target)[1]
    session.flush()
    session.execute(delete(IndicatorLead).where(IndicatorLead.indicator_id == ind.id))
    ids = _unit_ids(session, fields.lead)
    if ids:
        session.execute(insert(IndicatorLead), [{"indicator_id": ind.id, "unit_id": u,
                                                 "position": i} for i, u in enumerate(ids)])
    _join_plan(session, ind.plan_id, ids)


def add_indicator(engine: Engine, plan_id: int, fields: IndicatorFields) -> Change:
    with _editing(engine) as s:
        if s.get(Plan, plan_id) is None:
            raise UserFacingError(f"方案 {plan_id} 不存在。")
        fields = _clean_indicator(s, plan_id, fields, None)
        pos = s.scalar(select(func.max(Indicator.position)).where(Indicator.plan_id == plan_id))
        ind = Indicator(plan_id=plan_id, code=fields.code, name=fields.name,
                        position=(pos + 1) if pos is not None else 0)
        s.add(ind)
        s.flush()
        _write_indicator(s, ind, fields)
        audit = _audit(s)
        audit.add("indicator", ind.id, CREATED, None, f"{fields.code} {fields.name}")
        audit.flush()
        return Change("indicator", ind.id, CREATED, after=fields)


def update_indicator(engine: Engine, indicator_id: int, fields: IndicatorFields) -> Change:
    with _editing(engine) as s:
        ind = s.get(Indicator, indicator_id)
        if ind is None:
            raise UserFacingError("指标已不存在(可能已被删除)。")
        fields = _clean_indicator(s, ind.plan_id, fields, indicator_id)
        before = _indicator_fields(s, ind)
        changed = _diff(before, fields)
        if changed:
            _write_indicator(s, ind, fields)
            audit = _audit(s)
            for f in changed:
                audit.add("indicator", indicator_id, f, getattr(before, f), getattr(fields, f))
            audit.flush()
        return Change("indicator", indicator_id, UPDATED, changed, before, fields)


def delete_indicator(engine: Engine, indicator_id: int) -> Change:
    with _editing(engine) as s:
        ind = s.get(Indicator, indicator_id)
        if ind is None:
            raise UserFacingError("指标已不存在(可能已被删除)。")
        if s.scalar(select(Indicator.id).where(Indicator.parent_id == indicator_id).limit(1)):
            raise UserFacingError(f"指标 {ind.code} 下还有子指标,请先删除子指标。")
        reported = s.scalar(select(func.count()).select_from(IndicatorValue)
                            .where(IndicatorValue.indicator_id == indicator_id)) or 0
        if reported:
            raise UserFacingError(f"指标 {ind.code} 已有 {reported} 条填报数值,不能删除。")
        snap = IndicatorSnapshot(ind.id, ind.uid, ind.plan_id, ind.position,
                                 _indicator_fields(s, ind))
        s.execute(delete(Flag).where(Flag.indicator_id == indicator_id))
        s.delete(ind)
        s.flush()
        audit = _audit(s)
        audit.add("indicator", indicator_id, DELETED, snap.fields, None)
        audit.flush()
        return Change("indicator", indicator_id, DELETED, before=snap)


def restore_indicator(engine: Engine, snap: IndicatorSnapshot) -> Change:
    with _editing(engine) as s:
        if s.get(Indicator, snap.id) is not None:
            raise UserFacingError("无法恢复指标:它已存在。")
        fields = _clean_indicator(s, snap.plan_id, snap.fields, None)
        ind = Indicator(id=snap.id, uid=snap.uid, plan_id=snap.plan_id, code=fields.code,
                        name=fields.name, position=snap.position)
        s.add(ind)
        s.flush()
        _write_indicator(s, ind, fields)
        audit = _audit(s)
        audit.add("indicator", ind.id, CREATED, None, f"{fields.code} {fields.name}(恢复)")
        audit.flush()
        return Change("indicator", ind.id, CREATED, after=fields)


# ---------------------------------------------------------------- units


def _clean_unit(session: Session, fields: UnitFields, unit_id: int | None) -> UnitFields:
    from app.services.plans.units import clean_name

    name = clean_name(fields.name)
    if not name:
        raise UserFacingError("单位名称不能为空。")
    if len(name) > 200:
        raise UserFacingError("单位名称太长。")
    kind = fields.kind or guess_kind(name)
    if kind not in UNIT_KINDS:
        raise UserFacingError(f"单位类型“{kind}”无效。")
    clash = session.scalar(select(Unit.id).where(Unit.name == name))
    if clash is not None and clash != unit_id:
        raise UserFacingError(f"已有名为“{name}”的单位。")
    clash = session.scalar(select(UnitAlias.unit_id).where(UnitAlias.alias == name))
    if clash is not None and clash != unit_id:
        other = session.get(Unit, clash)
        raise UserFacingError(f"“{name}”已是单位“{other.name if other else clash}”的别名。")
    aliases: list[str] = []
    for a in fields.aliases:
        a = clean_name(a)
        if not a or a == name or a in aliases:
            continue
        owner = session.scalar(select(UnitAlias.unit_id).where(UnitAlias.alias == a))
        named = session.scalar(select(Unit.id).where(Unit.name == a))
        if (owner is not None and owner != unit_id) or (named is not None and named != unit_id):
            raise UserFacingError(f"别名“{a}”已被另一个单位使用。")
        aliases.append(a)
    contact = clean_contact(fields.contact, fields.phone, fields.email, f"单位“{name}”")
    return UnitFields(name, kind, contact.person, tuple(aliases), contact.phone, contact.email)


def _unit_fields(session: Session, unit: Unit) -> UnitFields:
    aliases = tuple(session.scalars(select(UnitAlias.alias).where(UnitAlias.unit_id == unit.id)
                                    .order_by(UnitAlias.id)))
    return UnitFields(unit.name, unit.kind, unit.contact, aliases, unit.phone, unit.email)


def _write_aliases(session: Session, unit_id: int, aliases: tuple[str, ...]) -> None:
    session.execute(delete(UnitAlias).where(UnitAlias.unit_id == unit_id))
    session.flush()
    for a in aliases:
        session.add(UnitAlias(unit_id=unit_id, alias=a))
    session.flush()


def add_unit(engine: Engine, fields: UnitFields, plan_id: int | None = None) -> Change:
    """A new unit; with `plan_id` it also takes part in that plan."""
    with _editing(engine) as s:
        fields = _clean_unit(s, fields, None)
        unit = Unit(name=fields.name, kind=fields.kind, contact=fields.contact,
                    phone=fields.phone, email=fields.email)
        s.add(unit)
        s.flush()
        _write_aliases(s, unit.id, fields.aliases)
        if plan_id is not None:
            _join_plan(s, plan_id, [unit.id])
        audit = _audit(s)
        audit.add("unit", unit.id, CREATED, None, fields.name)
        audit.flush()
        return Change("unit", unit.id, CREATED, after=fields)


def update_unit(engine: Engine, unit_id: int, fields: UnitFields) -> Change:
    with _editing(engine) as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise UserFacingError("单位已不存在(可能已被删除)。")
        fields = _clean_unit(s, fields, unit_id)
        before = _unit_fields(s, unit)
        changed = _diff(before, fields)
        unit.name, unit.kind, unit.contact = fields.name, fields.kind, fields.contact
        unit.phone, unit.email = fields.phone, fields.email
        s.flush()
        if "aliases" in changed:
            _write_aliases(s, unit_id, fields.aliases)
        audit = _audit(s)
        for f in changed:
            audit.add("unit", unit_id, f, getattr(before, f), getattr(fields, f))
        audit.flush()
        return Change("unit", unit_id, UPDATED, changed, before, fields)


def _unit_in_use(session: Session, unit_id: int) -> str | None:
    checks = ((Assignment.unit_id, "任务分工"), (IndicatorLead.unit_id, "指标牵头"),
              (ProgressEntry.unit_id, "填报记录"), (IndicatorValue.unit_id, "指标数值"),
              (Packet.unit_id, "下发/报送包"), (Receipt.unit_id, "收件登记"))
    for column, label in checks:
        if session.scalar(select(func.count()).where(column == unit_id)):
            return label
    return None


def delete_unit(engine: Engine, unit_id: int) -> Change:
    """Delete a unit nothing refers to (no task, indicator, report or packet)."""
    with _editing(engine) as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise UserFacingError("单位已不存在(可能已被删除)。")
        used = _unit_in_use(s, unit_id)
        if used:
            raise UserFacingError(f"单位“{unit.name}”仍有{used},不能删除。请先取消它的分工。")
        plans = tuple((p, pos) for p, pos in s.execute(
            select(PlanUnit.plan_id, PlanUnit.position).where(PlanUnit.unit_id == unit_id)))
        snap = UnitSnapshot(unit.id, _unit_fields(s, unit), plans)
        s.execute(delete(PlanUnit).where(PlanUnit.unit_id == unit_id))
        s.delete(unit)
        s.flush()
        audit = _audit(s)
        audit.add("unit", unit_id, DELETED, snap.fields, None)
        audit.flush()
        return Change("unit", unit_id, DELETED, before=snap)


def restore_unit(engine: Engine, snap: UnitSnapshot) -> Change:
    with _editing(engine) as s:
        if s.get(Unit, snap.id) is not None:
            raise UserFacingError("无法恢复单位:它已存在。")
        fields = _clean_unit(s, snap.fields, None)
        s.add(Unit(id=snap.id, name=fields.name, kind=fields.kind, contact=fields.contact,
                   phone=fields.phone, email=fields.email))
        s.flush()
        _write_aliases(s, snap.id, fields.aliases)
        for plan_id, pos in snap.plans:
            if s.get(Plan, plan_id) is not None:
                s.add(PlanUnit(plan_id=plan_id, unit_id=snap.id, position=pos))
        audit = _audit(s)
        audit.add("unit", snap.id, CREATED, None, f"{fields.name}(恢复)")
        audit.flush()
        return Change("unit", snap.id, CREATED, after=fields)


def add_plan_units(engine: Engine, plan_id: int, names: list[str]) -> Change:
    """Let existing units take part in a plan (before any task is assigned to them)."""
    with _editing(engine) as s:
        ids = _unit_ids(s, names)
        present = set(s.scalars(select(PlanUnit.unit_id).where(PlanUnit.plan_id == plan_id)))
        added = [i for i in ids if i not in present]
        _join_plan(s, plan_id, added)
        audit = _audit(s)
        for uid in added:
            audit.add("plan_unit", plan_id, "unit", None, s.get(Unit, uid).name)  # type: ignore[union-attr]
        audit.flush()
        return Change("plan_unit", plan_id, UPDATED, ("units",), (), tuple(added))


def remove_plan_units(engine: Engine, plan_id: int, unit_ids: list[int]) -> Change:
    with _editing(engine) as s:
        for uid in unit_ids:
            used = s.scalar(select(func.count()).select_from(Assignment).join(
                Task, Task.id == Assignment.task_id).where(Task.plan_id == plan_id,
                                                           Assignment.unit_id == uid))
            used = used or s.scalar(select(func.count()).select_from(IndicatorLead).join(
                Indicator, Indicator.id == IndicatorLead.indicator_id).where(
                Indicator.plan_id == plan_id, IndicatorLead.unit_id == uid))
            if used:
                name = s.get(Unit, uid)
                raise UserFacingError(f"单位“{name.name if name else uid}”在本方案中仍有分工,"
                                      "请先取消分工。")
        removed = tuple(s.scalars(select(PlanUnit.unit_id).where(
            PlanUnit.plan_id == plan_id, PlanUnit.unit_id.in_(unit_ids))))
        s.execute(delete(PlanUnit).where(PlanUnit.plan_id == plan_id,
                                         PlanUnit.unit_id.in_(unit_ids)))
        audit = _audit(s)
        for uid in removed:
            audit.add("plan_unit", plan_id, "unit", s.get(Unit, uid).name, None)  # type: ignore[union-attr]
        audit.flush()
        return Change("plan_unit", plan_id, UPDATED, ("units",), removed, ())


def next_task_code(engine: Engine, plan_id: int, section_id: int | None) -> str:
    """A free code for a new task: the section's code plus the next number."""
    with Session(engine) as s:
        codes = set(s.scalars(select(Task.code).where(Task.plan_id == plan_id)))
        prefix = ""
        if section_id is not None:
            sec = s.get(Section, section_id)
            prefix = f"{sec.code}." if sec is not None and sec.code else ""
        n = 1
        while f"{prefix}{n}" in codes:
            n += 1
        return f"{prefix}{n}"


@dataclass(frozen=True)
class UnitRecord:
    """A unit as the editor lists it: every unit of the database, with its part in one plan."""

    id: int
    name: str
    kind: str
    contact: str
    aliases: tuple[str, ...]
    in_plan: bool
    tasks: int  # tasks of the plan naming it (any role)
    indicators: int
    phone: str = ""
    email: str = ""

    @property
    def fields(self) -> UnitFields:
        return UnitFields(self.name, self.kind, self.contact, self.aliases, self.phone,
                          self.email)


def list_units(engine: Engine, plan_id: int | None = None) -> list[UnitRecord]:
    """Units of the plan first (in plan order), then every other unit by name."""
    with Session(engine) as s:
        aliases: dict[int, list[str]] = {}
        for uid, alias in s.execute(select(UnitAlias.unit_id, UnitAlias.alias)
                                    .order_by(UnitAlias.id)):
            aliases.setdefault(uid, []).append(alias)
        order: dict[int, int] = {}
        tasks: dict[int, int] = {}
        inds: dict[int, int] = {}
        if plan_id is not None:
            order = {u: pos for u, pos in s.execute(
                select(PlanUnit.unit_id, PlanUnit.position).where(PlanUnit.plan_id == plan_id))}
            tasks = {u: n for u, n in s.execute(
                select(Assignment.unit_id, func.count(func.distinct(Assignment.task_id)))
                .join(Task, Task.id == Assignment.task_id).where(Task.plan_id == plan_id)
                .group_by(Assignment.unit_id))}
            inds = {u: n for u, n in s.execute(
                select(IndicatorLead.unit_id, func.count())
                .join(Indicator, Indicator.id == IndicatorLead.indicator_id)
                .where(Indicator.plan_id == plan_id).group_by(IndicatorLead.unit_id))}
        units = [UnitRecord(u.id, u.name, u.kind, u.contact, tuple(aliases.get(u.id, ())),
                            u.id in order, tasks.get(u.id, 0), inds.get(u.id, 0), u.phone,
                            u.email)
                 for u in s.scalars(select(Unit))]
    units.sort(key=lambda u: (not u.in_plan, order.get(u.id, 0), u.name))
    return units
