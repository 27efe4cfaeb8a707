"""The articles' full-text index: a tsvector column with a GIN index on PostgreSQL, FTS5 on SQLite.

Both hold workers.core.search_terms' stemmed terms of the title and the first 4000 characters of the body,
the same terms a query is parsed into; neither keeps a second copy of the text (the row's JSON is the only
one: snippets are cut from it, in Python, for the page of results).

PostgreSQL: `articles.search tsvector` = to_tsvector('simple', terms), filled by the row's own INSERT or
UPDATE (row_values), indexed by GIN ix_articles_search. 'simple' only splits and lower-cases, which is all
that is left to do over terms already folded and stemmed. The bundled 'arabic' configuration (Snowball's
light stemmer) was measured against it (bench/search_quality.py, 21 labelled queries): over our terms it
finds the same (recall 1.00, precision 1.00 both) and merges none of our stems, and alone it misses forms
ours joins (recall 0.79: «والمفاوضات» → «والمفاوضا»). 'simple' keeps one stemmer for both stores and
queries, and a Snowball change in a PostgreSQL upgrade cannot part stored vectors from new queries.

SQLite: a contentless FTS5 table `article_search` (content='': the index only, no stored text) whose rowid
is a document number in `search_docs` (doc → article_id). The articles table has no INTEGER PRIMARY KEY,
so its own rowid may change on VACUUM or a table rebuild (Alembic's batch migrations rebuild it): the doc
number is ours and stays. The bundled SQLite (3.40) has no contentless_delete (3.43+), so an entry is
deleted with FTS5's 'delete' command, which must be given exactly the terms it was indexed with: they are
computed again from the row, and search_docs.terms_hash says whether they still are the ones indexed.
When they are not (the row changed first, or the stemmer did), the old postings cannot be named: the doc
is dropped from search_docs so nothing finds it any more (its postings stay as unreachable bytes). To leave
none, change an article's text between remove() and reindex().
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    column,
    delete,
    func,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.engine import Connection

from workers.adapters import schema as t
from workers.core.search_terms import SearchQuery, document_terms

CONFIG = "simple"
FTS = "article_search"
PG_INDEX = "ix_articles_search"


# fastupdate on, with a small pending list (migration 0009): a publish appends its entries to the list (the index
# touched ~10 times a publish at 10k articles, 22 at 10M), where inserting each term into the index itself touched
# it 330-390 times at 10k and 558 at 10M; about every sixty articles one publish merges the list in one sorted
# pass. Every search reads the whole list, hence 256 kB (schema.SEARCH_PENDING_LIST_KB), not the 4 MB default
# (with which a rare word took 10 ms instead of 1 ms at 10k articles, and the planner, costing the list, chose a
# sequential scan).
PG_INDEX_OPTIONS = f"fastupdate = on, gin_pending_list_limit = {t.SEARCH_PENDING_LIST_KB}"


def pg_index_ddl(concurrently: bool) -> str:
    """The GIN index over articles.search, with its storage parameters."""
    return (f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}IF NOT EXISTS {PG_INDEX} "
            f"ON articles USING gin (search) WITH ({PG_INDEX_OPTIONS})")


_A = t.articles

# SQLite only (PostgreSQL keeps the vector on the row); created by migration 0006.
search_docs = Table(
    "search_docs", MetaData(),
    Column("doc", Integer, primary_key=True),
    Column("article_id", String(32), nullable=False, unique=True),
    Column("terms_hash", Integer, nullable=False),
)
# the FTS5 table as a FROM: its rowid, its one column, and `rank` (bm25(), lower is better)
_fts = table(FTS, column("rowid"), column("terms"), column("rank"))


def _config() -> ColumnElement[Any]:
    return literal_column(f"'{CONFIG}'::regconfig")


def vector(terms: str | ColumnElement[Any]) -> ColumnElement[Any]:
    """to_tsvector over terms (a bound value or an expression): PostgreSQL."""
    value = terms if isinstance(terms, ColumnElement) else bindparam(None, terms)
    return func.to_tsvector(_config(), value)


def _hash(terms: str) -> int:
    return int.from_bytes(hashlib.blake2b(terms.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def row_values(dialect: str, title: str, body: str) -> dict[str, Any]:
    """Columns of an article row for the index, to go into its INSERT or UPDATE (PostgreSQL's vector)."""
    if dialect != "postgresql":
        return {}
    return {"search": vector(document_terms(title, body))}


def add(conn: Connection, article_id: str, title: str, body: str) -> None:
    """Index an article just inserted, or updated after remove() (SQLite; PostgreSQL's is in the row)."""
    if conn.dialect.name == "postgresql":
        return
    terms = document_terms(title, body)
    doc = conn.execute(_ADD_DOC, {"article_id": article_id, "terms_hash": _hash(terms)}).scalar_one()
    conn.exec_driver_sql(f"INSERT INTO {FTS}(rowid, terms) VALUES (?, ?)", (doc, terms))


# one publish's statement, compiled once (search_docs.insert() was built and compiled for each)
_ADD_DOC = text("INSERT INTO search_docs (article_id, terms_hash) VALUES (:article_id, :terms_hash) RETURNING doc")


def add_many(conn: Connection, articles: Sequence[tuple[str, str, str]]) -> None:
    """Index many (article_id, title, body) at once: bulk loads and backfills. On PostgreSQL one UPDATE."""
    if not articles:
        return
    terms = [document_terms(title, body) for _, title, body in articles]
    if conn.dialect.name == "postgresql":
        conn.execute(text("UPDATE articles AS a SET search = to_tsvector(CAST(:config AS regconfig), v.terms) "
                          "FROM unnest(CAST(:ids AS text[]), CAST(:terms AS text[])) AS v(id, terms) "
                          "WHERE a.id = v.id"),
                     {"config": CONFIG, "ids": [a[0] for a in articles], "terms": terms})
        return
    add_terms(conn, [(a[0], x) for a, x in zip(articles, terms, strict=True)])


def add_terms(conn: Connection, items: Sequence[tuple[str, str]]) -> None:
    """SQLite: index (article_id, document_terms) pairs already computed (a bulk load makes them in parallel)."""
    if not items:
        return
    # doc numbers follow the highest so far (the caller holds SQLite's write lock: no one else takes them)
    first = (conn.execute(select(func.max(search_docs.c.doc))).scalar() or 0) + 1
    docs = range(first, first + len(items))
    conn.execute(search_docs.insert(), [{"doc": d, "article_id": i[0], "terms_hash": _hash(i[1])}
                                        for d, i in zip(docs, items, strict=True)])
    conn.exec_driver_sql(f"INSERT INTO {FTS}(rowid, terms) VALUES (?, ?)",
                         [(d, i[1]) for d, i in zip(docs, items, strict=True)])


def tsvector_text(terms: str) -> str:
    """The text form of to_tsvector('simple', terms), for bulk loads by COPY (bench/store_scale.py): each
    term with its word positions (1-based, at most 16383, 256 per term, as PostgreSQL keeps them)."""
    positions: dict[str, list[int]] = {}
    for n, term in enumerate(terms.split(), 1):
        if len(term.encode("utf-8")) < 2048:  # longer words PostgreSQL does not index
            positions.setdefault(term, []).append(min(n, 16383))
    lexemes = []
    for term, found in sorted(positions.items(), key=lambda kv: kv[0].encode("utf-8")):
        quoted = term.replace("\\", "\\\\").replace("'", "''")
        lexemes.append(f"'{quoted}':" + ",".join(map(str, sorted(set(found))[:256])))
    return " ".join(lexemes)


def remove(conn: Connection, article_ids: Sequence[str]) -> None:
    """Drop the index entries of these articles, before their rows are deleted or their text changes.

    PostgreSQL: nothing to do (the vector goes with the row). SQLite: see the module docstring.
    """
    if conn.dialect.name == "postgresql" or not article_ids:
        return
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i:i + 500])
        rows = conn.execute(select(search_docs.c.doc, search_docs.c.terms_hash, _A.c.title, _A.c.data)
                            .join(_A, _A.c.id == search_docs.c.article_id, isouter=True)
                            .where(search_docs.c.article_id.in_(chunk))).all()
        for row in rows:
            terms = document_terms(row.title or "", (row.data or {}).get("body") or "")
            if row.title is not None and _hash(terms) == row.terms_hash:
                conn.exec_driver_sql(f"INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', ?, ?)",
                                     (row.doc, terms))
        conn.execute(delete(search_docs).where(search_docs.c.article_id.in_(chunk)))


def reindex(conn: Connection, article_ids: Sequence[str]) -> None:
    """Recompute these articles' entries from their current rows (e.g. after their bodies were stripped)."""
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i:i + 500])
        rows = conn.execute(select(_A.c.id, _A.c.title, _A.c.data).where(_A.c.id.in_(chunk))).all()
        if conn.dialect.name == "postgresql":
            if rows:
                conn.execute(update(_A).where(_A.c.id == bindparam("row_id"))
                             .values(search=vector(bindparam("terms"))),
                             [{"row_id": r.id, "terms": document_terms(r.title, r.data.get("body") or "")}
                              for r in rows])
            continue
        remove(conn, chunk)
        for row in rows:
            add(conn, row.id, row.title, row.data.get("body") or "")


# Relevance ranks the newest this many matches (filters applied): ranking reads each candidate's whole
# vector (PostgreSQL detoasts it; ~30 µs a row), so a word in every article would cost the archive's size.
# Rare words have fewer matches and are ranked in full; for a common one it is the best of the latest.
RANK_CANDIDATES = 1000


def match(query: Select[Any], search: SearchQuery, dialect: str, by_relevance: bool,
          time_order: Sequence[ColumnElement[Any]]) -> Select[Any]:
    """Restrict a select over articles (its filters already in its WHERE) to those matching the search:
    newest first (time_order), or best first among the newest RANK_CANDIDATES matches."""
    filters = query.whereclause
    if dialect == "postgresql":
        wanted = _tsquery(search)
        matches = _A.c.search.op("@@")(wanted)
        if not by_relevance:
            return query.where(matches).order_by(None).order_by(*time_order)
        newest = select(_A.c.id).where(matches, *([filters] if filters is not None else []))
        newest = newest.order_by(*time_order).limit(RANK_CANDIDATES).correlate(None)
        return (query.where(_A.c.id.in_(newest)).order_by(None)
                .order_by(func.ts_rank_cd(_A.c.search, wanted).desc(), *time_order))
    fts_match = _fts.c.terms.op("MATCH")(bindparam("fts_match", search.fts5()))
    if not by_relevance:
        return (query.join(search_docs, search_docs.c.article_id == _A.c.id)
                .join(_fts, _fts.c.rowid == search_docs.c.doc).where(fts_match)
                .order_by(None).order_by(*time_order))
    # doc numbers grow as articles are indexed: the highest are the newest, read from FTS5 in rowid order
    ranked = (select(search_docs.c.article_id, _fts.c.rank.label("score"))
              .select_from(_fts.join(search_docs, search_docs.c.doc == _fts.c.rowid)
                           .join(_A, _A.c.id == search_docs.c.article_id))
              .where(fts_match, *([filters] if filters is not None else []))
              .order_by(_fts.c.rowid.desc()).limit(RANK_CANDIDATES).correlate(None).subquery("ranked"))
    return (query.join(ranked, ranked.c.article_id == _A.c.id).order_by(None)
            .order_by(ranked.c.score, *time_order))


def _tsquery(search: SearchQuery) -> ColumnElement[Any]:
    """Every word and phrase ANDed; each term a bound value read by plainto/phraseto_tsquery, so no user
    text is ever tsquery syntax."""
    parts: list[ColumnElement[Any]] = [func.plainto_tsquery(_config(), bindparam(None, w)) for w in search.words]
    parts += [func.phraseto_tsquery(_config(), bindparam(None, " ".join(p))) for p in search.phrases]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined
