"""文件 › 连接服务器…: the connection dialog, its errors, and where the password goes."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from server_helpers import SERVER_URL, at_first_revision, drop_server_database, server_database

from app.services.db import Database, database_location, open_database
from app.views.main_window import MainWindow, window_for
from app.views.server import _WINDOWS, ServerDialog, ask_server


def test_the_file_menu_offers_connect_to_server(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert "连接服务器…" in texts and texts[-1] == "退出"


def test_a_server_that_is_not_running_is_reported_in_the_dialog(qtbot: QtBot) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog = ServerDialog(None, f"postgresql://127.0.0.1:{port}/tz?user=clerk")
    qtbot.addWidget(dialog)
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text(),
            dialog.user.text()) == ("127.0.0.1", port, "tz", "clerk")
    dialog.show()
    dialog.password.setText("typed-secret")
    dialog.connect_now()
    qtbot.waitUntil(lambda: "未运行" in dialog.status.text(), timeout=15_000)
    assert f"127.0.0.1:{port}/tz" in dialog.status.text()
    assert dialog.isVisible() and dialog.buttons.isEnabled()


def test_user_and_database_are_required(qtbot: QtBot) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.database.setText("")
    dialog.connect_now()
    assert "请填写" in dialog.status.text()


@pytest.fixture
def server_db() -> Iterator[str]:
    url = server_database()
    open_database(url).dispose()
    yield url
    drop_server_database(url)


@pytest.mark.server
@pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")
def test_connecting_opens_a_window_and_keeps_the_password_out_of_settings(
        qtbot: QtBot, server_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    password = os.environ["PGPASSWORD"]
    monkeypatch.delenv("PGPASSWORD")  # only the dialog knows it now
    monkeypatch.setattr("app.services.server.keyring_password", lambda url: None)
    dialog = ask_server(None, window_for, server_db)
    qtbot.addWidget(dialog)
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.connected, timeout=20_000) as blocker:
        dialog.connect_now()
    db = blocker.args[0]
    window = _WINDOWS[-1]
    assert database_location(db).startswith("postgresql+psycopg://taizhang@")
    settings = QSettings()
    settings.sync()
    stored = str(settings.value("last_database"))
    assert stored.startswith("postgresql://") and password not in stored
    assert password not in Path(settings.fileName()).read_text("utf-8", "replace")
    window.close()  # deletes itself (WA_DeleteOnClose)
    db.dispose()


@pytest.mark.server
@pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")
def test_an_upgrade_without_pg_dump_is_confirmed_in_the_dialog(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import db as dbmod
    from app.services.db import head_revision

    if head_revision() == "0001":
        pytest.skip("only one revision")
    url = server_database()
    try:
        at_first_revision(url)
        monkeypatch.setattr(dbmod.shutil, "which", lambda name: None)
        dialog = ServerDialog(None, url)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.connect_now()
        qtbot.waitUntil(lambda: dialog.confirm_upgrade.isVisible(), timeout=20_000)
        assert "--yes" in dialog.status.text() or "确认" in dialog.status.text()
        dialog.confirm_upgrade.setChecked(True)
        with qtbot.waitSignal(dialog.connected, timeout=30_000) as blocker:
            dialog.connect_now()
        blocker.args[0].dispose()
    finally:
        drop_server_database(url)
