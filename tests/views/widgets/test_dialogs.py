"""File dialogs start in the folder last used for their kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog

from app.views.widgets import dialogs


def test_each_kind_of_file_starts_where_it_was_last_chosen(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    QSettings().remove("folders/returns")
    inbox = tmp_path / "收件"
    inbox.mkdir()
    asked: list[str] = []

    def open_names(_parent: object, _title: str, start: str, _filter: str) -> tuple[list[str], str]:
        asked.append(start)
        return [str(inbox / "青龙街道_报送.xlsx")], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_names)
    default = dialogs.start_folder("returns")
    assert default.is_dir()  # Documents, or home where there is none
    dialogs.open_files(None, "选择报送包", kind="returns")
    assert Path(asked[0]) == default
    dialogs.open_files(None, "选择报送包", kind="returns")
    assert asked[1] == str(inbox)  # the merge dialog remembers its folder
    assert dialogs.start_folder("exports") != inbox  # another kind, another folder

    saved: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, start, _f: (saved.append(start) or "", ""))
    QSettings().setValue("folders/exports", str(inbox))
    dialogs.save_file(None, "导出PDF", "通报.pdf", kind="exports")
    assert saved == [str(inbox / "通报.pdf")]
    dialogs.save_file(None, "导出PDF", str(tmp_path / "x.pdf"), kind="exports")
    assert saved[1] == str(tmp_path / "x.pdf")  # a full path is kept


def test_written_notice_names_the_file_and_offers_the_folder(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "通报.pdf"
    target.write_bytes(b"%PDF")
    opened: list[Path] = []
    notes: list[str] = []
    monkeypatch.setattr(dialogs, "open_folder", lambda p: opened.append(p) or False)
    monkeypatch.setattr(dialogs, "show_info", lambda _p, text: notes.append(text))
    box = dialogs.show_written(None, "已导出PDF。", target)
    assert str(target) in box.text()
    button = next(b for b in box.buttons() if b.text() == "打开所在文件夹")
    button.click()
    assert opened == [tmp_path]
    assert notes and str(tmp_path) in notes[0]  # no file manager: the path is shown instead
    box.close()
