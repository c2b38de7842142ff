from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from app.views.widgets.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_and_the_timer_collects(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        gc.collect()
        for _ in range(collector.threshold[0] + 50):
            Cycle()
        assert gc.get_count()[0] > collector.threshold[0]
        assert collector.check() >= 0
        assert gc.get_count()[0] < collector.threshold[0]
    finally:
        collector.timer.stop()
