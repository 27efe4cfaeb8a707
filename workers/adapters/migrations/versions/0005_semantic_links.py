"""semantic stage: headline vectors and "likely the same story" links, apart from the cluster columns

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:10:00
"""
from alembic import op
import sqlalchemy as sa

from workers.adapters.schema import UTCDateTime


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_embeddings',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_article_embeddings')),
    sa.UniqueConstraint('article_id', name=op.f('uq_article_embeddings_article_id'))
    )
    with op.batch_alter_table('article_embeddings', schema=None) as batch_op:
        batch_op.create_index('ix_article_embeddings_model_at', ['model', 'at'], unique=False)
    op.create_table('same_story_links',
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('other_id', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('article_id', 'other_id', name=op.f('pk_same_story_links'))
    )


def downgrade() -> None:
    op.drop_table('same_story_links')
    with op.batch_alter_table('article_embeddings', schema=None) as batch_op:
        batch_op.drop_index('ix_article_embeddings_model_at')
    op.drop_table('article_embeddings')
