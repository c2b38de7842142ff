"""File dialogs and error display in one place, so tests can patch them.

Every file dialog is a `FileDialog`: the platform's own where there is one (Windows,
macOS, a Linux desktop with a Qt platform theme: labels in the system's language);
elsewhere Qt's dialog, in Chinese through qtbase_zh_CN and the few labels that catalogue
lacks (`app.views.i18n.install_qt_chinese`), widened and in detail view so that a
packet's whole name (the unit is in the middle of it) is readable. Each kind of file
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
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QTreeView,
    QWidget,
)

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


class FileDialog(QFileDialog):
    """A file dialog that, when it is Qt's own (no native one here), opens wide, in
    detail view, with the name column taking the room: names are shown whole."""

    GEOMETRY_KEY = "dialogs/files"
    SIDEBAR = 140
    TYPE_COLUMN = 2  # "Microsoft Excel Worksheet" for every row: the filter says it already

    def __init__(self, parent: QWidget | None, title: str, start: str, filter_: str) -> None:
        super().__init__(parent, title, start, _filter(filter_))
        self.fitted = False
        self.finished.connect(self._remember_size)

    def own_widgets(self) -> QTreeView | None:
        """The detail view of Qt's own dialog; None while a native dialog stands in."""
        return self.findChild(QTreeView, "treeView")

    def showEvent(self, event: QShowEvent) -> None:
        if not self.fitted and self.own_widgets() is not None:
            self.fit()
        super().showEvent(event)

    def fit(self) -> None:
        tree = self.own_widgets()
        if tree is None:
            return
        self.fitted = True
        saved = QSettings().value(self.GEOMETRY_KEY)
        if not (saved and self.restoreGeometry(saved)):
            owner = self.parentWidget()
            screen = owner.screen() if owner is not None else QApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else None
            width = min(1000, int(room.width() * 0.85)) if room is not None else 1000
            height = min(620, int(room.height() * 0.8)) if room is not None else 620
            self.resize(width, height)
        self.setViewMode(QFileDialog.ViewMode.Detail)
        panes = self.findChild(QSplitter, "splitter")
        if panes is not None and panes.count() == 2:  # the places list: "计算机" unelided
            panes.setSizes([self.SIDEBAR, max(self.width() - self.SIDEBAR, 400)])
        tree.setColumnHidden(self.TYPE_COLUMN, True)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def _remember_size(self, _result: int) -> None:
        if self.fitted:
            QSettings().setValue(self.GEOMETRY_KEY, self.saveGeometry())


def ask(dialog: QFileDialog) -> list[str]:
    """Run a file dialog and return what was chosen ([] when cancelled).

    The one modal loop of the views: every caller needs the answer before going on (the
    native dialogs are modal anyway). Tests replace this function."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return [str(f) for f in dialog.selectedFiles()]


def file_dialog(parent: QWidget | None, title: str, start: str, filter_: str = XLSX_FILTER, *,
                mode: str = "open") -> FileDialog:
    """The dialog for `mode` "open", "open_many", "save" or "folder" (not yet shown)."""
    dialog = FileDialog(parent, title, start, filter_)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if mode == "open_many"
                           else QFileDialog.FileMode.ExistingFile)
    return dialog


def open_files(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER, *,
               kind: str = "") -> list[str]:
    files = ask(file_dialog(parent, title, _start(kind), filter_, mode="open_many"))
    if files:
        remember_folder(kind, files[0])
    return files


def open_file(parent: QWidget | None, title: str, filter_: str = XLSX_FILTER, *,
              kind: str = "") -> str:
    files = ask(file_dialog(parent, title, _start(kind), filter_, mode="open"))
    path = files[0] if files else ""
    remember_folder(kind, path)
    return path


def save_file(parent: QWidget | None, title: str, suggested: str = "",
              filter_: str = XLSX_FILTER, *, kind: str = "") -> str:
    files = ask(file_dialog(parent, title, _start(kind, suggested), filter_, mode="save"))
    path = files[0] if files else ""
    remember_folder(kind, path)
    return path


def choose_directory(parent: QWidget | None, title: str, *, kind: str = "") -> str:
    files = ask(file_dialog(parent, title, _start(kind), "", mode="folder"))
    path = files[0] if files else ""
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
