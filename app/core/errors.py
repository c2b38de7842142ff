"""The one exception type users see; anything else is a bug and is logged."""

from __future__ import annotations


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
        where = "".join(p for p in (self.sheet and f"[{self.sheet}]", self.cell) if p)
        return f"{where} {self.message}".strip() if where else self.message
