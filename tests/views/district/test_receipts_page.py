"""收件登记 page: states per unit, 催报 list, export, and the top bar's summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from merge_helpers import TOWNS, fill_by_hand, issue, row_keys
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.district.merge import apply_packets
from app.services.district.receipts import receipt_ledger
from app.views.district.audit_page import AuditPage, audit_columns
from app.views.district.receipts_page import ReceiptsPage, chase_columns, receipt_columns
from app.views.main_window import MainWindow
from app.views.widgets import dialogs
from app.views.widgets.table_model import RecordTableModel

PERIOD = "2021-06"



@pytest.fixture
def returned(tianning: Database, tmp_path: Path) -> Database:
    packets = issue(tianning, PERIOD, TOWNS, tmp_path)
    for i, unit in enumerate(TOWNS[:5]):
        src = packets[unit]
        hand = fill_by_hand(src, tmp_path / f"{unit}.xlsx",
                            {row_keys(src)[0]: {"status": "in_progress", "progress": unit}})
        when = dt.datetime(2021, 7, 9 if i == 4 else 3, 10)
        assert apply_packets(tianning, [hand], period=PERIOD, received_at=when)[0].status == \
            "applied"
    return tianning


def test_receipts_page_and_status_bar(qtbot: QtBot, returned: Database, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(returned)
    qtbot.addWidget(window)
    window.show()
    window.select_period(PERIOD)
    page = window.page(ReceiptsPage)
    assert isinstance(page, ReceiptsPage)
    window.show_page(page)
    assert window.status_label.text() == "已收 5/8 · 迟报 1 · 未报 3"
    states = {r.unit: r.state_label for r in page.model.records}
    assert states["茶山街道"] == "迟报"
    assert states["兰陵街道"] == "未报"  # the deadline (2021-07-05) is long past
    assert [r.unit for r in page.chase_model.records] == list(TOWNS[5:])
    assert "3 个单位" in page.chase_label.text()

    page.copy_chase_list()
    text = QGuiApplication.clipboard().text()
    assert "兰陵街道" in text and "已逾期" in text

    out = tmp_path / "登记.xlsx"
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(out))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    page.export()
    wb = openpyxl.load_workbook(out)
    assert [r[0].value for r in wb["催报"].iter_rows(min_row=4)] == list(TOWNS[5:])

    # another period: nothing issued there
    window.select_period("2021-07")
    assert window.status_label.text() == "2021年7月尚未下发"


def test_reminder_mails_from_the_receipts_page(qtbot: QtBot, returned: Database,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """生成催报邮件…: the 催报通知 PDF and one draft per missing unit with it attached."""
    import email
    import email.policy

    window = MainWindow(returned)
    qtbot.addWidget(window)
    window.select_period(PERIOD)
    page = window.page(ReceiptsPage)
    assert isinstance(page, ReceiptsPage)
    window.show_page(page)
    assert page.mail_button.isEnabled()
    folder = tmp_path / "催报"
    folder.mkdir()
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "choose_directory", lambda *a, **k: str(folder))
    monkeypatch.setattr(dialogs, "show_written", lambda _p, text, _path: shown.append(text))
    drafts = page.write_reminder_mails()
    assert {d.unit for d in drafts} == set(TOWNS[5:])
    [pdf] = folder.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    for d in drafts:
        msg = email.message_from_bytes(d.path.read_bytes(), policy=email.policy.default)
        part = next(msg.iter_attachments())
        assert part.get_filename() == pdf.name
        assert part.get_payload(decode=True) == pdf.read_bytes()
    assert "已生成 3 封催报邮件草稿" in shown[0] and "没有登记邮箱" in shown[0]


def test_audit_page_filters(qtbot: QtBot, returned: Database) -> None:
    window = MainWindow(returned)
    qtbot.addWidget(window)
    window.select_period(PERIOD)
    page = window.page(AuditPage)
    assert isinstance(page, AuditPage)
    assert page.model.rowCount() == 10  # two fields each from five units
    page.set_filters(unit="茶山街道")
    assert {a.unit for a in page.model.records} == {"茶山街道"}
    packet = page.model.records[0].packet_id
    assert packet
    page.set_filters(packet=packet[:8])
    assert page.model.rowCount() == 2
    page.set_filters(code="no-such-code")
    assert page.model.rowCount() == 0


def test_models_pass_qtmodeltester(qtmodeltester, returned: Database) -> None:  # type: ignore[no-untyped-def]
    from app.services.district.audit import list_audit

    ledger = receipt_ledger(returned, 1, PERIOD)
    for columns, records in ((receipt_columns(str), ledger.rows),
                             (chase_columns(str), ledger.chase()),
                             (audit_columns(str), list_audit(returned))):
        model: RecordTableModel = RecordTableModel(columns)
        model.set_records(records)
        qtmodeltester.check(model)
