"""What every page of the district window shares: the current database, plan and period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.changes import EVERYTHING, Changes

if TYPE_CHECKING:  # the district window's shell paints before SQLAlchemy is imported
    from app.services.db import Database
    from app.services.plans.query import PeriodInfo, PlanInfo


@dataclass
class Context:
    """The selection the top bar makes; pages read it, never change it."""

    db: Database
    plan: PlanInfo | None
    period: PeriodInfo | None


class Page(QWidget):
    """A page of the navigation; `title` is shown in the list on the left."""

    title = ""
    # the kinds of data the page shows: it reloads after a change of one of them only
    watches: ClassVar[Changes] = EVERYTHING
    # a short mark after the title in the navigation ("3": new returns waiting; "" none)
    badge_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: Context | None = None

    def set_context(self, context: Context) -> None:
        self.context = context
        self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows from the services."""
