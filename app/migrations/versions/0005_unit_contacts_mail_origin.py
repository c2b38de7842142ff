"""unit contacts (电话, 邮箱 beside 联系人) and the mail a returned packet came in

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('email', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('packet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_from', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('mail_date', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('mail_subject', sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+): a batch rebuild of `unit` would run
    # ON DELETE CASCADE on its children (see 0004)
    drops = (('packet', ('mail_subject', 'mail_date', 'mail_from')), ('unit', ('email', 'phone')))
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in drops:
            for column in columns:
                op.drop_column(table, column)
        return
    for table, columns in drops:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
