"""编辑方案: edit through the dialogs, undo and redo, check the database and the audit log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditLog
from app.services.db import Database
from app.services.plans.query import get_plan, list_plans
from app.views.main_window import MainWindow
from app.views.plans.edit_dialogs import (
    AssignDialog,
    IndicatorDialog,
    PlanSettingsDialog,
    SectionDialog,
    TaskDialog,
    UnitDialog,
)
from app.views.plans.edit_page import INDICATORS, SECTIONS, TASKS, UNITS, PlanEditPage


def open_page(qtbot: QtBot, db: Database) -> tuple[MainWindow, PlanEditPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    page = window.page(PlanEditPage)
    assert isinstance(page, PlanEditPage)
    window.show_page(page)
    window.show()
    return window, page


def select_row(page: PlanEditPage, tab: int, text: str, column: int = 0) -> None:
    page.tabs.setCurrentIndex(tab)
    table = page.tables[tab]
    proxy = table.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, column).data() == text:
            table.selectRow(r)
            return
    raise AssertionError(f"no row {text!r}")


def audit_rows(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    with Session(db) as s:
        return [(a.entity, a.field, a.old, a.new)
                for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_edit_a_task_undo_redo(qtbot: QtBot, tianning: Database) -> None:
    window, page = open_page(qtbot, tianning)
    assert page.task_model.rowCount() == 50
    select_row(page, TASKS, "1.4")
    dlg = page.edit()
    assert isinstance(dlg, TaskDialog)
    old = next(t for t in get_plan(tianning, 1).tasks if t.code == "1.4")
    assert dlg.text.toPlainText() == old.text
    dlg.deadline.setText("2022年6月底前")
    dlg.target.setText("五好河道 10 条")
    dlg.pickers["cooperating"].set_checked("区财政局")
    assert dlg.units.tabText(1) == f"配合 {len(old.cooperating) + 1}"
    dlg.accept()
    assert not dlg.isVisible()
    new = next(t for t in get_plan(tianning, 1).tasks if t.code == "1.4")
    assert (new.deadline, new.target) == ("2022-06", "五好河道 10 条")
    assert new.cooperating == (*old.cooperating, "区财政局")
    assert [r[1] for r in audit_rows(tianning)] == ["deadline", "target", "cooperating"]
    # the page and the 任务 page show the change
    assert any(t.deadline == "2022-06" for t in page.task_model.records if t.code == "1.4")
    assert window.plan is not None and next(
        t for t in window.plan.tasks if t.code == "1.4").target == "五好河道 10 条"

    assert window.plan_actions is not None
    undo, redo = window.plan_actions.undo_action, window.plan_actions.redo_action
    assert undo.isEnabled() and "修改任务 1.4" in undo.text()
    undo.trigger()
    back = next(t for t in get_plan(tianning, 1).tasks if t.code == "1.4")
    assert back == old
    assert [r[1] for r in audit_rows(tianning)][3:] == ["deadline", "target", "cooperating"]
    assert audit_rows(tianning)[3][2:] == ("2022-06", None)
    assert redo.isEnabled()
    page.redo_button.click()
    assert next(t for t in get_plan(tianning, 1).tasks if t.code == "1.4") == new
    assert len(audit_rows(tianning)) == 9


def test_a_refused_edit_keeps_the_dialog_open(qtbot: QtBot, tianning: Database) -> None:
    _, page = open_page(qtbot, tianning)
    page.tabs.setCurrentIndex(TASKS)
    dlg = page.add()
    assert isinstance(dlg, TaskDialog)
    assert dlg.code.text() == "1"  # no section chosen: the next free plain number
    dlg.code.setText("1.1")
    dlg.text.setPlainText("重复编号的任务")
    dlg.accept()
    assert dlg.isVisible() and "已被本方案的另一项任务使用" in dlg.error.text()
    dlg.code.setText("7.1")
    dlg.deadline.setText("尽快")
    dlg.accept()
    assert dlg.isVisible() and "无法识别" in dlg.error.text()
    assert audit_rows(tianning) == []
    dlg.deadline.setText("")
    dlg.accept()
    assert not dlg.isVisible()
    assert get_plan(tianning, 1).tasks[-1].code == "7.1"


def test_delete_and_undo_restores_the_same_task(qtbot: QtBot, tianning: Database) -> None:
    _, page = open_page(qtbot, tianning)
    before = next(t for t in get_plan(tianning, 1).tasks if t.code == "2.1.1.2")
    select_row(page, TASKS, "2.1.1.2")
    page.delete()
    assert "2.1.1.2" not in {t.code for t in get_plan(tianning, 1).tasks}
    assert page.task_model.rowCount() == 49
    page.undo_button.click()
    after = next(t for t in get_plan(tianning, 1).tasks if t.code == "2.1.1.2")
    assert after == before  # same id, uid, units, place
    assert [r[1] for r in audit_rows(tianning)] == ["deleted", "created"]


def test_sections_indicators_and_units(qtbot: QtBot, tianning: Database) -> None:
    _, page = open_page(qtbot, tianning)
    page.tabs.setCurrentIndex(SECTIONS)
    sdlg = page.add()
    assert isinstance(sdlg, SectionDialog)
    sdlg.code.setText("7")
    sdlg.title_edit.setText("加强组织保障")
    sdlg.accept()
    assert get_plan(tianning, 1).sections[-1].title == "加强组织保障"

    page.tabs.setCurrentIndex(UNITS)
    udlg = page.add()
    assert isinstance(udlg, UnitDialog)
    udlg.name.setText("区档案馆")
    udlg.aliases.setText("天宁区档案馆、区档案局")
    udlg.accept()
    unit = next(u for u in get_plan(tianning, 1).units if u.name == "区档案馆")
    assert unit.aliases == ("天宁区档案馆", "区档案局")

    select_row(page, INDICATORS, "3")
    idlg = page.edit()
    assert isinstance(idlg, IndicatorDialog)
    idlg.standard.setText("≧25")
    idlg.lead.set_checked("区档案馆")
    idlg.accept()
    ind = next(i for i in get_plan(tianning, 1).indicators if i.code == "3")
    assert (ind.standard, ind.threshold, ind.lead) == ("≥25", 25.0, ("区考核办", "区档案馆"))
    stack = page.editor.stack
    assert stack.count() == 3
    while stack.canUndo():
        stack.undo()
    info = get_plan(tianning, 1)
    assert "区档案馆" not in {u.name for u in info.units}
    assert next(i for i in info.indicators if i.code == "3").standard == "≥20"
    assert info.sections[-1].title != "加强组织保障"


def test_new_empty_plan_then_tasks_then_units(qtbot: QtBot, db: Database) -> None:
    """A work-points plan (seed 001): created empty, tasks typed in, units assigned later."""
    window, page = open_page(qtbot, db)
    assert page.empty.isVisible() and not page.tabs.isVisible()
    assert window.plan_actions is not None
    dlg = window.plan_actions.new_plan()
    assert isinstance(dlg, PlanSettingsDialog)
    dlg.title_edit.setText("常州市2021年生态环境工作要点")
    dlg.frequency.setCurrentIndex(dlg.frequency.findData("quarter"))
    dlg.first.setText("2021-1")
    dlg.last.setText("2021-12")
    dlg.accept()
    assert dlg.isVisible() and "YYYY-MM" in dlg.error.text()
    dlg.first.setText("2021-01")
    dlg.accept()
    assert not dlg.isVisible()
    plans = list_plans(db)
    assert [p.title for p in plans] == ["常州市2021年生态环境工作要点"]
    assert window.plan is not None and [p.key for p in window.plan.periods] == [
        "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert page.tabs.isVisible()

    plan_id = plans[0].id
    for text in ("深入打好蓝天保卫战。", "深入打好碧水保卫战。"):
        page.tabs.setCurrentIndex(TASKS)
        tdlg = page.add()
        assert isinstance(tdlg, TaskDialog)
        tdlg.text.setPlainText(text)
        tdlg.accept()
    assert [t.code for t in get_plan(db, plan_id).tasks] == ["1", "2"]
    page.tabs.setCurrentIndex(UNITS)
    for name in ("市大气办", "市水办"):
        udlg = page.add()
        assert isinstance(udlg, UnitDialog)
        udlg.name.setText(name)
        udlg.accept()
    page.tabs.setCurrentIndex(TASKS)
    page.task_table.selectAll()
    adlg = page.assign()
    assert isinstance(adlg, AssignDialog)
    adlg.accept()
    assert "至少选择一个单位" in adlg.error.text()
    adlg.picker.set_checked("市大气办")
    adlg.accept()
    assert [t.lead for t in get_plan(db, plan_id).tasks] == [("市大气办",), ("市大气办",)]
    page.undo_button.click()
    assert [t.lead for t in get_plan(db, plan_id).tasks] == [(), ()]


def test_plan_settings_change_periods_with_undo(qtbot: QtBot, tianning: Database) -> None:
    window, _ = open_page(qtbot, tianning)
    assert window.plan_actions is not None
    dlg = window.plan_actions.edit_settings()
    assert isinstance(dlg, PlanSettingsDialog)
    assert (dlg.first.text(), dlg.last.text()) == ("2021-03", "2023-12")
    dlg.frequency.setCurrentIndex(dlg.frequency.findData("half_year"))
    dlg.deadline_day.setValue(15)
    dlg.accept()
    assert window.plan is not None
    assert [p.key for p in window.plan.periods][:2] == ["2021-H1", "2021-H2"]
    assert window.plan.plan.deadline_day == 15
    window.plan_actions.undo_action.trigger()
    assert [p.key for p in get_plan(tianning, 1).periods][:2] == ["2021-03", "2021-04"]


def test_page_models_pass_qtmodeltester(qtbot: QtBot, qtmodeltester,  # type: ignore[no-untyped-def]
                                        tianning: Database) -> None:
    _, page = open_page(qtbot, tianning)
    for model in (page.task_model, page.section_model, page.indicator_model, page.unit_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_contacts_are_edited_from_the_units_page(qtbot: QtBot, tianning: Database) -> None:
    """单位 page: a double-click opens 修改单位; a wrong 邮箱 keeps it open with the
    message, a right one is saved, shown on the page, and undone like any edit."""
    from app.views.plans.catalog_page import UnitsPage

    window = MainWindow(tianning)
    qtbot.addWidget(window)
    units = window.page(UnitsPage)
    assert isinstance(units, UnitsPage)
    window.show_page(units)
    window.show()
    proxy = units.table.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "青龙街道")
    dlg = units._double_clicked(proxy.index(row, 0))
    assert isinstance(dlg, UnitDialog) and dlg.name.text() == "青龙街道"
    dlg.contact.setText("王芳")
    dlg.phone.setText("0519-88881234")
    dlg.email.setText("qinglong")
    dlg.accept()
    assert dlg.isVisible() and "邮箱“qinglong”格式不正确" in dlg.error.text()
    dlg.email.setText("qinglong@tianning.gov.cn")
    dlg.accept()
    assert not dlg.isVisible()
    unit = next(u for u in get_plan(tianning, 1).units if u.name == "青龙街道")
    assert (unit.contact, unit.phone, unit.email) == ("王芳", "0519-88881234",
                                                      "qinglong@tianning.gov.cn")
    columns = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    qtbot.waitUntil(lambda: proxy.index(row, columns.index("邮箱")).data()
                    == "qinglong@tianning.gov.cn")
    editor = window.page(PlanEditPage)
    assert isinstance(editor, PlanEditPage)
    editor.editor.stack.undo()
    unit = next(u for u in get_plan(tianning, 1).units if u.name == "青龙街道")
    assert (unit.contact, unit.email) == ("", "")
