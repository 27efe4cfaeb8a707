"""console telemetry: fleet-wide metric counters, the job each worker process is running

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 13:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('metric_counters',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('labels', sa.String(length=500), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'labels', name=op.f('pk_metric_counters'))
    )
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current', sa.JSON(), nullable=True))
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_state_updated', ['state', 'updated_at'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_at'))
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_state_updated')
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_column('current')
    op.drop_table('metric_counters')
