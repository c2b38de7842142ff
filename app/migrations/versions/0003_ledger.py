"""台账: approvals (审核), close-outs (销号), kind and 说明 of audit rows

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
    op.create_table(
        'approval',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('approved_at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['period.id'],
                                name=op.f('fk_approval_period_id_period'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'],
                                name=op.f('fk_approval_unit_id_unit'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_approval')),
        sa.UniqueConstraint('unit_id', 'period_id', name=op.f('uq_approval_unit_id_period_id')),
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_period_id'), ['period_id'], unique=False)
    op.create_table(
        'close_out',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id'],
                                name=op.f('fk_close_out_task_id_task'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'],
                                name=op.f('fk_close_out_unit_id_unit'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_close_out')),
        sa.UniqueConstraint('task_id', 'unit_id', name=op.f('uq_close_out_task_id_unit_id')),
    )
    with op.batch_alter_table('close_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_close_out_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_close_out_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    op.drop_table('close_out')
    op.drop_table('approval')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('kind')
