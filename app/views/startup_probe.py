"""Start-up measurement hook: with TAIZHANG_EXIT_AFTER_PAINT=1 the program prints one line
at the main window's first paint and quits.

benchmarks/bench_startup.py starts the program from the venv and from the built bundle
and times each from spawn to that line, so both are measured the same way from outside
(no clock inside the process, which would miss the bundle's own unpacking and loading).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

VARIABLE = "TAIZHANG_EXIT_AFTER_PAINT"
MARKER = "TAIZHANG-FIRST-PAINT"


class _FirstPaint(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print(MARKER, flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def watch(window: QWidget) -> None:
    """Install the probe when the environment asks for it; otherwise nothing."""
    if os.environ.get(VARIABLE) == "1":
        window.installEventFilter(_FirstPaint(window))
