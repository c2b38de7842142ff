"""Progress reporting and cancellation for long service calls, without Qt.

Services take a ``Reporter`` and call ``step``; the GUI's ``run_op`` passes one whose
``cancel()`` is wired to a button, the command line passes ``Reporter()`` (silent).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user asked to stop; whatever transaction was open is rolled back."""


class Reporter:
    def __init__(self, callback: Callable[[int, int, str], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int, text: str = "") -> None:
        """Report progress; raises Cancelled if cancel() was called meanwhile."""
        if self._cancel.is_set():
            raise Cancelled
        if self._callback is not None:
            self._callback(done, total, text)
