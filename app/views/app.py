"""Application start: fonts, language, which database to open, and the window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QWidget

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.services.reports import fonts
from app.views import database_menu, ops, startup_probe
from app.views.widgets import dialogs
from app.views.widgets.gc_guard import GuiThreadCollector

if TYPE_CHECKING:  # SQLAlchemy and the services load after the first frame (run_gui)
    from app.services.db import Database

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

    In Chinese, Qt's own texts (file dialogs, standard buttons, context menus) come from
    qtbase_zh_CN and the supplement for what it lacks (`i18n.install_qt_chinese`)."""
    from app.views.i18n import install_qt_chinese, saved_language
    from app.views.i18n import install_translator as install_english

    lang = language or saved_language()
    if lang.startswith("en"):
        return install_english(app, lang)
    return install_qt_chinese(app)[0]


def setup_logging() -> Path:
    """The info log and the crash handlers (app.views.diagnostics)."""
    from app.views import diagnostics

    path = diagnostics.setup_logging()
    diagnostics.install_crash_handlers()
    return path


def example_database_path() -> Path:
    """The example lives in its own file, never in the user's database."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "示例-天宁区.db"


def database_to_open(path: Path | str | None) -> str | None:
    """The database to show at start: the one asked for, else the last one used (a file or
    a server URL), else the default file if an older version made it; None on a first run
    (the welcome screen)."""
    if path is not None:
        return str(path)
    last = database_menu.last_database()
    if last:
        return last
    default = default_database_path()
    return str(default) if default.is_file() else None


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
        database_menu.requests.open_requested.connect(_open_requested)
    register_fonts()
    apply_ui_font(app)
    return app


def main_window_for(db: Database) -> QMainWindow:
    """District window, or the office clerk's window for an office database."""
    from app.views.main_window import window_for

    return window_for(db)


# ---------------------------------------------------------------- switching databases

_windows: list[QMainWindow] = []  # the windows this module opened, until they are destroyed


def show_database_window(db: Database, target: str | Path) -> QMainWindow:
    """The window for `db`'s role, owning `db` (disposed when the window goes)."""
    window = main_window_for(db)
    _track(window)
    _adopt(window, db, target)
    window.show()
    database_menu.requests.opened.emit(window)
    return window


def _adopt(window: QMainWindow, db: Database, target: str | Path) -> None:
    """`window` now shows `db` (disposed when the window goes); the next start opens it
    and paints its role's window first."""
    from app.views.main_window import MainWindow

    window.destroyed.connect(lambda *_: db.dispose())
    database_menu.remember_database(target)
    database_menu.remember_role(target, "district" if isinstance(window, MainWindow)
                                else "office")


def open_in_window(origin: QWidget | None, target: str | Path, *, create: bool = False,
                   note: str = "") -> QMainWindow | None:
    """Open a database in the window its role calls for, replacing the asking window.

    The asking window stays if the database cannot be opened, or if it refuses to close
    (the clerk's window with unsaved invalid input asks first)."""
    text = str(target)
    if "://" not in text and not create and not Path(text).is_file():
        dialogs.show_error(origin, UserFacingError(
            QCoreApplication.translate("App", "数据库文件不存在:{0}").format(text)))
        return None
    from app.services.db import open_database

    try:
        db = open_database(text)
    except UserFacingError as exc:
        dialogs.show_error(origin, exc)
        return None
    if isinstance(origin, QMainWindow) and origin.isVisible():
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        quits = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the new window shows right after
        try:
            closed = origin.close()
        finally:
            app.setQuitOnLastWindowClosed(quits)
        if not closed:
            db.dispose()
            return None
    window = show_database_window(db, text)
    if note:
        window.message_box = dialogs.show_info(window, note)  # type: ignore[attr-defined]
    return window


# ---------------------------------------------------------------- the first start

def _track(window: QMainWindow) -> None:
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)
    collector = QApplication.instance().findChild(GuiThreadCollector)  # type: ignore[union-attr]
    if collector is not None:  # the window's objects may be frozen: walk everything once
        window.destroyed.connect(lambda *_: collector.collect_everything_soon())


def show_welcome() -> QMainWindow:
    """First start: ask who is using the program (app.views.welcome)."""
    from app.views.office.entry import open_packet_as_office
    from app.views.welcome import WelcomeWindow

    welcome = WelcomeWindow()
    _track(welcome)
    welcome.import_plan.connect(lambda: start_district(welcome, "import"))
    welcome.new_plan.connect(lambda: start_district(welcome, "new"))
    welcome.open_database.connect(lambda: database_menu.choose_database(welcome))
    welcome.example.connect(lambda: open_example(welcome))
    welcome.open_packet.connect(lambda: open_packet_as_office(welcome))
    welcome.show()
    database_menu.requests.opened.emit(welcome)
    return welcome


def start_district(origin: QWidget | None, then: str) -> QMainWindow | None:
    """The district's own database (in the data folder), then the plan import wizard
    ("import") or a new empty plan ("new") — the first thing a new district office does."""
    window = open_in_window(origin, default_database_path(), create=True)
    actions = getattr(window, "plan_actions", None)
    if actions is not None:
        (actions.import_action if then == "import" else actions.new_action).trigger()
    return window


def open_example(origin: QWidget | None) -> None:
    """The bundled example in its own database, labelled 示例 in its window."""
    from app.services.plans.examples import open_example_database

    path = example_database_path()

    def work(reporter: Reporter) -> None:
        reporter.step(0, 1, QCoreApplication.translate("App", "正在准备示例数据库…"))
        open_example_database(path).dispose()

    def opened(_result: object) -> None:
        open_in_window(origin, path)

    ops.run_op(origin, work, on_success=opened,
               title=QCoreApplication.translate("App", "正在准备示例数据库…"))


def _open_requested(origin: object, target: str, create: bool, note: str) -> None:
    open_in_window(origin if isinstance(origin, QWidget) else None, target, create=create,
                   note=note)


class OpeningWindow(QMainWindow):
    """What paints at once at start while the database opens: SQLAlchemy, the services and
    the pages are imported only after this first frame (issue 13, start-up)."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.setWindowTitle(QCoreApplication.translate("App", "台账"))
        self.resize(1360, 820)
        name = "" if "://" in target else Path(target).name  # a server URL: no password shown
        self.label = QLabel(QCoreApplication.translate("App", "正在打开数据库…")
                            + (f"\n{name}" if name else ""))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.label)


class _AfterFirstPaint(QObject):
    """Runs `then` once, just after the watched window's first paint (or after `fallback`
    ms if it never paints, e.g. a platform that does not expose it)."""

    def __init__(self, window: QWidget, then: Callable[[], None], fallback: int = 1000) -> None:
        super().__init__(window)
        self.then = then
        self.done = False
        window.installEventFilter(self)
        QTimer.singleShot(fallback, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if not self.done:
            self.done = True
            self.then()


def open_first_database(shell: QMainWindow, target: str) -> int:
    """The start's database into its role's window: the district window's shell gets it
    (`MainWindow.attach`), anything else (the opening window, or the district shell for
    an office database) is replaced by the role's window; the exit code for the program
    (1: it could not be opened, the message was shown)."""
    from app.services.db import open_database
    from app.services.server import PasswordRequired
    from app.views.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        db = open_database(target)
    except PasswordRequired as exc:  # a server wants a password: ask, then open the window
        from app.views.server import ask_server

        dialog = ask_server(None, main_window_for, target, str(exc))
        dialog.rejected.connect(app.quit)
        shell.close()
        return 0
    except UserFacingError as exc:
        QMessageBox.critical(shell, QCoreApplication.translate("App", "台账"), str(exc))
        return 1
    if isinstance(shell, MainWindow):
        from app.services.office.role import database_role

        if database_role(db) != "office":
            _adopt(shell, db, target)
            shell.attach(db)
            database_menu.requests.opened.emit(shell)
            return 0
    show_database_window(db, target)
    shell.close()
    return 0


def first_window(target: str) -> QMainWindow:
    """What paints first at start: the district window's shell, or the opening window for
    a database last opened in the clerk's window (its window is built once it is open)."""
    if database_menu.remembered_role(target) == "office":
        return OpeningWindow(target)
    from app.views.main_window import MainWindow

    return MainWindow(target=target)


def run_gui(db_path: str | None = None, language: str | None = None) -> int:
    app = make_application()
    setup_logging()
    install_translator(app, language)
    target = database_to_open(db_path or None)
    if target is None:
        show_welcome()
        return app.exec()
    # The district window's shell (or the opening window) paints first; the database (and
    # SQLAlchemy, the services, the first page) load right after.
    shell = first_window(target)
    _track(shell)
    startup_probe.watch(shell)  # benchmarks/bundle_startup.py only

    def open_now() -> None:
        code = open_first_database(shell, target)
        if code:
            app.exit(code)

    _AfterFirstPaint(shell, open_now)
    shell.show()
    return app.exec()
