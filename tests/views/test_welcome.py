"""The first start with an empty home folder: each role reaches its first useful screen,
and the example lives in its own database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.plans.examples import example_of
from app.services.plans.query import list_plans
from app.views import app as app_module
from app.views.app import database_to_open, make_application, show_welcome
from app.views.database_menu import requests
from app.views.i18n import due_text
from app.views.main_window import MainWindow
from app.views.office.window import OfficeWindow
from app.views.plans.import_wizard import PlanImportDialog
from app.views.welcome import WelcomeWindow
from app.views.widgets import dialogs

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user who never ran the program: no data folder, no remembered database."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    make_application()
    settings = QSettings()
    saved = {k: settings.value(k) for k in ("last_database", "recent_databases")}
    for key in saved:
        settings.remove(key)
    yield home
    for key, value in saved.items():
        if value is not None:
            settings.setValue(key, value)
    for window in list(app_module._windows):
        box = getattr(window, "message_box", None)
        if box is not None:
            box.close()
        window.close()


def welcome(qtbot: QtBot) -> WelcomeWindow:
    assert database_to_open(None) is None  # nothing to open: the welcome screen
    window = show_welcome()
    assert isinstance(window, WelcomeWindow)
    qtbot.waitExposed(window)
    return window


def test_district_first_start_imports_a_plan(qtbot: QtBot, empty_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    window = welcome(qtbot)
    monkeypatch.setattr(dialogs, "open_file",
                        lambda *a, **k: str(PLANS / "wuxi_rectification.xlsx"))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        window.import_button.click()
    district = blocker.args[0]
    assert isinstance(district, MainWindow) and "区创建办" in district.windowTitle()
    dialog = district.plan_actions.dialog  # type: ignore[union-attr]
    assert isinstance(dialog, PlanImportDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.task_model.rowCount() == 22
    own = app_module.default_database_path()
    assert str(own).startswith(str(empty_home)) and own.is_file()
    assert not app_module.example_database_path().exists()
    assert database_to_open(None) == str(own.resolve())  # the next start opens it
    dialog.close()


def test_district_first_start_explores_the_example_in_its_own_database(
        qtbot: QtBot, empty_home: Path) -> None:
    window = welcome(qtbot)
    with qtbot.waitSignal(requests.opened, timeout=30000) as blocker:
        window.example_button.click()
    district = blocker.args[0]
    assert isinstance(district, MainWindow)
    assert "示例" in district.windowTitle() and district.example == "tianning"
    assert district.example_label.isVisible()
    assert district.plan is not None and district.plan.plan.title.startswith("常州市天宁区")
    assert not app_module.default_database_path().exists()  # the user's own stays clean
    # a finished plan without activity opens on its last period, the deadline as a date
    assert district.period_combo.currentText() == "2023年12月"
    assert "逾期" not in district.due_label.text() and "2024年1月5日" in district.due_label.text()


def test_office_first_start_opens_the_packet(qtbot: QtBot, empty_home: Path,
                                             tianning: Database, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    packet = issue_packets(tianning, "2021-05", tmp_path / "mail", units=["青龙街道"]).packets[0]
    window = welcome(qtbot)
    target = tmp_path / "docs" / "青龙街道_填报库.db"
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(packet.path))
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(target))
    with qtbot.waitSignal(requests.opened, timeout=20000) as blocker:
        window.packet_button.click()
    clerk = blocker.args[0]
    assert isinstance(clerk, OfficeWindow)
    assert clerk.info is not None and clerk.info.unit == "青龙街道"
    assert clerk.model.rowCount() == 50 and clerk.form.isEnabled()  # the first task's form
    assert clerk.current_key is not None
    assert target.is_file() and not app_module.default_database_path().exists()


def test_the_example_database_refuses_a_users_database(tianning_path: Path) -> None:
    from app.core.errors import UserFacingError
    from app.services.plans.examples import open_example_database

    with pytest.raises(UserFacingError, match="不是示例数据库"):
        open_example_database(tianning_path)
    db = open_database(tianning_path)
    assert example_of(db) == "" and len(list_plans(db)) == 1
    db.dispose()


def test_default_period_is_the_one_whose_deadline_is_next(tianning: Database) -> None:
    from app.services.district.progress import default_period_key

    assert default_period_key(tianning, 1, dt.date(2021, 7, 3)) == "2021-06"  # due 7月5日
    assert default_period_key(tianning, 1, dt.date(2021, 7, 6)) == "2021-07"
    assert default_period_key(tianning, 1, dt.date(2026, 1, 1)) == "2023-12"  # finished


def test_an_old_deadline_is_a_date_not_a_count_of_days() -> None:
    assert due_text(dt.date(2021, 7, 5), dt.date(2021, 7, 20))[0] == "截止 7月5日(已逾期 15 天)"
    assert due_text(dt.date(2021, 7, 5), dt.date(2024, 7, 20))[0] == "截止 2021年7月5日"
