"""Reported field values: validating what comes back in a workbook, and their text form.

A returned workbook is untrusted input typed by hand in Excel or WPS, so every value is
checked again here (status from the list, percent 0–100, real dates, sane lengths, no
control characters) whatever the packet's data validation said. The text form is what
the audit log and conflict queue store, and ``from_text`` turns it back into a column
value when a person takes the returned value of a conflict.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from app.vocab import FIELD_LABELS, STATUS_BY_LABEL, STATUS_LABELS, STATUSES

# longest text accepted per field (characters); a packet is a monthly report, not a book
MAX_LENGTH = {
    "progress": 4000, "problems": 4000, "next_steps": 4000, "responsible": 100,
    "phone": 60, "value": 500, "note": 2000, "status": 20, "percent": 20, "completed_on": 40,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class FieldError(ValueError):
    """A value that cannot be stored; the message is plain Chinese for the user."""


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _text(field: str, raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raise FieldError(f"{label(field)}应为文字,不是逻辑值。")
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            raise FieldError(f"{label(field)}不是有效数值。")
        text = str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else f"{raw:.15g}"
    elif isinstance(raw, dt.datetime):
        text = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise FieldError(f"{label(field)}含有不可见的控制字符,请删除后重新填写。")
    text = text.strip()
    limit = MAX_LENGTH.get(field, 4000)
    if len(text) > limit:
        raise FieldError(f"{label(field)}过长({len(text)} 字,最多 {limit} 字)。")
    return text


def parse_status(raw: Any) -> str | None:
    text = _text("status", raw)
    if not text:
        return None
    if text in STATUS_BY_LABEL:
        return STATUS_BY_LABEL[text]
    if text in STATUSES:
        return text
    choices = "、".join(STATUS_LABELS.values())
    raise FieldError(f"进展状态“{text}”不在可选范围内(可选:{choices})。")


def parse_percent(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise FieldError("完成进度应为 0 到 100 之间的数字。")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = _text("percent", raw).removesuffix("%").removesuffix("%").strip()
        try:
            value = float(text)
        except ValueError:
            raise FieldError(f"完成进度“{text}”不是数字,应填 0 到 100 之间的数字。") from None
    if math.isnan(value) or not 0 <= value <= 100:
        raise FieldError(f"完成进度 {value:g} 超出范围,应在 0 到 100 之间。")
    return round(value, 4)


def parse_date(raw: Any) -> dt.date | None:
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise FieldError("完成日期不是有效日期。")
    if isinstance(raw, int | float):
        # a date cell whose format was lost comes back as Excel's day number
        if 1 <= raw < 2958466 and float(raw).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise FieldError(f"完成日期 {raw} 不是有效日期。")
    text = _text("completed_on", raw)
    if not text:
        return None
    m = _DATE_TEXT.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise FieldError(f"完成日期“{text}”不是有效日期,请按 2021-06-30 的格式填写。")


def parse_field(field: str, raw: Any) -> Any:
    """The column value for a raw cell value; raises FieldError with a Chinese message."""
    if field == "status":
        return parse_status(raw)
    if field == "percent":
        return parse_percent(raw)
    if field == "completed_on":
        return parse_date(raw)
    return _text(field, raw)


def to_text(value: Any) -> str | None:
    """How a column value is written in the audit log and conflict queue."""
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_text(field: str, text: str | None) -> Any:
    """Inverse of ``to_text`` for one field (for taking a queued value)."""
    if field == "percent":
        return float(text) if text else None
    if field == "completed_on":
        return None if not text else dt.date.fromisoformat(text)
    if field == "status":
        return text or None
    return text or ""


def display(field: str, text: str | None) -> str:
    """What a person reads for a stored text value (status label instead of its code)."""
    if text is None or text == "":
        return ""
    if field == "status":
        return STATUS_LABELS.get(text, text)
    return text


def same(field: str, a: Any, b: Any) -> bool:
    """Equal as stored values ('' and None are the same empty text; 60 and 60.0 too)."""
    return to_text(_norm(field, a)) == to_text(_norm(field, b))


def _norm(field: str, value: Any) -> Any:
    if field in ("percent",) and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if field not in ("status", "percent", "completed_on") and value is None:
        return ""
    if value == "":
        return None if field in ("status", "percent", "completed_on") else ""
    return value
