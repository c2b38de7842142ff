"""run_op: a progress dialog shown over a page (progress_over) outlives nothing: when the
page goes while the worker runs, the operation is cancelled and the dialog never touched."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.jobs import Reporter
from app.views.ops import run_op


def test_a_page_that_goes_cancels_its_operation(qtbot: QtBot) -> None:
    page = QWidget()
    page.show()
    stepping = threading.Event()
    results: list[str] = []

    def work(reporter: Reporter) -> str:
        for i in range(10_000):
            reporter.step(i, 10_000, "…")  # raises Cancelled once cancelled
            stepping.set()
            threading.Event().wait(0.002)
        return "finished"

    handle = run_op(None, work, on_success=results.append, title="正在统计…",
                    progress_over=page)
    assert handle.dialog is not None and handle.dialog.parent() is page
    assert handle.parent() is None
    qtbot.waitUntil(stepping.is_set)
    with qtbot.waitSignal(handle.signals.cancelled, timeout=10_000):
        page.deleteLater()  # its window closed: the dialog goes with it
    assert results == []  # (and no "already deleted" from the progress updates)


def test_progress_is_throttled_not_sent_per_step(qtbot: QtBot) -> None:
    """Thousands of quick steps reach the GUI thread as a few (each queued signal took the
    interpreter lock from the worker): the first, then one per interval, then the last."""
    page = QWidget()
    page.show()
    seen: list[tuple[int, int, str]] = []
    connected = threading.Event()

    def work(reporter: Reporter) -> int:
        connected.wait(10)
        for i in range(2_001):
            reporter.step(i, 2_000, f"第 {i} 步")
        return 2_000

    handle = run_op(None, work, title="正在统计…", progress_over=page)
    handle.signals.progress.connect(lambda *step: seen.append(step))
    with qtbot.waitSignal(handle.signals.finished, timeout=10_000):
        connected.set()
    assert seen[0] == (0, 2_000, "第 0 步") and seen[-1] == (2_000, 2_000, "第 2000 步")
    assert len(seen) < 100  # of 2,001 steps
    with qtbot.waitSignal(page.destroyed):
        page.deleteLater()
