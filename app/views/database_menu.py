"""文件 menu's database section (新建数据库… / 打开数据库… / 最近使用), shared by both windows.

The menus only *ask* for a database: they emit `requests.open_requested` and
`app.views.app` (which knows both windows) opens the database in the window its role
calls for and closes the asking window. That keeps the windows free of each other.

Every window's 文件 menu has the same three sections, separated by separators:

1. databases: 新建数据库…, 打开数据库…, 最近使用 ▸ — other features add theirs here
   with `add_database_action` (连接服务器…, 从备份恢复…);
2. the window's own file actions (packets, exports), added by the window;
3. 退出.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from app.views.widgets import dialogs

if TYPE_CHECKING:  # SQLAlchemy is imported after the first frame (app.views.app.run_gui)
    from app.services.db import Database

RECENT_KEY = "recent_databases"
LAST_KEY = "last_database"
RECENT_MAX = 8
DB_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "台账数据库 (*.db)"))
ROLE_NAMES = {"district": QT_TRANSLATE_NOOP("DatabaseMenu", "区创建办"),
              "office": QT_TRANSLATE_NOOP("DatabaseMenu", "单位填报")}
_END_OF_DATABASES = "database-section-end"
translate = QCoreApplication.translate


class DatabaseRequests(QObject):
    """What the menus ask for; `app.views.app` connects the switching to it."""

    # asking window (or None), file path or URL, create a new file, a note to show after
    open_requested = Signal(object, str, bool, str)
    opened = Signal(object)  # the window now showing the database


requests = DatabaseRequests()


# ---------------------------------------------------------------- the recent list

def database_key(target: str | Path) -> str:
    """The form stored in the recent list: an absolute path, or the URL as given."""
    text = str(target)
    return text if "://" in text else str(Path(text).expanduser().resolve())


def recent_databases() -> list[str]:
    """Most recent first; files that no longer exist are dropped."""
    raw = QSettings().value(RECENT_KEY, "[]", str) or "[]"
    try:
        items = [str(x) for x in json.loads(str(raw)) if isinstance(x, str)]
    except ValueError:
        items = []
    return [x for x in items if "://" in x or Path(x).is_file()]


def remember_database(target: str | Path) -> None:
    """Put a database first in the recent list and make it the one the next start opens."""
    key = database_key(target)
    items = [key, *[x for x in recent_databases() if x != key]][:RECENT_MAX]
    settings = QSettings()
    settings.setValue(RECENT_KEY, json.dumps(items, ensure_ascii=False))
    settings.setValue(LAST_KEY, key)


def _role_key(target: str | Path) -> str:
    return "database-role/" + hashlib.sha1(database_key(target).encode("utf-8")).hexdigest()[:16]


def remember_role(target: str | Path, role: str) -> None:
    """Which window a database opened in ("district" or "office"): the next start paints
    that window's shell before the database is open (`app.views.app.run_gui`)."""
    QSettings().setValue(_role_key(target), role)


def remembered_role(target: str | Path) -> str | None:
    return str(QSettings().value(_role_key(target), "", str) or "") or None


def clear_recent() -> None:
    QSettings().setValue(RECENT_KEY, "[]")


def last_database() -> str | None:
    last = str(QSettings().value(LAST_KEY, "", str) or "")
    return last if last and ("://" in last or Path(last).is_file()) else None


# ---------------------------------------------------------------- titles

def role_name(role: str) -> str:
    return translate("DatabaseMenu", str(ROLE_NAMES.get(role, ROLE_NAMES["district"])))


def database_name(db: Database) -> str:
    """The file name of a SQLite database, else its location without password."""
    from app.services.db import database_location

    location = database_location(db)
    return location if "://" in location else Path(location).name


def target_name(target: str) -> str:
    """`database_name` before the database is open: a file's name, a URL without password."""
    if "://" not in target:
        return Path(target).name
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", target)


def title_suffix(db: Database, role: str, example: bool = False) -> str:
    """'区创建办 · taizhang.db' (with '示例' for the example database) for window titles."""
    parts = [role_name(role)]
    if example:
        parts.append(translate("DatabaseMenu", "示例"))
    parts.append(database_name(db))
    return " · ".join(parts)


# ---------------------------------------------------------------- the menu

def request_open(origin: QWidget | None, target: str, *, create: bool = False,
                 note: str = "") -> None:
    requests.open_requested.emit(origin, target, create, note)


def choose_new_database(window: QWidget) -> None:
    path = dialogs.save_file(window, translate("DatabaseMenu", "新建数据库"), str(dialogs.start_folder("database")
                                                        / translate("DatabaseMenu", "台账.db")), DB_FILTER,
                             kind="database")
    if not path:
        return
    target = Path(path)
    if target.suffix.lower() != ".db":
        target = target.with_name(target.name + ".db")
    if target.exists():
        dialogs.show_info(window, translate("DatabaseMenu", "文件已存在:{0}\n请换一个文件名,或用“打开数据库…”打开它。")
                          .format(target))
        return
    request_open(window, str(target), create=True)


def choose_database(window: QWidget) -> None:
    path = dialogs.open_file(window, translate("DatabaseMenu", "打开数据库"), DB_FILTER, kind="database")
    if path:
        request_open(window, path)


def fill_recent_menu(menu: QMenu, window: QWidget, current: str | None) -> None:
    """Rebuilt each time it opens: the list may have changed in another window."""
    menu.clear()
    items = recent_databases()
    for i, key in enumerate(items, start=1):
        name = key if "://" in key else Path(key).name
        action = menu.addAction(f"&{i} {name}")
        action.setObjectName("recent-database")
        action.setToolTip(key)
        action.setStatusTip(key)
        action.setData(key)
        if key == current:
            action.setCheckable(True)
            action.setChecked(True)
            action.setEnabled(False)
        else:
            action.triggered.connect(lambda _c=False, k=key: request_open(window, k))
    if not items:
        menu.addAction(translate("DatabaseMenu", "(没有)")).setEnabled(False)
        return
    menu.addSeparator()
    menu.addAction(translate("DatabaseMenu", "清除列表")).triggered.connect(clear_recent)
    menu.setToolTipsVisible(True)


class FileMenu:
    """The database section of a window's 文件 menu (see the module docstring)."""

    def __init__(self, window: QMainWindow, menu: QMenu, db: Database) -> None:
        self.menu = menu
        from app.services.db import database_location

        current = database_key(database_location(db))
        self.new_action = QAction(translate("DatabaseMenu", "新建数据库…"), window)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(lambda: choose_new_database(window))
        self.open_action = QAction(translate("DatabaseMenu", "打开数据库…"), window)
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action.triggered.connect(lambda: choose_database(window))
        self.recent_menu = QMenu(translate("DatabaseMenu", "最近使用"), menu)
        self.recent_menu.aboutToShow.connect(
            lambda: fill_recent_menu(self.recent_menu, window, current))
        fill_recent_menu(self.recent_menu, window, current)
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        menu.addMenu(self.recent_menu)
        self.end = menu.addSeparator()
        self.end.setObjectName(_END_OF_DATABASES)


def install_file_menu(window: QMainWindow, menu: QMenu, db: Database) -> FileMenu:
    """Fill an empty 文件 menu's database section; the window adds its own actions after."""
    file_menu = FileMenu(window, menu, db)
    menu.setProperty("taizhang_file_menu", True)
    return file_menu


def add_database_action(menu: QMenu, action: QAction) -> None:
    """Add an action at the end of the database section (连接服务器…, 从备份恢复…)."""
    end: Any = next((a for a in menu.actions() if a.objectName() == _END_OF_DATABASES), None)
    if end is None:
        menu.addAction(action)
    else:
        menu.insertAction(end, action)
