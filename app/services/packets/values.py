"""Reported field values between three forms: packet values, database columns and text.

The input rules (``normalise_value``: what a clerk may type, in a cell or the office
form) live here too, shared by the packet reader, the office form and the merge.

Packets carry JSON-friendly values (``app.services.packets.format``: status code, percent
float, ISO date string, text); the database holds a ``date`` for ``completed_on``; the
audit log and the conflict queue store text. Merging compares packet-form values, so
"60" and 60.0, None and "" compare the way a person would expect.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from itertools import repeat
from typing import Any

from app.core.text import BIDI_CONTROLS, ZERO_WIDTH, has_bidi_control, strip_zero_width
from app.core.vocab import FIELD_LABELS, STATUS_BY_LABEL, STATUS_LABELS, STATUSES
from app.services.packets.format import (
    DATE_MAX,
    DATE_MIN,
    INPUT_HEADERS,
    MULTILINE_FIELDS,
    TASK_INPUT_FIELDS,
    TEXT_LIMITS,
    empty_indicator_values,
    empty_task_values,
)

NULLABLE = frozenset({"status", "percent", "completed_on"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NEWLINE = re.compile(r"[\r\n\t]")
_PHONE = re.compile(r"^[0-9+\-()()\s转,,、/—–]+$")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# anything the text rules below act on (control characters and line breaks, bidi controls,
# zero-width characters): a text without any is only stripped and measured
_SUSPECT = re.compile(f"[\x00-\x1f\x7f\ufffe\uffff{BIDI_CONTROLS}{ZERO_WIDTH}]")
_FULLWIDTH_DIGITS = str.maketrans("0123456789.%-+", "0123456789.%-+")


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


def _date_column(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def _percent_column(value: Any) -> Any:
    return None if value is None or value == "" else float(value)


def _status_column(value: Any) -> Any:
    return value or None


def _text_column(value: Any) -> str:
    return value if type(value) is str else "" if value is None else str(value)


# field → how its packet-form value is stored (a text column for any other field)
_COLUMN: dict[str, Callable[[Any], Any]] = {
    "completed_on": _date_column, "percent": _percent_column, "status": _status_column}


def column_of(field: str) -> Callable[[Any], Any]:
    """``to_column`` for one field, looked up once (a merge converts 200 rows × 8 fields
    a packet)."""
    return _COLUMN.get(field, _text_column)


def to_column(field: str, value: Any) -> Any:
    """A packet-form value as the database column wants it."""
    return _COLUMN.get(field, _text_column)(value)


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


def entry_values(entry: Any | None) -> dict[str, Any]:
    """A progress entry (ORM row, or None) as packet values."""
    if entry is None:
        return empty_task_values()
    return {f: to_packet(f, getattr(entry, f)) for f in TASK_INPUT_FIELDS}


def indicator_values(value: Any | None) -> dict[str, Any]:
    """An indicator value (ORM row, or None) as packet values."""
    if value is None:
        return empty_indicator_values()
    return {"value": value.value or "", "note": value.note or ""}


# ---------------------------------------------------------------- input rules

def number_text(value: float) -> str:
    """95.0 → '95', 12.5 → '12.5' (how a number read from a cell is kept as text)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def parse_number(raw: Any) -> float | None:
    """A number from a cell or a form: 60, '60', '60%', '60'; None if not a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        text = raw.translate(_FULLWIDTH_DIGITS).strip().rstrip("%").replace(",", "").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def parse_date(raw: Any) -> dt.date | None:
    """A date from a cell or a form: date/datetime, '2021-06-30', '2021/6/30', '2021年6月30日'."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        m = _DATE_TEXT.match(raw.translate(_FULLWIDTH_DIGITS))
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def parse_status(raw: Any) -> str | None:
    """'推进中' or 'in_progress' → 'in_progress'; None if not a status."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text in STATUS_BY_LABEL:
        return STATUS_BY_LABEL[text]
    if text in STATUSES:
        return text
    return None


def check_text(name: str, text: str) -> str | None:
    """Message if `text` is not acceptable for field `name` (control characters, bidi
    controls that reorder what is printed, length)."""
    if _CONTROL.search(text):
        return f"{INPUT_HEADERS.get(name, name)}含有不可见的控制字符,请删除后重新填写。"
    if has_bidi_control(text):
        return (f"{INPUT_HEADERS.get(name, name)}含有改变文字方向的隐藏字符(如 U+202E),"
                "打印时会显示成别的内容,请删除后重新填写。")
    if name not in MULTILINE_FIELDS and _NEWLINE.search(text):
        return f"{INPUT_HEADERS.get(name, name)}不能换行。"
    return check_length(name, text)


def check_length(name: str, text: str) -> str | None:
    """Message if `text` is longer than field `name` allows."""
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        return f"{INPUT_HEADERS.get(name, name)}最多 {limit} 字(现 {len(text)} 字)。"
    return None


def check_phone(text: str) -> str | None:
    if not text:
        return None
    if not _PHONE.match(text) or sum(ch.isdigit() for ch in text) < 7:
        return "联系电话格式不对,请填写手机号或带区号的固话(如 0519-12345678)。"
    return None


def empty_value(name: str) -> str | None:
    """What an empty input gives for field `name`: None where empty means "not reported"
    (status, percent, completion date), "" for the texts."""
    return None if name in NULLABLE else ""


def normalise_value(name: str, raw: Any, *, numeric: bool = False) -> tuple[Any, str | None]:
    """(JSON-friendly value, problem message or None) for input field `name`.

    Shared by the packet reader (cells) and the office save (form values) so both
    accept and refuse the same things. Empty input gives the field's empty value. A
    `numeric` indicator's value must be a number and is kept as its plain text ('95').
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return empty_value(name), None
    if type(raw) is str and name not in NULLABLE and not _SUSPECT.search(raw):
        # the usual typed text: nothing invisible, no control character or line break, so
        # of the rules below only stripping, the length and the phone/number forms apply
        return _checked_text(name, raw.strip("\r\n ") if name in MULTILINE_FIELDS
                             else raw.strip(), check_length, numeric)
    label = INPUT_HEADERS.get(name, name)
    if name == "status":
        code = parse_status(raw)
        if code is None:
            return None, f"{label}只能是:{'、'.join(STATUS_LABELS.values())}。"
        return code, None
    if name == "percent":
        number = parse_number(raw)
        if number is None:
            return None, f"{label}须为 0–100 的数字。"
        if not 0 <= number <= 100:
            return None, f"{label}须在 0–100 之间(填的是 {number_text(number)})。"
        return number, None
    if name == "completed_on":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return None, f"{label}不是日期,请按 2021-06-30 的格式填写。"
        day = parse_date(raw)
        if day is None:
            return None, f"{label}不是日期,请按 2021-06-30 的格式填写。"
        if not DATE_MIN <= day <= DATE_MAX:
            return None, f"{label}超出合理范围(2000–2099 年)。"
        return day.isoformat(), None
    # text fields
    if isinstance(raw, bool):
        text = "是" if raw else "否"
    elif isinstance(raw, float | int):
        text = number_text(float(raw))
    elif isinstance(raw, dt.datetime):
        text = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    elif isinstance(raw, dt.time | dt.timedelta):
        text = str(raw)
    else:
        text = str(raw)
    text = strip_zero_width(text)  # invisible, and would make equal-looking texts differ
    text = text.strip() if name not in MULTILINE_FIELDS else text.strip("\r\n ")
    return _checked_text(name, text, check_text, numeric)


def plain_column(name: str, raws: list[Any]) -> list[Any] | None:
    """`normalise_value(name, raw)` of every cell of a column at once where that is plain
    (`plain_texts`, `plain_percents`): the values, none refused; None otherwise (then each
    cell goes through `normalise_value`)."""
    if name == "percent":
        return plain_percents(raws)
    return plain_texts(name, raws)


def plain_percents(raws: list[Any]) -> list[float | None] | None:
    """`normalise_value("percent", raw)` of a column of numbers from 0 to 100 and empty
    cells: each number as a float, an empty cell None. None for any other column (a text,
    a number out of range or not finite: the comparisons are false for NaN)."""
    kinds = set(map(type, raws))
    numbers = [r for r in raws if r != ""] if str in kinds else raws
    if not numbers or not set(map(type, numbers)) <= {float, int}:
        return None
    if not all(map(_HUNDRED.__ge__, numbers)) or not all(map(_ZERO.__le__, numbers)):
        return None
    if len(numbers) == len(raws):
        return list(map(float, raws))
    return [None if type(r) is str else float(r) for r in raws]


_ZERO = 0.0
_HUNDRED = 100.0


def plain_texts(name: str, raws: list[Any]) -> list[str] | None:
    """`normalise_value(name, raw)` of every cell of a text column at once, for the usual
    column: every cell text (or empty) that the plain-text shortcut takes whole — nothing
    invisible, no control character or line break (one search over the column's texts
    joined: a character is in the joined text exactly when it is in one of them) — and
    none longer than the field allows. The values, none of them refused; None for any
    other column (a status, a percent, a date, a phone number, a cell that is not text, a
    text the rules act on or refuse): then each cell goes through `normalise_value`."""
    if name in NULLABLE or name == "phone" or not raws or set(map(type, raws)) != {str}:
        return None
    if _SUSPECT.search("".join(raws)):
        return None
    stripped = list(map(str.strip, raws))
    if name in MULTILINE_FIELDS:
        # (no line break is left in these texts: stripping "\r\n " strips the spaces)
        values = list(map(str.strip, raws, repeat(" ")))
        if "" in stripped:  # blank by any whitespace: the field's empty value
            values = [v if s else "" for v, s in zip(values, stripped, strict=True)]
    else:
        values = stripped
    limit = TEXT_LIMITS.get(name)
    if limit is not None and max(map(len, values)) > limit:
        return None
    return values


def _checked_text(name: str, text: str, check: Callable[[str, str], str | None],
                  numeric: bool) -> tuple[str, str | None]:
    """The end of `normalise_value` for a text field, `check` being the text rules that
    can apply to `text`."""
    problem = check(name, text)
    if problem is None and name == "phone":
        problem = check_phone(text)
    if problem is not None:
        return "", problem
    if numeric and name == "value" and text:
        number = parse_number(text)
        if number is None:
            return "", f"此指标须填写数字(填的是“{text[:20]}”)。"
        text = number_text(number)
    return text, None
