"""Reported field values between three forms: packet values, database columns and text.

Packets carry JSON-friendly values (``app.services.packets.format``: status code, percent
float, ISO date string, text); the database holds a ``date`` for ``completed_on``; the
audit log and the conflict queue store text. Merging compares packet-form values, so
"60" and 60.0, None and "" compare the way a person would expect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.core.vocab import FIELD_LABELS, STATUS_LABELS

NULLABLE = frozenset({"status", "percent", "completed_on"})


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def to_packet(field: str, value: Any) -> Any:
    """A database column value in packet form."""
    if field == "completed_on":
        return value.isoformat() if isinstance(value, dt.date) else (value or None)
    if field == "percent":
        return None if value is None or value == "" else float(value)
    if field == "status":
        return value or None
    return "" if value is None else str(value)


def to_column(field: str, value: Any) -> Any:
    """A packet-form value as the database column wants it."""
    if field == "completed_on":
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(value) if value else None
    if field == "percent":
        return None if value is None or value == "" else float(value)
    if field == "status":
        return value or None
    return "" if value is None else str(value)


def to_text(value: Any) -> str | None:
    """How a value is written in the audit log and the conflict queue (None stays None)."""
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_text(field: str, text: str | None) -> Any:
    """Inverse of ``to_text`` into a database column value (taking a queued value)."""
    if field in NULLABLE and not text:
        return None
    if field == "percent":
        return float(text)  # type: ignore[arg-type]
    return to_column(field, text)


def percent_from_cell(raw: Any, percent_format: bool) -> Any:
    """What the clerk saw in a 完成进度 cell: Excel and LibreOffice store a typed "60%" as
    0.6 with a percent number format, so a number in such a cell is multiplied by 100."""
    if percent_format and isinstance(raw, int | float) and not isinstance(raw, bool):
        return round(float(raw) * 100, 9)
    return raw


def fraction_warning(percent: Any, previous: Any) -> str | None:
    """A reminder when 完成进度 looks like a fraction (0.6) of a percentage the unit
    already reported above 1 (previous period 40): probably "60%" lost its format."""
    try:
        value = None if percent is None or percent == "" else float(percent)
        before = None if previous is None or previous == "" else float(previous)
    except (TypeError, ValueError):
        return None
    if value is None or before is None or not 0 < value <= 1 or before <= 1:
        return None
    shown = f"{value * 100:.10g}"
    return (f"完成进度填的是 {value:g},上期是 {before:g}:如果是指 {shown}%,"
            f"请填写 {shown}。")


def same(field: str, a: Any, b: Any) -> bool:
    """Equal as reported values: '' and None are both empty; 60 and 60.0 are one number."""
    return _key(field, a) == _key(field, b)


def _key(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field == "percent" or isinstance(value, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return str(int(number)) if number.is_integer() else f"{number:.15g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(field: str, text: str | None) -> str:
    """What a person reads for a stored text value (the status label instead of its code)."""
    if not text:
        return ""
    if field == "status":
        return STATUS_LABELS.get(text, text)
    return text
