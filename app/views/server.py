"""文件 › 连接服务器…: a shared PostgreSQL database instead of a file.

The password is typed into the dialog and handed to the service in memory; it never goes
into the URL, the settings or the log (only the OS keyring, when the clerk ticks 记住密码).
Connecting runs off the GUI thread: an unreachable server takes up to 10 s to give up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.jobs import Reporter
from app.services.db import Database, UpgradeNeedsConfirmation, connect_server
from app.services.server import keyring_available, server_fields, server_url_text
from app.views.ops import run_op
from app.views.widgets.dialogs import error_text

# Windows opened on another database: referenced here so Python keeps them alive.
_WINDOWS: list[QMainWindow] = []


class ServerDialog(QDialog):
    """Host, port, database, user and password; emits `connected` with the open database."""

    connected = Signal(object)

    def __init__(self, parent: QWidget | None = None, url_text: str = "",
                 message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接服务器"))
        self.host = QLineEdit("127.0.0.1")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("taizhang")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("在系统密钥环中记住密码"))
        self.remember.setEnabled(keyring_available())
        # shown when the server needs a schema upgrade and no pg_dump can back it up first
        self.confirm_upgrade = QCheckBox(self.tr("已另行备份,确认升级数据库"))
        self.confirm_upgrade.setVisible(False)
        if url_text:
            fields = server_fields(url_text)
            self.host.setText(fields.host)
            self.port.setValue(fields.port)
            self.database.setText(fields.database)
            self.user.setText(fields.user)
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库"), self.database)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)
        form.addRow("", self.confirm_upgrade)
        self.status = QLabel(message)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("连接"))
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        (self.password if url_text else self.host).setFocus()

    def url_text(self) -> str:
        return server_url_text(self.host.text(), self.port.value(), self.database.text(),
                               self.user.text())

    def connect_now(self) -> None:
        if not self.database.text().strip() or not self.user.text().strip():
            self.status.setText(self.tr("请填写数据库和用户名。"))
            return
        url, password, remember = self.url_text(), self.password.text(), \
            self.remember.isChecked()
        confirm = self.confirm_upgrade.isChecked()
        self.buttons.setEnabled(False)
        self.status.setText(self.tr("正在连接 {0} …").format(url))

        def work(_reporter: Reporter) -> Database:
            return connect_server(url, password or None, remember=remember,
                                  confirm_upgrade=confirm)

        run_op(self, work, on_success=self._connected, on_failure=self._failed,
               show_progress=False)

    def _connected(self, db: Database) -> None:
        self.buttons.setEnabled(True)
        if not self.isVisible():  # cancelled while connecting: nobody wants it any more
            db.dispose()
            return
        self.connected.emit(db)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(error_text(exc))
        if isinstance(exc, UpgradeNeedsConfirmation):
            self.confirm_upgrade.setVisible(True)


WindowFactory = Callable[[Database], QMainWindow]  # the district or office window for a database


def show_database_window(db: Database, url_text: str, replacing: QMainWindow | None,
                         open_window: WindowFactory) -> QMainWindow:
    """The window for a newly opened database (its URL remembered for the next start)."""
    window = open_window(db)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _WINDOWS.append(window)
    window.destroyed.connect(lambda *_: _WINDOWS.remove(window) if window in _WINDOWS else None)
    QSettings().setValue("last_database", url_text)
    window.show()
    if replacing is not None:
        replacing.close()
    return window


def ask_server(parent: QMainWindow | None, open_window: WindowFactory, url_text: str = "",
               message: str = "") -> ServerDialog:
    """Open the connection dialog; on success the new database opens in its own window."""
    dialog = ServerDialog(parent, url_text, message)

    def opened(db: Any) -> None:
        show_database_window(db, dialog.url_text(), parent, open_window)

    dialog.connected.connect(opened)
    dialog.open()
    return dialog


def install_server_action(window: QMainWindow, file_menu: QMenu,
                          open_window: WindowFactory) -> QAction:
    """文件 › 连接服务器… (placed before the menu's last entry, 退出)."""
    action = QAction(QCoreApplication.translate("Server", "连接服务器…"), window)
    action.triggered.connect(lambda: ask_server(window, open_window))
    actions = file_menu.actions()
    if actions:
        file_menu.insertAction(actions[-1], action)
    else:
        file_menu.addAction(action)
    return action

