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


def test_progress_is_sampled_not_sent_per_step(qtbot: QtBot) -> None:
    """Thousands of steps reach the GUI thread as a few samples of the latest one (each
    queued signal took the interpreter lock from the worker); the dialog shows them."""
    page = QWidget()
    page.show()
    seen: list[tuple[int, int, str]] = []
    go_on = threading.Event()

    def work(reporter: Reporter) -> int:
        for i in range(1_000):
            reporter.step(i, 2_000, f"第 {i} 步")
        go_on.wait(10)  # until the GUI thread has shown where it stands
        for i in range(1_000, 2_000):
            reporter.step(i, 2_000, f"第 {i} 步")
        return 2_000

    handle = run_op(None, work, title="正在统计…", progress_over=page)
    handle.signals.progress.connect(lambda *step: seen.append(step))
    dialog = handle.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == 999, timeout=10_000)
    assert (dialog.value(), dialog.maximum(), dialog.labelText()) == (999, 2_000, "第 999 步")
    with qtbot.waitSignal(handle.signals.finished, timeout=10_000):
        go_on.set()
    assert len(seen) <= 5  # of 2,000 steps: a sample per tick, and only when it moved
    assert [s[0] for s in seen] == sorted({s[0] for s in seen})
    assert all(text == f"第 {done} 步" for done, _total, text in seen)
    with qtbot.waitSignal(page.destroyed):
        page.deleteLater()
