"""article data stored as UTF-8 JSON (JSONB on PostgreSQL) (issue 15, item 5)

Every JSON column was written by json.dumps' defaults: each Arabic letter a six-byte \\uXXXX escape where
UTF-8 needs two. PostgreSQL: the columns become JSONB, which keeps the parsed value (UTF-8 strings), one
ALTER TABLE per table (one rewrite of it, under its exclusive lock: see the timings in the issue's note);
text JSONB cannot hold (a \\u0000 escape, a lone surrogate's) becomes U+FFFD, as schema.dumps_json writes
it from now on. SQLite: the rows are re-serialised by dumps_json in rowid order, BATCH at a time, only
those whose text changes (json() would keep the escapes); the same U+FFFD rule. Values read back are the
same dicts: key order, numbers and nesting as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:10:00
"""
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from workers.adapters.schema import dumps_json

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 2000
COLUMNS = {
    "articles": ["data"],
    "sources": ["last_error", "recent_errors"],
    "jobs": ["last_error", "args"],
    "failures": ["args"],
    "workers": ["current"],
}

# json → jsonb, and where the cast refuses a row (\u0000, a lone surrogate's escape) the same row with those
# escapes as \ufffd: only such rows pay for the regular expressions. An escape is one when an even run of
# backslashes precedes it (else it is the text "\u0000" itself, written as "\\u0000").
_TO_JSONB = r"""
CREATE FUNCTION pg_temp.akhbar_jsonb(value json) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    fixed text;
BEGIN
    RETURN value::jsonb;
EXCEPTION WHEN untranslatable_character OR invalid_text_representation OR invalid_parameter_value THEN
    fixed := regexp_replace(value::text, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\ufffd', 'g');
    fixed := regexp_replace(fixed, '(?<!\\)((?:\\\\)*)\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])',
                            '\1\\ufffd', 'g');
    fixed := regexp_replace(fixed, '(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)((?:\\\\)*)\\u[dD][c-fC-F][0-9a-fA-F]{2}',
                            '\1\\ufffd', 'g');
    RETURN fixed::jsonb;
END $$
"""


def _postgresql(to: str) -> None:
    # each ALTER rewrites its table and rebuilds its indexes (the GIN search index too): give those more memory
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    if to == "jsonb":
        op.execute(_TO_JSONB)
    for table, columns in COLUMNS.items():
        how = ", ".join(f"ALTER COLUMN {c} TYPE {to} USING "
                        + (f"pg_temp.akhbar_jsonb({c})" if to == "jsonb" else f"{c}::json") for c in columns)
        op.execute(f"ALTER TABLE {table} {how}")
    if to == "jsonb":
        op.execute("DROP FUNCTION pg_temp.akhbar_jsonb(json)")
    # A column whose type changed has lost its statistics, and 0006's search column never had any: without
    # them a one-word search planned a bitmap scan of the whole GIN posting list (3.5 s at 1M articles, 40 ms
    # after ANALYZE). A sample of each table, seconds even at millions of rows.
    op.execute(f"ANALYZE {', '.join(COLUMNS)}")


def _sqlite(dumps: Callable[[Any], str], stale: Callable[[str], bool]) -> None:
    """Rewrite each JSON value `stale` picks as `dumps` writes it, BATCH rows at a time in rowid order."""
    conn = op.get_bind()
    for table, columns in COLUMNS.items():
        names = ", ".join(columns)
        last = -1
        while True:
            rows = conn.execute(sa.text(f"SELECT rowid, {names} FROM {table} WHERE rowid > :last "
                                        "ORDER BY rowid LIMIT :n"), {"last": last, "n": BATCH}).all()
            if not rows:
                break
            last = rows[-1][0]
            for at, column in enumerate(columns, 1):
                changed = [{"rowid": row[0], "value": dumps(json.loads(row[at]))}
                           for row in rows if row[at] is not None and stale(row[at])]
                if changed:
                    conn.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :rowid"), changed)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql("jsonb")
    else:
        _sqlite(dumps_json, lambda text: "\\u" in text)  # without an escape it is what dumps_json writes


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql("json")
    else:
        _sqlite(json.dumps, lambda text: not text.isascii())  # escaped again, as revision 0007 wrote it
