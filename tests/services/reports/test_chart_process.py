"""The chart process: the same pictures as drawing here, cancelled requests abandoned, a
child that dies replaced, stopped on request."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from progress_seed import LAST, seeded_fixture, seeded_path_fixture, seeded_template_fixture  # noqa: F401

from app.core.jobs import Cancelled
from app.services.db import Database
from app.services.reports import charts
from app.services.reports.chart_process import ChartProcess, ChartProcessError
from app.services.reports.summary import PeriodSummary, period_summary


@pytest.fixture
def process() -> Iterator[ChartProcess]:
    p = ChartProcess()
    yield p
    p.shutdown()
    assert not p.running


@pytest.fixture
def summary(seeded: Database) -> PeriodSummary:
    return period_summary(seeded, LAST, 1)


def test_the_child_draws_the_same_pictures_as_this_process(
        process: ChartProcess, summary: PeriodSummary) -> None:
    for name in charts.CHARTS:
        there = process.render(name, summary, 640, 300, 1.5)
        here = charts.render_chart(name, summary, 640, 300, 1.5)
        assert (there.name, there.width, there.height, there.ratio) == (
            here.name, here.width, here.height, here.ratio)
        assert there.rgba == here.rgba
        assert there.hits == here.hits
    assert process.png("returns", summary, 640, 300, 100) == charts.chart_png(
        "returns", summary, 640, 300, 100)
    pid = process.pid
    process.render("trend", summary, 500, 280)
    assert process.pid == pid  # one warm child for every request


def test_the_ledger_panes_history_line_is_drawn_there_too(
        process: ChartProcess, summary: PeriodSummary) -> None:
    """No summary needed, and the summary the child keeps for the dashboard stays."""
    points = [("2021-04", 15.0), ("2021-05", None), ("2021-06", 38.0)]
    before = process.render("trend", summary, 500, 280)
    png = process.history_png(points)
    assert png.startswith(b"\x89PNG") and png == charts.percent_history_png(points)
    assert process.render("trend", summary, 500, 280).rgba == before.rgba


def test_a_new_summary_is_sent_and_used(process: ChartProcess, seeded: Database,
                                        summary: PeriodSummary) -> None:
    older = period_summary(seeded, "2022-12", 1)
    assert process.render("trend", older, 640, 280).rgba == \
        charts.render_chart("trend", older, 640, 280).rgba
    assert process.render("trend", summary, 640, 280).rgba == \
        charts.render_chart("trend", summary, 640, 280).rgba


def test_a_cancelled_request_is_abandoned_and_the_next_gets_its_own_picture(
        process: ChartProcess, summary: PeriodSummary) -> None:
    process.start()

    def cancel() -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        process.render("status_by_unit", summary, 640, 900, 1.0, cancel)
    image = process.render("trend", summary, 640, 280)
    assert image.name == "trend" and (image.width, image.height) == (640, 280)


def test_an_error_in_the_child_reaches_the_caller_and_the_child_goes_on(
        process: ChartProcess, summary: PeriodSummary) -> None:
    with pytest.raises(KeyError, match="no_such_chart"):
        process.render("no_such_chart", summary, 640, 280)
    pid = process.pid
    assert process.render("trend", summary, 640, 280).name == "trend"
    assert process.pid == pid


def test_a_child_that_dies_while_drawing_fails_the_request_and_is_replaced(
        process: ChartProcess, summary: PeriodSummary) -> None:
    process.start()
    first = process.pid
    assert first is not None

    def kill() -> None:
        os.kill(first, signal.SIGKILL)

    with pytest.raises(ChartProcessError, match="绘制图表的进程"):
        process.render("status_by_unit", summary, 640, 2000, 1.0, kill)
    assert not process.running
    image = process.render("trend", summary, 640, 280)
    assert image.name == "trend" and process.pid not in (None, first)


def test_shutdown_stops_the_child(process: ChartProcess) -> None:
    process.start()
    assert process.running
    child = process._process
    process.shutdown()
    assert not process.running and child is not None and child.exitcode is not None
