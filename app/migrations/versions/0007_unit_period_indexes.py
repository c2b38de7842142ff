"""(unit_id, period_id) indexes on progress_entry, indicator_value and packet

A merge reads one unit's rows of one period several times per packet; the unit_id index
alone made each read walk every period of that unit (3 ms a query at 1,000 returns). The
two-column index serves the unit_id-only lookups (and ON DELETE CASCADE) as well, so it
replaces that index rather than adding one more to every insert.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("progress_entry", "indicator_value", "packet")


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_unit_id", table_name=table)
        op.create_index(f"ix_{table}_unit_id_period_id", table, ["unit_id", "period_id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_unit_id_period_id", table_name=table)
        op.create_index(f"ix_{table}_unit_id", table, ["unit_id"])
