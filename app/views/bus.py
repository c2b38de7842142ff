"""One application-wide signal telling views that data changed (Anki's OpChanges idea)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so views refresh only what they show."""

    plans: bool = False
    progress: bool = False
    packets: bool = False
    units: bool = False
    note: str = ""
    extra: frozenset[str] = field(default_factory=frozenset)


class Bus(QObject):
    changed = Signal(object)  # Changes
    database_opened = Signal(object)  # the Database handle


bus = Bus()
