"""names, codes and indicator units as Text; receipt.state long enough for returned_for_fix

PostgreSQL enforces VARCHAR lengths: a 16-character receipt state or a long indicator 单位
from a plan workbook failed there. SQLite never enforces them (VARCHAR(n) has TEXT
affinity), and rebuilding a parent table such as `unit` there would run ON DELETE CASCADE
on its children, so SQLite files keep their declared types untouched.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# table → [(column, old type, new type)]
CHANGES: dict[str, list[tuple[str, sa.types.TypeEngine, sa.types.TypeEngine]]] = {
    "unit": [("name", sa.String(200), sa.Text())],
    "unit_alias": [("alias", sa.String(200), sa.Text())],
    "section": [("code", sa.String(32), sa.Text())],
    "task": [("code", sa.String(32), sa.Text())],
    "indicator": [("code", sa.String(32), sa.Text()), ("unit", sa.String(50), sa.Text()),
                  ("attribute", sa.String(10), sa.Text())],
    "receipt": [("state", sa.String(12), sa.String(20))],
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in CHANGES.items():
        with op.batch_alter_table(table) as batch:
            for name, old, new in columns:
                batch.alter_column(name, existing_type=old, type_=new)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in CHANGES.items():
        with op.batch_alter_table(table) as batch:
            for name, old, new in columns:
                batch.alter_column(name, existing_type=new, type_=old)
