"""clusters and per-source counts kept as they change (issue 15, item 2)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 02:10:00
"""
from alembic import op  # noqa: F401


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
