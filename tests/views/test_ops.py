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

