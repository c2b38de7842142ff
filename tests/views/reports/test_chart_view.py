"""Charts drawn off the GUI thread: one at a time, the newest request wins, stale pictures
are dropped, a failure is shown in place of the chart."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from progress_seed import LAST, seeded_fixture, seeded_path_fixture, seeded_template_fixture  # noqa: F401
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.reports import charts
from app.services.reports.summary import period_summary
from app.views.reports.chart_view import ChartQueue, ChartView

TIMEOUT = 60_000  # the first chart imports matplotlib


def _in_thread(name: str, summary: Any, width: int, height: int, ratio: float,
               check: Any) -> charts.ChartImage:
    """Drawn on the worker itself (looked up at call time, so tests can wrap it): the
    queue's rules do not depend on where the picture is drawn."""
    return charts.render_chart(name, summary, width, height, ratio, check)


def _view(qtbot: QtBot, queue: ChartQueue, name: str = "trend") -> ChartView:
    view = ChartView(name, queue)
    qtbot.addWidget(view)
    view.resize(640, 280)
    view.show()
    return view


def test_the_view_shows_the_picture_the_worker_drew(qtbot: QtBot, seeded: Database) -> None:
    """The default renderer: drawn in the chart process, the same pixels as directly."""
    summary = period_summary(seeded, LAST, 1)
    queue = ChartQueue()
    view = _view(qtbot, queue)
    assert view.qimage is None  # nothing drawn on the GUI thread meanwhile
    with qtbot.waitSignal(view.rendered, timeout=TIMEOUT):
        view.set_summary(summary, 280)
    assert view.ready and view.image is not None and view.qimage is not None
    ratio = view.devicePixelRatioF()
    assert (view.image.width, view.image.height) == (round(640 * ratio), round(280 * ratio))
    # the same pixels as drawing it directly
    direct = charts.render_chart("trend", summary, 640, 280, ratio)
    assert view.image.rgba == direct.rgba
    assert [h.gid for h in view.image.hits] == [h.gid for h in direct.hits]
    assert not queue.busy


def test_a_superseded_render_is_cancelled_and_its_picture_dropped(
        qtbot: QtBot, seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real = charts.render_chart
    started, release = threading.Event(), threading.Event()
    drawn: list[str] = []

    def slow(name: str, summary: Any, width: int, height: int, ratio: float = 1.0,
             check: Any = None) -> charts.ChartImage:
        drawn.append(summary.period.key)
        if len(drawn) == 1:  # the first request waits until a newer one came
            started.set()
            release.wait(10)
            if check is not None:
                check()  # superseded: raises Cancelled here
        return real(name, summary, width, height, ratio, check)

    monkeypatch.setattr(charts, "render_chart", slow)
    old, new = period_summary(seeded, "2022-12", 1), period_summary(seeded, LAST, 1)
    queue = ChartQueue(render=_in_thread)
    view = _view(qtbot, queue)
    view.set_summary(old, 280)
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    handle = queue._handle
    assert handle is not None
    with qtbot.waitSignal(handle.signals.cancelled, timeout=10_000):
        view.set_summary(new, 280)  # the newer request cancels the one being drawn
        qtbot.waitUntil(lambda: handle.reporter.cancelled)
        release.set()
    qtbot.waitUntil(lambda: view.ready, timeout=TIMEOUT)
    assert drawn == ["2022-12", LAST]  # the old one never finished, the new one was drawn
    assert view.image is not None
    ratio = view.devicePixelRatioF()
    assert view.image.rgba == real("trend", new, 640, 280, ratio).rgba


def test_a_picture_arriving_after_its_view_moved_on_is_dropped(
        qtbot: QtBot, seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A render that does not reach a cancel point still finishes; the view ignores it
    and shows only the picture of its newest request."""
    real = charts.render_chart
    started, release = threading.Event(), threading.Event()
    drawn: list[tuple[str, int]] = []

    def no_checks(name: str, summary: Any, width: int, height: int, ratio: float = 1.0,
                  check: Any = None) -> charts.ChartImage:
        drawn.append((summary.period.key, width))
        if len(drawn) == 1:
            started.set()
            release.wait(10)
        return real(name, summary, width, height, ratio)  # never checks

    monkeypatch.setattr(charts, "render_chart", no_checks)
    summary = period_summary(seeded, LAST, 1)
    queue = ChartQueue(render=_in_thread)
    view = _view(qtbot, queue)
    view.set_summary(summary, 280)
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    shown: list[int] = []
    view.rendered.connect(lambda: shown.append(view.image.width if view.image else 0))
    view.resize(500, 280)
    qtbot.waitUntil(lambda: len(queue._waiting) == 1)  # the newer size waits its turn
    release.set()
    qtbot.waitUntil(lambda: view.ready, timeout=TIMEOUT)
    ratio = view.devicePixelRatioF()
    assert drawn == [(LAST, 640), (LAST, 500)]  # both drawn, one after the other
    assert shown == [round(500 * ratio)]  # only the newest was shown


def test_renders_run_one_at_a_time(qtbot: QtBot, seeded: Database,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = charts.render_chart
    lock = threading.Lock()
    overlaps: list[bool] = []

    def exclusive(*args: Any, **kwargs: Any) -> charts.ChartImage:
        free = lock.acquire(blocking=False)
        overlaps.append(not free)
        try:
            return real(*args, **kwargs)
        finally:
            if free:
                lock.release()

    monkeypatch.setattr(charts, "render_chart", exclusive)
    summary = period_summary(seeded, LAST, 1)
    queue = ChartQueue(render=_in_thread)
    views = [_view(qtbot, queue, name) for name in charts.CHARTS]
    with qtbot.waitSignal(queue.idle, timeout=TIMEOUT):
        for view in views:
            view.set_summary(summary, 260)
        qtbot.waitUntil(lambda: all(v.ready for v in views), timeout=TIMEOUT)
    assert len(overlaps) == len(views) and not any(overlaps)


def test_a_failed_render_says_so_in_place_of_the_chart(
        qtbot: QtBot, seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.errors import UserFacingError

    def broken(*_: Any, **__: Any) -> charts.ChartImage:
        raise UserFacingError("字体文件缺失。")

    monkeypatch.setattr(charts, "render_chart", broken)
    queue = ChartQueue(render=_in_thread)
    view = _view(qtbot, queue)
    with qtbot.waitSignal(view.rendered, timeout=TIMEOUT):
        view.set_summary(period_summary(seeded, LAST, 1), 280)
    assert view.image is None and view.ready
    assert "字体文件缺失" in view._message
    assert view.hit_at(100, 100) is None
