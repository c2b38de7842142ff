"""The one way to run background work: ``run_op`` with progress, cancel and callbacks.

Worker code gets a ``Reporter`` and never touches widgets; results come back to the GUI
thread through queued signals. A result that carries ``changes`` (an
``app.core.changes.Changes``) is announced on ``app.views.bus.bus.changed`` after
``on_success`` ran, so every page that shows such data reloads, and only those.

Progress is not sent per step: the worker sends a step only when the last one it sent is
``OpHandle.SAMPLE_MS`` old. A queued signal per step made the GUI thread take the
interpreter lock from the worker once or twice per file, and each hand-over costs the
worker more than the slot itself (measured on the 汇总 page: 50 packets checked with the
worker waiting 80–600 ms beyond its own CPU time; ten a second, ≈ 10 ms).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Cancelled, Reporter
from app.views.bus import bus

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int, str)  # at most one step per OpHandle.SAMPLE_MS
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Reporter], Any], signals: _Signals, reporter: Reporter):
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.reporter = reporter
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.reporter)
        except Cancelled:
            self.signals.cancelled.emit()
        except UserFacingError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # a bug: log it with its traceback, tell the user briefly
            from app.services.db import as_user_error

            fault = as_user_error(exc)  # disk full, read-only, locked, damaged: plain words
            if fault is None:
                log.error("background operation failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(fault or exc)
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


# Handles of running operations: a parentless handle would otherwise be deleted with its
# last Python reference while its worker still emits through it.
_RUNNING: set[OpHandle] = set()


class _Throttled:
    """The worker's progress callback: a step is sent to the GUI thread only if the last
    one sent is `OpHandle.SAMPLE_MS` old (the first and the last steps always)."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._sent = -1.0

    def __call__(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if self._sent < 0 or done >= total or now - self._sent >= OpHandle.SAMPLE_MS / 1000:
            self._sent = now
            self._emit(done, total, text)


class OpHandle(QObject):
    """A running operation; kept alive by the module until its `finished` signal."""

    # ten progress updates a second are all a progress bar shows, whatever the steps
    SAMPLE_MS = 100

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.signals = _Signals(self)
        self.reporter = Reporter(_Throttled(self.signals.progress.emit))
        self.dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        self.reporter.cancel()


def shutdown(timeout_ms: int = 10_000) -> bool:
    """Cancel every running operation and wait for the workers (at quit, between tests).

    Returns False if some worker did not stop in time.
    """
    for handle in list(_RUNNING):
        handle.cancel()
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))


def announce_changes(result: object) -> None:
    """Tell the views what a service's result says it changed (nothing if it says none)."""
    changes = getattr(result, "changes", None)
    if isinstance(changes, Changes) and changes:
        bus.changed.emit(changes)


def run_op(
    parent: QWidget | None,
    fn: Callable[[Reporter], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    title: str = "",
    show_progress: bool = True,
    progress_over: QWidget | None = None,
) -> OpHandle:
    """Run ``fn(reporter)`` on the thread pool; callbacks run on the GUI thread.

    `progress_over` shows the progress dialog (with 取消) over a widget without making the
    operation its child: for pages whose callbacks are bound methods, which Qt simply
    drops if the page goes while the worker runs (parent stays None)."""
    handle = OpHandle(parent)
    sig = handle.signals
    over = progress_over or parent
    if show_progress and over is not None:
        dlg = QProgressDialog(title, QCoreApplication.translate("Progress", "取消"), 0, 0,
                              over)
        dlg.setWindowTitle(title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(handle.cancel)
        handle.dialog = dlg

        if progress_over is not None:
            # the widget went (its window closed, the database switched): nobody waits
            # for the result any more, and the dialog must not be touched again
            dlg.destroyed.connect(handle.cancel)

        def show_progress_(done: int, total: int, text: str) -> None:
            if not isValid(dlg):
                return
            dlg.setMaximum(max(total, 0))
            dlg.setValue(done)
            if text:
                dlg.setLabelText(text)

        sig.progress.connect(show_progress_)
        sig.finished.connect(dlg.reset)
        sig.finished.connect(dlg.deleteLater)
    if on_success is not None:
        sig.succeeded.connect(on_success)
    sig.succeeded.connect(announce_changes)
    if on_failure is not None:
        sig.failed.connect(on_failure)
    elif parent is not None:
        from app.views.widgets.dialogs import show_error

        sig.failed.connect(lambda exc: show_error(parent, exc))
    if on_cancel is not None:
        sig.cancelled.connect(on_cancel)
    _RUNNING.add(handle)
    sig.finished.connect(lambda: _RUNNING.discard(handle))
    sig.finished.connect(handle.deleteLater)
    QThreadPool.globalInstance().start(_Job(fn, sig, handle.reporter))
    return handle
