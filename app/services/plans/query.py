"""Plans as plain data: create a plan from a spec dict, read it back as dataclasses or JSON.

The spec dict is the format of the bundled examples (``app/resources/examples/*.json``)
and what the plan-workbook importer produces, so both paths share one writer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.clock import period_label  # its home is the clock; importable from here too
from app.core.errors import UserFacingError
from app.models import (
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
from app.services.db import driver_rows

_STANDARD = re.compile(r"^\s*(≥|≧|>=|≤|≦|<=|>|<|=)?\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")
_COMPARATORS = {"≥": ">=", "≧": ">=", ">=": ">=", "≤": "<=", "≦": "<=", "<=": "<=", ">": ">",
                "<": "<", "=": "="}


def parse_standard(text: str | None) -> tuple[str | None, float | None]:
    """'≥20' → ('>=', 20.0); '100' → ('>=', 100.0); '制定实施' → (None, None).

    Indicator tables write a bare number for a rate that must be reached (100, 95), so a
    bare number means "at least".
    """
    if not text:
        return None, None
    m = _STANDARD.match(text)
    if not m:
        return None, None
    comp = _COMPARATORS[m.group(1)] if m.group(1) else ">="
    return comp, float(m.group(2))


def guess_kind(name: str) -> str:
    if name.endswith("街道") or name.endswith("街道办事处"):
        return "street"
    if name.endswith("镇") or name.endswith("镇政府") or name.endswith("镇人民政府"):
        return "town"
    if "开发区" in name or "高新区" in name or "园区" in name:
        return "zone"
    if "创建办" in name:
        return "district_office"
    return "department"


# ---------------------------------------------------------------- periods

def make_periods(frequency: str, first: str, last: str, deadline_day: int
                 ) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    """Periods between the months `first` and `last` (YYYY-MM), each due on `deadline_day`
    of the month after it ends."""
    fy, fm = (int(x) for x in first.split("-"))
    ly, lm = (int(x) for x in last.split("-"))
    step = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[frequency]
    out: list[tuple[str, dt.date, dt.date, dt.date]] = []
    # align to the start of the block containing `first`
    m0 = fy * 12 + (fm - 1)
    m0 -= m0 % step
    end_idx = ly * 12 + (lm - 1)
    while m0 <= end_idx:
        y, m = divmod(m0, 12)
        m += 1
        start = dt.date(y, m, 1)
        ey, em = divmod(m0 + step - 1, 12)
        end = clock.month_end(ey, em + 1)
        if step == 1:
            key = f"{y}-{m:02d}"
        elif step == 3:
            key = f"{y}-Q{(m - 1) // 3 + 1}"
        elif step == 6:
            key = f"{y}-H{(m - 1) // 6 + 1}"
        else:
            key = f"{y}"
        out.append((key, start, end, clock.due_date(end, deadline_day)))
        m0 += step
    return out


# ---------------------------------------------------------------- writing

def resolve_unit(session: Session, name: str, cache: dict[str, int],
                 kind: str | None = None) -> int:
    """Id of the unit called `name` (or with that alias), created if unknown."""
    name = name.strip()
    if name in cache:
        return cache[name]
    uid = session.scalar(select(Unit.id).where(Unit.name == name))
    if uid is None:
        uid = session.scalar(select(UnitAlias.unit_id).where(UnitAlias.alias == name))
    if uid is None:
        unit = Unit(name=name, kind=kind or guess_kind(name))
        session.add(unit)
        session.flush()
        uid = unit.id
    cache[name] = uid
    return uid


def insert_plan(session: Session, spec: dict[str, Any]) -> int:
    """Write a whole plan from a spec dict inside the caller's transaction; returns its id."""
    if not spec.get("title"):
        raise UserFacingError("方案缺少标题。")
    frequency = spec.get("frequency") or "month"
    deadline_day = int(spec.get("deadline_day") or 5)
    plan = Plan(key=spec.get("key"), title=spec["title"], issuer=spec.get("issuer") or "",
                office=spec.get("office") or "", frequency=frequency, deadline_day=deadline_day)
    if spec.get("uid"):
        plan.uid = spec["uid"]
    session.add(plan)
    session.flush()

    units: dict[str, int] = {}
    order: list[int] = []
    for u in spec.get("units", []):
        uid = resolve_unit(session, u["name"], units, u.get("kind"))
        for alias in u.get("aliases", []):
            if alias not in units and session.scalar(
                    select(UnitAlias.id).where(UnitAlias.alias == alias)) is None \
                    and session.scalar(select(Unit.id).where(Unit.name == alias)) is None:
                session.add(UnitAlias(unit_id=uid, alias=alias))
            units[alias] = uid
        if uid not in order:
            order.append(uid)

    sections: dict[str, int] = {}

    def add_sections(items: list[dict[str, Any]], parent: int | None) -> None:
        for pos, sec in enumerate(items):
            row = Section(plan_id=plan.id, parent_id=parent, code=sec.get("code", ""),
                          title=sec["title"], position=pos)
            session.add(row)
            session.flush()
            sections[sec.get("code") or sec["title"]] = row.id
            add_sections(sec.get("children", []), row.id)

    add_sections(spec.get("sections", []), None)

    task_rows = []
    for pos, t in enumerate(spec.get("tasks", [])):
        task_rows.append({
            "uid": t.get("uid") or new_uid(), "plan_id": plan.id,
            "section_id": sections.get(t.get("section") or ""), "code": str(t["code"]),
            "position": pos, "text": t["text"], "deadline": t.get("deadline"),
            "target": t.get("target"),
        })
    if task_rows:
        session.execute(insert(Task), task_rows)
    task_ids = {code: tid for code, tid in session.execute(
        select(Task.code, Task.id).where(Task.plan_id == plan.id))}
    assignments = []
    for t in spec.get("tasks", []):
        seen: set[tuple[int, str]] = set()
        for role in ("lead", "cooperating", "implementing"):
            for pos, name in enumerate(t.get(role, [])):
                uid = resolve_unit(session, name, units)
                if (uid, role) in seen:
                    continue
                seen.add((uid, role))
                if uid not in order:
                    order.append(uid)
                assignments.append({"task_id": task_ids[str(t["code"])], "unit_id": uid,
                                    "role": role, "position": pos})
    if assignments:
        session.execute(insert(Assignment), assignments)

    pos_counter = 0

    def add_indicators(items: list[dict[str, Any]], parent: Indicator | None) -> None:
        nonlocal pos_counter
        for ind in items:
            comp, threshold = parse_standard(ind.get("standard"))
            _, target_value = parse_standard(ind.get("target"))
            row = Indicator(
                plan_id=plan.id, parent_id=parent.id if parent else None, code=str(ind["code"]),
                position=pos_counter, name=ind["name"],
                domain=ind.get("domain") or (parent.domain if parent else ""),
                category=ind.get("category") or (parent.category if parent else ""),
                unit=ind.get("unit"), standard=ind.get("standard"), comparator=comp,
                threshold=threshold,
                attribute=ind.get("attribute") or (parent.attribute if parent else None),
                target=ind.get("target"), target_value=target_value,
                target_year=ind.get("target_year") or (parent.target_year if parent else None))
            if ind.get("uid"):
                row.uid = ind["uid"]
            pos_counter += 1
            session.add(row)
            session.flush()
            for lpos, name in enumerate(ind.get("lead", [])):
                uid = resolve_unit(session, name, units)
                if uid not in order:
                    order.append(uid)
                session.add(IndicatorLead(indicator_id=row.id, unit_id=uid, position=lpos))
            add_indicators(ind.get("children", []), row)

    add_indicators(spec.get("indicators", []), None)

    if order:
        session.execute(insert(PlanUnit), [{"plan_id": plan.id, "unit_id": u, "position": i}
                                           for i, u in enumerate(order)])
    if spec.get("first_period") and spec.get("last_period"):
        periods = make_periods(frequency, spec["first_period"], spec["last_period"], deadline_day)
        session.execute(insert(Period), [
            {"plan_id": plan.id, "key": k, "start": s, "end": e, "due": d}
            for k, s, e, d in periods])
    session.flush()
    return plan.id


# ---------------------------------------------------------------- reading

@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    contact: str = ""  # 联系人
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class SectionInfo:
    id: int
    parent_id: int | None
    code: str
    title: str
    path: str  # "巩固生态安全屏障 › 环境空气质量改善"


@dataclass(frozen=True)
class TaskInfo:
    id: int
    uid: str
    code: str
    section_id: int | None
    section: str
    text: str
    deadline: str | None
    target: str | None
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    implementing: tuple[str, ...]

    @property
    def title(self) -> str:
        """The task's first sentence, the way people refer to it."""
        return short_title(self.text)

    def units(self) -> tuple[str, ...]:
        return self.lead + self.cooperating + self.implementing

    def role_of(self, unit: str) -> str | None:
        for role in ("lead", "cooperating", "implementing"):
            if unit in getattr(self, role):
                return role
        return None


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    uid: str
    code: str
    parent_id: int | None
    domain: str
    category: str
    name: str
    unit: str | None
    standard: str | None
    comparator: str | None
    threshold: float | None
    attribute: str | None
    target: str | None
    target_value: float | None
    target_year: int | None
    lead: tuple[str, ...]


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    key: str
    start: dt.date
    end: dt.date
    due: dt.date

    @property
    def label(self) -> str:
        return period_label(self.key)


@dataclass(frozen=True)
class PlanSummary:
    id: int
    uid: str
    key: str | None
    title: str
    issuer: str
    office: str
    frequency: str
    deadline_day: int


@dataclass
class PlanInfo:
    plan: PlanSummary
    units: list[UnitInfo] = field(default_factory=list)
    sections: list[SectionInfo] = field(default_factory=list)
    tasks: list[TaskInfo] = field(default_factory=list)
    indicators: list[IndicatorInfo] = field(default_factory=list)
    periods: list[PeriodInfo] = field(default_factory=list)


def short_title(text: str) -> str:
    for stop in ("。", ";", ";", ":"):
        head, sep, _ = text.partition(stop)
        if sep and 0 < len(head) <= 40:
            return head
    return text[:40] + ("…" if len(text) > 40 else "")


def _summary(p: Plan) -> PlanSummary:
    return PlanSummary(p.id, p.uid, p.key, p.title, p.issuer, p.office, p.frequency,
                       p.deadline_day)


def list_plans(engine: Engine) -> list[PlanSummary]:
    with Session(engine) as s:
        return [_summary(p) for p in s.scalars(select(Plan).order_by(Plan.id))]


def load_sections(session: Session, plan_id: int) -> list[SectionInfo]:
    """The plan's section tree in display order (parents first), with paths."""
    return _sections(session, plan_id)[0]


def section_paths(session: Session, plan_id: int) -> dict[int, str]:
    """Section id → its path ("巩固生态安全屏障 › 环境空气质量改善")."""
    return _sections(session, plan_id)[1]


def load_periods(session: Session, plan_id: int) -> list[PeriodInfo]:
    """The plan's periods, earliest first."""
    return [PeriodInfo(*p) for p in session.execute(
        select(Period.id, Period.key, Period.start, Period.end, Period.due)
        .where(Period.plan_id == plan_id).order_by(Period.start))]


def _sections(session: Session, plan_id: int) -> tuple[list[SectionInfo], dict[int, str]]:
    sec_rows = list(session.scalars(select(Section).where(Section.plan_id == plan_id)
                                    .order_by(Section.id)))
    by_id = {s.id: s for s in sec_rows}

    def path(sid: int | None) -> str:
        parts: list[str] = []
        while sid is not None and sid in by_id:
            parts.append(by_id[sid].title)
            sid = by_id[sid].parent_id
        return " › ".join(reversed(parts))

    children: dict[int | None, list[Section]] = defaultdict(list)
    for s in sec_rows:
        children[s.parent_id].append(s)
    ordered: list[SectionInfo] = []

    def walk(parent: int | None) -> None:
        for s in sorted(children[parent], key=lambda x: x.position):
            ordered.append(SectionInfo(s.id, s.parent_id, s.code, s.title, path(s.id)))
            walk(s.id)

    walk(None)
    return ordered, {sid: path(sid) for sid in by_id}


def load_plan(session: Session, plan_id: int) -> PlanInfo:
    """Everything about one plan in a handful of queries (no per-row lazy loads)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserFacingError(f"方案 {plan_id} 不存在。")
    aliases: dict[int, list[str]] = defaultdict(list)
    for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias)
                                          .order_by(UnitAlias.id)):
        aliases[unit_id].append(alias)
    # plain column rows, not ORM objects: building those was most of loading a plan
    units = [UnitInfo(u.id, u.name, u.kind, tuple(aliases[u.id]), u.contact, u.phone, u.email)
             for u in session.execute(
        select(Unit.id, Unit.name, Unit.kind, Unit.contact, Unit.phone, Unit.email)
        .join(PlanUnit, PlanUnit.unit_id == Unit.id)
        .where(PlanUnit.plan_id == plan_id).order_by(PlanUnit.position))]
    unit_names = {u.id: u.name for u in units}
    missing = session.connection().execute(select(Unit.id, Unit.name)).all()
    for uid, name in missing:
        unit_names.setdefault(uid, name)

    ordered, paths = _sections(session, plan_id)

    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    # the driver's tuples: one row per task × unit (30,000 at city scale)
    for task_id, unit_id, role in driver_rows(session, (
            select(Assignment.task_id, Assignment.unit_id, Assignment.role)
            .join(Task, Task.id == Assignment.task_id).where(Task.plan_id == plan_id)
            .order_by(Assignment.task_id, Assignment.role, Assignment.position))):
        roles[task_id][role].append(unit_names[unit_id])
    tasks = [TaskInfo(t.id, t.uid, t.code, t.section_id,
                      paths.get(t.section_id, "") if t.section_id is not None else "",
                      t.text, t.deadline,
                      t.target, tuple(roles[t.id]["lead"]), tuple(roles[t.id]["cooperating"]),
                      tuple(roles[t.id]["implementing"]))
             for t in session.execute(
                 select(Task.id, Task.uid, Task.code, Task.section_id, Task.text,
                        Task.deadline, Task.target)
                 .where(Task.plan_id == plan_id).order_by(Task.position, Task.id))]

    leads: dict[int, list[str]] = defaultdict(list)
    for ind_id, unit_id in session.execute(
            select(IndicatorLead.indicator_id, IndicatorLead.unit_id)
            .join(Indicator, Indicator.id == IndicatorLead.indicator_id)
            .where(Indicator.plan_id == plan_id).order_by(IndicatorLead.position)):
        leads[ind_id].append(unit_names[unit_id])
    indicators = [IndicatorInfo(i.id, i.uid, i.code, i.parent_id, i.domain, i.category, i.name,
                                i.unit, i.standard, i.comparator, i.threshold, i.attribute,
                                i.target, i.target_value, i.target_year, tuple(leads[i.id]))
                  for i in session.execute(
                      select(Indicator.id, Indicator.uid, Indicator.code, Indicator.parent_id,
                             Indicator.domain, Indicator.category, Indicator.name,
                             Indicator.unit, Indicator.standard, Indicator.comparator,
                             Indicator.threshold, Indicator.attribute, Indicator.target,
                             Indicator.target_value, Indicator.target_year)
                      .where(Indicator.plan_id == plan_id)
                      .order_by(Indicator.position, Indicator.id))]
    return PlanInfo(_summary(plan), units, ordered, tasks, indicators,
                    load_periods(session, plan_id))


def get_plan(engine: Engine, plan_id: int) -> PlanInfo:
    with Session(engine) as s:
        return load_plan(s, plan_id)


def plan_json(info: PlanInfo) -> dict[str, Any]:
    """The `plan show --json` shape of the brief."""
    ind_codes = {i.id: i.code for i in info.indicators}
    return {
        "id": info.plan.id,
        "title": info.plan.title,
        "issuer": info.plan.issuer,
        "office": info.plan.office,
        "frequency": info.plan.frequency,
        "deadline_day": info.plan.deadline_day,
        "periods": [p.key for p in info.periods],
        "units": [{"name": u.name, "kind": u.kind} for u in info.units],
        "sections": [{"code": s.code, "title": s.title, "path": s.path} for s in info.sections],
        "tasks": [{"code": t.code, "section": t.section, "text": t.text, "deadline": t.deadline,
                   "target": t.target, "lead": list(t.lead), "cooperating": list(t.cooperating),
                   "implementing": list(t.implementing)} for t in info.tasks],
        "indicators": [{"code": i.code, "parent": ind_codes.get(i.parent_id) if i.parent_id
                        else None, "domain": i.domain, "category": i.category, "name": i.name,
                        "unit": i.unit, "standard": i.standard, "attribute": i.attribute,
                        "target": i.target, "target_year": i.target_year, "lead": list(i.lead)}
                       for i in info.indicators],
    }


def plans_json(engine: Engine, plan_id: int | None = None) -> dict[str, Any]:
    with Session(engine) as s:
        ids = [plan_id] if plan_id is not None else list(
            s.scalars(select(Plan.id).order_by(Plan.id)))
        return {"plans": [plan_json(load_plan(s, i)) for i in ids]}


def resolve_plan_period(session: Session, period_key: str, plan_id: int | None,
                        missing: str | None = None) -> Period:
    """The period `period_key` of `plan_id`, or of the only plan that has it.

    `missing` is the message when there is none (the office says to open the packet first).
    """
    query = select(Period).where(Period.key == period_key)
    if plan_id is not None:
        if session.get(Plan, plan_id) is None:
            raise UserFacingError(f"方案 {plan_id} 不存在。")
        query = query.where(Period.plan_id == plan_id)
    periods = list(session.scalars(query))
    if not periods:
        raise UserFacingError(missing or f"没有填报周期 {period_key}。")
    if len(periods) > 1:
        raise UserFacingError(f"多个方案都有周期 {period_key},请指定方案(命令行用 --plan)。")
    return periods[0]
