"""File dialogs and error display in one place, so tests can patch them.

The static QFileDialog functions use the platform's dialog where there is one (Windows,
macOS: labels in the system's language); elsewhere Qt's own dialog, translated by the
qtbase_zh_CN catalogue that `app.views.app.install_translator` loads. Each kind of file
("packets", "exports", "database"…) starts in the folder last used for it (QSettings
"folders/<kind>"), by default Documents.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSettings,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.errors import UserFacingError

log = logging.getLogger(__name__)
# Filters are marked QT_TRANSLATE_NOOP("FileFilter", ...) where they are defined and
# translated here, when a dialog shows them.
XLSX_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "Excel 工作簿 (*.xlsx)"))
WORKBOOK_FILTER = ";;".join((
    str(QT_TRANSLATE_NOOP("FileFilter", "Excel 工作簿 (*.xlsx *.xlsm *.xls *.et)")),
    str(QT_TRANSLATE_NOOP("FileFilter", "所有文件 (*)"))))
RETURNS_FILTER = ";;".join((  # 汇总: packets, saved mails and archives of packets
    str(QT_TRANSLATE_NOOP("FileFilter", "报送包、邮件或压缩包 (*.xlsx *.xlsm *.xls *.et *.eml *.zip)")),
    str(QT_TRANSLATE_NOOP("FileFilter", "所有文件 (*)"))))


def _filter(filter_: str) -> str:
    return ";;".join(QCoreApplication.translate("FileFilter", f) for f in filter_.split(";;"))


def app_title() -> str:
    return QCoreApplication.translate("App", "台账")


def start_folder(kind: str) -> Path:
    """The last folder used for this kind of file (default: Documents, else home)."""
    saved = str(QSettings().value(f"folders/{kind}", "", str) or "") if kind else ""
    if saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember_folder(kind: str, path: str) -> None:
    if kind and path:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        QSettings().setValue(f"folders/{kind}", str(folder))


def _start(kind: str, suggested: str = "") -> str:
    """A bare suggested name starts in the kind's folder; a full path is kept."""
    if suggested and Path(suggested).is_absolute():
        return suggested
    return str(start_folder(kind) / suggested) if suggested else str(start_folder(kind))


def open_files(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER, *,
               kind: str = "") -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, title, _start(kind), _filter(filter_))
    if files:
        remember_folder(kind, files[0])
    return list(files)


def open_file(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER, *,
              kind: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(kind), _filter(filter_))
    remember_folder(kind, path)
    return str(path)


def save_file(parent: QWidget | None, title: str, suggested: str = "",
              filter_: str = XLSX_FILTER, *, kind: str = "") -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, _start(kind, suggested),
                                          _filter(filter_))
    remember_folder(kind, path)
    return str(path)


def choose_directory(parent: QWidget | None, title: str, *, kind: str = "") -> str:
    path = str(QFileDialog.getExistingDirectory(parent, title, _start(kind)))
    remember_folder(kind, path)
    return path


def open_folder(path: Path) -> bool:
    """Show a folder in the file manager; False where there is none (then show the path)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def show_written(parent: QWidget | None, text: str, path: Path) -> QMessageBox:
    """'已导出…' with where the file went and 打开所在文件夹 (the path stays readable when no
    file manager opens)."""
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Information, app_title(),
                      text + "\n\n" + translate("Dialogs", "保存位置:{0}").format(path),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    button = box.addButton(translate("Dialogs", "打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
    folder = path if path.is_dir() else path.parent

    def open_it() -> None:
        if not open_folder(folder):
            show_info(parent, translate("Dialogs", "没有可用的文件管理器。文件夹位置:\n{0}")
                      .format(folder))

    button.clicked.connect(open_it)
    box.open()
    return box


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
