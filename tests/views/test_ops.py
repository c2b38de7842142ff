"""run_op: a progress dialog shown over a page (progress_over) outlives nothing: when the
page goes while the worker runs, the operation is cancelled and the dialog never touched;
progress reaches the GUI thread sampled."""

from __future__ import annotations

import threading

import pytest
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



def test_progress_is_sampled_first_and_last_steps_always_sent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's steps reach the GUI thread at most every SAMPLE_MS (each queued signal
    makes the GUI thread take the interpreter lock from the worker), the first and the last
    always; nothing else is lost but intermediate counts."""
    from app.views import ops

    now = [100.0]
    monkeypatch.setattr(ops.time, "monotonic", lambda: now[0])
    sent: list[tuple[int, int, str]] = []
    step = ops._Throttled(lambda done, total, text: sent.append((done, total, text)))
    gap = ops.OpHandle.SAMPLE_MS / 1000
    step(0, 5, "a")  # the first
    now[0] += gap / 4
    step(1, 5, "b")  # too soon: dropped
    now[0] += gap
    step(2, 5, "c")  # a sample later
    now[0] += gap / 10
    step(5, 5, "d")  # the last, however soon
    assert sent == [(0, 5, "a"), (2, 5, "c"), (5, 5, "d")]
