from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QRunnable, QThreadPool
from pytestqt.qtbot import QtBot

from app.views.widgets.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


class Wait(QRunnable):
    def __init__(self, event: threading.Event) -> None:
        super().__init__()
        self.event = event

    def run(self) -> None:
        self.event.wait(10)


def _collector() -> GuiThreadCollector:
    collector = GuiThreadCollector()
    collector.timer.stop()  # the test ticks by hand
    return collector


def test_automatic_collection_is_off_and_the_timer_collects(qtbot: QtBot) -> None:
    collector = _collector()
    assert not gc.isenabled()
    gc.collect()
    assert collector.check() == -1  # the first tick freezes what start-up left
    assert gc.get_freeze_count() > 0
    for _ in range(collector.threshold[0] + 50):
        Cycle()
    assert gc.get_count()[0] > collector.threshold[0]
    assert collector.check() >= 0
    assert gc.get_count()[0] < collector.threshold[0]


def test_the_oldest_generation_freezes_its_survivors(qtbot: QtBot) -> None:
    collector = _collector()
    collector.check()
    frozen = gc.get_freeze_count()
    kept = [Cycle() for _ in range(1000)]
    gone = weakref.ref(Cycle())
    gc.collect(1)  # what is kept reaches the oldest generation
    for _ in range(collector.threshold[2] + 1):
        gc.collect(0)
        gc.collect(1)
    collector.walked = collector.frozen = gc.get_freeze_count()  # no complete walk due
    assert gc.get_count()[2] > collector.threshold[2]
    assert collector.check() == 2
    assert gone() is None  # garbage collected, survivors frozen
    assert gc.get_freeze_count() >= frozen + len(kept)
    # counted without walking the frozen list (give or take what died meanwhile)
    assert abs(collector.frozen - gc.get_freeze_count()) < 20


def test_a_complete_walk_frees_frozen_cycles_when_asked_and_none_while_a_worker_runs(
        qtbot: QtBot) -> None:
    collector = _collector()
    collector.check()
    cycle = Cycle()
    ref = weakref.ref(cycle)
    gc.freeze()
    del cycle
    collector.walked = collector.frozen = gc.get_freeze_count()
    gc.collect()
    assert ref() is not None  # frozen: ordinary collections do not see it
    collector.collect_everything_soon()
    release = threading.Event()
    QThreadPool.globalInstance().start(Wait(release))
    try:
        qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() > 0)
        assert collector.check() != 3  # not while a worker runs
        assert ref() is not None
    finally:
        release.set()
        QThreadPool.globalInstance().waitForDone(10_000)
    assert collector.check() == 3
    assert ref() is None and not collector.everything


def test_young_collections_wait_for_a_running_worker_for_a_while(qtbot: QtBot) -> None:
    collector = _collector()
    collector.check()
    collector.walked = collector.frozen = gc.get_freeze_count()
    release = threading.Event()
    QThreadPool.globalInstance().start(Wait(release))
    try:
        qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() > 0)
        junk = [Cycle() for _ in range(collector.threshold[0] + 50)]
        del junk
        assert collector.check() == -1  # deferred while the worker runs
        assert gc.get_count()[0] > collector.threshold[0]
        assert collector.deferred_since is not None
        collector.deferred_since -= collector.MAX_DEFER_S  # waited long enough
        assert collector.check() >= 0
        assert collector.deferred_since is None
    finally:
        release.set()
        QThreadPool.globalInstance().waitForDone(10_000)
