"""Where problems can be diagnosed: a rotating info-level log in the data folder, Python
exceptions and hard crashes (faulthandler) written there, and a plain message that says so.

A windowed build has no console: without this an exception in a slot is lost.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO

from platformdirs import user_data_dir
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.views.widgets import dialogs

APP_NAME = "Taizhang"
LOG_NAME = "taizhang.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
log = logging.getLogger(__name__)
_crash_file: list[IO[str]] = []  # kept open for faulthandler
_boxes: list[QDialog] = []  # open without a parent: kept alive until finished
errors_seen = 0


def data_folder() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def log_folder() -> Path:
    return data_folder() / "logs"


def setup_logging(folder: Path | None = None) -> Path:
    """Info and above into a rotating file (5 × 1 MB); the console keeps warnings only."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path.resolve():
            return path
        if h.level == logging.NOTSET:
            h.setLevel(logging.WARNING)  # the console stays as quiet as before
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                  encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))
    return path


def install_crash_handlers(folder: Path | None = None) -> None:
    """sys.excepthook logs and tells the user; faulthandler writes hard crashes."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if not _crash_file:
        _crash_file.append((folder / CRASH_NAME).open("a", encoding="utf-8"))
        faulthandler.enable(_crash_file[0])
    sys.excepthook = excepthook


def excepthook(kind: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    global errors_seen
    errors_seen += 1
    log.error("unhandled error %d:\n%s", errors_seen,
              "".join(traceback.format_exception(kind, exc, tb)))
    if QApplication.instance() is not None:
        show_crash(exc)


def show_crash(exc: BaseException) -> QMessageBox:
    """程序出错,已记录 … with 打开日志文件夹 (non-blocking)."""
    translate = QCoreApplication.translate
    folder = log_folder()
    box = QMessageBox(QMessageBox.Icon.Critical, dialogs.app_title(), translate(
        "Diagnostics", "程序出错,已记录在日志中:{0}: {1}\n日志文件夹:{2}\n"
        "可以继续使用;如果再次出错,请把日志文件发给技术支持。").format(
            type(exc).__name__, exc, folder), QMessageBox.StandardButton.Ok)
    button = box.addButton(translate("Diagnostics", "打开日志文件夹"),
                           QMessageBox.ButtonRole.ActionRole)
    button.clicked.connect(lambda: dialogs.open_folder(folder))
    _boxes.append(box)
    box.finished.connect(lambda *_: _boxes.remove(box) if box in _boxes else None)
    box.open()
    return box


NOTICES_NAME = "THIRD-PARTY-NOTICES.txt"


def _program_roots() -> list[Path]:
    """The source tree's root, and the bundle's data folder (PyInstaller's _MEIPASS)."""
    roots = [Path(__file__).resolve().parents[2]]
    bundle = getattr(sys, "_MEIPASS", "")
    if bundle:
        roots.insert(0, Path(bundle))
    return roots


def notices_file() -> Path | None:
    """THIRD-PARTY-NOTICES.txt: in the bundle beside the program (the spec writes it at
    every build, from what was bundled); in a source tree the last build's copy."""
    for root in _program_roots():
        for path in (root / NOTICES_NAME, root / "build" / NOTICES_NAME):
            if path.is_file():
                return path
    return None


def licence_files() -> list[Path]:
    """LICENSE, THIRD-PARTY-NOTICES and the fonts' OFL, where shipped."""
    found: list[Path] = []
    for root in _program_roots():
        for name in ("LICENSE", "LICENSE.txt"):
            path = root / name
            if path.is_file() and path.resolve() not in [f.resolve() for f in found]:
                found.append(path)
    notices = notices_file()
    if notices is not None:
        found.append(notices)
    fonts = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "OFL.txt"
    if fonts.is_file():
        found.append(fonts)
    return found


def about_text() -> str:
    from app import __version__

    translate = QCoreApplication.translate
    lines = [translate("Diagnostics", "台账 {0}").format(__version__),
             translate("Diagnostics", "任务进展离线填报与汇总"), "",
             translate("Diagnostics", "数据文件夹:{0}").format(data_folder()),
             translate("Diagnostics", "日志文件夹:{0}").format(log_folder())]
    licences = licence_files()
    if licences:
        lines += ["", translate("Diagnostics", "许可证:")] + [f"  {p}" for p in licences]
    if notices_file() is None:
        lines += ["", translate("Diagnostics", "第三方组件许可(THIRD-PARTY-NOTICES.txt)随安装包"
                                               "提供,从源代码运行时没有这个文件。")]
    return "\n".join(lines)


class LicencesDialog(QDialog):
    """The licence texts themselves, one tab each: readable where no text editor or file
    manager would open them."""

    def __init__(self, files: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("许可证"))
        self.resize(820, 640)
        self.tabs = QTabWidget()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for path in files:
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setFont(fixed)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            try:
                view.setPlainText(path.read_text("utf-8", errors="replace"))
            except OSError as exc:
                view.setPlainText(self.tr("无法读取 {0}:{1}").format(path, exc))
            self.tabs.addTab(view, path.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)


def show_licences(parent: QWidget | None) -> LicencesDialog:
    """Third-party notices first: what 关于 links to."""
    files = licence_files()
    notices = notices_file()
    if notices is not None:
        files = [notices, *[f for f in files if f != notices]]
    dialog = LicencesDialog(files, parent)
    _boxes.append(dialog)  # the 关于 box that asked has closed: keep the dialog alive
    dialog.finished.connect(lambda *_: _boxes.remove(dialog) if dialog in _boxes else None)
    dialog.open()
    return dialog


def show_about(parent: QWidget | None) -> QMessageBox:
    """帮助 › 关于台账 in both windows: version, folders, licences (第三方组件许可 opens
    THIRD-PARTY-NOTICES and the other licence texts), 打开日志文件夹."""
    box = QMessageBox(QMessageBox.Icon.Information, dialogs.app_title(), about_text(),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    translate = QCoreApplication.translate
    button = box.addButton(translate("Diagnostics", "打开日志文件夹"),
                           QMessageBox.ButtonRole.ActionRole)
    button.clicked.connect(lambda: dialogs.open_folder(log_folder()))
    if licence_files():
        licences = box.addButton(translate("Diagnostics", "第三方组件许可…"),
                                 QMessageBox.ButtonRole.ActionRole)
        licences.clicked.connect(lambda: show_licences(parent))
    box.open()
    return box


def guide_text(role: str) -> str:
    """The short guide for a role ("district" or "office"), shipped in app/resources/help."""
    from importlib import resources

    name = "office.md" if role == "office" else "district.md"
    return (resources.files("app.resources") / "help" / name).read_text("utf-8")


class GuideDialog(QDialog):
    """帮助 › 使用说明: the role's guide, and the other role's one tab away."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用说明"))
        self.resize(720, 640)
        self.tabs = QTabWidget()
        order = ("office", "district") if role == "office" else ("district", "office")
        titles = {"district": self.tr("区创建办"), "office": self.tr("单位填报")}
        self.browsers: dict[str, QTextBrowser] = {}
        for r in order:
            browser = QTextBrowser()
            browser.setOpenExternalLinks(False)
            browser.setMarkdown(guide_text(r))
            self.browsers[r] = browser
            self.tabs.addTab(browser, titles[r])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)


def show_guide(parent: QWidget | None, role: str) -> GuideDialog:
    dialog = GuideDialog(role, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
