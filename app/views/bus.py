"""One application-wide signal telling views that data changed (Anki's OpChanges idea).

``run_op`` emits ``changed`` with the ``changes`` of a result that carries them; code that
calls a writing service on the GUI thread emits what that service says it changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.changes import Changes

__all__ = ["Bus", "Changes", "bus"]


class Bus(QObject):
    changed = Signal(object)  # app.core.changes.Changes
    database_opened = Signal(object)  # the Database handle


bus = Bus()
