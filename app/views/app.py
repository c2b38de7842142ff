"""Application start: fonts, language, which database to open, and the window."""

from __future__ import annotations

import logging
import sys
from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from app.core.errors import UserFacingError
from app.services.db import Database, open_database
from app.services.plans.examples import load_example
from app.services.reports import fonts
from app.services.server import PasswordRequired, looks_like_url
from app.views import ops, startup_probe
from app.views.widgets.gc_guard import GuiThreadCollector

log = logging.getLogger(__name__)
APP_NAME = "Taizhang"
# Screen-hinted system faces first; the bundled subset guarantees Chinese where none exists.
CJK_FAMILIES = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "SimHei", fonts.SANS]


def default_database_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "taizhang.db"


def register_fonts() -> list[str]:
    """Load fonts bundled under app/resources/fonts; returns the families Qt now knows."""
    families: list[str] = []
    folder = resources.files("app.resources") / "fonts"
    for entry in folder.iterdir() if folder.is_dir() else []:
        if entry.name.lower().endswith((".ttf", ".otf", ".ttc")):
            font_id = QFontDatabase.addApplicationFont(str(entry))
            if font_id >= 0:
                families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def apply_ui_font(app: QApplication) -> None:
    font = QFont(app.font())
    font.setFamilies([*CJK_FAMILIES, *font.families()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)


def install_translator(app: QApplication, language: str | None) -> QTranslator | None:
    """Chinese is the source language; English ships as a Qt translation (app.views.i18n).

    In Chinese, Qt's own texts (standard buttons, context menus) come from qtbase_zh_CN.
    """
    from app.views.i18n import install_translator as install_english
    from app.views.i18n import saved_language

    lang = language or saved_language()
    if lang.startswith("en"):
        return install_english(app, lang)
    qt_zh = QTranslator(app)
    if qt_zh.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_zh)
        return qt_zh
    return None


def setup_logging() -> Path:
    folder = Path(user_log_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "taizhang.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return path


def open_or_create(path: Path | str | None) -> Database:
    """The database to show: the one asked for, the last one, or a new example database."""
    settings = QSettings()
    if path is None:
        last = str(settings.value("last_database", "", str) or "")
        if last and looks_like_url(last):
            path = last
        else:
            path = Path(last) if last and Path(last).is_file() else default_database_path()
    if isinstance(path, str):
        if not looks_like_url(path):
            path = Path(path)
        else:  # a server: opened as it is (PasswordRequired lets the window ask)
            db = open_database(path)
            settings.setValue("last_database", path)
            return db
    fresh = not path.exists()
    db = open_database(path)
    if fresh:
        load_example(db, "tianning")
    settings.setValue("last_database", str(path.resolve()))
    return db


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("台账")
    app.setWindowIcon(QIcon(str(resources.files("app.resources") / "icons" / "taizhang.png")))
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
        app.aboutToQuit.connect(ops.shutdown)
    register_fonts()
    apply_ui_font(app)
    return app


def main_window_for(db: Database) -> QMainWindow:
    """District window, or the office clerk's window for an office database."""
    from app.views.main_window import window_for

    return window_for(db)


def run_gui(db_path: str | None = None, language: str | None = None) -> int:
    app = make_application()
    setup_logging()
    install_translator(app, language)
    try:
        db = open_or_create(db_path or None)
    except PasswordRequired as exc:  # a server wants a password: ask, then open the window
        from app.views.server import ask_server

        dialog = ask_server(None, main_window_for,
                            str(db_path or QSettings().value("last_database", "")), str(exc))
        dialog.rejected.connect(app.quit)
        return app.exec()
    except UserFacingError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "台账"), str(exc))
        return 1
    window = main_window_for(db)
    startup_probe.watch(window)  # benchmarks/bundle_startup.py only
    window.show()
    return app.exec()
