"""The period summary behind the dashboard, the 通报 and the 汇总表 (no Qt).

For one plan and period: which units returned on time, late or not at all; task counts
by status per unit and per section; average completion; tasks behind schedule with their
problems; indicator attainment; and how each figure moved since the previous period.

Rules (the same everywhere a figure is shown):

* A unit *returned* when its receipt for the period is accepted, and it is *late* when it
  arrived after the period's due date — exactly what ``progress --json`` says.
* Every (unit, task) assignment of a reporting unit is one expected report; its status is
  the reported one, or ``unreported`` (未填报) when there is no entry or no status.
* An entry's completion is its percent; a 已完成 entry without a percent counts as 100;
  other entries without a percent are left out of averages.
* An entry is *behind schedule* when its status is 滞后, or when the task's deadline
  (``YYYY-MM`` means the end of that month) ended before the period did and the entry is
  neither 已完成 nor 长期坚持.
* Indicator attainment is judged per leaf indicator from the values its lead units
  reported this period (any unit's, if it has no lead): see ``judge_value``.

Loading is set-based: a handful of queries per period (entries, receipts, indicator
values) plus one grouped query for the trend, then aggregation in Python.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, case, func, literal, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.core.vocab import STATUSES, UNREPORTED
from app.models import (
    Approval,
    CloseOut,
    IndicatorValue,
    ProgressEntry,
    Receipt,
    Task,
    Unit,
)
from app.services.db import ConnectionCache, driver_rows
from app.services.district.progress import reporting_units
from app.services.plans.query import (
    IndicatorInfo,
    PeriodInfo,
    PlanInfo,
    PlanSummary,
    SectionInfo,
    TaskInfo,
    load_plan,
    parse_standard,
    resolve_plan_period,
)

STATUS_KEYS = (*STATUSES, UNREPORTED)


# ---------------------------------------------------------------- data

@dataclass(frozen=True)
class Breakdown:
    """Status counts and average completion of a set of expected reports."""

    expected: int = 0  # assignments (unit × task) expected to be reported
    counts: dict[str, int] = field(default_factory=dict)  # STATUS_KEYS → count
    average: float | None = None  # mean completion (percent), None if nothing to average
    behind: int = 0  # entries behind schedule

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def reported(self) -> int:
        """Reports with a status."""
        return sum(n for k, n in self.counts.items() if k != UNREPORTED)


@dataclass(frozen=True)
class UnitSummary:
    name: str
    kind: str
    state: str  # on_time / late / missing (app.core.vocab.RETURN_STATES)
    received_at: dt.datetime | None  # local time
    days_late: int
    tasks: Breakdown
    previous_state: str | None = None  # None when there is no previous period
    previous: Breakdown | None = None

    @property
    def returned(self) -> bool:
        return self.state != "missing"

    @property
    def average_change(self) -> float | None:
        return _delta(self.tasks.average, self.previous.average if self.previous else None)


@dataclass(frozen=True)
class SectionSummary:
    id: int
    code: str
    title: str
    path: str
    depth: int
    tasks: int  # task items in the section and below
    breakdown: Breakdown
    previous: Breakdown | None = None

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip() if self.code else self.title

    @property
    def average_change(self) -> float | None:
        return _delta(self.breakdown.average, self.previous.average if self.previous else None)


@dataclass(frozen=True)
class BehindEntry:
    unit: str
    role: str | None
    status: str | None
    percent: float | None
    problems: str
    reason: str  # behind / overdue (app.core.vocab.BEHIND_REASON_LABELS)


@dataclass(frozen=True)
class BehindTask:
    task_id: int
    code: str
    title: str
    section_id: int | None
    section: str  # path
    top_section: str  # top-level section label ("" when the task has none)
    deadline: str | None
    lead: tuple[str, ...]
    entries: tuple[BehindEntry, ...]
    new: bool  # not behind in the previous period

    @property
    def units(self) -> list[str]:
        return [e.unit for e in self.entries]


@dataclass(frozen=True)
class ClosedItem:
    """A task item closed out (销号) for one unit: listed as 已销号 with its date."""

    code: str
    title: str
    unit: str
    closed_on: dt.date
    note: str


@dataclass(frozen=True)
class IndicatorResult:
    id: int
    code: str
    name: str
    unit: str | None
    standard: str | None
    attribute: str | None
    target: str | None
    lead: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (reporting unit, value) judged for this indicator
    result: str  # met / not_met / pending (app.core.vocab.ATTAINMENTS)
    previous_result: str | None
    domain: str = ""

    @property
    def value_text(self) -> str:
        if len(self.values) == 1:
            return self.values[0][1]
        return ";".join(f"{u}:{v}" for u, v in self.values)

    @property
    def changed(self) -> bool:
        return self.previous_result is not None and self.previous_result != self.result


@dataclass(frozen=True)
class TrendPoint:
    key: str
    label: str
    average: float | None
    reports: int  # entries with a status
    behind: int  # entries with status 滞后
    completed: int
    returned: int  # units whose return was accepted
    late: int


@dataclass(frozen=True)
class Totals:
    units: int
    on_time: int
    late: int
    missing: int
    tasks: Breakdown
    behind_tasks: int  # task items with at least one entry behind schedule
    attainment: dict[str, int]  # met / not_met / pending → count of leaf indicators

    @property
    def returned(self) -> int:
        return self.on_time + self.late

    @property
    def return_rate(self) -> float | None:
        return 100.0 * self.returned / self.units if self.units else None


@dataclass(frozen=True)
class PeriodSummary:
    plan: PlanSummary
    period: PeriodInfo
    previous_period: PeriodInfo | None
    today: dt.date
    unit_filter: str | None
    section_filter: int | None
    units: list[UnitSummary]
    sections: list[SectionSummary]  # tree order, with depth
    behind: list[BehindTask]
    indicators: list[IndicatorResult]
    totals: Totals
    previous_totals: Totals | None
    trend: list[TrendPoint]
    office: str = ""  # the district office's name (issuer of the 通报)
    next_period: PeriodInfo | None = None
    task_items: int = 0  # task items in scope (the plan's, or the chosen section's)
    approved: int = 0  # units whose report for the period the district approved (审核通过)
    closed: list[ClosedItem] = field(default_factory=list)  # 已销号, in task order

    def top_sections(self) -> list[SectionSummary]:
        return [s for s in self.sections if s.depth == 0]

    def units_in(self, state: str) -> list[UnitSummary]:
        return [u for u in self.units if u.state == state]

    @property
    def average_change(self) -> float | None:
        if self.previous_totals is None:
            return None
        return _delta(self.totals.tasks.average, self.previous_totals.tasks.average)


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


# ---------------------------------------------------------------- rules

def completion(status: str | None, percent: float | None) -> float | None:
    """An entry's completion: its percent; 100 for 已完成 without one; else None."""
    if percent is not None:
        return float(percent)
    return 100.0 if status == "completed" else None


def behind_reason(status: str | None, deadline: str | None, period_end: dt.date) -> str | None:
    """'behind' for 滞后, 'overdue' when the deadline ended before the period and the task is
    neither completed nor a continuous duty; else None."""
    if status == "behind":
        return "behind"
    end = clock.deadline_end(deadline)
    if end is not None and end < period_end and status not in ("completed", "ongoing"):
        return "overdue"
    return None


_FULLWIDTH = str.maketrans("0123456789.%-+,", "0123456789.%-+,")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_NEGATIVE_PREFIXES = ("未", "尚未", "没有", "否", "不达标", "不符合", "不合格", "未能")
_NEGATIVE_WORDS = {"滞后", "未启动", "不达标", "未达标", "不合格", "否"}
_POSITIVE_WORDS = {"达标", "是", "完成", "符合", "合格", "长期坚持", "有效开展", "全面实施"}
_POSITIVE_PREFIXES = ("已", "完成", "达标", "全面完成", "符合")
_PENDING_WORDS = {"推进中", "进行中", "待评估", "评估中"}


def parse_value_number(value: str) -> float | None:
    """'96.5', '96.5%', '96.5%', '1,200' → float; text → None."""
    text = value.translate(_FULLWIDTH).strip().rstrip("%").replace(",", "").strip()
    return float(text) if _NUMBER.match(text) else None


def _compare(value: float, comparator: str, threshold: float) -> bool:
    return {">=": value >= threshold, "<=": value <= threshold, ">": value > threshold,
            "<": value < threshold, "=": abs(value - threshold) < 1e-9}[comparator]


def numeric_basis(ind: IndicatorInfo) -> tuple[str | None, float | None]:
    """The comparator and threshold an indicator is judged by: its standard (指标值) when
    that is numeric, else its target (目标值) when that is numeric."""
    if ind.comparator and ind.threshold is not None:
        return ind.comparator, ind.threshold
    return parse_standard(ind.target)


def judge_value(value: str, comparator: str | None, threshold: float | None,
                standard: str | None) -> str:
    """met / not_met / pending for one reported value.

    A numeric basis compares a numeric value with its comparator (≥20 needs 20 or more).
    Otherwise the value is read as the lead unit's statement: a negation (未…, 尚未…, 否,
    滞后, 未启动) is not met; the standard's own words (制定实施, 不明显) or an affirmation
    (已…, 达标…, 完成…, 长期坚持) is met; anything else (推进中, a bare number against a text
    standard, nothing reported) is pending, for a person to assess.
    """
    text = re.sub(r"\s+", "", value or "")
    if not text:
        return "pending"
    if comparator and threshold is not None:
        number = parse_value_number(text)
        if number is not None:
            return "met" if _compare(number, comparator, threshold) else "not_met"
    if text in _PENDING_WORDS:
        return "pending"
    if text in _NEGATIVE_WORDS or text.startswith(_NEGATIVE_PREFIXES):
        return "not_met"
    std = re.sub(r"\s+", "", standard or "")
    if std and std in text:
        return "met"
    if text in _POSITIVE_WORDS or text.startswith(_POSITIVE_PREFIXES):
        return "met"
    return "pending"


def combine(results: Iterable[str]) -> str:
    """Several lead units: any not met → not met; all met → met; else pending."""
    seen = list(results)
    if not seen:
        return "pending"
    if "not_met" in seen:
        return "not_met"
    return "met" if all(r == "met" for r in seen) else "pending"


# ---------------------------------------------------------------- loading

@dataclass
class _Raw:
    """What the database holds for one period, as plain tuples."""

    period: PeriodInfo
    # (unit, task, status, percent, problems) of the units in scope, one per (unit, task)
    entries: list[tuple[int, int, str | None, float | None, str]]
    receipts: dict[int, tuple[str, dt.datetime | None]]  # unit → (state, received_at)
    values: dict[tuple[int, int], str]  # (unit, indicator) → value


def _load_raw(s: Session, period: PeriodInfo, unit_ids: set[int], with_text: bool) -> _Raw:
    problems = ProgressEntry.problems if with_text else literal("")
    entries = [row for row in driver_rows(s, select(
        ProgressEntry.unit_id, ProgressEntry.task_id, ProgressEntry.status,
        ProgressEntry.percent, problems).where(ProgressEntry.period_id == period.id))
               if row[0] in unit_ids]
    receipts = {uid: (state, at) for uid, state, at in s.connection().execute(
        select(Receipt.unit_id, Receipt.state, Receipt.received_at)
        .where(Receipt.period_id == period.id))}
    values = {(uid, iid): value for uid, iid, value in s.connection().execute(
        select(IndicatorValue.unit_id, IndicatorValue.indicator_id, IndicatorValue.value)
        .where(IndicatorValue.period_id == period.id))}
    return _Raw(period, entries, receipts, values)


def return_state(receipt: tuple[str, dt.datetime | None] | None, due: dt.date
                 ) -> tuple[str, int]:
    """(on_time / late / missing, days late) — the rule of ``progress --json``."""
    if receipt is None or receipt[0] != "accepted":
        return "missing", 0
    late = clock.days_late(receipt[1], due) if receipt[1] is not None else 0
    return ("late", late) if late else ("on_time", 0)


# ---------------------------------------------------------------- aggregation

@dataclass
class _Acc:
    expected: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_KEYS, 0))
    total: float = 0.0
    n: int = 0
    behind: int = 0

    def freeze(self) -> Breakdown:
        return Breakdown(self.expected, dict(self.counts),
                         self.total / self.n if self.n else None, self.behind)


@dataclass
class _Computed:
    units: dict[int, Breakdown]
    states: dict[int, tuple[str, int, dt.datetime | None]]
    sections: dict[int, Breakdown]
    total: Breakdown
    behind: dict[int, list[BehindEntry]]  # task id → entries
    indicators: dict[int, tuple[tuple[tuple[str, str], ...], str]]  # id → (values, result)


class _Scope:
    """The plan, its reporting units and the filter, prepared once for every period."""

    def __init__(self, plan: PlanInfo, units: list[tuple[int, str, str]],
                 unit_filter: str | None, section_filter: int | None) -> None:
        self.plan = plan
        self.all_units = units
        if unit_filter is not None and unit_filter not in {name for _, name, _ in units}:
            raise UserFacingError(f"单位“{unit_filter}”不在本方案的填报单位中。")
        self.units = [u for u in units if unit_filter is None or u[1] == unit_filter]
        self.unit_ids = {uid for uid, _, _ in self.units}
        self.name_of = {uid: name for uid, name, _ in units}
        self.id_of = {name: uid for uid, name, _ in units}
        self.position = {uid: i for i, (uid, _, _) in enumerate(units)}
        sec_by_id = {s.id: s for s in plan.sections}
        if section_filter is not None and section_filter not in sec_by_id:
            raise UserFacingError("所选领域不属于本方案。")
        children: dict[int | None, list[int]] = defaultdict(list)
        for s in plan.sections:
            children[s.parent_id].append(s.id)
        self.subtree: dict[int, set[int]] = {}

        def walk(sid: int) -> set[int]:
            out = {sid}
            for c in children.get(sid, []):
                out |= walk(c)
            self.subtree[sid] = out
            return out

        for s in plan.sections:
            if s.parent_id is None:
                walk(s.id)
        self.depth: dict[int, int] = {}
        for s in plan.sections:  # tree order: parents come first
            self.depth[s.id] = 0 if s.parent_id is None else self.depth.get(s.parent_id, 0) + 1
        self.top_of: dict[int, SectionInfo] = {}
        for s in plan.sections:
            top = s
            while top.parent_id is not None and top.parent_id in sec_by_id:
                top = sec_by_id[top.parent_id]
            self.top_of[s.id] = top
        allowed = self.subtree.get(section_filter) if section_filter is not None else None
        self.tasks: list[TaskInfo] = [t for t in plan.tasks
                                      if allowed is None or t.section_id in allowed]
        self.task_by_id = {t.id: t for t in self.tasks}
        self.section_of: dict[int, int | None] = {t.id: t.section_id for t in self.tasks}
        self.deadline_end = {t.id: end for t in self.tasks
                             if (end := clock.deadline_end(t.deadline)) is not None}
        self.sections = [s for s in plan.sections if allowed is None or s.id in allowed]
        # (unit id, task id) → its (unit, section) cell, for every report expected of a
        # unit in scope; and how many each cell expects. Which role and place in plan
        # order a report has is asked only for the few behind schedule (`placement`).
        self.expected: dict[tuple[int, int], tuple[int, int | None]] = {}
        expected, id_of, unit_ids = self.expected, self.id_of, self.unit_ids
        for t in self.tasks:
            tid, sid = t.id, t.section_id
            expected.update({(uid, tid): (uid, sid) for uid in map(
                id_of.get, (*t.lead, *t.cooperating, *t.implementing)) if uid in unit_ids})
        self.expected_cells: dict[tuple[int, int | None], int] = Counter(expected.values())
        self.task_index = {t.id: i for i, t in enumerate(self.tasks)}
        has_children = {i.parent_id for i in plan.indicators if i.parent_id is not None}
        self.indicators = [i for i in plan.indicators if i.id not in has_children]

    def placement(self, uid: int, tid: int) -> tuple[tuple[float, int, int], str | None]:
        """Where a unit's report of a task comes in plan order (the task, then lead,
        cooperating and implementing units in the plan's order; the first role named
        counts) and that role; reports outside the assignments come last."""
        t = self.task_by_id.get(tid)
        name = self.name_of.get(uid)
        if t is not None and (uid, tid) in self.expected:
            for rank, (role, names) in enumerate((("lead", t.lead),
                                                  ("cooperating", t.cooperating),
                                                  ("implementing", t.implementing))):
                if name in names:
                    return (self.task_index[tid], rank, names.index(name)), role
        return (math.inf, 0, 0), None

    def compute(self, raw: _Raw, closed: frozenset[tuple[int, int]] = frozenset(),
                detail: bool = True) -> _Computed:
        """Aggregate one period. Reports are first summed per (unit, section) cell in a
        single pass over the period's entries (the expected counts per cell are the
        scope's), then the cells are added up per unit, per section and in total.
        `closed` (unit, task) pairs (销号) never count as behind schedule. Without
        `detail` the behind-schedule entries are only counted (the previous period)."""
        period_end = raw.period.end
        overdue = {tid for tid, end in self.deadline_end.items() if end < period_end}
        section_of = self.section_of
        unit_ids = self.unit_ids
        # cell: [expected, counts, completion sum, completion n, behind, expected reported]
        cells: dict[tuple[int, int | None], list[Any]] = {
            key: [n, dict.fromkeys(STATUS_KEYS, 0), 0.0, 0, 0, 0]
            for key, n in self.expected_cells.items()}
        behind_rows: list[tuple[int, int, str | None, float | None, str]] = []
        get = self.expected.get
        for row in raw.entries:
            uid, tid, status, percent, _ = row
            cell_key = get((uid, tid))
            if cell_key is not None:
                c = cells[cell_key]
                c[5] += 1
            elif tid in section_of and uid in unit_ids:  # outside the assignments:
                cell_key = (uid, section_of[tid])  # such reports still count
                c = cells.get(cell_key) or cells.setdefault(
                    cell_key, [0, dict.fromkeys(STATUS_KEYS, 0), 0.0, 0, 0, 0])
            else:
                continue
            c[1][status or UNREPORTED] += 1
            if percent is not None:
                c[2] += percent
                c[3] += 1
            elif status == "completed":
                c[2] += 100.0
                c[3] += 1
            # the rule of behind_reason, inlined for speed
            if (status == "behind" or (tid in overdue
                                       and status not in ("completed", "ongoing"))) \
                    and (uid, tid) not in closed:
                c[4] += 1
                behind_rows.append(row)
        for c in cells.values():
            c[1][UNREPORTED] += c[0] - c[5]

        behind: dict[int, list[BehindEntry]] = defaultdict(list)
        if detail:
            placed = sorted(((self.placement(r[0], r[1]), r) for r in behind_rows),
                            key=lambda p: p[0][0])  # plan order, unassigned ones last
            for (_, role), (uid, tid, status, percent, problems) in placed:
                behind[tid].append(BehindEntry(
                    self.name_of[uid], role, status, percent, problems or "",
                    "behind" if status == "behind" else "overdue"))
        else:
            for row in behind_rows:
                behind.setdefault(row[1], [])

        def add_up(parts: Iterable[list[Any]]) -> Breakdown:
            acc = _Acc()
            for p in parts:
                acc.expected += p[0]
                for k, n in p[1].items():
                    acc.counts[k] += n
                acc.total += p[2]
                acc.n += p[3]
                acc.behind += p[4]
            return acc.freeze()

        by_unit: dict[int, list[list[Any]]] = defaultdict(list)
        by_section: dict[int | None, list[list[Any]]] = defaultdict(list)
        for (uid, sid), c in cells.items():
            by_unit[uid].append(c)
            by_section[sid].append(c)
        units = {uid: add_up(by_unit.get(uid, [])) for uid in self.unit_ids}
        sections = {sec.id: add_up(c for sid in self.subtree.get(sec.id, {sec.id})
                                   for c in by_section.get(sid, []))
                    for sec in self.sections}
        total = add_up(cells.values())

        states: dict[int, tuple[str, int, dt.datetime | None]] = {}
        for uid in self.unit_ids:
            receipt = raw.receipts.get(uid)
            state, late = return_state(receipt, raw.period.due)
            states[uid] = (state, late, clock.to_local(receipt[1]) if receipt and receipt[1] else None)

        values_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for (uid, iid), v in raw.values.items():
            values_of[iid].append((uid, v))
        indicators: dict[int, tuple[tuple[tuple[str, str], ...], str]] = {}
        for ind in self.indicators:
            lead_ids = [self.id_of[n] for n in ind.lead if n in self.id_of]
            if lead_ids:
                reporters = [(uid, raw.values.get((uid, ind.id), "")) for uid in lead_ids
                             if uid in self.unit_ids]
            else:
                reporters = [(uid, v) for uid, v in values_of.get(ind.id, [])
                             if uid in self.unit_ids]
                reporters.sort(key=lambda r: self.position.get(r[0], len(self.position)))
            reported = [(self.name_of.get(uid, str(uid)), v) for uid, v in reporters
                        if v and v.strip()]
            comp, threshold = numeric_basis(ind)
            result = combine(judge_value(v, comp, threshold, ind.standard or ind.target)
                             for _, v in reported)
            indicators[ind.id] = (tuple(reported), result)

        return _Computed(units, states, sections, total, dict(behind), indicators)

    def totals(self, c: _Computed) -> Totals:
        states = [c.states[uid][0] for uid in self.unit_ids]
        attainment = dict.fromkeys(("met", "not_met", "pending"), 0)
        for _, result in c.indicators.values():
            attainment[result] += 1
        return Totals(len(self.unit_ids), states.count("on_time"), states.count("late"),
                      states.count("missing"), c.total, len(c.behind), attainment)


def _point(c: _Computed) -> tuple[float | None, int, int, int, int, int]:
    """A period's trend figures from its aggregation (average, reports, 滞后, 已完成,
    returned, late): the same as the grouped query counts (every entry of a unit and task
    in scope, and the accepted returns)."""
    t = c.total
    states = [state for state, _, _ in c.states.values()]
    return (t.average, t.reported, t.count("behind"), t.count("completed"),
            len(states) - states.count("missing"), states.count("late"))


_TrendStats = tuple[dict[int, tuple[Any, ...]], dict[int, int], dict[int, int]]


def _trend_stats(conn: Connection, scope: _Scope, periods: list[PeriodInfo]) -> _TrendStats:
    """The grouped query behind the trend for `periods` (average, reports, 滞后, 已完成 per
    period) and their accepted returns (returned, late per period)."""
    stats: dict[int, tuple[Any, ...]] = {}
    returned: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    if not periods:
        return stats, returned, late
    ids = [p.id for p in periods]
    pct = case((ProgressEntry.percent.is_not(None), ProgressEntry.percent),
               (ProgressEntry.status == "completed", 100.0), else_=None)
    query = (select(ProgressEntry.period_id, func.avg(pct),
                    func.count(ProgressEntry.status),
                    func.count(case((ProgressEntry.status == "behind", 1))),
                    func.count(case((ProgressEntry.status == "completed", 1))))
             .where(ProgressEntry.period_id.in_(ids),
                    ProgressEntry.unit_id.in_(scope.unit_ids))
             .group_by(ProgressEntry.period_id))
    if len(scope.tasks) != len(scope.plan.tasks):
        query = query.where(ProgressEntry.task_id.in_(list(scope.task_by_id)))
    result = conn.execute(query)
    try:  # the driver's tuples (see app.services.db.driver_rows)
        stats = {row[0]: row[1:] for row in result.cursor.fetchall()}
    finally:
        result.close()
    due = {p.id: p.due for p in periods}
    for pid, uid, at in conn.execute(
            select(Receipt.period_id, Receipt.unit_id, Receipt.received_at)
            .where(Receipt.period_id.in_(ids), Receipt.state == "accepted")).all():
        if uid in scope.unit_ids:
            returned[pid] += 1
            if at is not None and clock.days_late(at, due[pid]):
                late[pid] += 1
    return stats, returned, late


class _Background:
    """`_trend_stats` on a connection of its own in a thread, while the caller reads and
    aggregates the period shown: the grouped query spends its time inside SQLite, which
    lets go of the GIL, so on two cores the two overlap (the trend's scan of 10 periods
    was a third of the dashboard's refresh). The trend's other periods are then read in a
    transaction of their own: a merge committing meanwhile can show in them and not yet
    in the period shown, as if the dashboard had been refreshed a moment later."""

    def __init__(self, engine: Engine, scope: _Scope, periods: list[PeriodInfo]) -> None:
        self.result: _TrendStats | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(engine, scope, periods),
                                       name="summary-trend", daemon=True)
        self.thread.start()

    def _run(self, engine: Engine, scope: _Scope, periods: list[PeriodInfo]) -> None:
        try:
            with engine.connect() as conn:
                self.result = _trend_stats(conn, scope, periods)
        except BaseException as exc:  # handed to the caller's thread by get()
            self.error = exc

    def get(self) -> _TrendStats:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _trend(periods: list[PeriodInfo], stats: _TrendStats,
           known: dict[int, tuple[float | None, int, int, int, int, int]]) -> list[TrendPoint]:
    """Average completion and counts per period: the periods aggregated already (`known`:
    the period shown and the one before) from their aggregation, the others from one
    grouped query over their entries (`stats`); periods before the first report or return
    are left out."""
    grouped, returned, late = stats
    out: list[TrendPoint] = []
    for p in periods:
        if p.id in known:
            avg, reports, behind, completed, back, late_ = known[p.id]
        else:
            avg, reports, behind, completed = grouped.get(p.id, (None, 0, 0, 0))
            back, late_ = returned.get(p.id, 0), late.get(p.id, 0)
        if not out and not reports and not back:
            continue  # reporting had not started yet
        out.append(TrendPoint(p.key, p.label, float(avg) if avg is not None else None,
                              int(reports or 0), int(behind or 0), int(completed or 0),
                              back, late_))
    return out


def _district_office_name(s: Session, plan: PlanInfo) -> str:
    """The full name of the district office as the 通报's issuer (longest alias wins)."""
    from app.models import PlanUnit, Unit

    for unit in s.scalars(select(Unit).join(PlanUnit, PlanUnit.unit_id == Unit.id)
                          .where(PlanUnit.plan_id == plan.plan.id,
                                 Unit.kind == "district_office")
                          .order_by(PlanUnit.position)):
        names = [unit.name, *(a.alias for a in unit.aliases)]
        full = max(names, key=len)
        place = re.sub(r"(人民政府|政府)$", "", plan.plan.issuer or "")
        if place and not full.startswith(place) and len(full) > len(unit.name):
            full = place + full
        return full
    return plan.plan.office or plan.plan.issuer


# Scopes (the plan loaded, its reporting units, the filter's sets) kept while the database
# is unchanged (``db.ConnectionCache``): switching the dashboard's period or filter, or
# printing the 通报 of the period shown, skips loading a city plan's 30,000 assignments
# (≈ 0.1 s, a third of the refresh besides the trend); a refresh after a merge loads it again.
_SCOPES: ConnectionCache[_Scope] = ConnectionCache()


def _load_scope(s: Session, plan_id: int, unit: str | None, section_id: int | None
                ) -> _Scope:
    plan = load_plan(s, plan_id)
    units = [(u.id, u.name, u.kind) for u in reporting_units(s, plan_id)]
    return _Scope(plan, units, unit, section_id)  # raises for a bad filter


TREND_WINDOW = 12  # periods shown in the trend: a year of monthly reports


def period_summary(engine: Engine, period_key: str, plan_id: int | None = None, *,
                   unit: str | None = None, section_id: int | None = None,
                   today: dt.date | None = None, trend: bool = True,
                   trend_window: int | None = TREND_WINDOW) -> PeriodSummary:
    """Everything the dashboard and the 通报 show for one period, optionally for one unit
    and/or one section (with its sub-sections). The trend covers the last `trend_window`
    periods up to this one (all of them with None)."""
    today = today or clock.today()
    with Session(engine) as s:
        period_row = resolve_plan_period(s, period_key, plan_id)
        key = (period_row.plan_id, unit, section_id)
        scope = _SCOPES.get(s, key, lambda: _load_scope(s, *key))
        plan, units = scope.plan, scope.all_units
        periods = plan.periods
        index = next(i for i, p in enumerate(periods) if p.id == period_row.id)
        period = periods[index]
        previous = periods[index - 1] if index > 0 else None

        first = 0 if trend_window is None else max(0, index + 1 - trend_window)
        shown = periods[first:index + 1] if trend else []
        own = {period.id, previous.id if previous is not None else None}
        others = [p for p in shown if p.id not in own]
        background = _Background(engine, scope, others) if others else None
        try:
            closed_rows = [(c, t, name) for c, t, name in s.execute(
                select(CloseOut, Task, Unit.name).join(Task, Task.id == CloseOut.task_id)
                .join(Unit, Unit.id == CloseOut.unit_id)
                .where(Task.plan_id == plan.plan.id).order_by(Task.position, Task.id, Unit.id))
                if c.unit_id in scope.unit_ids and c.task_id in scope.task_by_id]
            closed = frozenset((c.unit_id, c.task_id) for c, _, _ in closed_rows)
            approved = int(s.scalar(select(func.count()).select_from(Approval).where(
                Approval.period_id == period.id, Approval.unit_id.in_(scope.unit_ids))) or 0)
            now = scope.compute(_load_raw(s, period, scope.unit_ids, with_text=True), closed)
            before = scope.compute(_load_raw(s, previous, scope.unit_ids, with_text=False),
                                   closed, detail=False) if previous is not None else None
            closed_items = [ClosedItem(t.code, scope.task_by_id[t.id].title, name, c.closed_on,
                                       c.note) for c, t, name in closed_rows]
            known = {period.id: _point(now)}
            if previous is not None and before is not None:
                known[previous.id] = _point(before)
            stats = background.get() if background is not None else ({}, {}, {})
        finally:
            if background is not None:
                background.thread.join()
        points = _trend(shown, stats, known)
        office = _district_office_name(s, plan)

    kinds = {uid: kind for uid, _, kind in units}
    unit_rows = []
    for uid, name, _ in scope.units:
        state, late, at = now.states[uid]
        unit_rows.append(UnitSummary(
            name, kinds[uid], state, at, late, now.units[uid],
            before.states[uid][0] if before else None,
            before.units[uid] if before else None))
    section_rows = [SectionSummary(
        sec.id, sec.code, sec.title, sec.path, scope.depth[sec.id],
        sum(1 for t in scope.tasks if t.section_id in scope.subtree.get(sec.id, {sec.id})),
        now.sections[sec.id], before.sections[sec.id] if before else None)
        for sec in scope.sections]
    behind_rows = []
    for t in scope.tasks:
        entries = now.behind.get(t.id)
        if not entries:
            continue
        top = scope.top_of.get(t.section_id) if t.section_id is not None else None
        behind_rows.append(BehindTask(
            t.id, t.code, t.title, t.section_id, t.section,
            (f"{top.code} {top.title}".strip() if top and top.code else top.title)
            if top else "",
            t.deadline, t.lead, tuple(entries),
            before is not None and t.id not in before.behind))
    indicator_rows = []
    for ind in scope.indicators:
        values, result = now.indicators[ind.id]
        indicator_rows.append(IndicatorResult(
            ind.id, ind.code, ind.name, ind.unit, ind.standard, ind.attribute, ind.target,
            ind.lead, values, result, before.indicators[ind.id][1] if before else None,
            ind.domain))
    return PeriodSummary(
        plan.plan, period, previous, today, unit, section_id, unit_rows, section_rows,
        behind_rows, indicator_rows, scope.totals(now),
        scope.totals(before) if before else None, points, office,
        periods[index + 1] if index + 1 < len(periods) else None, len(scope.tasks), approved,
        closed_items)


def summary_json(s: PeriodSummary) -> dict[str, object]:
    """The summary's figures as JSON-friendly data (`report --json`)."""
    def breakdown(b: Breakdown | None) -> dict[str, object] | None:
        if b is None:
            return None
        return {"expected": b.expected, "reported": b.reported, "counts": dict(b.counts),
                "average": b.average, "behind": b.behind}

    def totals(t: Totals | None) -> dict[str, object] | None:
        if t is None:
            return None
        return {"units": t.units, "on_time": t.on_time, "late": t.late, "missing": t.missing,
                "tasks": breakdown(t.tasks), "behind_tasks": t.behind_tasks,
                "attainment": dict(t.attainment)}

    return {
        "plan": s.plan.id,
        "title": s.plan.title,
        "period": s.period.key,
        "due": s.period.due.isoformat(),
        "previous": s.previous_period.key if s.previous_period else None,
        "unit_filter": s.unit_filter,
        "section_filter": s.section_filter,
        "totals": totals(s.totals),
        "approved": s.approved,
        "closed": [{"code": c.code, "unit": c.unit, "closed_on": c.closed_on.isoformat(),
                    "note": c.note} for c in s.closed],
        "previous_totals": totals(s.previous_totals),
        "units": [{"name": u.name, "kind": u.kind, "state": u.state, "returned": u.returned,
                   "late": u.state == "late", "days_late": u.days_late,
                   "tasks": breakdown(u.tasks), "previous_state": u.previous_state,
                   "average_change": u.average_change} for u in s.units],
        "sections": [{"code": x.code, "title": x.title, "depth": x.depth, "tasks": x.tasks,
                      "breakdown": breakdown(x.breakdown), "average_change": x.average_change}
                     for x in s.sections],
        "behind": [{"code": b.code, "title": b.title, "section": b.section,
                    "deadline": b.deadline, "lead": list(b.lead), "new": b.new,
                    "entries": [{"unit": e.unit, "role": e.role, "status": e.status,
                                 "percent": e.percent, "reason": e.reason,
                                 "problems": e.problems} for e in b.entries]}
                   for b in s.behind],
        "indicators": [{"code": i.code, "name": i.name, "standard": i.standard,
                        "lead": list(i.lead), "values": [list(v) for v in i.values],
                        "result": i.result, "previous_result": i.previous_result}
                       for i in s.indicators],
        "trend": [{"period": p.key, "average": p.average, "reports": p.reports,
                   "behind": p.behind, "completed": p.completed, "returned": p.returned,
                   "late": p.late} for p in s.trend],
    }
