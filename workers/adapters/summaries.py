"""Read summaries kept as articles change: clusters, their outlets, and per-source counts (issue 15, item 2).

The API, the CLI, /metrics and the dashboard's 3-second poll read these small tables instead of counting or
grouping the articles table, so their cost does not grow with the archive. Every change is made in the
transaction that changes the articles (publish, a revision that gives a cluster-less row its cluster,
settle_head, prune), so a summary is never ahead of or behind the rows it counts.

- `clusters`: one row per cluster, keyed as the listing always was, coalesce(cluster_id, id) (an article
  without a cluster is a cluster of one): size, outlets, first and last time stored, head.
- `cluster_sources`: members per (cluster, source), so outlets stays exact when a member leaves.
- `source_stats`: articles per source and when the last was stored; `source_hours`: articles per source per
  hour stored, so "the last 24 h" is a few hundred small rows plus an indexed scan of under an hour of articles.

Lock order, the same everywhere (no two writers wait on each other): article rows, then cluster rows in key
order, then cluster_sources, then source_stats and source_hours in key order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, TextClause, and_, bindparam, delete, func, or_, select, update
from sqlalchemy import text as sql
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from workers.adapters import schema as t

HOUR = timedelta(hours=1)


def cluster_key(cluster_id: str | None, article_id: str) -> str:
    """The cluster an article is listed under: its cluster, or itself when it has none."""
    return cluster_id or article_id


def hour_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# --- changes -------------------------------------------------------------------------------------------


def article_added(conn: Connection, *, article_id: str, source: str, cluster_id: str | None,
                  stored_at: datetime) -> None:
    """A new article row: its cluster (created with it as head), the cluster's outlets, its source's counts."""
    key = cluster_key(cluster_id, article_id)
    _joined(conn, key, article_id, source, stored_at)
    params = {"source": source, "stored_at": stored_at, "hour": hour_of(stored_at)}
    conn.execute(_ADDED[2], params)
    conn.execute(_ADDED[3], params)


# A new member's upserts as text: built and compiled once (building them from expressions cost more than
# running them), bound as the columns' types (UTC datetimes, as every other write stores them). In order:
# clusters, cluster_sources (RETURNING articles: 1 when this member is the cluster's first from its source),
# source_stats, source_hours: the lock order above. Each INSERT ... ON CONFLICT DO UPDATE adds to the row as
# it is when locked, committed by others after this statement began or not, so counts kept by increment lose
# none to concurrent publishers.
#
# Outlets by increment, no recount: the clusters upsert adds the outlet its own snapshot says is new (no
# cluster_sources row for the source) and RETURNING says what it assumed; the cluster_sources upsert then says
# what was so. They differ only when a member from the same source committed while this one waited for the
# cluster row's lock; outlets_after_join corrects by the difference, under that lock.
_HAD = "EXISTS (SELECT 1 FROM cluster_sources s WHERE s.cluster_id = :key AND s.source = :source)"
_FIRST = "CASE WHEN excluded.first_seen < clusters.first_seen THEN excluded.first_seen ELSE clusters.first_seen END"
_LAST = "CASE WHEN excluded.last_seen > clusters.last_seen THEN excluded.last_seen ELSE clusters.last_seen END"
_NEWEST = ("CASE WHEN excluded.last_stored_at > source_stats.last_stored_at THEN excluded.last_stored_at "
           "ELSE source_stats.last_stored_at END")


def added_sql(after: Sequence[str] | None = None) -> list[str]:
    """The four upserts of a new member (named parameters key, article_id, source, stored_at, hour). With
    `after`, four names to read each row FROM (PostgreSQL: the CTE before it, so they run in this order and
    only when it gave a row); without, each inserts VALUES (SQLite reads `INSERT ... SELECT ... ON` ambiguously).
    The first returns (size, had_source), the second (articles): outlets_after_join's arguments."""

    def rows(values: str, i: int) -> str:
        return f"VALUES ({values})" if after is None else f"SELECT {values} FROM {after[i]}"

    return [
        f"INSERT INTO clusters (cluster_id, size, outlets, first_seen, last_seen, head_id) "
        f"{rows(':key, 1, 1, :stored_at, :stored_at, :article_id', 0)} ON CONFLICT (cluster_id) DO UPDATE "
        f"SET size = clusters.size + 1, outlets = clusters.outlets + CASE WHEN {_HAD} THEN 0 ELSE 1 END, "
        f"first_seen = {_FIRST}, last_seen = {_LAST} RETURNING size, {_HAD} AS had_source",
        f"INSERT INTO cluster_sources (cluster_id, source, articles) {rows(':key, :source, 1', 1)} "
        f"ON CONFLICT (cluster_id, source) DO UPDATE SET articles = cluster_sources.articles + 1 RETURNING articles",
        f"INSERT INTO source_stats (source, articles, last_stored_at) {rows(':source, 1, :stored_at', 2)} "
        f"ON CONFLICT (source) DO UPDATE SET articles = source_stats.articles + 1, last_stored_at = {_NEWEST} "
        f"RETURNING articles",
        f"INSERT INTO source_hours (hour, source, articles) {rows(':hour, :source, 1', 3)} "
        f"ON CONFLICT (hour, source) DO UPDATE SET articles = source_hours.articles + 1 RETURNING articles",
    ]


def typed(statement: str, types: Mapping[str, Any] | None = None) -> TextClause:
    """text() with the summaries' parameters (and `types`: more names and their column types) bound as their
    columns' types, those of them it names."""
    names = {"stored_at": t.UTCDateTime(), "hour": t.UTCDateTime(), "key": String(), "article_id": String(),
             "source": String(), **(types or {})}
    return sql(statement).bindparams(*(bindparam(n, type_=typ) for n, typ in names.items()
                                       if re.search(rf"(?<![:\w]):{n}\b", statement)))


_ADDED = [typed(s) for s in added_sql()]
_MORE_OUTLETS = typed("UPDATE clusters SET outlets = outlets + :n WHERE cluster_id = :key", {"n": Integer()})


def outlets_after_join(conn: Connection, key: str, size: int, had_source: bool, from_source: int) -> None:
    """Correct the outlets the clusters upsert counted (see above) by what the cluster_sources upsert found:
    `size` and `had_source` as the first returned them, `from_source` as the second did."""
    if size == 1:  # created with one outlet
        if from_source > 1:  # and a source row was there before it: cannot be, recount
            _count_outlets(conn, key)
        return
    delta = (from_source == 1) - (not had_source)
    if delta:
        conn.execute(_MORE_OUTLETS, {"key": key, "n": delta})


def article_moved(conn: Connection, *, article_id: str, source: str, stored_at: datetime,
                  old_key: str, new_key: str) -> None:
    """A stored row whose cluster key changed (a cluster-less row given one on a re-fetch): counts move with it."""
    if old_key == new_key:
        return
    row = {"id": article_id, "source": source, "stored_at": stored_at}
    for key in sorted((old_key, new_key)):  # cluster rows in key order
        if key == old_key:
            _left(conn, key, [row])
        else:
            _joined(conn, key, article_id, source, stored_at)


def head_settled(conn: Connection, cluster_id: str, head_id: str) -> None:
    """settle_head chose this head (workers/core/clusters.py): the cluster row names it."""
    conn.execute(update(t.clusters).where(t.clusters.c.cluster_id == cluster_id, t.clusters.c.head_id != head_id)
                 .values(head_id=head_id))


def articles_removed(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows just deleted in conn's transaction ({id, source, cluster_id, stored_at, published_at} each): their
    clusters (size, outlets, first and last seen; a cluster left empty goes) and their sources' counts.

    Set-based: about a dozen statements per call whatever the number of rows (a prune batch), each an indexed
    lookup per touched key. The caller re-settles the heads of the clusters it touched (Store.settle_head),
    which names the new head in the cluster row; until then a cluster row may name a removed head, and the
    listing falls back.
    """
    if not rows:
        return
    per_cluster: dict[tuple[str], int] = defaultdict(int)
    per_member: dict[tuple[str, str], int] = defaultdict(int)
    per_source: dict[tuple[str], int] = defaultdict(int)
    per_hour: dict[tuple[datetime, str], int] = defaultdict(int)
    for row in rows:
        key = cluster_key(row["cluster_id"], row["id"])
        per_cluster[key,] += 1
        per_member[key, row["source"]] += 1
        per_source[row["source"],] += 1
        per_hour[hour_of(row["stored_at"]), row["source"]] += 1
    c, cs, s, h = t.clusters, t.cluster_sources, t.source_stats, t.source_hours
    keys = sorted(k for k, in per_cluster)
    # cluster rows in key order, then cluster_sources (written only under their cluster's row lock)
    _lock_in_order(conn, c.c.cluster_id, keys)
    _subtract(conn, c, c.c.size, per_cluster)
    _subtract(conn, cs, cs.c.articles, per_member)
    emptied = select(c.c.cluster_id).where(c.c.cluster_id.in_(keys), c.c.size <= 0)
    conn.execute(delete(cs).where(cs.c.cluster_id.in_(keys), or_(cs.c.articles <= 0, cs.c.cluster_id.in_(emptied))))
    conn.execute(delete(c).where(c.c.cluster_id.in_(keys), c.c.size <= 0))
    # outlets, first and last seen of the clusters left, from their members (indexed lookups per cluster);
    # the row locks above make a concurrent member's publish wait, and its own min/max keeps it right after
    a = t.articles.c
    members = or_(a.cluster_id == c.c.cluster_id, and_(a.id == c.c.cluster_id, a.cluster_id.is_(None)))
    outlets = select(func.count()).select_from(cs).where(cs.c.cluster_id == c.c.cluster_id).scalar_subquery()
    first = select(func.min(a.stored_at)).where(members).scalar_subquery()
    last = select(func.max(a.stored_at)).where(members).scalar_subquery()
    conn.execute(update(c).where(c.c.cluster_id.in_(keys)).values(
        outlets=outlets, first_seen=func.coalesce(first, c.c.first_seen), last_seen=func.coalesce(last, c.c.last_seen)))
    # then source_stats in key order; source_hours rows are written only under their source's stats row lock,
    # so the order the UPDATE below takes them in cannot deadlock
    sources = sorted(k for k, in per_source)
    _lock_in_order(conn, s.c.source, sources)
    _subtract(conn, s, s.c.articles, per_source)
    conn.execute(delete(s).where(s.c.source.in_(sources), s.c.articles <= 0))
    newest = select(func.max(a.stored_at)).where(a.source == s.c.source).scalar_subquery()  # by (source, stored_at)
    conn.execute(update(s).where(s.c.source.in_(sources)).values(last_stored_at=newest))
    _subtract(conn, h, h.c.articles, per_hour)
    conn.execute(delete(h).where(h.c.source.in_(sources), h.c.hour.in_(sorted({k[0] for k in per_hour})),
                                 h.c.articles <= 0))


def _lock_in_order(conn: Connection, key: ColumnElement[Any], values: Sequence[Any]) -> None:
    """PostgreSQL: lock the rows with these keys in key order, in one statement (SQLite's write lock covers them)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(key).where(key.in_(values)).order_by(key).with_for_update())


def _subtract(conn: Connection, table: Any, count: Any, by_key: Mapping[tuple[Any, ...], int]) -> None:
    """`count -= n` for each row whose primary key (in the table's column order) is a key of by_key: one
    UPDATE ... FROM unnest(arrays) on PostgreSQL, one executemany on SQLite."""
    pk = list(table.primary_key.columns)
    items = sorted(by_key.items())
    if conn.dialect.name == "postgresql":
        arrays = [bindparam(f"k{i}", [k[i] for k, _ in items], type_=postgresql.ARRAY(col.type))
                  for i, col in enumerate(pk)]
        ns = bindparam("n", [n for _, n in items], type_=postgresql.ARRAY(Integer))
        v = func.unnest(*arrays, ns).table_valued(*(f"k{i}" for i in range(len(pk))), "n").render_derived(name="v")
        conn.execute(update(table).where(*(col == v.c[f"k{i}"] for i, col in enumerate(pk)))
                     .values({count: count - v.c.n}))
        return
    conn.execute(update(table).where(*(col == bindparam(f"k{i}") for i, col in enumerate(pk)))
                 .values({count: count - bindparam("n")}),
                 [{**{f"k{i}": part for i, part in enumerate(k)}, "n": n} for k, n in items])


def _joined(conn: Connection, key: str, article_id: str, source: str, stored_at: datetime) -> None:
    # the cluster row first: it is the lock that orders concurrent members of one cluster
    params = {"key": key, "article_id": article_id, "source": source, "stored_at": stored_at}
    size, had_source = conn.execute(_ADDED[0], params).one()
    outlets_after_join(conn, key, size, had_source, conn.execute(_ADDED[1], params).scalar_one())


def _count_outlets(conn: Connection, key: str) -> None:
    outlets = (select(func.count()).select_from(t.cluster_sources)
               .where(t.cluster_sources.c.cluster_id == key).scalar_subquery())
    conn.execute(update(t.clusters).where(t.clusters.c.cluster_id == key).values(outlets=outlets))


def _members(key: str) -> ColumnElement[bool]:
    """Members of the cluster listed as `key`, by the indexes on cluster_id and id (coalesce would scan)."""
    a = t.articles.c
    return or_(a.cluster_id == key, and_(a.id == key, a.cluster_id.is_(None)))


def _left(conn: Connection, key: str, rows: Sequence[Mapping[str, Any]]) -> None:
    c, cs = t.clusters, t.cluster_sources
    size = conn.execute(update(c).where(c.c.cluster_id == key).values(size=c.c.size - len(rows))
                        .returning(c.c.size)).scalar()
    if size is None:
        return
    if size <= 0:
        conn.execute(delete(cs).where(cs.c.cluster_id == key))
        conn.execute(delete(c).where(c.c.cluster_id == key))
        return
    per_source: dict[str, int] = defaultdict(int)
    for row in rows:
        per_source[row["source"]] += 1
    for source in sorted(per_source):
        conn.execute(update(cs).where(cs.c.cluster_id == key, cs.c.source == source)
                     .values(articles=cs.c.articles - per_source[source]))
    conn.execute(delete(cs).where(cs.c.cluster_id == key, cs.c.articles <= 0))
    _count_outlets(conn, key)
    # first and last seen from the members left (an indexed lookup of one cluster's rows); the row lock
    # taken above makes a concurrent member's publish wait, and its own min/max keeps it right after
    a = t.articles.c
    first, last = conn.execute(select(func.min(a.stored_at), func.max(a.stored_at)).where(_members(key))).one()
    if first is not None:
        conn.execute(update(c).where(c.c.cluster_id == key).values(first_seen=first, last_seen=last))


# --- reads ---------------------------------------------------------------------------------------------


def total_articles(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.sum(t.source_stats.c.articles), 0))).scalar_one())


def source_counts(conn: Connection, since: datetime | None = None) -> dict[str, int]:
    """Articles per source, all or stored since a time: whole hours from source_hours, the part hour before
    the first whole one from an indexed range of articles.stored_at (under an hour of rows)."""
    if since is None:
        return {r.source: r.articles for r in conn.execute(select(t.source_stats.c.source,
                                                                  t.source_stats.c.articles))}
    since = since.astimezone(UTC)
    whole = hour_of(since) if since == hour_of(since) else hour_of(since) + HOUR
    h = t.source_hours.c
    counts: dict[str, int] = defaultdict(int)
    for source, n in conn.execute(select(h.source, func.sum(h.articles)).where(h.hour >= whole)
                                  .group_by(h.source)):
        counts[source] += int(n)
    a = t.articles.c
    if whole > since:
        for source, n in conn.execute(select(a.source, func.count()).where(a.stored_at >= since, a.stored_at < whole)
                                      .group_by(a.source)):
            counts[source] += int(n)
    return {k: v for k, v in counts.items() if v}


def clusters_page(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The newest clusters (by last member stored), each with its title, outlets and members.

    Three indexed reads: the page of cluster rows, their outlets, and the page's members by cluster_id/id.
    """
    c = t.clusters.c
    groups = [dict(r) for r in conn.execute(
        select(c.cluster_id, c.size.label("members"), c.first_seen.label("first_at"),
               c.last_seen.label("last_at"), c.head_id)
        .order_by(c.last_seen.desc(), c.cluster_id.desc()).limit(limit)).mappings()]
    if not groups:
        return []
    keys = [g["cluster_id"] for g in groups]
    cs = t.cluster_sources.c
    sources: dict[str, list[str]] = defaultdict(list)
    for key, source in conn.execute(select(cs.cluster_id, cs.source).where(cs.cluster_id.in_(keys))
                                    .order_by(cs.cluster_id, cs.source)):
        sources[key].append(source)
    a = t.articles.c
    members: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(select(a.id, a.cluster_id, a.title, a.duplicate_of)
                            .where(or_(a.cluster_id.in_(keys), a.id.in_(keys)))  # each by its index
                            .order_by(a.stored_at, a.id)):
        members[cluster_key(row.cluster_id, row.id)].append(row)  # a row found by id may list elsewhere
    out = []
    for group in groups:
        rows = members.get(group["cluster_id"], [])
        head_id = group.pop("head_id")
        # the head's title; a head pruned and not yet re-settled: the first member not pointing elsewhere
        head = next((m for m in rows if m.id == head_id), None) or next(
            (m for m in rows if m.duplicate_of is None), rows[0] if rows else None)
        group["title"] = head.title if head is not None else ""
        group["sources"] = sorted(sources.get(group["cluster_id"], []))
        group["article_ids"] = [m.id for m in rows]
        out.append(group)
    return out


# --- filling from existing rows (migration 0007, bench/store_scale.py) ---------------------------------


def _hour_sql(dialect: str) -> str:
    # the same text as a bound hour: SQLAlchemy's SQLite DateTime stores 'YYYY-MM-DD HH:MM:SS.ffffff'
    # (text() reads ':00' as a bind parameter, hence the escaped colons)
    return ("date_trunc('hour', stored_at)" if dialect == "postgresql"
            else "strftime('%Y-%m-%d %H\\:00\\:00.000000', stored_at)")


def backfill_statements(dialect: str) -> list[str]:
    """Set-based INSERT ... SELECT filling every summary from the articles table (empty summaries first)."""
    key = "COALESCE(cluster_id, id)"
    return [
        "DELETE FROM cluster_sources", "DELETE FROM clusters", "DELETE FROM source_stats",
        "DELETE FROM source_hours",
        f"INSERT INTO cluster_sources (cluster_id, source, articles) "
        f"SELECT {key}, source, count(*) FROM articles GROUP BY {key}, source",
        # head: the member not pointing at another (the head settle_head left), else the first stored
        f"INSERT INTO clusters (cluster_id, size, outlets, first_seen, last_seen, head_id) "
        f"SELECT g.k, g.n, (SELECT count(*) FROM cluster_sources s WHERE s.cluster_id = g.k), g.f, g.l, "
        f"COALESCE(g.h, g.k) FROM (SELECT {key} AS k, count(*) AS n, min(stored_at) AS f, max(stored_at) AS l, "
        f"min(CASE WHEN duplicate_of IS NULL THEN id END) AS h FROM articles GROUP BY {key}) g",
        "INSERT INTO source_stats (source, articles, last_stored_at) "
        "SELECT source, count(*), max(stored_at) FROM articles GROUP BY source",
        f"INSERT INTO source_hours (hour, source, articles) "
        f"SELECT {_hour_sql(dialect)}, source, count(*) FROM articles GROUP BY 1, 2",
    ]


def backfill(conn: Connection) -> None:
    for statement in backfill_statements(conn.dialect.name):
        conn.execute(sql(statement))


def recount(conn: Connection) -> dict[str, Any]:
    """The summaries recomputed from the articles table by brute force (tests compare the kept ones to it)."""
    a = t.articles.c
    key = func.coalesce(a.cluster_id, a.id)
    clusters = {k: (n, o, f, last) for k, n, o, f, last in conn.execute(
        select(key, func.count(), func.count(a.source.distinct()), func.min(a.stored_at), func.max(a.stored_at))
        .group_by(key))}
    per_source = {s: (n, last) for s, n, last in conn.execute(
        select(a.source, func.count(), func.max(a.stored_at)).group_by(a.source))}
    return {"clusters": clusters, "sources": per_source}


def kept(conn: Connection) -> dict[str, Any]:
    """The summaries as kept, in recount()'s shape."""
    c, s = t.clusters.c, t.source_stats.c
    return {"clusters": {r.cluster_id: (r.size, r.outlets, r.first_seen, r.last_seen)
                         for r in conn.execute(select(c.cluster_id, c.size, c.outlets, c.first_seen, c.last_seen))},
            "sources": {r.source: (r.articles, r.last_stored_at)
                        for r in conn.execute(select(s.source, s.articles, s.last_stored_at))}}

