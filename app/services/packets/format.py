"""The packet workbook format (version 1): sheet names, columns, manifest fields, value rules.

Everything the writer, the reader, the office app and the district merge must agree on
lives here; docs/packet-format.md describes the same thing for people.

Values travel as JSON-friendly Python values in both directions (``PacketRow.values``):

* task rows ("T:<task uid>"): ``status`` (code from ``app.core.vocab.STATUSES`` or None),
  ``percent`` (float 0–100 or None), ``progress``/``problems``/``next_steps``/
  ``responsible``/``phone`` (str, "" when empty), ``completed_on`` (ISO "YYYY-MM-DD" or None);
* indicator rows ("I:<indicator uid>"): ``value`` (str as reported, numbers normalised:
  95.0 → "95"), ``note`` (str).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from app.core import clock
from app.core.vocab import FIELD_LABELS, ROLE_LABELS, STATUS_BY_LABEL, STATUS_LABELS, STATUSES

FORMAT_NAME = "taizhang-packet"
FORMAT_VERSION = 1

SHEET_GUIDE = "填报说明"
SHEET_TASKS = "任务进展"
SHEET_INDICATORS = "指标填报"
SHEET_LISTS = "下拉选项"  # hidden: long dropdown lists referenced by defined names
SHEET_MANIFEST = "_taizhang"  # very hidden (comes back "hidden" after a LibreOffice save)

NAME_STATUS_LIST = "TZ_STATUS"  # defined name of the status dropdown list

DIRECTIONS = ("issued", "returned")
KINDS = ("normal", "correction")

TASK_PREFIX = "T:"
INDICATOR_PREFIX = "I:"

HEADER_ROW = 1  # 0-based: row 0 is the title, row 1 the column headers
FIRST_DATA_ROW = 2
KEY_HEADER = "行标识"  # hidden last column holding the row key
COMMENT_HEADER = "退回意见"  # correction packets only

# (field, header) in sheet order; fixed columns are locked, input columns unlocked.
TASK_FIXED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "序号"),
    ("section", "领域"),
    ("text", "任务内容"),
    ("role", "牵头/配合"),
    ("deadline", "完成时限"),
    ("target", "目标"),
)
TASK_INPUT_FIELDS: tuple[str, ...] = ("status", "percent", "progress", "problems", "next_steps",
                                      "responsible", "phone", "completed_on")
INDICATOR_FIXED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "序号"),
    ("name", "指标名称"),
    ("unit", "单位"),
    ("standard", "指标值"),
    ("attribute", "属性"),
    ("target", "目标值"),
    ("previous", "上期数值"),
)
INDICATOR_INPUT_FIELDS: tuple[str, ...] = ("value", "note")

INPUT_HEADERS: dict[str, str] = {f: FIELD_LABELS[f] for f in
                                 TASK_INPUT_FIELDS + INDICATOR_INPUT_FIELDS}

# Longest accepted text per field (characters); the writer puts the same limits in the
# cells' validation and the office save checks them.
TEXT_LIMITS: dict[str, int] = {
    "progress": 2000, "problems": 2000, "next_steps": 2000, "responsible": 50, "phone": 50,
    "value": 100, "note": 1000,
}
MULTILINE_FIELDS = frozenset({"progress", "problems", "next_steps", "note"})
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NEWLINE = re.compile(r"[\r\n\t]")
_PHONE = re.compile(r"^[0-9+\-()()\s转,,、/—–]+$")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_FULLWIDTH_DIGITS = str.maketrans("0123456789.%-+", "0123456789.%-+")


def task_key(uid: str) -> str:
    return TASK_PREFIX + uid


def indicator_key(uid: str) -> str:
    return INDICATOR_PREFIX + uid


def role_text(roles: list[str] | tuple[str, ...]) -> str:
    """('lead', 'implementing') → '牵头、落实' (what the 牵头/配合 column shows)."""
    return "、".join(ROLE_LABELS[r] for r in roles if r in ROLE_LABELS)


@dataclass(frozen=True)
class PlanMeta:
    """What an office needs to know about the plan (never the plan's secret)."""

    uid: str
    title: str
    issuer: str = ""
    office: str = ""  # who receives the returns, e.g. "天宁区创建办"
    frequency: str = "month"
    deadline_day: int = 5


@dataclass(frozen=True)
class Manifest:
    """The identity of one packet; stored on the very-hidden sheet ``_taizhang``.

    ``packet_id`` is random per issue (re-issuing creates a new one) and is kept by the
    returned packet; ``revision`` is 0 when issued and grows at every office export (a
    packet filled by hand in Excel/WPS comes back with direction "issued", revision 0).
    """

    packet_id: str
    plan: PlanMeta
    unit: str
    unit_kind: str
    period: str
    period_start: dt.date
    period_end: dt.date
    period_due: dt.date
    direction: str = "issued"
    kind: str = "normal"
    revision: int = 0
    issued_at: dt.datetime = field(default_factory=clock.local_now)  # microseconds order re-issues
    exported_at: dt.datetime | None = None
    seal: str = ""
    format_version: int = FORMAT_VERSION
    app_version: str = ""

    @property
    def plan_uid(self) -> str:
        return self.plan.uid


@dataclass
class PacketRow:
    """One task or indicator row of a packet.

    ``fixed`` is the sealed, locked content (also copied into the manifest so a reader
    can tell a modified fixed cell); ``values`` the input cells. ``editable`` is the set
    of input fields unlocked in a correction packet (None: all); ``comments`` field →
    退回意见. ``sheet``/``row``/``cells``/``percent_format`` are filled by the reader
    (1-based row, "H5").
    """

    key: str
    fixed: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    editable: frozenset[str] | None = None
    comments: dict[str, str] = field(default_factory=dict)
    sheet: str = ""
    row: int = 0
    cells: dict[str, str] = field(default_factory=dict)
    # 完成进度 was a number in a cell formatted as a percentage (read ×100: 0.6 → 60)
    percent_format: bool = False

    @property
    def is_task(self) -> bool:
        return self.key.startswith(TASK_PREFIX)

    @property
    def uid(self) -> str:
        return self.key[2:]

    @property
    def code(self) -> str:
        return str(self.fixed.get("code", ""))


def empty_task_values() -> dict[str, Any]:
    return {"status": None, "percent": None, "progress": "", "problems": "", "next_steps": "",
            "responsible": "", "phone": "", "completed_on": None}


def empty_indicator_values() -> dict[str, Any]:
    return {"value": "", "note": ""}


# ---------------------------------------------------------------- value rules

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
    """Message if `text` is not acceptable for field `name` (control characters, length)."""
    if _CONTROL.search(text):
        return f"{INPUT_HEADERS.get(name, name)}含有不可见的控制字符,请删除后重新填写。"
    if name not in MULTILINE_FIELDS and _NEWLINE.search(text):
        return f"{INPUT_HEADERS.get(name, name)}不能换行。"
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


def normalise_value(name: str, raw: Any) -> tuple[Any, str | None]:
    """(JSON-friendly value, problem message or None) for input field `name`.

    Shared by the packet reader (cells) and the office save (form values) so both
    accept and refuse the same things. Empty input gives the field's empty value.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (None if name in ("status", "percent", "completed_on") else ""), None
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
    text = text.strip() if name not in MULTILINE_FIELDS else text.strip("\r\n ")
    problem = check_text(name, text)
    if problem is None and name == "phone":
        problem = check_phone(text)
    if problem is not None:
        return "", problem
    return text, None


def manifest_to_dict(m: Manifest) -> dict[str, Any]:
    """JSON-friendly copy (the office database keeps the issued manifest this way)."""
    return {"packet_id": m.packet_id, "plan": {
        "uid": m.plan.uid, "title": m.plan.title, "issuer": m.plan.issuer,
        "office": m.plan.office, "frequency": m.plan.frequency,
        "deadline_day": m.plan.deadline_day},
        "unit": m.unit, "unit_kind": m.unit_kind, "period": m.period,
        "period_start": m.period_start.isoformat(), "period_end": m.period_end.isoformat(),
        "period_due": m.period_due.isoformat(), "direction": m.direction, "kind": m.kind,
        "revision": m.revision, "issued_at": m.issued_at.isoformat(timespec="microseconds"),
        "exported_at": m.exported_at.isoformat(timespec="microseconds") if m.exported_at else None,
        "seal": m.seal, "format_version": m.format_version, "app_version": m.app_version}


def manifest_from_dict(d: dict[str, Any]) -> Manifest:
    p = d["plan"]
    return Manifest(
        packet_id=d["packet_id"],
        plan=PlanMeta(uid=p["uid"], title=p["title"], issuer=p.get("issuer", ""),
                      office=p.get("office", ""), frequency=p.get("frequency", "month"),
                      deadline_day=int(p.get("deadline_day", 5))),
        unit=d["unit"], unit_kind=d.get("unit_kind", "department"), period=d["period"],
        period_start=dt.date.fromisoformat(d["period_start"]),
        period_end=dt.date.fromisoformat(d["period_end"]),
        period_due=dt.date.fromisoformat(d["period_due"]),
        direction=d.get("direction", "issued"), kind=d.get("kind", "normal"),
        revision=int(d.get("revision", 0)),
        issued_at=dt.datetime.fromisoformat(d["issued_at"]),
        exported_at=dt.datetime.fromisoformat(d["exported_at"]) if d.get("exported_at")
        else None,
        seal=d.get("seal", ""), format_version=int(d.get("format_version", FORMAT_VERSION)),
        app_version=d.get("app_version", ""))
