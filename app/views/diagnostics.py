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
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
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
_boxes: list[QMessageBox] = []
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


def licence_files() -> list[Path]:
    """LICENSE / THIRD-PARTY-NOTICES beside the program (source tree or bundle), if shipped."""
    roots = [Path(__file__).resolve().parents[2], Path(getattr(sys, "_MEIPASS", "") or ".")]
    names = ("LICENSE", "LICENSE.txt", "THIRD-PARTY-NOTICES", "THIRD-PARTY-NOTICES.txt",
             "THIRD-PARTY-NOTICES.md")
    found: list[Path] = []
    for root in roots:
        for name in names:
            path = root / name
            if path.is_file() and path.resolve() not in [f.resolve() for f in found]:
                found.append(path)
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
    return "\n".join(lines)


def show_about(parent: QWidget | None) -> QMessageBox:
    """帮助 › 关于台账 in both windows: version, folders, licences, 打开日志文件夹."""
    box = QMessageBox(QMessageBox.Icon.Information, dialogs.app_title(), about_text(),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    button = box.addButton(QCoreApplication.translate("Diagnostics", "打开日志文件夹"),
                           QMessageBox.ButtonRole.ActionRole)
    button.clicked.connect(lambda: dialogs.open_folder(log_folder()))
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
