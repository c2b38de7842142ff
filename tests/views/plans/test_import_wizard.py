"""方案 → 导入方案…: choose a file (patched dialog), preview, decide units, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.plans.edit import list_units
from app.services.plans.importing.matching import preview_import
from app.services.plans.query import get_plan, list_plans
from app.views.main_window import MainWindow
from app.views.plans.edit_page import PlanEditPage
from app.views.plans.import_wizard import ChoiceDelegate, PlanImportDialog, UnitDecisionModel
from app.views.widgets import dialogs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plans"



def open_wizard(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch,
                path: Path | None) -> tuple[MainWindow, PlanImportDialog]:
    """Trigger 方案 → 导入方案…; the file dialog answers `path` (None: the user cancels)."""
    window = MainWindow(db)
    qtbot.addWidget(window)
    page = window.page(PlanEditPage)
    assert page is not None
    window.show_page(page)  # not the dashboard, which redraws in the background
    window.show()
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(path) if path else "")
    assert window.plan_actions is not None
    with qtbot.waitSignal(window.plan_actions.import_action.triggered):
        window.plan_actions.import_action.trigger()
    dlg = window.plan_actions.dialog
    assert isinstance(dlg, PlanImportDialog)
    return window, dlg


def test_preview_decide_and_import(qtbot: QtBot, tianning: Database,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window, dlg = open_wizard(qtbot, tianning, monkeypatch, FIXTURES / "wuxi_rectification.xlsx")
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=20000)
    assert not dlg.import_button.isEnabled() or dlg.preview is not None
    preview = dlg.preview
    assert preview is not None
    assert dlg.task_model.rowCount() == 22 and dlg.indicator_model.rowCount() == 0
    assert "任务 22 项" in dlg.summary.text()
    assert dlg.problem_model.rowCount() == 3
    problem = dlg.problem_model.records[0]
    assert (problem.sheet, problem.cell) == ("整改任务清单", "G10")
    rows = {d.name: i for i, d in enumerate(dlg.unit_model.decisions)}
    # a city unit is not taken for the district's unit of the same name
    assert dlg.unit_model.decisions[rows["市委组织部"]].action == "new"
    # a city unit is never proposed as an alias of a district unit (it once scored 83 %)
    city = dlg.unit_model.decisions[rows["市生态环境局"]]
    assert (city.action, city.target) == ("new", "市生态环境局")
    assert "天宁生态环境局" not in city.candidates

    # the clerk decides: 市纪委监委 is the district's 区纪委
    with qtbot.waitSignal(dlg.preview_ready):
        dlg.unit_model.setData(dlg.unit_model.index(rows["市纪委监委"], 1), "区纪委")
    kind_index = dlg.unit_model.index(rows["宜兴市人民政府"], 2)
    assert dlg.unit_model.flags(kind_index) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(dlg.preview_ready):
        dlg.unit_model.setData(kind_index, "zone")
    decided = {d.name: d for d in dlg.unit_model.decisions}
    assert decided["市生态环境局"].action == "new"
    assert (decided["市纪委监委"].action, decided["市纪委监委"].target) == ("alias", "区纪委")
    assert decided["宜兴市人民政府"].kind == "zone"
    assert "请在“处理”列确认" not in dlg.summary.text()

    with qtbot.waitSignal(dlg.imported, timeout=20000) as blocker:
        dlg.import_button.click()
    plan_id = blocker.args[0]
    info = get_plan(tianning, plan_id)
    assert len(info.tasks) == 22
    assert window.plan is not None and window.plan.plan.id == plan_id  # switched to it
    task = next(t for t in info.tasks if t.code == "1.4")
    assert task.lead == ("区纪委", "市委组织部")
    units = {u.name: u for u in list_units(tianning)}
    assert "市纪委监委" in units["区纪委"].aliases  # remembered for the next import
    assert units["宜兴市人民政府"].kind == "zone"
    assert "市生态环境局" in units and "市生态环境局" not in units["天宁生态环境局"].aliases


def test_a_broken_file_is_refused_and_nothing_is_created(
        qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _, dlg = open_wizard(qtbot, db, monkeypatch, FIXTURES / "encrypted.xlsx")
    qtbot.waitUntil(lambda: "无法导入" in dlg.summary.text(), timeout=20000)
    assert "设置了打开密码" in dlg.summary.text()
    assert not dlg.import_button.isEnabled()
    assert list_plans(db) == [] and list_units(db) == []
    # choosing another file afterwards works
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(FIXTURES / "zhonglou_departments.xlsx"))
    with qtbot.waitSignal(dlg.preview_ready, timeout=20000):
        dlg.choose_button.click()
    assert dlg.task_model.rowCount() == 123 and dlg.import_button.isEnabled()


def test_cancelling_the_file_dialog_changes_nothing(qtbot: QtBot, db: Database,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _, dlg = open_wizard(qtbot, db, monkeypatch, None)
    assert dlg.isVisible() and "请选择方案工作簿" in dlg.file_label.text()
    dlg.choose_button.click()
    assert dlg.preview is None and not dlg.import_button.isEnabled()
    assert list_plans(db) == []


def test_unit_model_and_delegate(qtbot: QtBot, qtmodeltester,  # type: ignore[no-untyped-def]
                                 tianning: Database) -> None:
    preview = preview_import(tianning, FIXTURES / "tangshan_2022.xlsx")
    model = UnitDecisionModel()
    model.set_decisions(preview.units, [u.name for u in preview.existing])
    qtmodeltester.check(model)
    assert model.rowCount() == 25
    row = next(i for i, d in enumerate(model.decisions) if d.name == "市发展改革委")
    assert model.data(model.index(row, 1)) == "作为“市发改委”的别名"
    parent = QWidget()
    qtbot.addWidget(parent)
    delegate = ChoiceDelegate(parent)
    index = model.index(row, 1)
    editor = delegate.createEditor(parent, QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, index)
    assert editor.currentData() == "市发改委"
    assert editor.itemText(0) == "新建单位" and editor.itemData(0) == "市发展改革委"
    with qtbot.waitSignal(model.choice_made) as blocker:
        editor.setCurrentIndex(0)
        delegate.setModelData(editor, model, index)
    assert blocker.args == ["市发展改革委", "市发展改革委"]
