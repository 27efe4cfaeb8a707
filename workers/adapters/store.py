"""The store: articles, source state, the job ledger, dead letters and fleet heartbeats (SQLAlchemy)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, case, create_engine, delete, event, func, or_, select, update
from sqlalchemy import text as sql
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError, NoResultFound

from workers.adapters import schema as t
from workers.adapters import search_index, summaries
from workers.core.clock import utcnow
from workers.core.clusters import Member, choose_head
from workers.core.cursor import Cursor, CursorError
from workers.core.cursor import decode as decode_cursor
from workers.core.cursor import encode as encode_cursor
from workers.core.models import Article, Source
from workers.core.rows import PublishResult
from workers.core.search_terms import document_terms, parse_query
from workers.core.text import clean_article, strip_invisible
from workers.core.urls import url_key


def make_engine(url: str) -> Engine:
    """One engine per process; SQLite gets WAL and a busy timeout so several worker processes can share it."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               json_serializer=t.dumps_json)  # UTF-8 JSON, not \uXXXX escapes

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: object) -> None:  # a sqlite3 connection
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # Take the write lock at BEGIN, so two processes never deadlock upgrading read locks.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # an AUTOCOMMIT connection manages its own transactions (the dedupe index does)
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_size=5, max_overflow=5, json_serializer=t.dumps_json)

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: object) -> None:
        # pool_pre_ping's check, only for a connection that sat idle: pinging every checkout cost each short
        # transaction (a publish) a round trip; a server restart is noticed by the first use after it instead
        # (its error invalidates the pool and the job is retried), or here after PING_IDLE seconds
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since > PING_IDLE:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as exc:  # the pool drops it and checks out another (SQLAlchemy's documented way)
                raise DisconnectionError() from exc

    return engine


PING_IDLE = 5.0  # seconds a pooled PostgreSQL connection may sit idle before its next checkout pings it


class Store:
    """Thin adapter over the tables in schema.py; every method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(make_engine(url))

    def migrate(self) -> None:
        from workers.adapters.migrate import upgrade

        upgrade(self.engine)

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # --- sources -------------------------------------------------------------------------------------

    def sync_sources(self, file_sources: Sequence[Source], now: datetime | None = None) -> None:
        """Make the store's file-origin sources match the sources file; runtime ones are kept."""
        now = now or utcnow()
        names = {s.name for s in file_sources}
        with self.engine.begin() as conn:
            existing = {r.name: r for r in conn.execute(select(t.sources))}
            for source in file_sources:
                values = {"url": source.url, "kind": source.kind, "interval": source.interval,
                          "timezone": source.timezone, "link_pattern": source.link_pattern,
                          "max_interval": source.max_interval}
                row = existing.get(source.name)
                if row is None:
                    conn.execute(t.sources.insert().values(
                        name=source.name, origin="file", enabled=source.enabled, state="ok",
                        next_due_at=now, consecutive_failures=0, created_at=now, **values))
                elif row.origin == "file":
                    if row.url != source.url:
                        values.update(etag=None, last_modified=None)
                    conn.execute(update(t.sources).where(t.sources.c.name == source.name).values(**values))
            stale = [n for n, r in existing.items() if r.origin == "file" and n not in names]
            if stale:
                conn.execute(delete(t.sources).where(t.sources.c.name.in_(stale)))

    def add_source(self, source: Source, now: datetime | None = None) -> None:
        """Store a runtime source; its name without invisible characters (ValueError if nothing is left)."""
        now = now or utcnow()
        # an operator reads and types this name: a hidden RLO or ZWSP would make it show as, or differ
        # from, another source's name
        name = " ".join(strip_invisible(source.name).split())
        if not name:
            raise ValueError(f"source name {source.name!r} has no visible characters")
        with self.engine.begin() as conn:
            conn.execute(t.sources.insert().values(
                name=name, url=source.url, kind=source.kind, interval=source.interval,
                timezone=source.timezone, link_pattern=source.link_pattern, max_interval=source.max_interval,
                origin="runtime", enabled=source.enabled, state="ok", next_due_at=now,
                consecutive_failures=0, created_at=now))

    def remove_source(self, name: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(delete(t.sources).where(t.sources.c.name == name)).rowcount > 0

    def set_source_enabled(self, name: str, enabled: bool, reason: str | None = None) -> bool:
        reason = _visible(reason)
        values: dict[str, Any] = {"enabled": enabled, "state": "ok" if enabled else "disabled",
                                  "disabled_reason": None if enabled else (reason or "disabled by operator")}
        if enabled:
            values.update(next_due_at=utcnow(), consecutive_failures=0)
        with self.engine.begin() as conn:
            return conn.execute(update(t.sources).where(t.sources.c.name == name).values(**values)).rowcount > 0

    def get_source(self, name: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.sources).where(t.sources.c.name == name)).mappings().first()
        return dict(row) if row else None

    def list_sources(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.sources).order_by(t.sources.c.name)).mappings().all()
        return [dict(r) for r in rows]

    def claim_due_sources(self, now: datetime, lease: timedelta, limit: int,
                          force: bool = False) -> list[dict[str, Any]]:
        """Pick due sources (index on enabled, next_due_at) and push their due time out by a lease.

        The lease stops the next tick queuing them again while their job runs; if the job is lost,
        the lease runs out and the source is due again: the queue heals itself.
        """
        cond: ColumnElement[bool] = t.sources.c.enabled.is_(True)
        if not force:
            cond = and_(cond, t.sources.c.next_due_at <= now)
        with self.engine.begin() as conn:
            rows = conn.execute(select(t.sources).where(cond).order_by(t.sources.c.next_due_at)
                                .limit(limit)).mappings().all()
            if rows:
                conn.execute(update(t.sources).where(t.sources.c.name.in_([r["name"] for r in rows]))
                             .values(next_due_at=now + lease))
        return [dict(r) for r in rows]

    def update_source(self, name: str, **values: Any) -> None:
        """Set columns of one source; a disable reason is stored without invisible characters."""
        if values.get("disabled_reason"):
            values["disabled_reason"] = _visible(values["disabled_reason"])
        with self.engine.begin() as conn:
            conn.execute(update(t.sources).where(t.sources.c.name == name).values(**values))

    def source_article_counts(self, since: datetime | None = None) -> dict[str, int]:
        """Articles per source, all or stored since a time, from the kept summaries (summaries.py)."""
        with self.engine.connect() as conn:
            return summaries.source_counts(conn, since)

    # --- articles ------------------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs already led to a stored article (the only meaning of "seen")."""
        keys = {url_key(u): u for u in urls}
        found: set[str] = set()
        items = list(keys)
        with self.engine.connect() as conn:
            for i in range(0, len(items), 500):
                chunk = items[i:i + 500]
                for (key,) in conn.execute(select(t.article_urls.c.url_hash)
                                           .where(t.article_urls.c.url_hash.in_(chunk))):
                    found.add(keys[key])
        return found

    def article_id_for_url(self, url: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.article_urls.c.article_id)
                                .where(t.article_urls.c.url_hash == url_key(url))).scalar()

    def claimed_article(self, url: str) -> dict[str, Any] | None:
        """The stored article a claimed canonical URL leads to ({id, cluster_id}), if any."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.id, t.articles.c.cluster_id, t.articles.c.duplicate_of)
                               .join(t.article_urls, t.article_urls.c.article_id == t.articles.c.id)
                               .where(t.article_urls.c.url_hash == url_key(url))).mappings().first()
        return dict(row) if row else None

    def first_claimant(self, urls: Iterable[str], exclude_id: str) -> dict[str, Any] | None:
        """The first-stored article ({id, cluster_id}) whose page claimed one of these URLs as its canonical."""
        keys = list({url_key(u) for u in urls if u})
        if not keys:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.id, t.articles.c.cluster_id)
                               .join(t.article_claims, t.article_claims.c.article_id == t.articles.c.id)
                               .where(t.article_claims.c.url_hash.in_(keys), t.articles.c.id != exclude_id)
                               .order_by(t.articles.c.stored_at, t.articles.c.id).limit(1)).mappings().first()
        return dict(row) if row else None

    def point_members_at(self, cluster_id: str, head_id: str) -> int:
        """Make head_id the cluster's head: every other member's duplicate_of points at it. Returns rows changed."""
        with self.engine.begin() as conn:
            return self._point_members_at(conn, cluster_id, head_id)

    def _point_members_at(self, conn: Connection, cluster_id: str, head_id: str) -> int:
        changed = conn.execute(update(t.articles)
                               .where(t.articles.c.cluster_id == cluster_id, t.articles.c.id != head_id,
                                      or_(t.articles.c.duplicate_of.is_(None), t.articles.c.duplicate_of != head_id))
                               .values(duplicate_of=head_id)).rowcount
        return changed + conn.execute(update(t.articles)
                                      .where(t.articles.c.id == head_id, t.articles.c.duplicate_of.is_not(None))
                                      .values(duplicate_of=None)).rowcount

    def settle_head(self, cluster_id: str) -> str | None:
        """Make the cluster's earliest-published member its head (workers/core/clusters.py); returns its id.

        Idempotent, and safe with workers settling the same cluster at once: on PostgreSQL a transaction
        lock per cluster (SQLite: the write lock taken at BEGIN) orders them, and each reads the members
        committed before it, so the last one to run, which follows every member's publish, sees them all.
        cluster_id itself never changes.
        """
        with self.engine.begin() as conn:
            return self.settle_head_in(conn, cluster_id)

    def lock_clusters(self, conn: Connection, cluster_ids: Iterable[str]) -> None:
        """Hold these clusters' head locks (PostgreSQL; SQLite's write lock covers them) until conn's transaction
        ends; re-entrant within it. Taken in key order, so two holders of several never wait on each other."""
        if self.dialect == "postgresql":
            keys = sorted({_lock_key(c) for c in cluster_ids})
            if keys:  # one round trip: unnest yields the sorted array in order, each lock taken as its row comes
                conn.execute(sql("SELECT count(pg_advisory_xact_lock(:space, k)) "
                                 "FROM unnest(CAST(:keys AS integer[])) AS k"), {"space": _CLUSTER_LOCKS, "keys": keys})

    def settle_head_in(self, conn: Connection, cluster_id: str) -> str | None:
        """settle_head inside a caller's transaction (retention settles the clusters it prunes in its batch)."""
        self.lock_clusters(conn, [cluster_id])
        # the members, and the head their cluster row names (each member's row names the same one)
        listed = select(t.clusters.c.head_id).where(t.clusters.c.cluster_id == cluster_id).scalar_subquery()
        rows = conn.execute(select(t.articles.c.id, t.articles.c.published_at, t.articles.c.stored_at,
                                   t.articles.c.duplicate_of, listed.label("listed_head"))
                            .where(t.articles.c.cluster_id == cluster_id)).all()
        if not rows:
            return None
        copies = self._members_that_claim_members(conn, cluster_id) if len(rows) > 1 else set()
        members = [Member(r.id, r.published_at, r.stored_at, r.id in copies) for r in rows]
        head = choose_head(members)
        assert head is not None
        stale = [r.id for r in rows if r.duplicate_of != (None if r.id == head else head)]
        if stale:  # one UPDATE of the rows read under the lock (a member stored since is settled after this)
            a = t.articles.c
            conn.execute(update(t.articles).where(a.id.in_(stale))
                         .values(duplicate_of=case((a.id == head, None), else_=head)))
        if rows[0].listed_head != head:  # read under the lock: a change after it is followed by its own settle
            summaries.head_settled(conn, cluster_id, head)
        return head

    def _members_that_claim_members(self, conn: Connection, cluster_id: str) -> set[str]:
        """Members whose page declared another member's URL as its canonical (an admitted copy)."""
        claimant = t.articles.alias("claimant")
        claimed = t.articles.alias("claimed")
        query = (select(t.article_claims.c.article_id)
                 .join(claimant, claimant.c.id == t.article_claims.c.article_id)
                 .join(t.article_urls, t.article_urls.c.url_hash == t.article_claims.c.url_hash)
                 .join(claimed, claimed.c.id == t.article_urls.c.article_id)
                 .where(claimant.c.cluster_id == cluster_id, claimed.c.cluster_id == cluster_id,
                        claimed.c.id != claimant.c.id))
        return set(conn.execute(query).scalars())

    def first_with_hash(self, content_hash: str, exclude_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.id, t.articles.c.cluster_id)
                               .where(t.articles.c.content_hash == content_hash, t.articles.c.id != exclude_id)
                               .order_by(t.articles.c.stored_at).limit(1)).mappings().first()
        return dict(row) if row else None

    def publish(self, article: Article, urls: Iterable[str] = ()) -> PublishResult:
        """Idempotent upsert by id: same content is a no-op, changed content raises the revision.

        The article, every URL that led to it and the outbox event commit together, so a URL is
        "seen" only once its article is safely stored. A claimed canonical (another site's URL) is kept
        apart in article_claims: it never becomes one of the row's URLs.
        """
        clean_article(article)  # the same display-text and URL rules as the extractor's, at the boundary
        now = utcnow()
        urls = {article.url, article.canonical_url, *urls}
        with self.engine.begin() as conn:
            inserted = self._insert_new(conn, article, now, urls)
            if not inserted:
                current = self._current(conn, article, urls)
                if current is None:  # deleted by retention (prune) since the INSERT saw it: stored anew
                    inserted = self._insert_new(conn, article, now, urls)
                    if not inserted:
                        current = self._current(conn, article, urls)
                        if current is None:
                            raise NoResultFound(f"article {article.id} was deleted while published again")
            if inserted:  # its URLs, summaries, search entry and event with it (_insert_new)
                status = "published"
            else:
                assert current is not None
                # Cluster membership is decided once, at first publish; a re-fetch keeps it.
                article.cluster_id = current["cluster_id"] or article.cluster_id
                article.duplicate_of = current["duplicate_of"]
                # The source that first stored the row keeps it (DESIGN.md, `source`): whatever reaches
                # the same id again (another source's feed, a re-fetch) updates the content only.
                article.source = current["source"]
                if current["content_hash"] == article.content_hash:
                    article.revision = current["revision"]
                    status = "unchanged"
                else:
                    article.revision = current["revision"] + 1
                    row = self._row(article, now)
                    row.pop("stored_at")
                    search_index.remove(conn, [article.id])  # before the row changes: its terms name the entry
                    conn.execute(update(t.articles).where(t.articles.c.id == article.id).values(**row))
                    status = "updated"
                    # a row stored without a cluster may be given one now: it moves in the summaries too
                    summaries.article_moved(conn, article_id=article.id, source=article.source,
                                            stored_at=current["stored_at"],
                                            old_key=summaries.cluster_key(current["cluster_id"], article.id),
                                            new_key=summaries.cluster_key(article.cluster_id, article.id))
                if status == "updated" or self.dialect != "postgresql":  # PostgreSQL: unchanged's in _current
                    self._remember_urls(conn, article.id, urls)
                if status == "updated":
                    search_index.add(conn, article.id, article.title, article.body)
                    conn.execute(_EVENT, {"kind": status, "article_id": article.id, "revision": article.revision,
                                          "at": now})
            if article.claimed_canonical_url:
                claim = article.claimed_canonical_url
                conn.execute(self._insert(t.article_claims)
                             .values(url_hash=url_key(claim), article_id=article.id, url=claim)
                             .on_conflict_do_nothing(index_elements=["url_hash", "article_id"]))
        return PublishResult(status, article)

    def _insert_new(self, conn: Connection, article: Article, now: datetime, urls: Iterable[str]) -> bool:
        """Insert the article's row unless its id is stored; when it was not: its URLs, its cluster's and
        source's summaries (summaries.article_added), its search entry and the "published" event too.

        PostgreSQL: all in one statement (one round trip: a publish was a dozen, each costing more than its
        work); SQLite: statements compiled once. Returns whether the row was inserted."""
        row = _article_row(article, now)
        key = summaries.cluster_key(article.cluster_id, article.id)
        url_rows = _url_rows(article.id, urls)
        if self.dialect == "postgresql":
            got = conn.execute(_PG_PUBLISH_NEW, {
                **row, "terms": document_terms(article.title, article.body), "key": key, "article_id": article.id,
                "hour": summaries.hour_of(now), **_url_arrays(url_rows)}).first()
            if got is None:
                return False
            summaries.outlets_after_join(conn, key, got.size, got.had_source, got.articles)
            return True
        if conn.execute(_SQLITE_INSERT, row).first() is None:
            return False
        summaries.article_added(conn, article_id=article.id, source=article.source, cluster_id=article.cluster_id,
                                stored_at=now)
        if url_rows:
            conn.execute(_URL, url_rows)
        search_index.add(conn, article.id, article.title, article.body)
        conn.execute(_EVENT, {"kind": "published", "article_id": article.id, "revision": article.revision, "at": now})
        return True

    def _current(self, conn: Connection, article: Article, urls: Iterable[str]) -> Any:
        """The stored row's state a re-publish compares with; None if a prune deleted it since the INSERT saw
        it (SQLite's write lock covers the whole publish). PostgreSQL: locked, so a prune skips it from now on,
        and, when its content is the same (unchanged), the URLs remembered in the same statement."""
        if self.dialect != "postgresql":
            return conn.execute(_CURRENT, {"id": article.id}).mappings().first()
        return conn.execute(_PG_CURRENT, {"id": article.id, "content_hash": article.content_hash,
                                          **_url_arrays(_url_rows(article.id, urls))}).mappings().first()

    def _row(self, article: Article, now: datetime) -> dict[str, Any]:
        return {**_article_row(article, now), **search_index.row_values(self.dialect, article.title, article.body)}

    def _remember_urls(self, conn: Connection, article_id: str, urls: Iterable[str]) -> None:
        rows = _url_rows(article_id, urls)
        if rows:
            conn.execute(_URL, rows)

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.data, t.articles.c.revision, t.articles.c.cluster_id,
                                      t.articles.c.duplicate_of).where(t.articles.c.id == article_id)).first()
            return _with_same_story(conn, [_article(row)])[0] if row else None

    def list_articles(self, *, source: str | None = None, cluster: str | None = None,
                      since: datetime | None = None, q: str | None = None, limit: int = 100,
                      offset: int = 0, sort: str = "stored", cursor: str | None = None) -> list[Article]:
        """Articles newest first: by time stored (`sort="stored"`), or by publication time (`"published"`:
        undated ones last, ties by time stored); the id breaks remaining ties, so pages never overlap."""
        return self.articles_page(source=source, cluster=cluster, since=since, q=q, limit=limit, offset=offset,
                                  sort=sort, cursor=cursor)[0]

    def articles_page(self, *, source: str | None = None, cluster: str | None = None,
                      since: datetime | None = None, q: str | None = None, limit: int = 100,
                      offset: int = 0, sort: str = "stored",
                      cursor: str | None = None) -> tuple[list[Article], str | None]:
        """A page of list_articles and the cursor of the next one (None after the last page).

        `cursor` (workers/core/cursor.py; CursorError when it is not one this listing made) starts the page
        after the row it names, from the (stored_at DESC, id) or (source, stored_at DESC, id) index: a deep
        page costs what the first does. `offset` still works but reads and skips every row before the page.
        """
        order = [t.articles.c.stored_at.desc(), t.articles.c.id]
        if sort == "published":  # undated last: the order of ix_articles_published_id
            order = [t.articles.c.published_at.desc().nulls_last(), *order]
        elif sort not in ("stored", "relevance"):  # relevance: best match first with q, else as stored
            raise ValueError(f"sort is 'published', 'stored' or 'relevance', not {sort!r}")
        # the order a cursor resumes (relevance without a search lists as stored); a search by relevance has none
        keyset: str | None = "stored" if sort == "relevance" else sort
        if sort == "relevance" and q:
            keyset = None
        after = None
        if cursor is not None:
            if keyset is None:
                raise CursorError("a cursor pages the listing in time order; a search by relevance pages by offset")
            after = decode_cursor(cursor, keyset)
        query = select(t.articles.c.data, t.articles.c.revision, t.articles.c.cluster_id,
                       t.articles.c.duplicate_of, t.articles.c.stored_at.label("_stored_at"),
                       t.articles.c.published_at.label("_published_at"), t.articles.c.id.label("_id")
                       ).order_by(*order)
        if source:
            query = query.where(t.articles.c.source == source)
        if cluster:
            query = query.where(t.articles.c.cluster_id == cluster)
        if since:
            query = query.where(t.articles.c.stored_at >= since)
        # after a dated row: the dated rows after it (an index range), then, if the page is not full, the undated
        # tail (one OR of the two would have the index read from the top)
        parts = [query] if after is None else [query.where(c) for c in _after(after)]
        if q:  # SearchQueryError (a ValueError) for a search with nothing to look for
            search = parse_query(q)
            parts = [search_index.match(p, search, self.dialect, sort == "relevance", order) for p in parts]
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for part in parts:
                if len(rows) < limit:
                    rows += conn.execute(part.limit(limit - len(rows)).offset(offset)).all()
            articles = _with_same_story(conn, [_article(r) for r in rows])
        following = None
        if keyset is not None and rows and len(rows) == limit:
            last = rows[-1]
            following = encode_cursor(Cursor(keyset, last._stored_at, last._id, last._published_at))
        return articles, following

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return summaries.total_articles(conn)

    def clusters(self, limit: int = 100) -> list[dict[str, Any]]:
        """One row per cluster, newest first: size, outlets and the head's title (the clusters summary)."""
        with self.engine.connect() as conn:
            return summaries.clusters_page(conn, limit)

    def last_event_id(self) -> int:
        """The newest event's id (0 for none): one step down the primary key."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(t.events.c.id), 0))).scalar_one())

    def events_since(self, after_id: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.events).where(t.events.c.id > after_id)
                                .order_by(t.events.c.id).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    # --- job ledger ----------------------------------------------------------------------------------

    def ledger_enqueue(self, key: str, *, kind: str, queue: str, source: str | None, url: str | None,
                       args: dict[str, Any], stale_after: timedelta, force: bool = False,
                       failed_cooldown: timedelta | None = None) -> bool:
        """Record a job as queued. False when the same key is already queued and not yet stale, or
        failed less than `failed_cooldown` ago (a dead link in a feed is not retried on every poll)."""
        job = {"key": key, "kind": kind, "queue": queue, "source": source, "url": url, "args": args}
        return bool(self.ledger_enqueue_many([job], stale_after=stale_after, force=force,
                                             failed_cooldown=failed_cooldown))

    def ledger_enqueue_many(self, jobs: Sequence[dict[str, Any]], *, stale_after: timedelta,
                            force: bool = False, failed_cooldown: timedelta | None = None) -> set[str]:
        """ledger_enqueue for many jobs ({key, kind, queue, source, url, args}) in one statement: one
        round trip and one commit for a whole scheduler tick. Returns the keys recorded as queued."""
        if not jobs:
            return set()
        now = utcnow()
        rows = [{**job, "state": "queued", "enqueued_at": now, "updated_at": now, "attempts": 0,
                 "last_error": None} for job in jobs]
        # one statement compiled once (cached) and sent as multi-row batches ("insertmanyvalues")
        stmt = self._insert(t.jobs)
        live = and_(or_(t.jobs.c.state == "queued", t.jobs.c.state == "retrying"),  # no IN: executemany
                    t.jobs.c.updated_at > now - stale_after)
        if failed_cooldown is not None:
            live = or_(live, and_(t.jobs.c.state == "failed", t.jobs.c.updated_at > now - failed_cooldown))
        set_ = {c: getattr(stmt.excluded, c) for c in ("kind", "queue", "source", "url", "state", "enqueued_at",
                                                         "updated_at", "args", "attempts", "last_error")}
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_=set_, where=None if force else ~live)
        with self.engine.begin() as conn:
            return set(conn.execute(stmt.returning(t.jobs.c.key), rows).scalars())

    def ledger_mark_stale(self, keys: Sequence[str]) -> None:
        """Queued jobs the broker never received: dated back so the next heal (requeue_stale) sends them."""
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(update(t.jobs).where(t.jobs.c.key.in_(list(keys)), t.jobs.c.state == "queued")
                         .values(updated_at=datetime(2000, 1, 1, tzinfo=UTC)))

    def ledger_update(self, key: str, state: str, error: dict[str, Any] | None = None,
                      attempts: int | None = None) -> None:
        values: dict[str, Any] = {"state": state, "updated_at": utcnow()}
        if error is not None:
            values["last_error"] = error
        if attempts is not None:
            values["attempts"] = attempts
        with self.engine.begin() as conn:
            conn.execute(update(t.jobs).where(t.jobs.c.key == key).values(**values))

    def ledger_counts(self) -> dict[str, dict[str, int]]:
        """{queue: {state: n}} for queued and retrying jobs."""
        query = (select(t.jobs.c.queue, t.jobs.c.state, func.count())
                 .where(t.jobs.c.state.in_(["queued", "retrying"])).group_by(t.jobs.c.queue, t.jobs.c.state))
        out: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for queue, state, count in conn.execute(query):
                out.setdefault(queue, {})[state] = count
        return out

    def ledger_oldest(self) -> dict[str, datetime]:
        query = (select(t.jobs.c.queue, func.min(t.jobs.c.enqueued_at))
                 .where(t.jobs.c.state.in_(["queued", "retrying"])).group_by(t.jobs.c.queue))
        with self.engine.connect() as conn:
            return {q: at for q, at in conn.execute(query)}

    def ledger_stale(self, older_than: datetime, limit: int = 500) -> list[dict[str, Any]]:
        query = (select(t.jobs).where(t.jobs.c.state.in_(["queued", "retrying"]),
                                      t.jobs.c.updated_at < older_than).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def ledger_done_since(self, since: datetime) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.jobs)
                                .where(t.jobs.c.state == "done", t.jobs.c.updated_at >= since)).scalar_one()

    def activity_since(self, since: datetime) -> dict[str, list[datetime]]:
        """When jobs finished (done, failed) and articles were published or updated, since a time."""
        out: dict[str, list[datetime]] = {"done": [], "failed": [], "published": [], "updated": []}
        with self.engine.connect() as conn:
            for state, at in conn.execute(select(t.jobs.c.state, t.jobs.c.updated_at).where(
                    t.jobs.c.state.in_(["done", "failed"]), t.jobs.c.updated_at >= since)):
                out[state].append(at)
            for kind, at in conn.execute(select(t.events.c.kind, t.events.c.at).where(t.events.c.at >= since)):
                out.setdefault(kind, []).append(at)
        return out

    # --- dead letters --------------------------------------------------------------------------------

    def add_failure(self, *, task: str, args: dict[str, Any], error: dict[str, Any], attempts: int) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(t.failures.insert().values(
                task=task, args=args, source=args.get("source"), url=args.get("url") or error.get("url"),
                error_kind=str(error.get("kind", "error")), message=str(error.get("message", ""))[:2000],
                status=error.get("status"), attempts=attempts, at=utcnow()))
            key = result.inserted_primary_key
            assert key is not None  # a one-row INSERT reports the key it generated
            return int(key[0])

    def list_failures(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.failures).order_by(t.failures.c.id.desc()).limit(limit)).mappings()
            return [dict(r) for r in rows]

    def count_failures(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.failures)).scalar_one()

    def get_failure(self, failure_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.failures).where(t.failures.c.id == failure_id)).mappings().first()
        return dict(row) if row else None

    def drop_failure(self, failure_id: int) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(delete(t.failures).where(t.failures.c.id == failure_id)).rowcount > 0

    # --- fleet and locks -----------------------------------------------------------------------------

    def heartbeat(self, name: str, *, hostname: str, pid: int, queues: str, active: int, processed: int,
                  started_at: datetime, current: dict[str, Any] | None = None) -> None:
        now = utcnow()
        values = {"hostname": hostname, "pid": pid, "queues": queues, "active": active,
                  "processed": processed, "last_seen": now, "current": current}
        with self.engine.begin() as conn:
            conn.execute(self._insert(t.workers).values(name=name, started_at=started_at, **values)
                         .on_conflict_do_update(index_elements=["name"], set_=values))

    def live_workers(self, within: timedelta = timedelta(seconds=30)) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.workers).where(t.workers.c.last_seen >= utcnow() - within)
                                .order_by(t.workers.c.name)).mappings()
            return [dict(r) for r in rows]

    def forget_worker(self, name: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.workers).where(t.workers.c.name == name))

    def acquire_lock(self, name: str, holder: str, ttl: timedelta) -> bool:
        """A lease: taken when free, expired, or already ours (renewal). Atomic in one statement."""
        now = utcnow()
        with self.engine.begin() as conn:
            stmt = (self._insert(t.locks).values(name=name, holder=holder, expires_at=now + ttl)
                    .on_conflict_do_update(index_elements=["name"],
                                           set_={"holder": holder, "expires_at": now + ttl},
                                           where=or_(t.locks.c.expires_at < now, t.locks.c.holder == holder)))
            return conn.execute(stmt.returning(t.locks.c.name)).first() is not None

    def release_lock(self, name: str, holder: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.locks).where(t.locks.c.name == name, t.locks.c.holder == holder))

    def lock_holder(self, name: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.locks.c.holder).where(t.locks.c.name == name,
                                                               t.locks.c.expires_at >= utcnow())).scalar()


# A new article's statements (Store._insert_new), built and compiled once, bound as their columns' types.
_ROW_COLUMNS = ("id", "url", "canonical_url", "source", "title", "content_hash", "cluster_id", "duplicate_of",
                "revision", "published_at", "fetched_at", "stored_at", "changed_at", "data")


def _article_row(article: Article, now: datetime) -> dict[str, Any]:
    """The article's row, _ROW_COLUMNS (the search column is the dialect's: search_index)."""
    row = {c: getattr(article, c) for c in _ROW_COLUMNS if c not in ("stored_at", "changed_at", "data")}
    row.update(stored_at=now, changed_at=now, data=article.to_dict())
    return row


def _url_rows(article_id: str, urls: Iterable[str]) -> list[dict[str, str]]:
    """article_urls rows of the article's URLs (empty ones skipped)."""
    return [{"url_hash": url_key(u), "url": u, "article_id": article_id} for u in urls if u]


def _url_arrays(rows: Sequence[dict[str, str]]) -> dict[str, list[str]]:
    """The same rows as the two arrays _remember_urls_sql unnests (PostgreSQL)."""
    return {"url_hashes": [r["url_hash"] for r in rows], "urls": [r["url"] for r in rows]}


def _remember_urls_sql(article_id: str, source: str, where: str = "") -> str:
    """INSERT of the :url_hashes/:urls arrays as article_urls rows of `article_id`, once per row of `source`."""
    return (f"INSERT INTO article_urls (url_hash, url, article_id) SELECT v.url_hash, v.url, {article_id} "
            f"FROM {source}, unnest(CAST(:url_hashes AS text[]), CAST(:urls AS text[])) AS v(url_hash, url) "
            f"{where}ON CONFLICT (url_hash) DO NOTHING")

_TYPES = {c: t.articles.c[c].type for c in _ROW_COLUMNS} | {"at": t.events.c.at.type}
_INSERT_ROW = (f"INSERT INTO articles ({', '.join(_ROW_COLUMNS)}{{search}}) "
               f"VALUES ({', '.join(':' + c for c in _ROW_COLUMNS)}{{vector}}) "
               "ON CONFLICT (id) DO NOTHING RETURNING id")
_SQLITE_INSERT = summaries.typed(_INSERT_ROW.format(search="", vector=""), _TYPES)
_URL = sql("INSERT INTO article_urls (url_hash, url, article_id) VALUES (:url_hash, :url, :article_id) "
           "ON CONFLICT (url_hash) DO NOTHING")
_EVENT = summaries.typed("INSERT INTO events (kind, article_id, revision, at) "
                         "VALUES (:kind, :article_id, :revision, :at)", _TYPES)

_CURRENT_SQL = "SELECT content_hash, revision, source, cluster_id, duplicate_of, stored_at FROM articles WHERE id = :id"
_CURRENT = sql(_CURRENT_SQL).columns(stored_at=t.articles.c.stored_at.type)
_PG_CURRENT = sql(f"WITH cur AS ({_CURRENT_SQL} FOR UPDATE), "
                  f"u AS ({_remember_urls_sql(':id', 'cur', 'WHERE cur.content_hash = :content_hash ')}) "
                  "SELECT * FROM cur").columns(stored_at=t.articles.c.stored_at.type)


def _pg_publish_new() -> str:
    """PostgreSQL: the row, then its summaries in their lock order (summaries.py), each CTE reading the one before
    it, so each runs after it and only if the row was inserted; then its URLs and event. RETURNING what
    summaries.outlets_after_join needs; no row when the id was already stored."""
    clusters, sources, stats, hours = summaries.added_sql(after=("a", "c", "cs", "ss"))
    vector = f", to_tsvector('{search_index.CONFIG}'::regconfig, :terms)"
    return (f"WITH a AS ({_INSERT_ROW.format(search=', search', vector=vector)}), "
            f"c AS ({clusters}), cs AS ({sources}), ss AS ({stats}), sh AS ({hours}), "
            f"u AS ({_remember_urls_sql('a.id', 'a')}), "
            "e AS (INSERT INTO events (kind, article_id, revision, at) SELECT 'published', a.id, :revision, :stored_at "
            "FROM a) "
            "SELECT c.size, c.had_source, cs.articles FROM c, cs, sh")


_PG_PUBLISH_NEW = summaries.typed(_pg_publish_new(), _TYPES)

_CLUSTER_LOCKS = 7272  # the advisory-lock space of cluster heads (the migration lock is a one-key lock)


def _lock_key(cluster_id: str) -> int:
    """A signed 32-bit key for a cluster's advisory lock (a shared key only makes two clusters wait)."""
    return int.from_bytes(hashlib.sha256(cluster_id.encode("utf-8")).digest()[:4], "big", signed=True)


def _visible(text: str | None) -> str | None:
    """Operator-read text as stored: invisible characters removed, white space folded; None stays None."""
    return " ".join(strip_invisible(text).split()) if text is not None else None


def _with_same_story(conn: Connection, articles: list[Article]) -> list[Article]:
    """Attach the semantic stage's links (same_story_links), closest first; [] where it found none or is off."""
    if not articles:
        return articles
    by_id = {a.id: a for a in articles}
    links = t.same_story_links
    for article in articles:
        article.same_story = []
    ids = list(by_id)
    for i in range(0, len(ids), 500):
        rows = conn.execute(select(links.c.article_id, links.c.other_id).where(links.c.article_id.in_(ids[i:i + 500]))
                            .order_by(links.c.article_id, links.c.score.desc(), links.c.other_id))
        for article_id, other_id in rows:
            by_id[article_id].same_story.append(other_id)
    return articles


def _after(cursor: Cursor) -> list[ColumnElement[bool]]:
    """Rows after the cursor's in the listing's order (time descending, id ascending on ties), as conditions
    whose rows follow each other in that order.

    The leading bound (stored_at <= T, published_at <= P) is what the index scan starts from; the rest
    only sorts out rows tied with the cursor's.
    """
    a = t.articles.c
    tail = and_(a.stored_at <= cursor.stored_at, or_(a.stored_at < cursor.stored_at, a.id > cursor.id))
    if cursor.sort == "stored":
        return [tail]
    if cursor.published_at is None:  # in the undated tail, ordered as stored
        return [and_(a.published_at.is_(None), tail)]
    at = cursor.published_at
    return [and_(a.published_at <= at, or_(a.published_at < at, tail)), a.published_at.is_(None)]


def _article(row: Any) -> Article:
    article = Article.from_dict(row.data)
    article.revision, article.cluster_id, article.duplicate_of = row.revision, row.cluster_id, row.duplicate_of
    return article
