"""The read summaries (workers/adapters/summaries.py) against a brute-force recount, on SQLite and PostgreSQL.

A random run of publishes, revisions (one giving a cluster-less row its cluster), head changes and removals
(as the prune helper removes rows: delete, then articles_removed in the same transaction, then settle_head);
after each step the kept clusters and source counts equal a GROUP BY over the articles table.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select

from workers.adapters import schema as t
from workers.adapters import summaries
from workers.core.models import Article

T0 = datetime(2026, 3, 1, 8, 17, 5, tzinfo=UTC)
SOURCES = ["alpha", "beta", "gamma"]


class Clock:
    """The store's clock, moved by the test so articles are stored over several hours."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("workers.adapters.store.utcnow", clock)
    return clock


def article(n: int, source: str, cluster: str | None, body: str = "", published: datetime | None = None) -> Article:
    url = f"https://{source}.example/news/{n}"
    a = Article(url=url, canonical_url=url, source=source, title=f"خبر {n}", body=body or f"نص الخبر رقم {n}.",
                published_at=published)
    a.cluster_id = cluster
    a.duplicate_of = cluster if cluster and cluster != a.id else None
    return a


def remove(store: Any, ids: list[str]) -> None:  # as the prune helper does, one transaction
    with store.engine.begin() as conn:
        a = t.articles.c
        rows = conn.execute(delete(t.articles).where(a.id.in_(ids))
                            .returning(a.id, a.source, a.cluster_id, a.stored_at, a.published_at)).mappings().all()
        summaries.articles_removed(conn, rows)
    for cluster in {r["cluster_id"] for r in rows if r["cluster_id"]}:
        store.settle_head(cluster)


def check(store: Any, clock: Clock) -> None:
    windows = (T0 - timedelta(days=1), T0 + timedelta(minutes=50), clock.now - timedelta(minutes=90),
               (clock.now - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0))
    # the store's own calls outside this connection: on SQLite a read here holds the write lock (BEGIN IMMEDIATE)
    counted = [store.source_article_counts(since) for since in windows]
    total = store.count_articles()
    listed = {g["cluster_id"]: g for g in store.clusters(limit=1000)}
    with store.engine.connect() as conn:
        assert summaries.kept(conn) == summaries.recount(conn)
        a = t.articles.c
        assert total == conn.execute(select(func.count()).select_from(t.articles)).scalar_one()
        for since, got in zip(windows, counted, strict=True):
            brute = dict(conn.execute(select(a.source, func.count()).where(a.stored_at >= since).group_by(a.source))
                         .all())
            assert got == brute, since
        heads = dict(conn.execute(select(t.clusters.c.cluster_id, t.clusters.c.head_id)).all())
        rows = conn.execute(select(a.id, a.cluster_id, a.duplicate_of, a.source, a.title, a.stored_at)
                            .order_by(a.stored_at, a.id)).all()
    members: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        members[row.cluster_id or row.id].append(row)
    for key, group in members.items():  # every change was settled: the head is the member pointing nowhere
        assert heads[key] == next(r.id for r in group if r.duplicate_of is None), key
    assert set(listed) == set(members)
    for key, group in members.items():
        assert listed[key]["article_ids"] == [r.id for r in group]
        assert listed[key]["sources"] == sorted({r.source for r in group})
        assert listed[key]["members"] == len(group)
        assert listed[key]["title"] == next(r.title for r in group if r.duplicate_of is None)


def test_summaries_match_a_recount_after_random_changes(store: Any, clock: Clock) -> None:
    rng = random.Random(15)
    stored: dict[str, Article] = {}
    n = 0
    for step in range(70):
        clock.now += timedelta(minutes=rng.choice([1, 7, 35, 61, 130]))
        roll = rng.random()
        if roll < 0.55 or not stored:
            n += 1
            existing = sorted({a.cluster_id for a in stored.values() if a.cluster_id})
            cluster = rng.choice([None, "self", *existing[-4:]])
            published = T0 + timedelta(minutes=rng.randint(-600, 6000)) if rng.random() < 0.8 else None
            new = article(n, rng.choice(SOURCES), None, published=published)
            new.cluster_id = new.id if cluster == "self" else cluster
            new.duplicate_of = new.cluster_id if new.cluster_id and new.cluster_id != new.id else None
            store.publish(new)
            stored[new.id] = new
            if new.cluster_id:
                store.settle_head(new.cluster_id)
        elif roll < 0.75:  # a revision; a cluster-less row may be given a cluster now (it moves)
            old = stored[rng.choice(sorted(stored))]
            again = article(int(old.url.rsplit("/", 1)[1]), old.source, old.cluster_id, body=f"نص معدل {step}.",
                            published=old.published_at)
            others = sorted({a.cluster_id for a in stored.values() if a.cluster_id})
            if old.cluster_id is None and others and rng.random() < 0.7:
                again.cluster_id = rng.choice(others)
                again.duplicate_of = again.cluster_id
            result = store.publish(again)
            stored[old.id] = result.article
            if result.article.cluster_id:
                store.settle_head(result.article.cluster_id)
        else:
            gone = rng.sample(sorted(stored), k=min(len(stored), rng.randint(1, 4)))
            remove(store, gone)
            for article_id in gone:
                del stored[article_id]
        check(store, clock)
    assert n > 20


def test_removing_a_head_and_the_last_member(store: Any, clock: Clock) -> None:
    first = article(1, "alpha", None, published=T0 - timedelta(hours=5))
    first.cluster_id = first.id
    store.publish(first)
    clock.now += timedelta(hours=2)
    copy = article(2, "beta", first.id, published=T0)
    store.publish(copy)
    store.settle_head(first.id)
    with store.engine.connect() as conn:
        row = conn.execute(select(t.clusters).where(t.clusters.c.cluster_id == first.id)).mappings().one()
    assert (row["size"], row["outlets"], row["head_id"]) == (2, 2, first.id)
    remove(store, [first.id])
    [group] = store.clusters()
    assert (group["members"], group["sources"], group["article_ids"]) == (1, ["beta"], [copy.id])
    assert group["first_at"] == group["last_at"] == T0 + timedelta(hours=2)
    with store.engine.connect() as conn:
        assert conn.execute(select(t.clusters.c.head_id)).scalar_one() == copy.id
    assert store.source_article_counts() == {"beta": 1} and store.count_articles() == 1
    remove(store, [copy.id])
    assert store.clusters() == [] and store.source_article_counts() == {} and store.count_articles() == 0
    with store.engine.connect() as conn:
        for table in (t.clusters, t.cluster_sources, t.source_stats, t.source_hours):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0, table.name


def test_backfill_rebuilds_what_publishing_kept(store: Any, clock: Clock) -> None:
    first = article(1, "alpha", None)
    first.cluster_id = first.id
    store.publish(first)
    for n in range(2, 7):
        clock.now += timedelta(minutes=47)
        store.publish(article(n, SOURCES[n % 3], first.id if n % 2 else None))
    store.settle_head(first.id)
    with store.engine.connect() as conn:
        before = summaries.kept(conn)
        hours = sorted(conn.execute(select(t.source_hours)).all())
    with store.engine.begin() as conn:
        summaries.backfill(conn)
    with store.engine.connect() as conn:
        assert summaries.kept(conn) == before == summaries.recount(conn)
        assert sorted(conn.execute(select(t.source_hours)).all()) == hours


def test_a_removal_takes_as_many_statements_for_forty_rows_as_for_four(store: Any, clock: Clock) -> None:
    """articles_removed is set-based: its statements do not grow with the rows, clusters, sources or hours."""
    ids: list[str] = []
    heads: list[str] = []
    for n in range(44):
        clock.now += timedelta(minutes=23)
        cluster = heads[n % 5] if len(heads) == 5 and n % 3 else None
        new = article(n, SOURCES[n % 3], cluster)
        if cluster is None and len(heads) < 5:
            new.cluster_id = new.id
            heads.append(new.id)
        store.publish(new)
        ids.append(new.id)
    statements: list[str] = []

    def removed(gone: list[str]) -> int:
        statements.clear()
        with store.engine.begin() as conn:
            a = t.articles.c
            rows = conn.execute(delete(t.articles).where(a.id.in_(gone))
                                .returning(a.id, a.source, a.cluster_id, a.stored_at, a.published_at)).mappings().all()
            event.listen(conn, "before_cursor_execute", lambda *args: statements.append(args[2]))
            summaries.articles_removed(conn, rows)
        return len(statements)

    few = removed(ids[5:9])
    assert few == removed(ids[9:])  # 35 rows over 5 clusters of several, 3 sources and 10 hours
    with store.engine.connect() as conn:
        assert summaries.kept(conn) == summaries.recount(conn)
    assert len({s.split()[0] for s in statements}) >= 2


def test_concurrent_publishers_and_removals_lose_no_count(store: Any) -> None:
    """Members of a few clusters from a few sources published by several connections at once (the outlets
    are kept by increment: a member from the same source may commit while another waits for the cluster's
    row), while another removes members: the summaries still equal a recount, and no writer deadlocks."""
    import threading

    heads = []
    for n in range(3):
        head = article(n, SOURCES[n], None)
        head.cluster_id = head.id
        store.publish(head)
        heads.append(head.id)
    errors: list[BaseException] = []
    published: list[str] = []
    lock = threading.Lock()

    def publisher(worker: int) -> None:
        try:
            for i in range(12):
                n = 100 + worker * 100 + i
                new = article(n, SOURCES[(worker + i) % 2], heads[i % 3] if i % 4 else None)
                if new.cluster_id is None and i % 8 == 0:
                    new.cluster_id = new.id
                store.publish(new)
                if new.cluster_id:
                    store.settle_head(new.cluster_id)
                with lock:
                    published.append(new.id)
        except BaseException as exc:
            errors.append(exc)

    def remover() -> None:
        try:
            for _ in range(6):
                with lock:
                    gone = published[:: max(1, len(published) // 2)][:2] if len(published) > 4 else []
                    for article_id in gone:
                        published.remove(article_id)
                if gone:
                    remove(store, gone)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=publisher, args=(w,)) for w in range(5)] + [threading.Thread(target=remover)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with store.engine.connect() as conn:
        assert summaries.kept(conn) == summaries.recount(conn)
        a = t.articles.c
        brute = dict(conn.execute(select(a.source, func.count()).group_by(a.source)).all())
    assert store.source_article_counts() == brute
