"""The one exception type users see; anything else is a bug and is logged."""

from __future__ import annotations

from app.core.problems import location


class UserFacingError(Exception):
    """A problem the user can act on, with a plain Chinese message.

    `sheet` and `cell` locate the problem in a workbook when there is one.
    """

    def __init__(self, message: str, *, sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = location(self.sheet, self.cell)
        return f"{where} {self.message}" if where else self.message
