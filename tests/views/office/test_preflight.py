"""导出前检查 on its own: one line per item with all its gaps, a click names the item, and
仍然导出… says so."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.services.office.export import PreflightItem
from app.views.office.preflight import PreflightDialog

ITEMS = [
    PreflightItem("task", "T:a", "1.1", "status", "请选择进展状态。"),
    PreflightItem("task", "T:a", "1.1", "phone", "请填写联系电话。"),
    PreflightItem("indicator", "I:b", "7", "value", "请填写本期数值。"),
]


def make(qtbot: QtBot) -> PreflightDialog:
    dialog = PreflightDialog(ITEMS, {"T:a": "大气治理", "I:b": "空气优良率"})
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_one_line_per_item_with_its_gaps(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.list.count() == 2
    assert dialog.list.item(0).text().startswith("任务 1.1  大气治理")
    assert dialog.list.item(0).text().endswith("请选择进展状态;请填写联系电话")
    assert dialog.list.item(1).text().startswith("指标 7  空气优良率")


def test_choosing_a_line_names_its_first_item(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    rect = dialog.list.visualItemRect(dialog.list.item(1))
    with qtbot.waitSignal(dialog.item_chosen) as blocker:
        qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center() if rect.isValid() else QPoint(5, 30))
    assert blocker.args == [ITEMS[2]]
    assert not dialog.isVisible()


def test_export_anyway(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    with qtbot.waitSignal(dialog.export_anyway):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
