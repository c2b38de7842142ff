"""File dialogs: each kind starts in its last folder; Qt's own dialog speaks Chinese and
shows whole file names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
)

from app.views.widgets import dialogs


def test_each_kind_of_file_starts_where_it_was_last_chosen(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    QSettings().remove("folders/returns")
    inbox = tmp_path / "收件"
    inbox.mkdir()
    asked: list[str] = []

    def open_names(dialog: QFileDialog) -> list[str]:
        asked.append(dialog.directory().absolutePath())
        assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles
        return [str(inbox / "青龙街道_报送.xlsx")]

    monkeypatch.setattr(dialogs, "ask", open_names)
    default = dialogs.start_folder("returns")
    assert default.is_dir()  # Documents, or home where there is none
    dialogs.open_files(None, "选择报送包", kind="returns")
    assert Path(asked[0]) == default
    dialogs.open_files(None, "选择报送包", kind="returns")
    assert asked[1] == str(inbox)  # the merge dialog remembers its folder
    assert dialogs.start_folder("exports") != inbox  # another kind, another folder

    saved: list[str] = []

    def save_name(dialog: QFileDialog) -> list[str]:
        assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog here
        saved.append(str(Path(dialog.directory().absolutePath()) / name.text()))
        return []

    monkeypatch.setattr(dialogs, "ask", save_name)
    QSettings().setValue("folders/exports", str(inbox))
    assert dialogs.save_file(None, "导出PDF", "通报.pdf", kind="exports") == ""  # cancelled
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


LONG_NAMES = [f"天宁区生态文明建设示范区_2024年3月_{unit}_下发包.xlsx" for unit in (
    "天宁区住房和城乡建设局", "常州市天宁区雕庄街道办事处", "天宁经济开发区管理委员会", "郑陆镇")]


def test_qt_dialog_speaks_chinese_and_shows_whole_names(
        qtbot: object, qapp: QApplication, tmp_path: Path) -> None:
    """Where there is no native dialog (here, and the Linux bundle): Chinese labels, also
    the two qtbase_zh_CN lacks since Qt 6, and no name elided."""
    from app.views.i18n import install_qt_chinese

    for name in LONG_NAMES:
        (tmp_path / name).write_bytes(b"")
    QSettings().remove(dialogs.FileDialog.GEOMETRY_KEY)
    installed = install_qt_chinese(qapp)
    try:
        assert len(installed) == 2  # qtbase_zh_CN found, and the supplement
        dialog = dialogs.file_dialog(None, "打开下发包", str(tmp_path))
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.show()
        tree = dialog.own_widgets()
        assert tree is not None and dialog.fitted
        qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) == len(LONG_NAMES))  # type: ignore[attr-defined]
        labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
        labels += [w.text() for w in dialog.findChildren(QAbstractButton)
                   if w.isVisible() and w.text()]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        english = [t for t in labels if re.search(r"[A-Za-z]", re.sub(r"\(&\w\)", "", t))]
        assert not english
        assert dialog.viewMode() == QFileDialog.ViewMode.Detail
        room = qapp.primaryScreen().availableGeometry()
        assert dialog.width() == min(1000, int(room.width() * 0.85))  # wide, on any screen
        dialog.resize(1000, 620)  # (the offscreen test screen is 800 wide)
        qapp.processEvents()
        metrics = tree.fontMetrics()
        for row in range(tree.model().rowCount(tree.rootIndex())):
            index = tree.model().index(row, 0, tree.rootIndex())
            text = str(index.data())
            rect = tree.visualRect(index)
            # the name's text fits its cell (icon and margins taken off the cell's width)
            assert metrics.horizontalAdvance(text) < rect.width() - 30, text
        dialog.reject()
        assert QSettings().value(dialogs.FileDialog.GEOMETRY_KEY) is not None  # size kept
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QSettings().remove(dialogs.FileDialog.GEOMETRY_KEY)


def test_every_kind_of_dialog_asks_for_its_kind_of_answer(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[tuple[QFileDialog.FileMode, QFileDialog.AcceptMode]] = []

    def answer(dialog: QFileDialog) -> list[str]:
        modes.append((dialog.fileMode(), dialog.acceptMode()))
        return [str(tmp_path)]

    monkeypatch.setattr(dialogs, "ask", answer)
    assert dialogs.open_file(None, "x") == str(tmp_path)
    assert dialogs.choose_directory(None, "x", kind="packets") == str(tmp_path)
    assert dialogs.start_folder("packets") == tmp_path
    assert modes == [(QFileDialog.FileMode.ExistingFile, QFileDialog.AcceptMode.AcceptOpen),
                     (QFileDialog.FileMode.Directory, QFileDialog.AcceptMode.AcceptOpen)]
