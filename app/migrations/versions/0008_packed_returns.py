"""packet.first_targets, packet.packed: a merged return's values and first values, packed

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # rows merged before keep their layout in `rows` (read as well)
    with op.batch_alter_table("packet") as batch:
        batch.add_column(sa.Column("first_targets", sa.Text(), nullable=True))
        batch.add_column(sa.Column("packed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # an older version reads only `rows`: unpack into it what it would have held

    conn = op.get_bind()
    packet = sa.table("packet", sa.column("id", sa.String), sa.column("rows", sa.JSON),
                      sa.column("packed", sa.LargeBinary))
    for pid, packed in conn.execute(sa.select(packet.c.id, packet.c.packed)
                                    .where(packet.c.packed.is_not(None))).all():
        conn.execute(packet.update().where(packet.c.id == pid)
                     .values(rows=_older_rows(_document(_inflate(packed)))))
    with op.batch_alter_table("packet") as batch:
        batch.drop_column("packed")
        batch.drop_column("first_targets")


def _inflate(packed: bytes) -> bytes:
    """The packed lines: version 4 keeps the return's line and the rows' lines in two zlib
    streams, one after the other; versions 2 and 3 in one."""
    import zlib

    stream = zlib.decompressobj()
    data = stream.decompress(packed)
    if stream.unused_data:
        rows = zlib.decompress(stream.unused_data)
        return data + b"\n" + rows if rows else data
    return data


def _document(data: bytes) -> dict[str, Any]:
    """The packed document: one JSON line for the return, then one per row (versions 3, 4);
    version 2 was one object with the rows inside."""
    import json

    head, *lines = data.split(b"\n")
    doc = json.loads(head)
    if "rows" not in doc:
        doc["rows"] = [json.loads(line) for line in lines]
    return doc


def _older_rows(doc: dict[str, Any]) -> dict[str, Any]:
    """The 0007 layout of `rows` (row key → values, "@first" keyed by row key)."""
    fields = doc["fields"]
    rows = {key: dict(zip(fields[key[:2]], values, strict=True)) if isinstance(values, list) else values
            for key, values in doc["rows"]}
    first = doc.get("first")
    if first:
        by_key = {}
        for item in first["created"]:
            at, target_id, sheet_at, number = item[:4]
            key = doc["rows"][at][0]
            entity = "progress" if key.startswith("T:") else "indicator_value"
            if len(item) > 4:
                cells = item[4]
            else:
                layout = first["columns"][sheet_at]
                cells = [[f, f"{layout.get(f, '')}{number}"] for f in fields[key[:2]]
                         if rows[key].get(f) not in (None, "")]
            by_key[key] = [entity, target_id, first["sheets"][sheet_at], cells]
        rows["@first"] = {"actor": first["actor"], "by_key": by_key}
    return rows
