"""article data stored as UTF-8 JSON (JSONB on PostgreSQL) (issue 15, item 5)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:10:00
"""
from alembic import op  # noqa: F401


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
