"""Run Python's garbage collector only on the GUI thread (Anki and calibre do the same).

With automatic collection on, a collection can start on whichever thread allocates, e.g.
a ``run_op`` worker building a chart, and then finalise Qt wrappers (windows, canvases)
off the GUI thread, which crashes. Automatic collection is switched off and a timer on the
GUI thread collects each generation once its threshold is reached.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns it or -1."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return generation
        return -1
