"""The packet workbook format (version 1): sheet names, columns, manifest fields, limits.

Everything the writer, the reader, the office app and the district merge must agree on
lives here (the input rules that apply the limits: ``values.normalise_value``);
docs/packet-format.md describes the same thing for people.

Values travel as JSON-friendly Python values in both directions (``PacketRow.values``):

* task rows ("T:<task uid>"): ``status`` (code from ``app.core.vocab.STATUSES`` or None),
  ``percent`` (float 0–100 or None), ``progress``/``problems``/``next_steps``/
  ``responsible``/``phone`` (str, "" when empty), ``completed_on`` (ISO "YYYY-MM-DD" or None);
* indicator rows ("I:<indicator uid>"): ``value`` (str as reported, numbers normalised:
  95.0 → "95"), ``note`` (str).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.core import clock
from app.core.vocab import FIELD_LABELS, ROLE_LABELS

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
    # office exports: sha256 of the files this export continues, newest first — its own
    # earlier exports of the packet, then the packet file the office opened ("made from
    # the issued packet", or from a hand-filled return it was given back); None = not
    # recorded (issued, hand-filled, older versions). Not sealed: a forged list cannot name
    # a later genuine export.
    lineage: tuple[str, ...] | None = None

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
    # the manifest's text of `fixed` when it is the canonical JSON (its hash matched): the
    # seal is checked over these bytes instead of encoding `fixed` again
    fixed_json: bytes | None = field(default=None, repr=False, compare=False)

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


def fixed_cell_text(value: Any) -> str:
    """What a fixed cell shows for a fixed value (lists joined with 、); the writer writes
    it and the reader compares against it, so both must use this one rule."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


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
        "seal": m.seal, "format_version": m.format_version, "app_version": m.app_version,
        "lineage": list(m.lineage) if m.lineage is not None else None}


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
        app_version=d.get("app_version", ""),
        lineage=tuple(d["lineage"]) if d.get("lineage") is not None else None)
