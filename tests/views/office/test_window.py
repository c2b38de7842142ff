"""The office clerk's window driven through its real widgets: type, navigate, close, reopen,
pre-flight, export, and read the return packet back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.office import forms as office
from app.services.office import opening as office_opening
from app.services.packets.reader import read_packet
from app.views.app import main_window_for
from app.views.main_window import MainWindow
from app.views.office.models import ListEntry, TaskFilterProxy, TaskListModel
from app.views.office.window import OfficeWindow
from app.views.widgets import dialogs

UNIT = "青龙街道"
ALT = Qt.KeyboardModifier.AltModifier


def issue(district: Database, period: str, unit: str, out: Path) -> Path:
    result = issue_packets(district, period, out, units=[unit])
    return result.packets[0].path


@pytest.fixture
def packets(tianning: Database, tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "issued"
    return {p: issue(tianning, p, UNIT, out) for p in ("2021-05", "2021-06")}


@pytest.fixture
def office_path(tmp_path: Path, packets: dict[str, Path]) -> Path:
    path = tmp_path / "qinglong.db"
    db = open_database(path)
    office_opening.open_packet(db, packets["2021-05"])
    db.dispose()
    return path


@pytest.fixture
def office_db(office_path: Path) -> Iterator[Database]:
    db = open_database(office_path)
    yield db
    db.dispose()


def make_window(qtbot: QtBot, db: Database) -> OfficeWindow:
    window = OfficeWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def choose_status(qtbot: QtBot, window: OfficeWindow, label: str) -> None:
    """Pick a status with the keyboard, the way a clerk Tabs into the combo."""
    combo = window.form.status
    combo.setFocus()
    target = combo.findText(label)
    assert target >= 0
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def keyboard(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` the way it arrives from a keyboard: ASCII as key presses, Chinese (and
    any other non-ASCII text) as the input method's commit, one character at a time."""
    for ch in text:
        if ch == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            target = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
            QApplication.sendEvent(target, event)


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, replace: bool = True) -> None:
    widget.setFocus()
    if replace:
        qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    keyboard(qtbot, widget, text)


def wait_saved(qtbot: QtBot, window: OfficeWindow) -> None:
    qtbot.waitUntil(lambda: not window.save_timer.isActive() and not window._dirty,
                    timeout=3000)


FIRST = {
    "status": "in_progress", "percent": 60.0,
    "progress": "完成12家企业VOCs治理,督查重点企业8家。\n第二行:“引号”与 Ａ全角。",
    "problems": "资金到位偏慢", "next_steps": "6月底前完成剩余4家企业治理",
    "responsible": "张三", "phone": "0519-88001234", "completed_on": None,
}
SECOND = {
    "status": "completed", "percent": 100.0, "progress": "已印发实施,=SUM(A1)不是公式",
    "problems": "", "next_steps": "", "responsible": "李四", "phone": "13912345678",
    "completed_on": "2021-05-28",
}


def fill_first_two(qtbot: QtBot, window: OfficeWindow) -> tuple[str, str]:
    form = window.form
    first = window.current_key
    assert first is not None
    assert form.code_label.text() == window.tasks[first].code
    choose_status(qtbot, window, "推进中")
    type_into(qtbot, form.percent, "60")
    qtbot.keyClick(form.percent, Qt.Key.Key_Tab)
    assert form.texts["progress"].hasFocus()  # Tab goes on to the next input
    keyboard(qtbot, form.texts["progress"], "完成12家企业VOCs治理,督查重点企业8家。")
    qtbot.keyClick(form.texts["progress"], Qt.Key.Key_Return)
    keyboard(qtbot, form.texts["progress"], "第二行:“引号”与 Ａ全角。")
    type_into(qtbot, form.texts["problems"], "资金到位偏慢")
    type_into(qtbot, form.texts["next_steps"], "6月底前完成剩余4家企业治理")
    type_into(qtbot, form.lines["responsible"], "张三")
    type_into(qtbot, form.lines["phone"], "0519-88001234")

    qtbot.keyClick(form.lines["phone"], Qt.Key.Key_Right, ALT)  # next task, saves this one
    second = window.current_key
    assert second is not None and second != first
    assert window.tasks[first].values == FIRST
    choose_status(qtbot, window, "已完成")
    type_into(qtbot, form.percent, "100")
    type_into(qtbot, form.texts["progress"], "已印发实施,=SUM(A1)不是公式")
    type_into(qtbot, form.lines["responsible"], "李四")
    type_into(qtbot, form.lines["phone"], "13912345678")
    type_into(qtbot, form.lines["completed_on"], "2021-05-28")
    return first, second


def test_typed_values_survive_close_and_reopen(qtbot: QtBot, office_path: Path) -> None:
    db = open_database(office_path)
    window = make_window(qtbot, db)
    assert window.period is not None and window.period.key == "2021-05"
    assert window.model.rowCount() == 50
    assert window.count_label.text() == "已填 0/50"
    first, second = fill_first_two(qtbot, window)
    window.close()  # the last edits were typed < 500 ms ago: closing must save them
    assert not window.isVisible()
    db.dispose()

    db2 = open_database(office_path)
    stored = {t.key: t.values for t in office.list_tasks(db2, "2021-05")}
    assert stored[first] == FIRST
    assert stored[second] == SECOND
    again = make_window(qtbot, db2)
    assert again.count_label.text() == "已填 2/50"
    again.select_task(first)
    form = again.form
    assert form.status.currentData() == "in_progress"
    assert form.percent.percent() == 60
    assert form.texts["progress"].toPlainText() == FIRST["progress"]
    assert form.lines["phone"].text() == "0519-88001234"
    qtbot.keyClick(form.status, Qt.Key.Key_Right, ALT)
    assert again.current_key == second
    assert form.lines["completed_on"].text() == "2021-05-28"
    qtbot.keyClick(form.status, Qt.Key.Key_Left, ALT)
    assert again.current_key == first
    again.close()
    db2.dispose()


def test_autosave_without_navigation(qtbot: QtBot, office_db: Database) -> None:
    """The debounced save stores typing while the clerk stays on one item."""
    window = make_window(qtbot, office_db)
    key = window.current_key
    type_into(qtbot, window.form.lines["responsible"], "赵六")
    assert window.save_timer.isActive()
    wait_saved(qtbot, window)
    stored = {t.key: t.values for t in office.list_tasks(office_db, "2021-05")}
    assert stored[key]["responsible"] == "赵六"
    assert "已自动保存" in window.form.saved_label.text()


def test_invalid_input_is_shown_and_typing_goes_on(qtbot: QtBot, office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    form = window.form
    key = window.current_key
    type_into(qtbot, form.lines["phone"], "打电话")
    wait_saved(qtbot, window)
    error = form.errors["phone"]
    assert error.has_message() and "联系电话格式不对" in error.text()
    assert "填写有误" in form.saved_label.text()
    assert window.model.entries[window.model.row_of(key)].state == "invalid"
    dialog = window.show_preflight()
    assert dialog is not None
    assert "联系电话格式不对" in dialog.list.item(0).text()
    assert "(未保存)" in dialog.list.item(0).text()
    dialog.reject()
    # the clerk keeps typing elsewhere: nothing is blocked and the rest is saved
    type_into(qtbot, form.lines["responsible"], "王五")
    assert form.lines["responsible"].text() == "王五"
    wait_saved(qtbot, window)
    stored = {t.key: t.values for t in office.list_tasks(office_db, "2021-05")}
    assert stored[key]["responsible"] == "王五"
    assert stored[key]["phone"] == ""
    # a date in the wrong format, and a percentage the spin box refuses outright
    type_into(qtbot, form.lines["completed_on"], "2021-13-45")
    wait_saved(qtbot, window)
    assert "不是日期" in form.errors["completed_on"].text()
    type_into(qtbot, form.percent, "150")
    assert form.percent.percent() == 15
    # the reminder when the status becomes 滞后 without problems written
    choose_status(qtbot, window, "滞后")
    wait_saved(qtbot, window)
    assert "存在问题" in form.errors["problems"].text()
    # navigating away and back brings the refused text back
    qtbot.keyClick(form.status, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(form.status, Qt.Key.Key_Left, ALT)
    assert window.current_key == key
    assert form.lines["phone"].text() == "打电话"
    type_into(qtbot, form.lines["phone"], "0519-86661234")
    type_into(qtbot, form.lines["completed_on"], "")
    wait_saved(qtbot, window)
    assert "联系电话" not in form.errors["phone"].text()
    assert window.model.entries[window.model.row_of(key)].state == "behind"


def test_closing_with_refused_input_asks_first(qtbot: QtBot, office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    type_into(qtbot, window.form.lines["phone"], "abc")
    window.close()
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert window.isVisible()
    closing = next(b for b in box.buttons() if b.text() == "仍然关闭")
    qtbot.mouseClick(closing, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_filters_search_and_counts(qtbot: QtBot, office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    keys = list(window.tasks)
    office.save_task(office_db, "2021-05", keys[3], {
        "status": "behind", "percent": 10, "progress": "刚起步", "problems": "人手不足",
        "responsible": "张三", "phone": "0519-88001234"})
    window.reload()
    assert window.filter_buttons["behind"].text() == "滞后 1"
    qtbot.mouseClick(window.filter_buttons["behind"], Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 1 and window.current_key == keys[3]
    qtbot.mouseClick(window.filter_buttons["todo"], Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 49
    # completing the open item in the 未填 list keeps it in place until the clerk moves on
    key = window.current_key
    assert key is not None and key != keys[3]
    choose_status(qtbot, window, "未启动")
    type_into(qtbot, window.form.lines["responsible"], "张三")
    type_into(qtbot, window.form.lines["phone"], "0519-88001234")
    wait_saved(qtbot, window)
    assert window.model.entries[window.model.row_of(key)].complete
    assert window.proxy.row_of(key) >= 0
    assert window.count_label.text() == "已填 2/50"
    assert window.filter_buttons["todo"].text() == "未填 48"
    qtbot.mouseClick(window.filter_buttons["all"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    keyboard(qtbot, window.search, "河长制")
    assert window.proxy.rowCount() >= 1
    assert all("河长制" in window.tasks[window.proxy.entry(r).key].text  # type: ignore[union-attr]
               for r in range(window.proxy.rowCount()))


def test_preflight_lists_missing_items_and_links_to_them(qtbot: QtBot,
                                                         office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    keys = list(window.tasks)
    dialog = window.show_preflight()
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == 50
    assert dialog.list.item(0).text().endswith("请选择进展状态;请填写责任人;请填写联系电话")
    target = dialog.list.item(7)
    rect = dialog.list.visualItemRect(target)
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center() if rect.isValid() else QPoint(5, 5))
    assert not dialog.isVisible()
    assert window.current_key == keys[7]
    assert window.form.status.hasFocus()
    # a filled item leaves the list
    office.save_task(office_db, "2021-05", keys[7], {
        "status": "not_started", "responsible": "张三", "phone": "0519-88001234"})
    window.reload()
    dialog = window.show_preflight()
    assert dialog is not None and dialog.list.count() == 49


def test_export_round_trip(qtbot: QtBot, office_path: Path, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(office_path)
    window = make_window(qtbot, db)
    first, second = fill_first_two(qtbot, window)
    target = tmp_path / "out" / "青龙街道_报送.xlsx"
    asked: list[str] = []

    def fake_save(_parent: object, title: str, suggested: str = "", _f: str = "",
                  **_kw: object) -> str:
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(dialogs, "save_file", fake_save)
    qtbot.keyClick(window.form.lines["completed_on"], Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    dialog = window.preflight_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == 48  # the two filled items are complete
    with qtbot.waitSignal(window.exported, timeout=15000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert asked and asked[0].endswith("_报送.xlsx") and "2021-05_青龙街道" in asked[0]
    assert result.path == target and target.is_file()
    assert window.export_state.text().startswith("已导出第 1 版")
    box = window.message_box
    assert isinstance(box, QMessageBox) and "打开所在文件夹" in [b.text() for b in box.buttons()]
    box.close()

    packet = read_packet(target)
    assert packet.manifest.direction == "returned" and packet.manifest.unit == UNIT
    assert packet.manifest.period == "2021-05" and packet.manifest.revision == 1
    assert not packet.errors
    assert packet.row(first).values == FIRST  # type: ignore[union-attr]
    assert packet.row(second).values == SECOND  # type: ignore[union-attr]

    # an edit after the export: the header says the district has the older content
    assert not window.edited_after_export
    window.select_task(second)
    type_into(qtbot, window.form.texts["next_steps"], "8 月再核查一次")
    wait_saved(qtbot, window)
    assert window.edited_after_export
    assert "之后有修改" in window.export_state.text()
    assert "需重新导出" in window.export_state.text()
    assert "第 1 版" in window.export_state.toolTip()
    # typed back as it was exported: nothing to send again
    type_into(qtbot, window.form.texts["next_steps"], SECOND["next_steps"])
    wait_saved(qtbot, window)
    assert not window.edited_after_export
    assert window.export_state.text().startswith("已导出第 1 版")
    type_into(qtbot, window.form.texts["next_steps"], "8 月再核查一次")
    wait_saved(qtbot, window)
    assert window.edited_after_export
    window.export_return()
    with qtbot.waitSignal(window.exported, timeout=15000):
        qtbot.mouseClick(window.preflight_dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.export_state.text().startswith("已导出第 2 版")
    assert not window.edited_after_export
    window.message_box.close()
    window.close()
    db.dispose()


def test_export_to_a_file_open_elsewhere_says_so(qtbot: QtBot, office_db: Database,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import app.services.packets.writer as writer

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writer.os, "replace", locked)
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(tmp_path / "x.xlsx"))
    window = make_window(qtbot, office_db)
    window.export_return()
    assert window.preflight_dialog is not None
    qtbot.mouseClick(window.preflight_dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.message_box, QMessageBox)
                    and window.message_box.isVisible(), timeout=15000)
    assert window.message_box is not None
    assert "正在 Excel、WPS 或其他程序中打开" in window.message_box.text()
    assert not (tmp_path / "x.xlsx").exists()
    assert window.export_state.text() == "尚未导出"


def test_next_month_packet_adds_a_period_with_last_month_beside(
        qtbot: QtBot, office_db: Database, packets: dict[str, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [t.key for t in office.list_tasks(office_db, "2021-05")]
    office.save_task(office_db, "2021-05", keys[0], {
        "status": "in_progress", "percent": 40, "progress": "完成8家企业VOCs治理。",
        "next_steps": "6月底前完成剩余4家", "responsible": "张三", "phone": "0519-88001234"})
    window = make_window(qtbot, office_db)
    assert not window.period_combo.isVisibleTo(window)
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(packets["2021-06"]))
    with qtbot.waitSignal(window.packet_opened, timeout=15000):
        window.open_action.trigger()
    assert window.period is not None and window.period.key == "2021-06"
    assert window.period_combo.isVisibleTo(window) and window.period_combo.count() == 2
    assert "2021年6月" in window.period_label.text()
    window.select_task(keys[0])
    form = window.form
    assert form.prev["status"].text() == "推进中"
    assert form.prev["percent"].text() == "40%"
    assert form.prev["progress"].text() == "完成8家企业VOCs治理。"
    assert "2021年5月" in form.prev_header.text()
    assert form.texts["progress"].toPlainText() == ""
    # 沿用上期 copies last month's next steps in and saves them
    qtbot.mouseClick(form.copy_buttons["next_steps"], Qt.MouseButton.LeftButton)
    wait_saved(qtbot, window)
    june = {t.key: t.values for t in office.list_tasks(office_db, "2021-06")}
    assert june[keys[0]]["next_steps"] == "6月底前完成剩余4家"
    # switching back to May shows May's values
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-05"))
    window.select_task(keys[0])
    assert form.texts["progress"].toPlainText() == "完成8家企业VOCs治理。"
    box = window.message_box
    if box is not None:
        box.close()


def test_opening_another_units_packet_is_refused(qtbot: QtBot, office_db: Database,
                                                 tianning: Database, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    other = issue(tianning, "2021-05", "茶山街道", tmp_path / "other")
    window = make_window(qtbot, office_db)
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(other))
    handle = window.open_packet(other)
    with qtbot.waitSignal(handle.signals.finished, timeout=15000):
        pass
    qtbot.waitUntil(lambda: window.message_box is not None and window.message_box.isVisible())
    assert window.message_box is not None
    assert "茶山街道" in window.message_box.text() and UNIT in window.message_box.text()
    assert window.period_combo.count() == 1


def test_indicator_form_for_a_department(qtbot: QtBot, tianning: Database, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    packet = issue(tianning, "2021-05", "天宁生态环境局", tmp_path / "dep")
    db = open_database(tmp_path / "dep.db")
    office_opening.open_packet(db, packet)
    window = make_window(qtbot, db)
    assert window.tabs.isTabVisible(1)
    inds = office.list_indicators(db, "2021-05")
    numeric = next(i for i in inds if i.numeric)
    text_ind = next(i for i in inds if not i.numeric)
    window.tabs.setCurrentIndex(1)
    form = window.indicator_form
    type_into(qtbot, form.value_edits[numeric.key], "九十五")
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: form.errors[numeric.key].has_message())
    assert "数字" in form.errors[numeric.key].text()
    type_into(qtbot, form.value_edits[numeric.key], "95.5")
    type_into(qtbot, form.note_edits[numeric.key], "含2个新建站点")
    type_into(qtbot, form.value_edits[text_ind.key], "已开展")
    window.close()
    db.dispose()

    db = open_database(tmp_path / "dep.db")
    stored = {i.key: i.values for i in office.list_indicators(db, "2021-05")}
    assert stored[numeric.key] == {"value": "95.5", "note": "含2个新建站点"}
    assert stored[text_ind.key] == {"value": "已开展", "note": ""}
    window = make_window(qtbot, db)
    assert window.indicator_form.value_edits[numeric.key].text() == "95.5"
    out = tmp_path / "dep_return.xlsx"
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(out))
    window.export_return()
    assert window.preflight_dialog is not None
    with qtbot.waitSignal(window.exported, timeout=15000):
        qtbot.mouseClick(window.preflight_dialog.export_button, Qt.MouseButton.LeftButton)
    back = read_packet(out)
    assert back.row(numeric.key).values == {"value": "95.5", "note": "含2个新建站点"}  # type: ignore[union-attr]
    assert back.row(text_ind.key).values == {"value": "已开展", "note": ""}  # type: ignore[union-attr]
    assert window.message_box is not None
    window.message_box.close()
    window.close()
    db.dispose()


def test_main_window_for_picks_the_window_by_role(qtbot: QtBot, office_db: Database,
                                                  tianning: Database) -> None:
    w1 = main_window_for(office_db)
    qtbot.addWidget(w1)
    assert isinstance(w1, OfficeWindow)
    w2 = main_window_for(tianning)
    qtbot.addWidget(w2)
    assert isinstance(w2, MainWindow)


def test_list_models_pass_the_model_tester(qtmodeltester: object, qapp: QApplication) -> None:
    model = TaskListModel()
    model.set_entries([
        ListEntry("T:a", "1.1", "制定规划", "制度", None, None, ("进展状态",)),
        ListEntry("T:b", "1.2", "河长制", "安全", "behind", 30.0),
        ListEntry("T:c", "1.3", "信息公开", "安全", "completed", 100.0),
        ListEntry("T:d", "1.4", "无效", "安全", "in_progress", 50.0, (), True),
    ])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(mode="todo")
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    assert [proxy.entry(r).code for r in range(proxy.rowCount())] == ["1.1", "1.4"]  # type: ignore[union-attr]
    proxy.set_filter(mode="behind", text="河长")
    assert proxy.rowCount() == 1
    model.update_entry(ListEntry("T:b", "1.2", "河长制", "安全", "in_progress", 40.0))
    assert proxy.rowCount() == 0


def test_primary_export_button_is_a_button(qtbot: QtBot, office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    assert isinstance(window.export_button, QPushButton)
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.next_action.shortcut().toString() == "Alt+Right"


def test_correction_packet_opens_only_the_reopened_inputs(
        qtbot: QtBot, office_db: Database, tianning: Database, tmp_path: Path) -> None:
    from app.services.district.issue import issue_correction

    keys = [t.key for t in office.list_tasks(office_db, "2021-05")]
    packet = issue_correction(tianning, 1, "2021-05", UNIT, tmp_path / "fix.xlsx",
                              editable={keys[2]: {"progress", "phone"}},
                              comments={keys[2]: {"progress": "请写明完成的企业数量"}})
    office_opening.open_packet(office_db, packet.path)
    window = make_window(qtbot, office_db)
    assert "退回修改包" in window.plan_label.text()
    window.select_task(keys[2])
    form = window.form
    assert form.texts["progress"].isEnabled() and form.lines["phone"].isEnabled()
    assert not form.status.isEnabled() and not form.lines["responsible"].isEnabled()
    assert form.notice.isVisible() and "请写明完成的企业数量" in form.notice.text()
    type_into(qtbot, form.texts["progress"], "完成治理企业12家")
    wait_saved(qtbot, window)
    stored = {t.key: t.values for t in office.list_tasks(office_db, "2021-05")}
    assert stored[keys[2]]["progress"] == "完成治理企业12家"


def test_contact_copied_to_the_other_tasks(qtbot: QtBot, office_db: Database) -> None:
    keys = [t.key for t in office.list_tasks(office_db, "2021-05")]
    office.save_task(office_db, "2021-05", keys[5], {"responsible": "钱七", "phone": ""})
    window = make_window(qtbot, office_db)
    form = window.form
    window.select_task(keys[0])
    qtbot.mouseClick(form.contact_button, Qt.MouseButton.LeftButton)
    assert window.message_box is not None and "请先" in window.message_box.text()
    window.message_box.close()
    type_into(qtbot, form.lines["responsible"], "王丽")
    type_into(qtbot, form.lines["phone"], "0519-85601234")
    qtbot.mouseClick(form.contact_button, Qt.MouseButton.LeftButton)
    box = window.message_box
    assert box is not None and "其余 49 项" in box.text()
    fill = next(b for b in box.buttons() if b.text() == "填写")
    with qtbot.waitSignal(window.contact_filled, timeout=15000) as blocker:
        qtbot.mouseClick(fill, Qt.MouseButton.LeftButton)
    assert blocker.args == [49]
    stored = {t.key: t.values for t in office.list_tasks(office_db, "2021-05")}
    assert all(v["phone"] == "0519-85601234" for v in stored.values())
    assert stored[keys[5]]["responsible"] == "钱七"  # what was filled stays
    assert stored[keys[9]]["responsible"] == "王丽"
    dialog = window.show_preflight()
    assert dialog is not None
    assert "联系电话" not in " ".join(dialog.list.item(i).text()
                                   for i in range(dialog.list.count()))


def test_ctrl_e_exports_from_every_input(qtbot: QtBot, office_db: Database) -> None:
    window = make_window(qtbot, office_db)
    form = window.form
    for widget in (form.percent, form.status, form.texts["progress"], form.lines["phone"]):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        dialog = window.preflight_dialog
        assert dialog is not None and dialog.isVisible(), type(widget).__name__
        dialog.close()
        window.preflight_dialog = None
