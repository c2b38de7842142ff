"""File dialogs and error display in one place, so tests can patch them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.errors import UserFacingError

log = logging.getLogger(__name__)
# Filters are marked QT_TRANSLATE_NOOP("FileFilter", ...) where they are defined and
# translated here, when a dialog shows them.
XLSX_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "Excel 工作簿 (*.xlsx)"))
WORKBOOK_FILTER = ";;".join((
    str(QT_TRANSLATE_NOOP("FileFilter", "Excel 工作簿 (*.xlsx *.xlsm *.xls *.et)")),
    str(QT_TRANSLATE_NOOP("FileFilter", "所有文件 (*)"))))


def _filter(filter_: str) -> str:
    return ";;".join(QCoreApplication.translate("FileFilter", f) for f in filter_.split(";;"))


def app_title() -> str:
    return QCoreApplication.translate("App", "台账")


def open_files(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, title, "", _filter(filter_))
    return list(files)


def open_file(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", _filter(filter_))
    return str(path)


def save_file(parent: QWidget | None, title: str, suggested: str = "",
              filter_: str = XLSX_FILTER) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, _filter(filter_))
    return str(path)


def choose_directory(parent: QWidget | None, title: str) -> str:
    return str(QFileDialog.getExistingDirectory(parent, title))


def error_text(exc: BaseException) -> str:
    if isinstance(exc, UserFacingError):
        return str(exc)
    return QCoreApplication.translate("Dialogs", "程序出错:{0}: {1}\n详细信息已写入日志。").format(
        type(exc).__name__, exc)


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Non-blocking message box (``open()``), so tests never hang on it."""
    if not isinstance(exc, UserFacingError):
        log.error("unexpected error", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, app_title(), error_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box


def show_info(parent: QWidget | None, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, app_title(), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box
