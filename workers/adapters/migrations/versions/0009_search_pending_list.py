"""The search index takes new entries through a small pending list (issue 15, publish flat to 10M)

With fastupdate off, each publish inserted its ~130 terms one by one into the GIN index: a descent per term,
~330-390 buffer touches per article, and more of them read from disk as the index outgrows memory (publish
p95 2.7 ms at 10k, 4.1 ms at 3M). With fastupdate on, a publish appends its entries to the pending list
(about ten index touches at 10k, 22 at 10M, against 558 without it), and whoever fills the list past its
limit merges it into the index in one sorted pass, where a common word's posting tree is descended once for
some sixty articles instead of once per article. The limit is kept small (schema.SEARCH_PENDING_LIST_KB),
since every search reads the whole pending list: 256 kB is about sixty articles' entries.

Only the index's storage parameters change (no rebuild, a brief lock). Downgrade turns fastupdate off and
merges what is pending (turning it off does not do that by itself).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:10:00
"""
from alembic import op

from workers.adapters import search_index

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INDEX = search_index.PG_INDEX


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX IF EXISTS {INDEX} SET ({search_index.PG_INDEX_OPTIONS})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX IF EXISTS {INDEX} SET (fastupdate = off)")
        op.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (gin_pending_list_limit)")
        op.execute(f"SELECT gin_clean_pending_list(to_regclass('{INDEX}'))")  # strict: NULL when absent
