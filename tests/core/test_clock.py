"""The one clock: stored UTC, local display, local-date deadlines."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from app.core import clock


def test_now_is_naive_utc_whatever_the_local_zone(beijing_time: None) -> None:
    stamp = clock.now()
    assert stamp.tzinfo is None
    utc = dt.datetime.fromtimestamp(time.time(), dt.UTC).replace(tzinfo=None)
    assert abs((utc - stamp).total_seconds()) < 5
    local = clock.local_now()
    assert abs((local - stamp).total_seconds() - 8 * 3600) < 5


def test_local_and_stored_convert_both_ways(beijing_time: None) -> None:
    stored = dt.datetime(2021, 7, 5, 23, 30)
    assert clock.to_local(stored) == dt.datetime(2021, 7, 6, 7, 30)
    assert clock.from_local(dt.datetime(2021, 7, 6, 7, 30)) == stored
    assert clock.local_date(stored) == dt.date(2021, 7, 6)
    aware = dt.datetime(2021, 7, 6, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert clock.stored(aware) == stored
    assert clock.stored(stored) is stored  # naive: already stored


def test_a_0730_beijing_return_on_the_6th_is_late_for_the_5th(beijing_time: None) -> None:
    """Deadlines are local dates: 23:30 UTC on the 5th is 07:30 on the 6th in Beijing."""
    due = dt.date(2021, 7, 5)
    assert clock.days_late(dt.datetime(2021, 7, 5, 23, 30), due) == 1
    assert clock.days_late(dt.datetime(2021, 7, 5, 15, 59), due) == 0  # 23:59 local
    assert clock.days_late(dt.datetime(2021, 7, 1, 1, 0), due) == 0


def test_lateness_in_utc_follows_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert clock.days_late(dt.datetime(2021, 7, 5, 23, 30), dt.date(2021, 7, 5)) == 0
        assert clock.days_late(dt.datetime(2021, 7, 8, 0, 1), dt.date(2021, 7, 5)) == 3
    finally:
        monkeypatch.undo()
        time.tzset()


def test_days_overdue() -> None:
    due = dt.date(2021, 7, 5)
    assert clock.days_overdue(due, dt.date(2021, 7, 12)) == 7
    assert clock.days_overdue(due, dt.date(2021, 7, 5)) == 0
    assert clock.days_overdue(due, dt.date(2021, 6, 30)) == 0


def test_month_end_and_due_date() -> None:
    assert clock.month_end(2024, 2) == dt.date(2024, 2, 29)
    assert clock.month_end(2021, 12) == dt.date(2021, 12, 31)
    assert clock.due_date(dt.date(2021, 6, 30), 5) == dt.date(2021, 7, 5)
    assert clock.due_date(dt.date(2021, 12, 31), 10) == dt.date(2022, 1, 10)
    # a deadline day past the end of a short month falls on its last day
    assert clock.due_date(dt.date(2021, 1, 31), 31) == dt.date(2021, 2, 28)


def test_deadline_end() -> None:
    assert clock.deadline_end("2022-12") == dt.date(2022, 12, 31)
    assert clock.deadline_end("2024-02") == dt.date(2024, 2, 29)
    assert clock.deadline_end("2022-06-15") == dt.date(2022, 6, 15)
    assert clock.deadline_end(" 2022-6 ") == dt.date(2022, 6, 30)
    for text in ("年底", "2022-13", "2022-02-30", "", None):
        assert clock.deadline_end(text) is None
