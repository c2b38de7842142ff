"""The watched inbox: a file dropped into a watched folder shows as a badge on 汇总 (the
watcher notices it, the scan runs off the GUI thread); a foreign workbook shows none;
预览 lists the files without merging; after 应用 the badge goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import fill_by_hand, issue, row_keys, table_dump
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.district.inbox import inbox_folders, set_inbox_folders
from app.services.plans.export import export_plan
from app.views.district import inbox_watch
from app.views.district.merge_page import InboxFoldersDialog, MergePage
from app.views.main_window import MainWindow
from app.views.widgets import dialogs

PERIOD = "2021-06"


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short settle time; the minute's rescan is left as it is (the watcher must see it)."""
    monkeypatch.setattr(inbox_watch, "SETTLE_MS", 100)


def open_window(qtbot: QtBot, db: Database) -> tuple[MainWindow, MergePage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.select_period(PERIOD)
    page = window.page(MergePage)
    assert isinstance(page, MergePage)
    return window, page


def nav_text(window: MainWindow, page: MergePage) -> str:
    return window.nav.item(window.pages.index(page)).text()


def test_a_return_dropped_in_the_folder_shows_a_badge(qtbot: QtBot, tianning: Database,
                                                      tmp_path: Path, fast: None) -> None:
    src = issue(tianning, PERIOD, ["青龙街道"], tmp_path / "issued")["青龙街道"]
    ready = fill_by_hand(src, tmp_path / "ready.xlsx",
                         {row_keys(src)[0]: {"status": "in_progress", "progress": "进展"}})
    folder = tmp_path / "附件"
    folder.mkdir()
    set_inbox_folders(tianning, [folder])
    window, page = open_window(qtbot, tianning)
    assert page.watcher is not None and page.watcher.timer.isActive()
    qtbot.waitUntil(lambda: page.inbox_scan is not None, timeout=10000)
    assert nav_text(window, page) == "汇总" and page.inbox_banner.isHidden()

    # a foreign workbook (a plan export) arrives: scanned, no badge
    with qtbot.waitSignal(page.watcher.scanned, timeout=10000):
        export_plan(tianning, 1, folder / "方案.xlsx")
    assert page.inbox_scan is not None and page.inbox_scan.count == 0
    assert nav_text(window, page) == "汇总" and page.inbox_banner.isHidden()

    # a return of ours arrives: the badge
    before = table_dump(tianning)
    (folder / "青龙街道.xlsx").write_bytes(ready.read_bytes())
    qtbot.waitUntil(lambda: not page.inbox_banner.isHidden(), timeout=10000)
    assert nav_text(window, page) == "汇总  (1)"
    assert page.inbox_label.text().startswith("收到 1 个新报送包(青龙街道)")
    assert table_dump(tianning) == before  # nothing merged by noticing it

    # 预览: the file is listed for the dry run, still nothing written
    window.show_page(page)
    with qtbot.waitSignal(page.previews_ready, timeout=20000):
        page.inbox_preview.click()
    assert [(r.preview.path.name, r.status) for r in page.model.records] == [
        ("青龙街道.xlsx", "new")]
    assert table_dump(tianning) == before
    # 应用: merged, and the next scan no longer offers it
    with qtbot.waitSignal(page.applied, timeout=20000):
        page.apply_all()
    qtbot.waitUntil(lambda: nav_text(window, page) == "汇总", timeout=10000)
    assert page.inbox_banner.isHidden()


def test_the_folders_are_chosen_in_a_dialog(qtbot: QtBot, tianning: Database,
                                            tmp_path: Path, fast: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _window, page = open_window(qtbot, tianning)
    assert page.watcher is not None and not page.watcher.timer.isActive()
    folder = tmp_path / "下载"
    folder.mkdir()
    dlg = page.edit_inbox_folders()
    assert isinstance(dlg, InboxFoldersDialog)
    monkeypatch.setattr(dialogs, "choose_directory", lambda *a, **k: str(folder))
    dlg.add_folder()
    assert dlg.folders() == [str(folder)]
    with qtbot.waitSignal(page.watcher.scanned, timeout=10000):
        dlg.accept()
    assert inbox_folders(tianning) == [str(folder)]
    assert page.watcher.folders == [str(folder)] and page.watcher.timer.isActive()
    assert str(folder) in page.watcher.watcher.directories()
    dlg = page.edit_inbox_folders()
    assert isinstance(dlg, InboxFoldersDialog)
    dlg.list.setCurrentRow(0)
    dlg.remove_selected()
    dlg.accept()
    assert inbox_folders(tianning) == [] and not page.watcher.timer.isActive()
