"""What an operation changed (Anki's ``OpChanges`` idea): services that write return it,
``run_op`` hands it to the one application signal, and each page reloads only when a
kind of data it shows is among the changes."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Changes:
    """Kinds of data an operation wrote (a page's ``watches`` uses the same flags)."""

    plans: bool = False  # the plan list, a plan's tasks, indicators, periods or settings
    units: bool = False  # units and their matching names
    progress: bool = False  # what units reported: progress entries and indicator values
    packets: bool = False  # the packet ledger: files issued and returns recorded
    receipts: bool = False  # 收件登记: who returned what, when
    conflicts: bool = False  # fields both sides changed, waiting for a person
    audit: bool = False  # the audit log (日志)
    flags: bool = False  # correction requests on cells
    note: str = ""  # what happened, for logs and tests; never decides anything

    def kinds(self) -> frozenset[str]:
        """The names of the flags set."""
        return frozenset(f.name for f in fields(self)
                         if f.name != "note" and getattr(self, f.name))

    def __bool__(self) -> bool:
        return bool(self.kinds())

    def __or__(self, other: Changes) -> Changes:
        """Both operations' changes (the note of the first that has one)."""
        return replace(self, note=self.note or other.note,
                       **{kind: True for kind in other.kinds()})

    def touches(self, watched: Changes) -> bool:
        """Whether any kind changed here is one `watched` names."""
        return bool(self.kinds() & watched.kinds())


NOTHING = Changes()
EVERYTHING = Changes(plans=True, units=True, progress=True, packets=True, receipts=True,
                     conflicts=True, audit=True, flags=True)
