"""Retention in the store: delete (or strip the bodies of) articles stored before a cutoff, in short batches.

Each batch is one transaction of at most `batch_size` articles, oldest stored first, so a publishing worker
waits at most one batch (SQLite: the write lock between batches; PostgreSQL: row locks only on the batch's
rows, and rows a publish holds are skipped, not waited for). In the same transaction as the articles go:
their URLs, claims, embeddings, same-story links (both directions), their entries in the store-backed
duplicate index and the search index (search_index.py), the summaries' share, and the heads of the clusters that lost
members (Store.settle_head_in under the clusters' locks, taken before any row lock, as publishers take them).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, LargeBinary, Select, and_, bindparam, cast, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from workers.adapters import schema as t
from workers.adapters import search_index, summaries
from workers.adapters.dedupe_store import forget_articles
from workers.adapters.store import Store
from workers.core.prune import PruneTally, strip_body

_A = t.articles.c


@dataclass(frozen=True, slots=True)
class _Cursor:
    """Where the next batch starts: after this (stored_at, id), in the order batches walk the table."""

    stored_at: datetime
    id: str


class Pruner:
    """Runs one prune over a store: `run` in batches, or `plan` (the dry run: reads only)."""

    def __init__(self, store: Store, *, batch_size: int = 100, keep_metadata: bool = False) -> None:
        if batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.store, self.batch_size, self.keep_metadata = store, batch_size, keep_metadata
        self.postgres = store.dialect == "postgresql"
        self._settled: set[str] = set()  # clusters a batch re-settled (they had members left then)
        self._beheaded: set[str] = set()  # clusters whose head a batch deleted

    def run(self, cutoff: datetime, on_batch: Callable[[PruneTally, PruneTally], None] | None = None) -> PruneTally:
        """Prune every article stored before `cutoff`; `on_batch(batch, total)` after each committed batch.

        A batch counts the clusters it re-settled; the total counts each cluster once, as it stands at the end
        (a cluster's old members often span two batches: its head may move twice on the way)."""
        total, cursor = PruneTally(), None
        self._settled, self._beheaded = set(), set()
        while True:
            started = time.monotonic()
            with self.store.engine.begin() as conn:
                done = self._strip_batch(conn, cutoff, cursor) if self.keep_metadata else \
                    self._delete_batch(conn, cutoff, cursor)
            if done is None:
                total.clusters_touched, total.heads_moved = self._clusters_left()
                return total
            batch, cursor = done
            batch.seconds = time.monotonic() - started
            total.add(batch)
            if on_batch:
                on_batch(batch, total)

    def _clusters_left(self) -> tuple[int, int]:
        """(clusters that lost members and have some left, those of them whose head was pruned), counted now."""
        alive: set[str] = set()
        settled = sorted(self._settled)
        with self.store.engine.connect() as conn:
            for i in range(0, len(settled), 500):
                alive.update(conn.execute(select(_A.cluster_id).distinct()
                                          .where(_A.cluster_id.in_(settled[i:i + 500]))).scalars())
        return len(alive), len(alive & self._beheaded)

    def _candidates(self, cutoff: datetime, cursor: _Cursor | None) -> Select[Any]:
        """The next batch's ids, oldest stored first, a keyset (never an offset) walked backwards along the
        listing's index (stored_at DESC, id): ties on stored_at go by id descending, so no sort is needed."""
        query = select(_A.id, _A.cluster_id, _A.stored_at).where(_A.stored_at < cutoff)
        if cursor:
            query = query.where(_A.stored_at >= cursor.stored_at,
                                or_(_A.stored_at > cursor.stored_at, _A.id < cursor.id))
        if self.keep_metadata:
            query = query.where(_not_stripped())
        return query.order_by(_A.stored_at, _A.id.desc()).limit(self.batch_size)

    def _lock_rows(self, conn: Connection, ids: Sequence[str], cutoff: datetime,
                   *columns: ColumnElement[Any]) -> Sequence[Any]:
        """The batch's rows, still old, locked; PostgreSQL skips rows a publish holds (the next run gets them)."""
        query = select(_A.id, _A.cluster_id, _A.duplicate_of, *columns).where(_A.id.in_(ids), _A.stored_at < cutoff)
        if self.postgres:
            query = query.with_for_update(of=t.articles, skip_locked=True)
        return conn.execute(query).all()

    def _delete_batch(self, conn: Connection, cutoff: datetime,
                      cursor: _Cursor | None) -> tuple[PruneTally, _Cursor] | None:
        found = conn.execute(self._candidates(cutoff, cursor)).all()
        if not found:
            return None
        clusters = {r.cluster_id for r in found if r.cluster_id}
        self.store.lock_clusters(conn, clusters)  # before any row lock: a publisher's settle_head takes them so
        rows = self._lock_rows(conn, [r.id for r in found], cutoff, _A.source, _A.stored_at, _A.published_at,
                               self._size().label("size"))
        ids = [r.id for r in rows]
        batch = PruneTally(deleted=len(ids), skipped_busy=len(found) - len(ids),
                           bytes_freed=sum(r.size or 0 for r in rows))
        if ids:
            search_index.remove(conn, ids)
            _delete_dependents(conn, ids)
            conn.execute(delete(t.articles).where(_A.id.in_(ids)))
            summaries.articles_removed(conn, [{"id": r.id, "source": r.source, "cluster_id": r.cluster_id,
                                     "stored_at": r.stored_at, "published_at": r.published_at} for r in rows])
            heads_gone = {r.cluster_id for r in rows if r.cluster_id and r.duplicate_of is None}
            # most pruned articles are clusters of their own, gone whole: only those with members left settle
            left = conn.execute(select(_A.cluster_id).distinct()
                                .where(_A.cluster_id.in_({r.cluster_id for r in rows if r.cluster_id}))).scalars()
            for cluster_id in sorted(left):
                self.store.settle_head_in(conn, cluster_id)
                batch.clusters_touched += 1
                batch.heads_moved += cluster_id in heads_gone
                self._settled.add(cluster_id)
            self._beheaded |= heads_gone
        return batch, _Cursor(found[-1].stored_at, found[-1].id)

    def _strip_batch(self, conn: Connection, cutoff: datetime,
                     cursor: _Cursor | None) -> tuple[PruneTally, _Cursor] | None:
        found = conn.execute(self._candidates(cutoff, cursor)).all()
        if not found:
            return None
        rows = self._lock_rows(conn, [r.id for r in found], cutoff, _A.data, self._size().label("size"))
        batch = PruneTally(stripped=len(rows), skipped_busy=len(found) - len(rows))
        if rows:
            ids = [r.id for r in rows]
            search_index.remove(conn, ids)  # before the text changes: SQLite's entries are named by their terms
            conn.execute(update(t.articles).where(_A.id == bindparam("row_id")).values(data=bindparam("new_data")),
                         [{"row_id": r.id, "new_data": strip_body(r.data)} for r in rows])
            search_index.reindex(conn, ids)  # the title only, from now on
            after = conn.execute(select(func.sum(self._size())).where(_A.id.in_(ids))).scalar() or 0
            batch.bytes_freed = max(0, sum(r.size or 0 for r in rows) - int(after))
        return batch, _Cursor(found[-1].stored_at, found[-1].id)

    def _size(self) -> ColumnElement[int]:
        """Bytes a row's JSON takes (PostgreSQL: as stored, after compression, with its search vector)."""
        if self.postgres:
            return func.coalesce(func.pg_column_size(_A.data), 0) + func.coalesce(func.pg_column_size(_A.search), 0)
        return func.coalesce(func.length(cast(_A.data, LargeBinary)), 0)

    def plan(self, cutoff: datetime) -> PruneTally:
        """The dry run: what `run` would do now, from reads only (no lock, no write)."""
        old = _A.stored_at < cutoff
        if self.keep_metadata:
            old = and_(old, _not_stripped())
        survivors = select(_A.cluster_id).where(_A.stored_at >= cutoff, _A.cluster_id.is_not(None))
        with self.store.engine.connect() as conn:
            count, size = conn.execute(select(func.count(), func.sum(self._size())).where(old)).one()
            tally = PruneTally(dry_run=True, bytes_freed=int(size or 0) if not self.keep_metadata else 0)
            if self.keep_metadata:
                tally.stripped = count
                return tally
            tally.deleted = count
            touched = and_(old, _A.cluster_id.in_(survivors))
            tally.clusters_touched = conn.execute(select(func.count(_A.cluster_id.distinct()))
                                                  .where(touched)).scalar_one()
            tally.heads_moved = conn.execute(select(func.count())
                                             .where(touched, _A.duplicate_of.is_(None))).scalar_one()
        return tally


def _not_stripped() -> ColumnElement[bool]:
    """Rows that still carry a body (a stripped row's is ''): a second strip run skips what the first did."""
    return _A.data["body"].as_string() != ""


def _delete_dependents(conn: Connection, ids: Sequence[str]) -> None:
    """Every row that names these articles, each by an index on the article's id."""
    conn.execute(delete(t.article_urls).where(t.article_urls.c.article_id.in_(ids)))
    conn.execute(delete(t.article_claims).where(t.article_claims.c.article_id.in_(ids)))
    conn.execute(delete(t.article_embeddings).where(t.article_embeddings.c.article_id.in_(ids)))
    links = t.same_story_links.c
    # links are stored both ways: the other ends found through this side, so each delete uses the primary key
    others = list(conn.execute(select(links.other_id).where(links.article_id.in_(ids)).distinct()).scalars())
    conn.execute(delete(t.same_story_links).where(links.article_id.in_(ids)))
    for i in range(0, len(others), 500):
        conn.execute(delete(t.same_story_links).where(links.article_id.in_(others[i:i + 500]),
                                                      links.other_id.in_(ids)))
    forget_articles(conn, ids)

