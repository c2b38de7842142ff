"""Run Python's garbage collector only on the GUI thread (Anki and calibre do the same),
and in short steps.

With automatic collection on, a collection can start on whichever thread allocates, e.g.
a ``run_op`` worker building a chart, and then finalise Qt wrappers (windows, canvases)
off the GUI thread, which crashes. Automatic collection is switched off and a timer on the
GUI thread collects each generation once its threshold is reached.

A collection of the oldest generation walks every object the program holds: 0.1–0.15 s
of GUI-thread CPU with the window, SQLAlchemy and a dashboard loaded (measured while the
charts appeared: the longest event of the GUI thread). So what has survived is frozen
(``gc.freeze``: moved out of the collector's sight; reference counting still frees it),
first at the first tick after start-up, then after each collection of the oldest
generation, which therefore walks only what arrived since. Cycles among frozen objects
that become garbage wait for a complete walk, which runs when the frozen heap has doubled
since the last one (CPython itself lets garbage grow by a quarter of the long-lived heap
before a complete walk) or soon after a window closed (`collect_everything_soon`), never
while a worker runs (the 汇总 page freezes a long check's previews on purpose). The young generations are
collected every `INTERVAL_MS` once past their thresholds, so that each collection walks
little; while a ``run_op`` worker runs they wait, up to `MAX_DEFER_S`: a collection in
the middle of the dashboard's count walked its 60,000 rows (measured: 22 ms of GUI-thread
CPU), which die with the count. (Waiting up to 5 s made one collection walk everything of
the first look at the dashboard: 20,000 survivors, 40 ms.)
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QThreadPool, QTimer


class GuiThreadCollector(QObject):
    INTERVAL_MS = 200
    GROWTH = 2.0  # a complete walk once the frozen heap grew this much since the last
    MAX_DEFER_S = 1.0  # young collections wait for a running worker at most this long

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self.threshold = gc.get_threshold()
        self.started = False  # the start-up's objects are frozen at the first tick
        # objects frozen, as counted by this collector: gc.get_freeze_count() walks the
        # whole frozen list (measured: ~9 ms of GUI-thread CPU for 100,000 objects)
        self.frozen = 0
        self.walked = 0  # ... after the last complete walk
        self.everything = False  # a complete walk asked for
        self.deferred_since: float | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    def collect_everything_soon(self) -> None:
        """Walk every object at the next tick, frozen ones too (a window went: its cycles
        may be frozen)."""
        self.everything = True

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns it,
        3 for a complete walk, or -1 for none."""
        if not self.started:
            self.started = True
            gc.collect(0)  # the last moments' garbage; what is older stays, unwalked
            gc.freeze()
            self.frozen = self.walked = gc.get_freeze_count()
            return -1
        busy = QThreadPool.globalInstance().activeThreadCount() > 0
        if (self.everything or self.frozen > self.walked * self.GROWTH) and not busy:
            self.everything = False
            gc.unfreeze()
            gc.collect(2)
            gc.freeze()
            self.frozen = self.walked = gc.get_freeze_count()
            return 3
        if busy:  # what a worker allocates mostly dies with its work: wait a little
            now = time.monotonic()
            if self.deferred_since is None:
                self.deferred_since = now
            if now - self.deferred_since < self.MAX_DEFER_S:
                return -1
        self.deferred_since = None
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                if generation == 2:  # the survivors are long-lived: out of the next walks
                    self.frozen += len(gc.get_objects(2))  # only what is not frozen yet
                    gc.freeze()
                return generation
        return -1
