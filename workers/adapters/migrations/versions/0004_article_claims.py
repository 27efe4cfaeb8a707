"""article claims: canonical URLs that pages on another site declared, kept as a duplicate signal

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 20:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_claims',
    sa.Column('url_hash', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('url_hash', 'article_id', name=op.f('pk_article_claims'))
    )


def downgrade() -> None:
    op.drop_table('article_claims')
