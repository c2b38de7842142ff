"""File dialogs and error display in one place, so tests can patch them."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.errors import UserFacingError

log = logging.getLogger(__name__)
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def open_files(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, title, "", filter_)
    return list(files)


def open_file(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
    return str(path)


def save_file(parent: QWidget | None, title: str, suggested: str = "",
              filter_: str = XLSX_FILTER) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
    return str(path)


def choose_directory(parent: QWidget | None, title: str) -> str:
    return str(QFileDialog.getExistingDirectory(parent, title))


def error_text(exc: BaseException) -> str:
    if isinstance(exc, UserFacingError):
        return str(exc)
    return f"程序出错:{type(exc).__name__}: {exc}\n详细信息已写入日志。"


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Non-blocking message box (``open()``), so tests never hang on it."""
    if not isinstance(exc, UserFacingError):
        log.error("unexpected error", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, "台账", error_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box


def show_info(parent: QWidget | None, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "台账", text,
                      QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box
