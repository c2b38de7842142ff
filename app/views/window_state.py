"""Each window remembers, per database, how it was left: size and place, splitters, the
page (or tab and task) and the period.

Stored in QSettings under "window-state/<digest of the database's location>/<role>", so a
district office with two databases (its own and the 示例) finds each as it left it, and
switching databases (文件 › 打开数据库…) brings each window back the same way. The last
period is restored only until the calendar moves on: when the period the program would
choose by itself (the next deadline, the newest packet) differs from the one it would have
chosen when the window was closed, the new one wins.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from app.views.widgets.page import Page

if TYPE_CHECKING:  # the district window's shell restores its size before the database opens
    from app.services.db import Database

GROUP = "window-state"


def database_key(db: Database | str) -> str:
    """A stable key for the database: its absolute file path, or its URL without password
    (`db` may be that location already: a file's path at start, before it is opened)."""
    if isinstance(db, str):
        location = db
    else:
        from app.services.db import database_location

        location = database_location(db)
    if location and "://" not in location:
        location = str(Path(location).resolve())
    return hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]


class WindowState(QObject):
    """Save and restore one window's state for one database."""

    def __init__(self, window: QMainWindow, db: Database | str, role: str) -> None:
        super().__init__(window)
        self.window = window
        self.prefix = f"{GROUP}/{database_key(db)}/{role}/"
        self._splitters_pending = False

    def _splitters(self) -> dict[str, QSplitter]:
        """Splitters named by the page (or window) that holds them and their order there,
        so that one page's changed layout never restores into another's splitter."""
        counts: dict[str, int] = {}
        named: dict[str, QSplitter] = {}
        for splitter in self.window.findChildren(QSplitter):
            owner: QWidget | None = splitter.parentWidget()
            while owner is not None and owner is not self.window and not isinstance(owner, Page):
                owner = owner.parentWidget()
            name = type(owner).__name__ if owner is not None else "window"
            index = counts.get(name, 0)
            counts[name] = index + 1
            named[f"{name}.{index}"] = splitter
        return named

    def value(self, name: str) -> str:
        return str(QSettings().value(self.prefix + name, "", str) or "")

    def restore_layout(self) -> bool:
        """Geometry now, splitters when the window is first shown (then every page has
        its real size, so the sizes come back as they were); False when this database has
        no saved state yet."""
        geometry = QSettings().value(self.prefix + "geometry")
        if not isinstance(geometry, QByteArray | bytes) or not geometry:
            return False
        self.window.restoreGeometry(QByteArray(geometry))
        self._splitters_pending = True
        self.window.installEventFilter(self)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            self.restore_splitters()
        return False

    def restore_splitters(self) -> None:
        if not self._splitters_pending:
            return
        self._splitters_pending = False
        self._restore_splitters("")

    def restore_page(self, page: Page) -> None:
        """A page built after the window was shown (pages are built when first visited)
        gets its splitters back as it was left."""
        if not self._splitters_pending:  # (else the window's first show restores them all)
            self._restore_splitters(type(page).__name__ + ".")

    def _restore_splitters(self, prefix: str) -> None:
        settings = QSettings()
        for name, splitter in self._splitters().items():
            if not name.startswith(prefix):
                continue
            state = settings.value(self.prefix + "splitters/" + name)
            if isinstance(state, QByteArray | bytes) and state:
                splitter.restoreState(QByteArray(state))

    def save(self, values: dict[str, str]) -> None:
        settings = QSettings()
        settings.setValue(self.prefix + "geometry", self.window.saveGeometry())
        # (a window closed before it was shown keeps the splitters it was given)
        for name, splitter in ({} if self._splitters_pending else self._splitters()).items():
            settings.setValue(self.prefix + "splitters/" + name, splitter.saveState())
        for name, value in values.items():
            settings.setValue(self.prefix + name, value)


def restored_period(state: WindowState, periods: list[str], default: str | None) -> str | None:
    """The period to open on: the saved one while the program's own choice is still the
    one it was when the window closed; else (or when the saved one is gone) `default`."""
    saved = state.value("period")
    if saved in periods and state.value("default_period") == (default or ""):
        return saved
    return default


__all__ = ["WindowState", "database_key", "restored_period"]
