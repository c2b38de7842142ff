"""文件 › 从备份恢复…: the backups listed newest first, the chosen one put back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from merge_helpers import table_dump

from app.services.backups import list_backups
from app.services.db import Database
from app.services.plans.edit import plan_settings, update_plan_settings
from app.views.district.restore_dialog import RestoreDialog, install_restore_action


def test_restore_dialog_puts_the_backup_back(qtbot, qtmodeltester, tianning: Database,
                                             tianning_path: Path) -> None:
    before = table_dump(tianning_path)
    update_plan_settings(tianning, 1, replace(plan_settings(tianning, 1), title="改错的标题"))
    dialog = RestoreDialog(tianning)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert [b.reason for b in dialog.model.records] == ["edit"]
    assert dialog.model.data(dialog.model.index(0, 1)) == "编辑方案前"
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(dialog.restored, timeout=20_000) as kept:
        dialog.restore_button.click()
    assert table_dump(tianning_path) == before
    assert kept.args[0] and "改错的标题" in str(table_dump(Path(kept.args[0]))["plan"])
    assert [b.reason for b in list_backups(tianning_path)] == ["before-restore", "edit"]


def test_empty_list_and_the_menu_action(qtbot, tianning: Database) -> None:
    from PySide6.QtWidgets import QMainWindow

    dialog = RestoreDialog(tianning)
    qtbot.addWidget(dialog)
    assert not dialog.model.records and not dialog.restore_button.isEnabled()
    assert not dialog.empty.isHidden()
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("文件")
    action = install_restore_action(window, menu, tianning)
    assert action.isEnabled() and action.text() == "从备份恢复…"
