"""Period summary: figures checked by hand on a small plan with two periods."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import (
    Indicator,
    IndicatorValue,
    Period,
    ProgressEntry,
    Receipt,
    Section,
    Task,
    Unit,
)
from app.services.db import Database, open_database
from app.services.plans.query import insert_plan
from app.services.reports import summary as summary_module
from app.services.reports.summary import (
    behind_reason,
    combine,
    judge_value,
    period_summary,
)

SPEC: dict[str, Any] = {
    "title": "某区创建实施方案", "issuer": "某区人民政府", "office": "区创建办",
    "frequency": "month", "deadline_day": 5, "first_period": "2021-05", "last_period": "2021-07",
    "units": [{"name": "区创建办", "kind": "district_office",
               "aliases": ["创建工作领导小组办公室"]},
              {"name": "甲局"}, {"name": "乙镇"}, {"name": "丙街道"}, {"name": "丁局"}],
    "sections": [{"code": "1", "title": "制度", "children": [{"code": "1.1", "title": "考核"}]},
                 {"code": "2", "title": "环境"}],
    "tasks": [
        {"code": "1.1.1", "section": "1.1", "text": "健全考核制度。", "lead": ["甲局"],
         "implementing": ["乙镇", "丙街道"]},
        {"code": "1.2", "section": "1", "text": "编制规划。", "lead": ["甲局"],
         "cooperating": ["丁局"], "deadline": "2021-05"},
        {"code": "2.1", "section": "2", "text": "整治河道。", "lead": ["丁局"],
         "implementing": ["乙镇"]},
        {"code": "2.2", "section": "2", "text": "建设污水管网。", "lead": ["乙镇"],
         "deadline": "2021-06"},
    ],
    "indicators": [
        {"code": "1", "name": "考核比例", "unit": "%", "standard": "≥20", "lead": ["甲局"]},
        {"code": "2", "name": "PM2.5浓度", "unit": "微克/立方米", "standard": "≤35",
         "lead": ["丁局"]},
        {"code": "3", "name": "生态文明建设规划", "standard": "制定实施", "lead": ["甲局"]},
        {"code": "4", "name": "林草覆盖率", "unit": "%", "standard": "≥90", "lead": ["乙镇"]},
        {"code": "5", "name": "生活废弃物", "children": [
            {"code": "5.1", "name": "垃圾分类覆盖率", "unit": "%", "standard": "100",
             "lead": ["丙街道"]}]},
        {"code": "6", "name": "污水处理达标率", "unit": "%", "standard": "100", "lead": ["乙镇"]},
    ],
}

# period → unit → (receipt state, received at)
RECEIPTS = {
    "2021-05": {"甲局": ("accepted", dt.datetime(2021, 6, 3, 9)),
                "乙镇": ("accepted", dt.datetime(2021, 6, 5, 23, 59)),
                "丙街道": ("accepted", dt.datetime(2021, 6, 1, 10)),
                "丁局": ("accepted", dt.datetime(2021, 6, 7, 11))},
    "2021-06": {"甲局": ("accepted", dt.datetime(2021, 7, 5, 17)),
                "乙镇": ("accepted", dt.datetime(2021, 7, 8, 9)),
                "丁局": ("rejected", dt.datetime(2021, 7, 4, 9))},
}
# period → (unit, task code, status, percent, problems)
ENTRIES = {
    "2021-05": [("甲局", "1.1.1", "in_progress", 40, ""), ("甲局", "1.2", "in_progress", 70, ""),
                ("乙镇", "1.1.1", "in_progress", 30, ""), ("乙镇", "2.1", "in_progress", 80, ""),
                ("乙镇", "2.2", "not_started", None, ""), ("丙街道", "1.1.1", "ongoing", None, ""),
                ("丁局", "1.2", "in_progress", 50, ""), ("丁局", "2.1", "behind", 20, "人员不足")],
    "2021-06": [("甲局", "1.1.1", "in_progress", 60, ""),
                ("甲局", "1.2", "in_progress", 80, "规划待区政府审批"),
                ("乙镇", "1.1.1", "behind", 30, "资金未到位"), ("乙镇", "2.1", "completed", None, ""),
                ("乙镇", "2.2", "not_started", 0, "")],
}
VALUES = {
    "2021-05": [("甲局", "1", "18"), ("丁局", "2", "38"), ("甲局", "3", "推进中"),
                ("丙街道", "5.1", "100"), ("乙镇", "6", "95")],
    "2021-06": [("甲局", "1", "22"), ("丁局", "2", "32.5"), ("甲局", "3", "已制定"),
                ("乙镇", "6", "96%")],
}


@pytest.fixture
def small(db: Database) -> Database:
    with Session(db) as s, s.begin():
        plan_id = insert_plan(s, SPEC)
        unit = {n: i for n, i in s.execute(select(Unit.name, Unit.id))}
        period = {k: i for k, i in s.execute(select(Period.key, Period.id))}
        task = {c: i for c, i in s.execute(select(Task.code, Task.id))}
        ind = {c: i for c, i in s.execute(select(Indicator.code, Indicator.id))}
        assert plan_id == 1
        for key, rows in RECEIPTS.items():
            for name, (state, at) in rows.items():
                s.add(Receipt(unit_id=unit[name], period_id=period[key], state=state,
                              received_at=at))
        for key, entries in ENTRIES.items():
            for name, code, status, percent, problems in entries:
                s.add(ProgressEntry(unit_id=unit[name], task_id=task[code],
                                    period_id=period[key], status=status, percent=percent,
                                    problems=problems))
        for key, values in VALUES.items():
            for name, code, value in values:
                s.add(IndicatorValue(unit_id=unit[name], indicator_id=ind[code],
                                     period_id=period[key], value=value))
    return db


def test_returns_on_time_late_missing(small: Database) -> None:
    s = period_summary(small, "2021-06", today=dt.date(2021, 7, 10))
    states = {u.name: (u.state, u.days_late) for u in s.units}
    assert states == {"甲局": ("on_time", 0), "乙镇": ("late", 3), "丙街道": ("missing", 0),
                      "丁局": ("missing", 0)}  # a rejected return is not a return
    assert (s.totals.units, s.totals.on_time, s.totals.late, s.totals.missing) == (4, 1, 1, 2)
    assert s.previous_period is not None and s.previous_period.key == "2021-05"
    assert {u.name: u.previous_state for u in s.units} == {
        "甲局": "on_time", "乙镇": "on_time", "丙街道": "on_time", "丁局": "late"}
    assert s.office == "某区创建工作领导小组办公室"


def test_status_counts_and_averages(small: Database) -> None:
    s = period_summary(small, "2021-06")
    by_unit = {u.name: u.tasks for u in s.units}
    assert by_unit["甲局"].expected == 2 and by_unit["甲局"].count("in_progress") == 2
    assert by_unit["甲局"].average == 70
    assert {k: n for k, n in by_unit["乙镇"].counts.items() if n} == {
        "behind": 1, "completed": 1, "not_started": 1}
    assert by_unit["乙镇"].average == pytest.approx((30 + 100 + 0) / 3)  # 已完成 without % = 100
    assert by_unit["丙街道"].counts["unreported"] == 1 and by_unit["丙街道"].average is None
    assert by_unit["丁局"].counts["unreported"] == 2
    t = s.totals.tasks
    assert t.expected == 8 and t.reported == 5
    assert {k: n for k, n in t.counts.items() if n} == {
        "in_progress": 2, "behind": 1, "completed": 1, "not_started": 1, "unreported": 3}
    assert t.average == pytest.approx(54.0)
    sections = {sec.code: sec for sec in s.sections}
    assert [sec.depth for sec in s.sections] == [0, 1, 0]
    assert sections["1"].tasks == 2 and sections["1"].breakdown.expected == 5
    assert sections["1"].breakdown.average == pytest.approx((60 + 80 + 30) / 3)
    assert sections["1.1"].breakdown.counts["unreported"] == 1
    assert sections["1.1"].breakdown.average == 45
    assert sections["2"].breakdown.expected == 3 and sections["2"].breakdown.average == 50


def test_behind_schedule_includes_overdue(small: Database) -> None:
    s = period_summary(small, "2021-06")
    behind = {b.code: b for b in s.behind}
    assert list(behind) == ["1.1.1", "1.2"]
    assert [(e.unit, e.reason, e.problems) for e in behind["1.1.1"].entries] == [
        ("乙镇", "behind", "资金未到位")]
    # 1.2 was due 2021-05: still in progress in June → overdue; 2.2 is due 2021-06, not yet
    assert [(e.unit, e.reason, e.role) for e in behind["1.2"].entries] == [
        ("甲局", "overdue", "lead")]
    assert behind["1.2"].lead == ("甲局",) and behind["1.2"].top_section == "1 制度"
    assert behind["1.1.1"].new and behind["1.2"].new
    assert s.totals.behind_tasks == 2 and s.totals.tasks.behind == 2
    before = period_summary(small, "2021-05")
    assert [(b.code, b.entries[0].unit) for b in before.behind] == [("2.1", "丁局")]
    assert before.previous_period is None and before.previous_totals is None


def test_indicator_attainment(small: Database) -> None:
    s = period_summary(small, "2021-06")
    res = {i.code: (i.value_text, i.result, i.previous_result) for i in s.indicators}
    assert "5" not in res  # a group heading, not an indicator
    assert res == {
        "1": ("22", "met", "not_met"),          # ≥20: 18 then 22
        "2": ("32.5", "met", "not_met"),        # ≤35: 38 then 32.5
        "3": ("已制定", "met", "pending"),       # text standard: 推进中 then 已制定
        "4": ("", "pending", "pending"),         # nothing reported
        "5.1": ("", "pending", "met"),           # 丙街道 did not return this period
        "6": ("96%", "not_met", "not_met"),      # bare 100 means at least 100
    }
    assert s.totals.attainment == {"met": 3, "not_met": 1, "pending": 2}
    assert s.previous_totals is not None
    assert s.previous_totals.attainment == {"met": 1, "not_met": 3, "pending": 2}


def test_change_since_previous_period_and_trend(small: Database) -> None:
    s = period_summary(small, "2021-06")
    assert s.previous_totals is not None
    assert s.previous_totals.tasks.average == pytest.approx((40 + 70 + 30 + 80 + 50 + 20) / 6)
    assert s.average_change == pytest.approx(54.0 - 290 / 6)
    by_unit = {u.name: u for u in s.units}
    assert by_unit["甲局"].average_change == pytest.approx(70 - 55)
    assert by_unit["丙街道"].average_change is None
    assert [(p.key, p.returned, p.late, p.reports) for p in s.trend] == [
        ("2021-05", 4, 1, 8), ("2021-06", 2, 1, 5)]
    assert s.trend[-1].average == pytest.approx(s.totals.tasks.average)
    assert s.trend[0].average == pytest.approx(s.previous_totals.tasks.average)


def test_trend_of_older_periods_from_the_grouped_query(small: Database) -> None:
    """The period shown and the one before come from their own aggregation, older ones
    from the grouped query read on a connection of its own: the same figures."""
    s = period_summary(small, "2021-07")
    may = period_summary(small, "2021-05", trend=False)
    assert [p.key for p in s.trend] == ["2021-05", "2021-06", "2021-07"]
    first = s.trend[0]
    assert first.average == pytest.approx(may.totals.tasks.average)
    assert (first.reports, first.behind, first.completed, first.returned, first.late) == (
        may.totals.tasks.reported, may.totals.tasks.count("behind"),
        may.totals.tasks.count("completed"), may.totals.returned, may.totals.late)
    assert s.trend[1].average == pytest.approx(period_summary(small, "2021-06").totals
                                               .tasks.average)


def test_a_failing_trend_query_fails_the_summary(small: Database,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An error on the trend's own connection reaches the caller; no thread is left."""
    def broken(*args: object) -> None:
        raise RuntimeError("trend query failed")

    monkeypatch.setattr(summary_module, "_trend_stats", broken)
    with pytest.raises(RuntimeError, match="trend query failed"):
        period_summary(small, "2021-07")
    assert not [t for t in threading.enumerate() if t.name == "summary-trend"]
    assert period_summary(small, "2021-07", trend=False).trend == []


def test_the_plan_is_loaded_again_only_after_a_change(
        small: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Period switches reuse the loaded plan; a change committed by another connection
    (a plan edit, a merge) or through the same one loads it again. On a server nothing is
    kept: every refresh loads the plan."""
    loads: list[int] = []
    real = summary_module.load_plan

    def counting(s: Session, plan_id: int) -> Any:
        loads.append(plan_id)
        return real(s, plan_id)

    monkeypatch.setattr(summary_module, "load_plan", counting)
    first = period_summary(small, "2021-06")
    assert period_summary(small, "2021-05").period.key == "2021-05"
    assert period_summary(small, "2021-06") == first
    if small.dialect.name != "sqlite":
        assert len(loads) == 3
        return
    assert len(loads) == 1
    other = open_database(small.url.database, create=False)  # another connection
    try:
        with Session(other) as s, s.begin():
            s.execute(update(Task).where(Task.code == "1.1.1").values(text="完善考核制度。"))
    finally:
        other.dispose()
    changed = period_summary(small, "2021-06")
    assert len(loads) == 2
    assert [b.title for b in changed.behind if b.code == "1.1.1"] == ["完善考核制度"]
    with Session(small) as s, s.begin():  # this engine's own connection
        s.execute(update(Task).where(Task.code == "1.1.1").values(text="健全考核制度。"))
    again = period_summary(small, "2021-06")
    assert len(loads) == 3
    assert [b.title for b in again.behind if b.code == "1.1.1"] == ["健全考核制度"]
    assert period_summary(small, "2021-06", unit="乙镇").units[0].name == "乙镇"
    assert len(loads) == 4  # each filter has its own scope


def test_filters_by_unit_and_section(small: Database) -> None:
    with Session(small) as ses:
        env = ses.scalar(select(Section.id).where(Section.code == "2"))
    s = period_summary(small, "2021-06", unit="乙镇")
    assert [u.name for u in s.units] == ["乙镇"]
    assert s.totals.tasks.expected == 3 and s.totals.late == 1 and s.totals.units == 1
    assert [b.code for b in s.behind] == ["1.1.1"]
    assert s.trend[-1].average == pytest.approx(s.totals.tasks.average)
    s = period_summary(small, "2021-06", section_id=env)
    assert [sec.code for sec in s.sections] == ["2"]
    assert s.totals.tasks.expected == 3 and s.behind == []
    assert s.trend[-1].average == pytest.approx(50.0)


def test_bad_filters_and_periods_are_user_errors(small: Database) -> None:
    with pytest.raises(UserFacingError, match="戊局"):
        period_summary(small, "2021-06", unit="戊局")
    with pytest.raises(UserFacingError, match="2030-01"):
        period_summary(small, "2030-01")
    with pytest.raises(UserFacingError):
        period_summary(small, "2021-06", section_id=9999)


def test_rules() -> None:
    end = dt.date(2023, 1, 31)
    assert behind_reason("behind", None, end) == "behind"
    assert behind_reason("in_progress", "2022-12", end) == "overdue"
    assert behind_reason(None, "2022-12", end) == "overdue"
    assert behind_reason("completed", "2022-12", end) is None
    assert behind_reason("ongoing", "2022-12", end) is None
    assert behind_reason("in_progress", "2023-01", end) is None
    assert judge_value("20", ">=", 20, "≥20") == "met"
    assert judge_value("19.9%", ">=", 20, "≥20") == "not_met"
    assert judge_value("35", "<=", 35, "≤35") == "met"
    assert judge_value("35.1", "<=", 35, "≤35") == "not_met"
    assert judge_value("12", "<", 12, "<12") == "not_met"
    assert judge_value("已制定实施", None, None, "制定实施") == "met"
    assert judge_value("不明显", None, None, "不明显") == "met"
    assert judge_value("未制定", None, None, "制定实施") == "not_met"
    assert judge_value("尚未全面实施", None, None, "全面实施") == "not_met"
    assert judge_value("滞后", None, None, "建立") == "not_met"
    assert judge_value("推进中", None, None, "建立") == "pending"
    assert judge_value("82.5", None, None, "完成上级规定的考核任务") == "pending"
    assert judge_value("完成上级考核任务", None, None, "完成上级规定的考核任务") == "met"
    assert judge_value("  ", ">=", 20, "≥20") == "pending"
    assert judge_value("达标", ">=", 20, "≥20") == "met"  # a word where a number was expected
    assert combine([]) == "pending"
    assert combine(["met", "met"]) == "met"
    assert combine(["met", "pending"]) == "pending"
    assert combine(["met", "not_met"]) == "not_met"
