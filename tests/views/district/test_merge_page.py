"""汇总 page: drop files or a folder, preview without writing, apply, see problems."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from merge_helpers import TOWNS, fill_by_hand, issue, row_keys, table_dump
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.views.district.conflicts_page import ConflictsPage
from app.views.district.merge_page import MergePage, MergeRow, merge_columns, problem_columns
from app.views.district.receipts_page import ReceiptsPage
from app.views.main_window import MainWindow
from app.views.widgets import dialogs
from app.views.widgets.table_model import RecordTableModel

PERIOD = "2021-06"



@pytest.fixture
def inbox(tianning: Database, tmp_path: Path) -> Path:
    """Returned files of four towns, one of them with a percent of 150."""
    packets = issue(tianning, PERIOD, TOWNS, tmp_path / "issued")
    folder = tmp_path / "inbox"
    for i, unit in enumerate(TOWNS[:4]):
        src = packets[unit]
        keys = row_keys(src)
        pct = 150 if i == 3 else 20.0 * (i + 1)
        fill_by_hand(src, folder / f"{unit}.xlsx",
                     {keys[0]: {"status": "in_progress", "percent": pct, "progress": unit}})
    return folder


def open_window(qtbot: QtBot, db: Database) -> tuple[MainWindow, MergePage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.select_period(PERIOD)
    page = window.page(MergePage)
    assert isinstance(page, MergePage)
    window.show_page(page)
    return window, page


def drop(page: MergePage, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(page.rect().center()), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(page.rect().center()), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)


def test_drop_folder_preview_then_apply(qtbot: QtBot, tianning: Database, inbox: Path) -> None:
    window, page = open_window(qtbot, tianning)
    before = table_dump(tianning)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        drop(page, [inbox])
    rows: list[MergeRow] = page.model.records
    assert sorted((r.preview.unit, r.status) for r in rows) == sorted(
        [(u, "new") for u in TOWNS[:3]] + [(TOWNS[3], "rejected")])
    assert table_dump(tianning) == before  # the preview wrote nothing
    assert page.apply_all_button.isEnabled()

    # the refused file's problems: sheet, cell, message
    bad = next(i for i, r in enumerate(rows) if r.status == "rejected")
    page.table.selectRow(page.proxy.mapFromSource(page.model.index(bad, 0)).row())
    problem = page.problem_model.records[0]
    assert problem.sheet == "任务进展" and problem.cell.startswith("H")
    assert "0–100" in problem.message
    assert page.problem_proxy.rowCount() == 1

    with qtbot.waitSignal(page.applied, timeout=20000):
        qtbot.mouseClick(page.apply_all_button, Qt.MouseButton.LeftButton)
    assert sorted(r.status for r in page.model.records) == ["applied"] * 3 + ["rejected"]
    assert not page.apply_all_button.isEnabled()
    assert "已导入 3" in page.summary.text()
    receipts = window.page(ReceiptsPage)
    assert isinstance(receipts, ReceiptsPage)
    states = {r.unit: r.state_label for r in receipts.model.records}
    assert states[TOWNS[3]] == "已拒收" and states[TOWNS[0]] in ("已收", "迟报")
    assert window.status_label.text().startswith("已收 3/8")

    # dropping the same folder again: the listed files are not added twice
    page.clear()
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        drop(page, [inbox])
    assert sorted(r.status for r in page.model.records) == ["rejected", "unchanged",
                                                             "unchanged", "unchanged"]


def test_choose_files_and_apply_selected(qtbot: QtBot, tianning: Database, inbox: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _window, page = open_window(qtbot, tianning)
    files = sorted(str(p) for p in inbox.glob("*.xlsx"))[:2]
    monkeypatch.setattr(dialogs, "open_files", lambda *a, **k: files)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        qtbot.mouseClick(page.files_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 2
    page.table.selectRow(0)
    chosen = page.proxy.record(0)
    with qtbot.waitSignal(page.applied, timeout=20000):
        qtbot.mouseClick(page.apply_selected_button, Qt.MouseButton.LeftButton)
    statuses = {r.preview.path.name: r.status for r in page.model.records}
    assert statuses[chosen.preview.path.name] == "applied"
    assert sorted(statuses.values()) == ["applied", "new"]

    monkeypatch.setattr(dialogs, "choose_directory", lambda *a, **k: str(inbox))
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 4


def test_menu_imports_a_folder(qtbot: QtBot, tianning: Database, inbox: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    window, page = open_window(qtbot, tianning)
    window.nav.setCurrentRow(0)
    monkeypatch.setattr(dialogs, "choose_directory", lambda *a, **k: str(inbox))
    folder_action = next(a for a in window.merge_actions if "文件夹" in a.text())
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        folder_action.trigger()
    assert window.stack.currentWidget() is page
    assert page.model.rowCount() == 4
    receipts_action = next(a for a in window.merge_actions if a.text() == "收件登记")
    receipts_action.trigger()
    assert window.stack.currentWidget() is window.page(ReceiptsPage)


def test_changing_the_period_clears_the_previews(qtbot: QtBot, tianning: Database,
                                                 inbox: Path) -> None:
    window, page = open_window(qtbot, tianning)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        page.add_paths([inbox])
    assert page.model.rowCount() == 4
    window.select_period("2021-05")
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        page.add_paths([inbox])
    assert {r.status for r in page.model.records} == {"rejected"}
    assert "2021年6月" in page.model.records[0].reason
    assert not page.apply_all_button.isEnabled()


def test_conflicts_button_leads_to_the_conflicts_page(qtbot: QtBot, tianning: Database,
                                                      inbox: Path) -> None:
    window, page = open_window(qtbot, tianning)
    page.go_to_conflicts()
    assert window.stack.currentWidget() is window.page(ConflictsPage)


def test_models_pass_qtmodeltester(qtmodeltester, tianning: Database, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.district.check import check_packets

    previews = check_packets(tianning, sorted(inbox.glob("*.xlsx")), period=PERIOD)
    model: RecordTableModel[MergeRow] = RecordTableModel(merge_columns(str))
    model.set_records([MergeRow(p) for p in previews])
    qtmodeltester.check(model)
    problems: RecordTableModel = RecordTableModel(problem_columns(str))
    problems.set_records([p for pv in previews for p in pv.problems])
    qtmodeltester.check(problems)


def test_the_page_shows_the_services_verdicts_and_compares_each_packet_once(
        qtbot: QtBot, tianning: Database, inbox: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.district import check

    compares: list[str] = []
    real = check._compare
    monkeypatch.setattr(check, "_compare", lambda target, packet, *a: (
        compares.append(packet.manifest.unit), real(target, packet, *a))[1])
    _window, page = open_window(qtbot, tianning)
    first = sorted(inbox.glob("*.xlsx"))[0]
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        page.add_paths([first])
    # a copy of a listed file dropped later: the service orders the whole batch
    copy_of_first = tmp_path / "again" / first.name
    copy_of_first.parent.mkdir()
    shutil.copy(first, copy_of_first)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        page.add_paths([copy_of_first, *sorted(inbox.glob("*.xlsx"))[1:]])
    statuses = [r.status for r in page.model.records]
    assert statuses[:2] == ["new", "unchanged"] and sorted(statuses[2:]) == [
        "new", "new", "rejected"]
    previews = [r.preview for r in page.model.records]
    before = copy.deepcopy(previews)
    with qtbot.waitSignal(page.applied, timeout=20000):
        page.apply_all()
    assert sorted(r.status for r in page.model.records) == [
        "applied", "applied", "applied", "rejected", "unchanged"]
    assert [r.preview for r in page.model.records] == before == previews
    assert len(compares) == 4  # three packets + the copy checked before it met its twin


def test_a_mail_and_an_archive_dropped_on_the_page(qtbot: QtBot, tianning: Database,
                                                   inbox: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A saved mail's packet and a zip's packets are listed one row each (the file shown
    by its own name, the mail's headers in the tooltip), applied, and the mail dropped
    again adds nothing."""
    from email import policy
    from email.message import EmailMessage

    from packet_helpers import zip_bytes

    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "雕庄街道 <diaozhuang@tianning.gov.cn>"
    msg["Subject"] = "回复:六月进展"
    msg["Date"] = "Mon, 05 Jul 2021 09:30:00 +0800"
    msg.set_content("附件是本月报送。")
    first = inbox / f"{TOWNS[0]}.xlsx"
    msg.add_attachment(first.read_bytes(), maintype="application", subtype="octet-stream",
                       filename=first.name)
    letter = tmp_path / "回复.eml"
    letter.write_bytes(msg.as_bytes())
    archive = tmp_path / "两个.zip"
    archive.write_bytes(zip_bytes({f"{u}.xlsx": (inbox / f"{u}.xlsx").read_bytes()
                                   for u in TOWNS[1:3]}))
    _window, page = open_window(qtbot, tianning)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        drop(page, [letter, archive])
    rows: list[MergeRow] = page.model.records
    assert [(r.preview.path.name, r.status) for r in rows] == [
        (first.name, "new"), (f"{TOWNS[1]}.xlsx", "new"), (f"{TOWNS[2]}.xlsx", "new")]
    tip = page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "回复.eml" in tip and "雕庄街道 <diaozhuang@tianning.gov.cn>" in tip
    assert "回复:六月进展" in tip
    with qtbot.waitSignal(page.applied, timeout=20000):
        page.apply_all()
    assert [r.status for r in page.model.records] == ["applied"] * 3
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text: infos.append(text))
    page.add_paths([letter])
    assert infos == ["没有找到新的填报包文件。"]


def test_the_page_lists_what_the_dry_run_says(qtbot: QtBot, tianning: Database, inbox: Path,
                                             tmp_path: Path) -> None:
    """The page's verdicts, counts and problems of each file are those of `merge
    --dry-run --period` (``check_packets``) of the same files on the same database: a
    return of another month and a broken file among them."""
    from conftest import copy_sqlite

    from app.services.db import open_database
    from app.services.district.check import check_packets, collect_files

    may = issue(tianning, "2021-05", TOWNS[:1], tmp_path / "may")[TOWNS[0]]
    fill_by_hand(may, inbox / "五月.xlsx", {row_keys(may)[0]: {"percent": 10}})
    (inbox / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    copy_sqlite(Path(tianning.url.database or ""), tmp_path / "cli.db")
    cli_db = open_database(tmp_path / "cli.db")
    try:
        cli = check_packets(cli_db, collect_files([inbox]), period=PERIOD)
    finally:
        cli_db.dispose()

    def shown(p: object) -> tuple[object, ...]:
        return tuple(getattr(p, f) for f in (
            "file", "status", "unit", "period", "revision", "rows_new", "rows_changed",
            "rows_unchanged", "conflicts", "errors", "warnings", "reason"))

    _window, page = open_window(qtbot, tianning)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        drop(page, [inbox])
    assert [shown(r.preview) for r in page.model.records] == [shown(p) for p in cli]
    assert sorted(p.status for p in cli) == ["new"] * 3 + ["rejected"] * 3
    model = page.model
    for row, preview in enumerate(cli):  # the counts shown are the dry run's
        assert model.index(row, 10).data() == (str(len(preview.errors))
                                               if preview.errors else "")


def test_files_dragged_over_the_page_start_the_readers(
        qtbot: QtBot, tianning: Database, inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dragging files over the page (or opening its file dialog) starts the worker
    processes that read a check's files ahead, while the person is still dropping them;
    not while a check runs (it has its readers)."""
    from app.views.district import merge_page

    warmed: list[str] = []
    monkeypatch.setattr(merge_page, "warm_readers", lambda: warmed.append("warm") or True)
    monkeypatch.setattr(dialogs, "open_files", lambda *a, **k: [])
    _window, page = open_window(qtbot, tianning)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in inbox.glob("*.xlsx")])
    enter = QDragEnterEvent(QPoint(page.rect().center()), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted() and warmed == ["warm"]
    page.choose_files()
    assert warmed == ["warm"] * 2
    page._set_busy(True)
    page.dragEnterEvent(enter)
    assert warmed == ["warm"] * 2
    page._set_busy(False)


def test_a_long_check_freezes_its_previews_every_hundred_files(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress arrives throttled (not at every file), so the freeze counts files since the
    last one instead of waiting for an exact multiple of 100."""
    from app.views.district import merge_page

    frozen: list[int] = []
    freeze = merge_page._FreezeNowAndThen()
    monkeypatch.setattr(merge_page.gc, "freeze", lambda: frozen.append(freeze.frozen_at))
    for done in (0, 37, 99, 104, 180, 203, 204, 250, 310):
        freeze(done, 1_000, "")
    assert frozen == [104, 204, 310]
