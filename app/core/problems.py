"""One `Problem`: something wrong in a file or an entry, located for a person.

Plan import, the packet reader, the merge and the office form all report problems the same
way: where (file, sheet, cell; or the form field), how bad (`severity`) and a plain Chinese
message. A location reads the same everywhere: ``文件名 [工作表]单元格`` (`location`), the
form the error dialogs also use.
"""

from __future__ import annotations

from dataclasses import dataclass

# error: not taken (the import stops, the packet is refused, the value is not stored);
# warning: taken, or the item ignored safely; info: for the record
SEVERITIES = ("error", "warning", "info")


def location(sheet: str | None = "", cell: str | None = "", file: str | None = "") -> str:
    """'a.xlsx [任务进展]G5'; any part may be missing ('[任务进展]', 'G5', '')."""
    place = f"[{sheet}]{cell or ''}" if sheet else (cell or "")
    return " ".join(p for p in (file or "", place) if p)


@dataclass(frozen=True)
class Problem:
    sheet: str = ""
    cell: str = ""
    message: str = ""
    severity: str = "error"  # one of SEVERITIES
    key: str | None = None  # the packet row it concerns (T:uid / I:uid)
    field: str | None = None  # the input field it concerns (status, percent…)
    file: str = ""  # the file's name, where the problem list spans several files

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} not in {SEVERITIES}")

    @property
    def where(self) -> str:
        return location(self.sheet, self.cell, self.file)

    @property
    def text(self) -> str:
        """One line for a person: location, then the message."""
        return f"{self.where} {self.message}".strip()

    @property
    def blocking(self) -> bool:
        """The value or file was not taken."""
        return self.severity == "error"

    def as_json(self) -> dict[str, str]:
        """The documented JSON keys (merge --json errors): sheet, cell, message."""
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}
