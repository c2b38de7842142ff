"""报告 page: preview of the 通报 / 单位报告 / 催报通知, PDF and 汇总表 export, menu."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from progress_seed import (  # noqa: F401
    LAST,
    MISSING,
    seeded_fixture,
    seeded_path_fixture,
    seeded_template_fixture,
)
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.views.main_window import MainWindow
from app.views.reports.report_page import ReportPage

TIMEOUT = 60_000


def open_report(qtbot: QtBot, db: Database) -> tuple[MainWindow, ReportPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    page = window.page(ReportPage)
    assert isinstance(page, ReportPage)
    window.show()
    with qtbot.waitSignal(page.document_ready, timeout=TIMEOUT):
        window.show_page(page)
    return window, page


def test_preview_shows_the_bulletin(qtbot: QtBot, seeded: Database) -> None:
    _, page = open_report(qtbot, seeded)
    doc = page.document
    assert doc is not None and doc.kind == "bulletin"
    assert doc.summary.period.key == LAST
    assert page.preview.pageCount() >= 8  # the preview painted the document's pages
    assert page.print_button.isEnabled() and page.pdf_button.isEnabled()
    assert "未报 3" in page.info.text()


def test_reminder_and_unit_report(qtbot: QtBot, seeded: Database) -> None:
    _, page = open_report(qtbot, seeded)
    with qtbot.waitSignal(page.document_ready, timeout=TIMEOUT) as blocker:
        page.reminder_button.click()
    doc = blocker.args[0]
    assert doc.kind == "reminder" and all(name in doc.text() for name in MISSING[LAST])
    assert page.preview.pageCount() == 1
    with qtbot.waitSignal(page.document_ready, timeout=TIMEOUT) as blocker:
        page.show_kind("unit_report", "青龙街道")
    doc = blocker.args[0]
    assert doc.kind == "unit_report" and doc.title.startswith("青龙街道")
    assert page.unit.isEnabled() and not page.charts.isEnabled()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_export_pdf_and_workbook(qtbot: QtBot, seeded: Database, tmp_path: Path) -> None:
    _, page = open_report(qtbot, seeded)
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT):  # written off the GUI thread
        pdf = page.export_pdf(str(tmp_path / "通报"))
    assert pdf == tmp_path / "通报.pdf" and pdf.is_file()
    box = page.message_box  # says where it wrote, offers the folder
    assert box is not None and str(pdf) in box.text()
    assert "打开所在文件夹" in [b.text() for b in box.buttons()]
    box.close()
    text = "".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    assert all(name in text for name in MISSING[LAST])
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as blocker:
        page.export_xlsx(str(tmp_path / "汇总表.xlsx"))
    assert blocker.args == [str(tmp_path / "汇总表.xlsx")]
    assert openpyxl.load_workbook(tmp_path / "汇总表.xlsx").sheetnames == [
        "任务进展汇总", "指标汇总", "收件登记"]


def test_cancelled_dialog_writes_nothing(qtbot: QtBot, seeded: Database, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _, page = open_report(qtbot, seeded)
    import app.views.widgets.dialogs as dialogs

    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: "")
    assert page.export_pdf() is None
    page.export_xlsx()
    assert list(tmp_path.iterdir()) == [tmp_path / "seeded.db"] or all(
        p.name.startswith("seeded.db") for p in tmp_path.iterdir())


def test_report_menu(qtbot: QtBot, seeded: Database) -> None:
    window = MainWindow(seeded)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.summary_menu.actions() if a.text()]
    assert texts == ["看板", "进展情况通报…", "单位报告…", "催报通知…", "导出汇总表…"]
    page = window.page(ReportPage)
    window.show()
    with qtbot.waitSignal(page.document_ready, timeout=TIMEOUT) as blocker:
        next(a for a in window.summary_menu.actions() if a.text() == "催报通知…").trigger()
    assert window.stack.currentWidget() is page and blocker.args[0].kind == "reminder"


def test_preview_shows_progress_with_cancel_like_issuing(
        qtbot: QtBot, seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from PySide6.QtWidgets import QPushButton

    from app.views.reports import report_page

    _, page = open_report(qtbot, seeded)
    real = report_page.build_report
    started, release = threading.Event(), threading.Event()

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_page, "build_report", slow)
    page.reminder_button.click()
    handle = page._handles[-1]
    dialog = handle.dialog
    assert dialog is not None and dialog.windowTitle() == "正在生成预览…"
    assert dialog.parent() is page and handle.parent() is None
    qtbot.waitUntil(started.is_set)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    with qtbot.waitSignal(handle.signals.cancelled, timeout=10_000):
        cancel.click()  # heard at the next step, after the (held) build
        release.set()
    assert page.document is None and "已取消生成" in page.info.text()
    assert not page.pdf_button.isEnabled()
    monkeypatch.setattr(report_page, "build_report", real)
    with qtbot.waitSignal(page.document_ready, timeout=TIMEOUT) as blocker:
        page.show_kind("bulletin")
    assert blocker.args[0].kind == "bulletin"
