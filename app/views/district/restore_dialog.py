"""文件 › 从备份恢复…: pick one of the database's automatic backups and put it back.

The current file is backed up first (``services.backups.restore_backup``), so a restore
can itself be undone from the same list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.backups import BackupInfo, backup_folder, list_backups, restore_backup
from app.services.db import Database, database_location
from app.views.bus import Changes, bus
from app.views.database_menu import add_database_action
from app.views.ops import run_op
from app.views.widgets.dialogs import show_info
from app.views.widgets.table_model import Column, RecordTableModel


class RestoreDialog(QDialog):
    """The backups of one database file, newest first; 恢复 puts the selected one back."""

    restored = Signal(str)  # the copy kept of the file as it was

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path = Path(database_location(db))
        self.setWindowTitle(self.tr("从备份恢复"))
        self.resize(760, 380)
        self.reasons = {"merge": self.tr("汇总导入前"), "import": self.tr("导入方案前"),
                        "edit": self.tr("编辑方案前"), "migrate": self.tr("升级数据库前"),
                        "before-restore": self.tr("恢复备份前"), "manual": self.tr("手动")}
        self.model: RecordTableModel[BackupInfo] = RecordTableModel([
            Column(self.tr("备份时间"), lambda b: f"{b.created:%Y-%m-%d %H:%M:%S}"),
            Column(self.tr("原因"), lambda b: self.reasons.get(b.reason, b.reason_label)),
            Column(self.tr("大小"), lambda b: f"{max(b.size // 1024, 1):,} KB", align_right=True,
                   sort_key=lambda b: b.size),
            Column(self.tr("文件"), lambda b: b.path.name, tooltip=lambda b: str(b.path)),
        ])
        self.model.set_records(list_backups(self.path))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(2, 90)
        note = QLabel(self.tr("自动备份位于 {0}。恢复时会先把当前数据库另存一份备份,"
                              "恢复后也可以再从这里恢复回来。").format(backup_folder(self.path)))
        note.setWordWrap(True)
        self.empty = QLabel(self.tr("还没有备份。导入报送包、导入或编辑方案、升级数据库之前会自动备份。"))
        self.empty.setVisible(not self.model.records)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(self.tr("恢复所选备份"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self._restore)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.restore_button.setEnabled(self.selected() is not None))
        if self.model.records:
            self.table.selectRow(0)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _restore(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self.restore_button.setEnabled(False)
        self.db.dispose()  # no pooled connection may hold the file being replaced
        path, source = self.path, chosen.path
        run_op(self, lambda _r: restore_backup(path, source), on_success=self._done,
               on_failure=self._failed, title=self.tr("正在恢复数据库…"))

    def _done(self, kept: Path | None) -> None:
        bus.changed.emit(Changes(plans=True, progress=True, packets=True, units=True,
                                 note="restored"))
        self.restored.emit(str(kept or ""))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from app.views.widgets.dialogs import show_error

        self.restore_button.setEnabled(True)
        show_error(self, exc)


def install_restore_action(window: QMainWindow, menu: QMenu, db: Database) -> QAction:
    """文件 › 从备份恢复… in the menu's database section (SQLite files only: a server
    database has its own backups)."""
    action = QAction(QCoreApplication.translate("RestoreDialog", "从备份恢复…"), window)
    action.setEnabled("://" not in database_location(db))

    def open_dialog() -> None:
        dialog = RestoreDialog(db, window)
        dialog.restored.connect(lambda kept: show_info(window, QCoreApplication.translate(
            "RestoreDialog", "已从备份恢复数据库。恢复前的文件已另存为:\n{0}").format(kept)
            if kept else QCoreApplication.translate("RestoreDialog", "已从备份恢复数据库。")))
        dialog.open()

    action.triggered.connect(open_dialog)
    add_database_action(menu, action)
    return action
