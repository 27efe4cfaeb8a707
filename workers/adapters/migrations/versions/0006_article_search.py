"""Arabic full-text search (issue 15, item 3): a tsvector + GIN on PostgreSQL, contentless FTS5 on SQLite,
filled from the existing rows in batches; the LIKE search's column (search_text, a second copy of the text)
is dropped.

Bounded on a 1M-row store: rows are read by id in batches of BATCH, their terms computed in Python (the
stemmer is workers/core/search_terms.py, the one publish uses) and written by search_index.add_many.
On PostgreSQL each batch commits on its own (autocommit block), so no lock is held for the whole backfill
and an interrupted run resumes where it stopped (rows whose vector is still NULL); the GIN index is built
after the backfill, CONCURRENTLY, so writers are never blocked by it. SQLite runs all of it in the caller's
one transaction (the store's write lock serialises it with the workers anyway).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 02:10:00
"""
import json
from typing import Any

from alembic import op
import sqlalchemy as sa

from workers.adapters import search_index


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 2000
INDEX = search_index.PG_INDEX


def _article(row: Any) -> tuple[str, str, str]:
    """(id, title, body) of a row read raw (JSON is text on SQLite)."""
    data = row.data if isinstance(row.data, dict) else json.loads(row.data)
    return row.id, row.title, data.get("body") or ""


def _batches(conn: sa.Connection, where: str) -> Any:
    """Rows (id, title, data) in id order, BATCH at a time; `where` is a fixed condition (no user text)."""
    last = ""
    while True:
        rows = conn.execute(sa.text(f"SELECT id, title, data FROM articles WHERE id > :last AND {where} "
                                    "ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _postgresql() -> None:
    op.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS search tsvector")
    with op.get_context().autocommit_block():
        conn = op.get_bind()
        for rows in _batches(conn, "search IS NULL"):
            search_index.add_many(conn, [_article(r) for r in rows])
        # a build interrupted earlier leaves an INVALID index of this name: drop it, build again
        invalid = conn.execute(sa.text("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                       "WHERE c.relname = :name AND NOT i.indisvalid "
                                       "AND pg_table_is_visible(c.oid)"), {"name": INDEX}).first()
        if invalid:
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        op.execute(search_index.pg_index_ddl(concurrently=True))
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_text")


def _sqlite() -> None:
    conn = op.get_bind()
    op.execute("ALTER TABLE articles ADD COLUMN search TEXT")  # NULL: SQLite's index is the FTS5 table
    op.execute("CREATE TABLE search_docs (doc INTEGER NOT NULL, article_id VARCHAR(32) NOT NULL, "
               "terms_hash INTEGER NOT NULL, CONSTRAINT pk_search_docs PRIMARY KEY (doc), "
               "CONSTRAINT uq_search_docs_article_id UNIQUE (article_id))")
    op.execute("CREATE VIRTUAL TABLE article_search USING fts5(terms, content='', "
               "tokenize='unicode61 remove_diacritics 0')")
    for rows in _batches(conn, "1 = 1"):
        search_index.add_many(conn, [_article(r) for r in rows])
    # native DROP COLUMN (3.35+) rewrites the rows in place, where Alembic's batch mode would copy the table
    op.execute("ALTER TABLE articles DROP COLUMN search_text")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def downgrade() -> None:
    from workers.core.arabic import normalize_arabic

    conn = op.get_bind()
    op.execute("ALTER TABLE articles ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
    for rows in _batches(conn, "1 = 1"):
        conn.execute(sa.text("UPDATE articles SET search_text = :text WHERE id = :id"),
                     [{"id": r.id, "text": normalize_arabic(
                         f"{r.title} {(r.data if isinstance(r.data, dict) else json.loads(r.data)).get('body', '')[:4000]}")}
                      for r in rows])
    if conn.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    else:
        op.execute("DROP TABLE article_search")
        op.execute("DROP TABLE search_docs")
    op.execute("ALTER TABLE articles DROP COLUMN search")
