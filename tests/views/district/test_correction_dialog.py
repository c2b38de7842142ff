"""退回修改 from 收件登记: flag fields with a comment, write the correction packet."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import openpyxl
import pytest
from merge_helpers import fill_by_hand, issue, row_keys
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.district.corrections import list_flags, reported_fields
from app.services.district.merge import apply_packets
from app.services.packets.reader import read_packet
from app.views.district.correction_dialog import CorrectionDialog, field_columns
from app.views.district.receipts_page import ReceiptsPage
from app.views.main_window import MainWindow
from app.views.widgets import dialogs
from app.views.widgets.table_model import RecordTableModel

PERIOD = "2021-06"
UNIT = "茶山街道"



@pytest.fixture
def merged(tianning: Database, tmp_path: Path) -> Database:
    src = issue(tianning, PERIOD, [UNIT, "青龙街道"], tmp_path)[UNIT]
    keys = row_keys(src)
    hand = fill_by_hand(src, tmp_path / "r.xlsx", {
        keys[0]: {"status": "in_progress", "percent": 90.0, "progress": "刚开始"},
        keys[1]: {"status": "completed", "percent": 100.0}})
    assert apply_packets(tianning, [hand], period=PERIOD)[0].status == "applied"
    return tianning


def test_flag_and_issue_from_the_receipts_page(qtbot: QtBot, merged: Database,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(merged)
    qtbot.addWidget(window)
    window.show()
    window.select_period(PERIOD)
    page = window.page(ReceiptsPage)
    assert isinstance(page, ReceiptsPage)
    window.show_page(page)
    assert not page.correct_button.isEnabled()
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.record(r).unit == UNIT)
    page.table.selectRow(row)
    assert page.correct_button.isEnabled()
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    dialog = page.correction_dialog
    assert isinstance(dialog, CorrectionDialog) and dialog.isVisible()
    assert dialog.proxy.rowCount() == 5  # only the filled fields of the two rows (3 + 2)
    assert not dialog.issue_button.isEnabled()

    target = next(r for r in range(dialog.proxy.rowCount())
                  if dialog.proxy.record(r).field == "percent"
                  and dialog.proxy.record(r).shown == "90")
    dialog.table.selectRow(target)
    assert not dialog.flag_button.isEnabled()  # no comment yet
    dialog.comment.setText("进度90%与“刚开始”不符,请核实")  # keyClicks is ASCII-only
    qtbot.mouseClick(dialog.flag_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "已标记 1 个字段"
    [flag] = list_flags(merged, 1, PERIOD, UNIT)
    assert flag.field == "percent" and "请核实" in flag.comment

    out = tmp_path / "退回.xlsx"
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(out))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text: infos.append(text))
    dialog.eml.setChecked(True)
    with qtbot.waitSignal(dialog.issued, timeout=10000):
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert "邮件草稿" in infos[0] and out.with_suffix(".eml").exists()
    mail = email.message_from_bytes(out.with_suffix(".eml").read_bytes(),
                                    policy=email.policy.default)
    body = mail.get_body(("plain",))
    assert body is not None and "进度90%与“刚开始”不符,请核实" in body.get_content()
    pf = read_packet(out)
    assert pf.manifest.kind == "correction"
    [flag] = list_flags(merged, 1, PERIOD, UNIT)
    assert flag.packet_uid == pf.manifest.packet_id
    cell = pf.row(flag.key).cells["percent"]  # type: ignore[union-attr]
    assert openpyxl.load_workbook(out)["任务进展"][cell].protection.locked is False
    assert {r.unit: r.state for r in page.model.records}[UNIT] == "returned_for_fix"

    # withdrawing the flag
    dialog.table.selectRow(target)
    qtbot.mouseClick(dialog.unflag_button, Qt.MouseButton.LeftButton)
    assert list_flags(merged, 1, PERIOD, UNIT) == []
    dialog.close()


def test_field_model_passes_qtmodeltester(qtmodeltester, merged: Database) -> None:  # type: ignore[no-untyped-def]
    model: RecordTableModel = RecordTableModel(field_columns(str))
    model.set_records(reported_fields(merged, 1, PERIOD, UNIT))
    qtmodeltester.check(model)
