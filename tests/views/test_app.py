"""Which window a database gets, and switching databases from the 文件 menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.office import opening as office
from app.views import app as app_module
from app.views.app import make_application, open_in_window
from app.views.database_menu import recent_databases, requests
from app.views.main_window import MainWindow
from app.views.office.window import OfficeWindow
from app.views.plans.tasks_page import TasksPage
from app.views.widgets import dialogs


@pytest.fixture
def office_file(tianning: Database, tmp_path: Path) -> Path:
    packet = issue_packets(tianning, "2021-05", tmp_path / "issued", units=["青龙街道"])
    path = tmp_path / "青龙填报.db"
    db = open_database(path)
    office.open_packet(db, packet.packets[0].path)
    db.dispose()
    return path


def close_all(qtbot: QtBot) -> None:
    for window in list(app_module._windows):
        message = getattr(window, "message_box", None)
        if message is not None:
            message.close()
        window.close()
    qtbot.waitUntil(lambda: not app_module._windows)


def test_switching_from_the_clerk_window_to_a_district_database_and_back(
        qtbot: QtBot, office_file: Path, tianning_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    clerk = open_in_window(None, office_file)
    assert isinstance(clerk, OfficeWindow)
    assert "单位填报" in clerk.windowTitle() and "青龙填报.db" in clerk.windowTitle()
    titles = [a.text() for a in clerk.file_menu.actions()]
    assert titles[:2] == ["新建数据库…", "打开数据库…"] and "最近使用" in titles

    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(tianning_path))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        clerk.database_actions.open_action.trigger()
    district = blocker.args[0]
    assert isinstance(district, MainWindow) and district.isVisible()
    assert "区创建办" in district.windowTitle() and "tianning.db" in district.windowTitle()
    qtbot.waitUntil(lambda: app_module._windows == [district])  # the clerk's window went
    assert recent_databases()[:2] == [str(tianning_path.resolve()), str(office_file.resolve())]

    recent = district.database_actions.recent_menu
    recent.aboutToShow.emit()
    entry = next(a for a in recent.actions() if a.data() == str(office_file.resolve()))
    current = next(a for a in recent.actions() if a.data() == str(tianning_path.resolve()))
    assert not current.isEnabled() and current.isChecked()
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        entry.trigger()
    back = blocker.args[0]
    assert isinstance(back, OfficeWindow) and back.info is not None
    assert back.info.unit == "青龙街道" and back.model.rowCount() == 50
    qtbot.waitUntil(lambda: app_module._windows == [back])
    close_all(qtbot)


def test_a_database_that_cannot_be_opened_keeps_the_window(
        qtbot: QtBot, tianning_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    window = open_in_window(None, tianning_path)
    assert isinstance(window, QMainWindow)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all")
    errors: list[BaseException] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: errors.append(exc))
    assert open_in_window(window, junk) is None
    assert "不是台账数据库" in str(errors[0])
    assert open_in_window(window, tmp_path / "gone.db") is None
    assert "不存在" in str(errors[1]) and not (tmp_path / "gone.db").exists()
    assert window.isVisible() and app_module._windows == [window]
    close_all(qtbot)


def test_new_database_opens_an_empty_district_window(
        qtbot: QtBot, tianning_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    window = open_in_window(None, tianning_path)
    assert isinstance(window, MainWindow)
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(tmp_path / "新方案"))
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        window.database_actions.new_action.trigger()
    fresh = blocker.args[0]
    assert isinstance(fresh, MainWindow) and fresh.plan is None
    assert (tmp_path / "新方案.db").is_file() and "新方案.db" in fresh.windowTitle()
    close_all(qtbot)


def test_the_start_paints_the_district_shell_then_gives_it_the_database(
        qtbot: QtBot, tianning_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    shell = app_module.first_window(str(tianning_path))
    assert isinstance(shell, MainWindow)  # the real window, before its database
    assert shell.nav.count() == 12 and shell.stack.currentWidget() is shell.loading
    assert shell.loading.text() == "正在载入…" and "tianning.db" in shell.windowTitle()
    assert shell.plan_combo.count() == 0 and shell.file_menu.isEmpty()
    app_module._track(shell)
    shell.show()
    assert app_module.open_first_database(shell, str(tianning_path)) == 0
    assert app_module._windows == [shell] and shell.isVisible()  # the same window, filled
    assert shell.plan_combo.currentText().startswith("常州市天宁区")
    qtbot.waitUntil(lambda: getattr(shell.stack.currentWidget(), "context", None) is not None)
    assert shell.stack.currentWidget() is shell.page(TasksPage)  # the first page, loaded
    qtbot.waitUntil(lambda: not shell.file_menu.isEmpty())  # then the menus' entries
    assert shell.plan_actions.import_action.isEnabled()
    close_all(qtbot)

    # the same one-line message as before the shell existed, and exit status 1
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all")
    shown: list[tuple[object, str, str]] = []
    monkeypatch.setattr(app_module.QMessageBox, "critical",
                        lambda parent, title, text: shown.append((parent, title, text)))
    shell = app_module.first_window(str(junk))
    app_module._track(shell)
    assert app_module.open_first_database(shell, str(junk)) == 1
    assert shown == [(shell, "台账", shown[0][2])] and "不是台账数据库" in shown[0][2]
    assert "\n" not in shown[0][2]
    close_all(qtbot)


def test_a_clerk_database_gets_its_own_window_whichever_window_painted_first(
        qtbot: QtBot, office_file: Path) -> None:
    make_application()
    # never opened here before: the district shell paints, the clerk's window replaces it
    shell = app_module.first_window(str(office_file))
    assert isinstance(shell, MainWindow)
    app_module._track(shell)
    shell.show()
    assert app_module.open_first_database(shell, str(office_file)) == 0
    qtbot.waitUntil(lambda: len(app_module._windows) == 1)
    assert isinstance(app_module._windows[0], OfficeWindow)
    close_all(qtbot)
    # remembered as the clerk's: the next start paints the opening window instead
    shell = app_module.first_window(str(office_file))
    assert isinstance(shell, app_module.OpeningWindow)
    assert shell.label.text() == "正在打开数据库…\n青龙填报.db"
    app_module._track(shell)
    shell.show()
    assert app_module.open_first_database(shell, str(office_file)) == 0
    qtbot.waitUntil(lambda: len(app_module._windows) == 1
                    and isinstance(app_module._windows[0], OfficeWindow))
    close_all(qtbot)


FIRST_FRAME = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QWidget
import app.views.app as start
from app.launcher import main

HEAVY = ("sqlalchemy", "alembic", "openpyxl", "matplotlib", "xlsxwriter", "python_calamine",
         "numpy", "app.services.db", "app.services.packets.reader",
         "app.services.packets.writer", "app.views.plans.tasks_page",
         "app.views.reports.dashboard_page")


class FirstPaint(QObject):  # the first frame; with "data", the first with the page's data

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) \
                and isinstance(obj.window(), QMainWindow):
            window = obj.window()
            shown = window.stack.currentWidget()
            if sys.argv[2] == "data" and getattr(shown, "context", None) is None:
                return False
            print(type(window).__name__, [m for m in HEAVY if m in sys.modules],
                  window.nav.count(), type(shown).__name__, getattr(shown, "text", str)(),
                  flush=True)
            os._exit(0)
        return False


_make = start.make_application


def make_application(argv=None):
    app = _make(argv)
    app.installEventFilter(probe)
    return app


probe = FirstPaint()
start.make_application = make_application
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_the_district_window_paints_before_sqlalchemy_and_its_pages_are_imported(
        tianning_path: Path, tmp_path: Path) -> None:
    """Start-up (issue 13): the first frame is the district window's own (its shell, with
    the navigation and 正在载入…), painted before the database side is imported."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(tianning_path), "paint"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["MainWindow [] 12 QLabel 正在载入…"]
    # the first page with its data: the database side, still nothing of the packets,
    # workbooks, charts or migrations (the menus' entries and other pages come after)
    proc = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(tianning_path), "data"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "MainWindow ['sqlalchemy', 'app.services.db', 'app.views.plans.tasks_page'] 12 "
        "TasksPage "]
