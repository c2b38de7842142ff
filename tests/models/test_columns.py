"""Every bounded string column is long enough for every value the program writes there.

PostgreSQL enforces VARCHAR lengths (SQLite does not): a value one character too long is
a crash on a server only. Free text (names, codes, units from a workbook) is `Text`; what
stays bounded is listed here with the vocabulary or format that fills it, so a new column
or a new code has to be checked against its length. tests/conftest.py also measures the
values every database-touching test actually wrote.
"""

from __future__ import annotations

from sqlalchemy import String, Text

from app.core import vocab
from app.models import Base

HEX_UID = "0" * 32  # uuid4().hex
SHA256 = "0" * 64
LEDGER_ID = "0" * 64  # "<packet uid>:<tag>:<revision>:<hash prefix>", capped at 64 by merge
FIELDS = (*vocab.PROGRESS_FIELDS, *vocab.INDICATOR_FIELDS)
# table.column → the values written there (the longest one must fit)
BOUNDED: dict[str, tuple[str, ...]] = {
    "plan.uid": (HEX_UID,),
    "plan.key": ("tianning", "zhonglou", "0" * 64),  # example keys, capped by their loader
    "plan.frequency": vocab.FREQUENCIES,
    "plan.secret": ("0" * 64,),
    "unit.kind": vocab.UNIT_KINDS,
    "task.uid": (HEX_UID,),
    "task.deadline": ("YYYY-MM-DD",),
    "assignment.role": vocab.ROLES,
    "indicator.uid": (HEX_UID,),
    "indicator.comparator": (">=", "<=", ">", "<", "="),
    "period.key": ("YYYY-MM", "YYYY-Q1", "YYYY-H1", "YYYY"),
    "progress_entry.status": vocab.STATUSES,
    "packet.id": (LEDGER_ID,),
    "packet.packet_uid": (HEX_UID,),
    "packet.direction": ("issued", "returned"),
    "packet.kind": ("normal", "correction"),
    "packet.file_hash": (SHA256,),
    "packet.outcome": ("issued", "applied", "rejected", "opened", "exported"),
    "audit_log.entity": ("progress", "indicator_value", "task", "indicator", "plan", "unit",
                         "section", "period", "assignment"),
    "audit_log.field": (*FIELDS, *(f"{f}:kept" for f in FIELDS), "imported"),
    "audit_log.packet_id": (LEDGER_ID,),
    "audit_log.file_hash": (SHA256,),
    "audit_log.cell": ("XFD1048576",),
    "audit_log.kind": ("", "district_edit", "approval", "close_out"),
    "conflict.entity": ("progress", "indicator_value"),
    "conflict.field": FIELDS,
    "conflict.cell": ("XFD1048576",),
    "conflict.status": tuple(vocab.CONFLICT_STATUS_LABELS),
    "flag.field": FIELDS,
    "flag.status": ("open", "closed"),
    "flag.packet_id": (LEDGER_ID,),
    "setting.key": ("actor", "role", "unit"),
    "receipt.state": ("issued", "accepted", "rejected", "returned_for_fix"),
    "receipt.packet_id": (LEDGER_ID,),
    "conflict.packet_id": (LEDGER_ID,),
    "indicator_value.packet_id": (LEDGER_ID,),
    "progress_entry.packet_id": (LEDGER_ID,),
}


def bounded_columns() -> dict[str, int]:
    out = {}
    for table in Base.metadata.tables.values():
        for col in table.columns:
            if isinstance(col.type, String) and not isinstance(col.type, Text):
                out[f"{table.name}.{col.name}"] = col.type.length or 0
    return out


def test_every_bounded_column_is_accounted_for() -> None:
    unknown = sorted(set(bounded_columns()) - set(BOUNDED))
    assert unknown == [], ("bounded string columns without a known vocabulary: use Text, or "
                           f"list what fills them in BOUNDED: {unknown}")


def test_every_value_fits_its_column() -> None:
    lengths = bounded_columns()
    too_long = {name: max(values, key=len) for name, values in BOUNDED.items()
                if name in lengths and max(len(v) for v in values) > lengths[name]}
    assert too_long == {}


def test_free_text_columns_are_unbounded() -> None:
    """What a plan workbook or a clerk supplies has no length a workbook would respect."""
    tables = Base.metadata.tables
    for name in ("unit.name", "unit_alias.alias", "section.code", "task.code", "indicator.code",
                 "indicator.unit", "indicator.attribute", "indicator.name", "task.text"):
        table, column = name.split(".")
        assert isinstance(tables[table].columns[column].type, Text), name
