from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.services.db import Database
from app.services.plans.query import (
    get_plan,
    insert_plan,
    make_periods,
    parse_standard,
    period_label,
    plans_json,
    short_title,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("≥20", (">=", 20.0)), ("≧60", (">=", 60.0)), ("100", (">=", 100.0)),
    ("≤0.5", ("<=", 0.5)), ("≥4.5", (">=", 4.5)), ("95%", (">=", 95.0)),
    ("制定实施", (None, None)), ("完成上级规定的考核任务", (None, None)), (None, (None, None)),
])
def test_parse_standard(text: str | None, expected: tuple) -> None:
    assert parse_standard(text) == expected


def test_monthly_periods_are_due_on_the_fifth_of_next_month() -> None:
    periods = make_periods("month", "2021-03", "2023-12", 5)
    assert len(periods) == 34
    key, start, end, due = periods[3]
    assert (key, start, end, due) == ("2021-06", dt.date(2021, 6, 1), dt.date(2021, 6, 30),
                                      dt.date(2021, 7, 5))
    assert periods[-1][3] == dt.date(2024, 1, 5)


def test_quarters_and_labels() -> None:
    q = make_periods("quarter", "2021-02", "2021-12", 10)
    assert [p[0] for p in q] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert q[0][3] == dt.date(2021, 4, 10)
    assert period_label("2021-06") == "2021年6月"
    assert period_label("2021-Q2") == "2021年第二季度"
    assert period_label("2021-H2") == "2021年下半年"


def test_short_title_is_the_first_sentence() -> None:
    assert short_title("全面推行河长制。进一步压实“河长制”") == "全面推行河长制"


def test_insert_and_read_back(db: Database) -> None:
    spec = {
        "title": "测试方案", "units": [{"name": "天宁生态环境局", "aliases": ["常州市天宁生态环境局"]}],
        "sections": [{"code": "1", "title": "健全生态制度体系",
                      "children": [{"code": "1.1", "title": "目标责任"}]}],
        "tasks": [{"code": "1.1.1", "section": "1.1", "text": "全面推行河长制。",
                   "lead": ["常州市天宁生态环境局"], "cooperating": ["区住建局"],
                   "implementing": ["郑陆镇", "青龙街道"]}],
        "indicators": [{"code": "7", "name": "环境空气质量", "lead": ["天宁生态环境局"],
                        "children": [{"code": "7.1", "name": "优良天数比例", "unit": "%",
                                      "standard": "≥80"}]}],
        "first_period": "2021-05", "last_period": "2021-06",
    }
    with Session(db) as s, s.begin():
        plan_id = insert_plan(s, spec)
    info = get_plan(db, plan_id)
    task = info.tasks[0]
    assert task.lead == ("天宁生态环境局",)  # alias resolved to the canonical unit
    assert task.implementing == ("郑陆镇", "青龙街道")
    assert task.section == "健全生态制度体系 › 目标责任"
    assert [u.kind for u in info.units if u.name in ("郑陆镇", "青龙街道")] == ["town", "street"]
    child = info.indicators[1]
    assert (child.comparator, child.threshold, child.parent_id) == (">=", 80.0,
                                                                    info.indicators[0].id)
    data = plans_json(db)["plans"][0]
    assert data["periods"] == ["2021-05", "2021-06"]
    assert data["indicators"][1]["parent"] == "7"


def test_a_plan_without_title_is_refused_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(UserFacingError), Session(db) as s, s.begin():
        insert_plan(s, {"title": "", "tasks": []})
    assert plans_json(db) == {"plans": []}
