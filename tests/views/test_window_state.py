"""Each window comes back, per database, the way it was left: size, splitters, page and
period in the district's window; period, tab and task in the clerk's; also across
switching databases."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.district.progress import default_period_key
from app.services.office import opening
from app.views import app as app_module
from app.views.app import make_application, open_in_window
from app.views.database_menu import requests
from app.views.main_window import MainWindow
from app.views.office.window import OfficeWindow
from app.views.widgets import dialogs
from app.views.window_state import GROUP, database_key


def district_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def splitter_sizes(window: MainWindow) -> tuple[list[int], list[int]]:
    """The navigation splitter and the shown page's own."""
    main = window.centralWidget()
    assert isinstance(main, QSplitter)
    return main.sizes(), window.stack.currentWidget().findChild(QSplitter).sizes()


def test_district_window_comes_back_as_it_was_left(qtbot: QtBot, tianning_path: Path,
                                                   tmp_path: Path) -> None:
    db = open_database(tianning_path)
    first = district_window(qtbot, db)
    default = first.context().period
    assert default is not None
    first.resize(711, 507)  # within the offscreen test screen (800×600)
    size = (first.width(), first.height())  # (as wide as the window can be made)
    assert size != (1360, 820)
    main = first.centralWidget()
    assert isinstance(main, QSplitter)
    main.setSizes([210, 900])
    receipts = next(p for p in first.pages if p.title == "收件登记")
    first.show_page(receipts)
    receipts.findChild(QSplitter).setSizes([200, 400])
    left_sizes = splitter_sizes(first)
    first.select_period("2021-06")
    assert first.close()

    again = district_window(qtbot, db)
    assert (again.width(), again.height()) == size
    assert splitter_sizes(again) == left_sizes
    assert again.stack.currentWidget().title == "收件登记"
    assert again.context().period is not None and again.context().period.key == "2021-06"
    assert again.close()

    # another database keeps its own state: the copy opens on its defaults
    other_path = tmp_path / "另一个.db"
    shutil.copy(tianning_path, other_path)
    other_db = open_database(other_path)
    other = district_window(qtbot, other_db)
    assert other.stack.currentWidget().title != "收件登记"
    assert other.context().period is not None and other.context().period.key == default.key
    assert (other.width(), other.height()) == (1360, 820)
    other.close()
    other_db.dispose()
    db.dispose()


def test_the_saved_period_gives_way_when_the_next_deadline_moves_on(
        qtbot: QtBot, tianning: Database) -> None:
    first = district_window(qtbot, tianning)
    first.select_period("2021-06")
    first.close()
    plan = first.plan
    assert plan is not None
    prefix = f"{GROUP}/{database_key(tianning)}/district/"
    assert QSettings().value(prefix + "period") == "2021-06"
    # as if the window had been closed when another period was the one due next
    QSettings().setValue(prefix + "default_period", "2021-01")
    again = district_window(qtbot, tianning)
    expected = default_period_key(tianning, plan.plan.id, dt.date.today())
    assert again.context().period is not None and again.context().period.key == expected
    again.close()


@pytest.fixture
def office_file(tianning: Database, tmp_path: Path) -> Path:
    path = tmp_path / "青龙填报.db"
    db = open_database(path)
    for period in ("2021-05", "2021-06"):
        packet = issue_packets(tianning, period, tmp_path / "issued", units=["青龙街道"])
        opening.open_packet(db, packet.packets[0].path)
    db.dispose()
    return path


def test_clerk_window_comes_back_on_its_period_tab_and_task_after_switching(
        qtbot: QtBot, office_file: Path, tianning_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    clerk = open_in_window(None, office_file)
    assert isinstance(clerk, OfficeWindow) and clerk.info is not None
    keys = [p.key for p in clerk.info.periods]
    assert len(keys) == 2
    other_period = keys[1]  # not the one the window opens on by itself
    clerk.period_combo.setCurrentIndex(clerk.period_combo.findData(other_period))
    task = list(clerk.tasks)[7]
    clerk.select_task(task)
    clerk.resize(760, 560)
    size = (clerk.width(), clerk.height())
    assert size != (1360, 840)
    clerk.splitter.setSizes([400, 300])
    sizes = clerk.splitter.sizes()

    # to the district database and back, through the 文件 menu
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(tianning_path))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        clerk.database_actions.open_action.trigger()
    district = blocker.args[0]
    assert isinstance(district, MainWindow)
    qtbot.waitUntil(lambda: app_module._windows == [district])
    district.show_page(next(p for p in district.pages if p.title == "日志"))
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(office_file))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        district.database_actions.open_action.trigger()
    back = blocker.args[0]
    assert isinstance(back, OfficeWindow)
    qtbot.waitUntil(lambda: app_module._windows == [back])
    assert back.period is not None and back.period.key == other_period
    assert back.current_key == task
    assert back.splitter.sizes() == sizes
    assert (back.width(), back.height()) == size

    # and the district window comes back on the page it was left on
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(tianning_path))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        back.database_actions.open_action.trigger()
    district = blocker.args[0]
    assert isinstance(district, MainWindow)
    assert district.stack.currentWidget().title == "日志"
    qtbot.waitUntil(lambda: app_module._windows == [district])
    district.close()
    qtbot.waitUntil(lambda: not app_module._windows)
