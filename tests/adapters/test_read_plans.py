"""EXPLAIN of the hot reads on PostgreSQL: each is an index or summary access, never a scan of articles.

The store is filled by bulk insert (40,000 articles over 200 sources, a fifth in clusters, 40,000 events)
and ANALYZEd, so the planner chooses as it would on an archive; then the SQL the store itself sends for
the clusters page, the status/sources counts, count_articles, article pages by cursor (with and without a
source) and events is captured and explained with its own parameters. `-s` prints the plans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from workers.adapters import summaries
from workers.adapters.store import Store

N = 40_000
T_END = datetime(2026, 11, 30, tzinfo=UTC)


@pytest.fixture
def filled(pg_url: str) -> Iterator[Store]:
    from config.settings import Settings

    store = Store.from_url(Settings(store_url=pg_url).sqlalchemy_store_url)
    store.migrate()
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"""
            INSERT INTO articles (id, url, canonical_url, source, title, content_hash, cluster_id, duplicate_of,
                                  revision, published_at, fetched_at, stored_at, changed_at, data)
            SELECT md5(g::text), 'https://x.example/' || g, 'https://x.example/' || g, 'src-' || mod(g, 200),
                   'خبر ' || g, md5('c' || g),
                   CASE WHEN mod(g, 5) = 0 THEN md5((g - mod(g, 10) + 1)::text) ELSE md5(g::text) END,
                   NULL, 1, ts - interval '2 hours', ts, ts, ts,
                   json_build_object('url', 'https://x.example/' || g, 'canonical_url', 'https://x.example/' || g,
                                     'source', 'src-' || mod(g, 200), 'title', 'خبر ' || g, 'body', 'نص')
            FROM (SELECT g, TIMESTAMPTZ '{T_END.isoformat()}' - g * interval '25 minutes' AS ts
                  FROM generate_series(1, {N}) g) s""")
        conn.exec_driver_sql(f"""
            INSERT INTO events (kind, article_id, revision, at)
            SELECT 'published', md5(g::text), 1, TIMESTAMPTZ '{T_END.isoformat()}' - g * interval '25 minutes'
            FROM generate_series(1, {N}) g""")
        summaries.backfill(conn)
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    yield store
    store.engine.dispose()


@contextmanager
def captured(store: Store) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "pg_advisory" not in statement:
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)


def plans(store: Store, call: Callable[[], Any]) -> list[str]:
    with captured(store) as statements:
        call()
    out = []
    with store.engine.connect() as conn:
        for statement, parameters in statements:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            out.append("\n".join(r[0] for r in rows))
    return out


def test_hot_reads_use_indexes_or_summaries(filled: Store) -> None:
    store = filled
    first, following = store.articles_page(limit=100)
    assert len(first) == 100 and following
    _, by_source = store.articles_page(limit=20, source="src-7")
    assert by_source
    deep: str | None = following
    for _ in range(5):
        deep = store.articles_page(limit=100, cursor=deep)[1]
    now = T_END + timedelta(minutes=10)
    hot: dict[str, Callable[[], Any]] = {
        "clusters page": lambda: store.clusters(100),
        "sources: articles per source": lambda: store.source_article_counts(),
        "status: articles per source, last 24 h": lambda: store.source_article_counts(now - timedelta(hours=24)),
        "status: articles in the last hour": lambda: store.source_article_counts(now - timedelta(minutes=60)),
        "count_articles": store.count_articles,
        "articles, first page": lambda: store.articles_page(limit=100),
        "articles, page 7 by cursor": lambda: store.articles_page(limit=100, cursor=deep),
        "articles by source, next page by cursor": lambda: store.articles_page(limit=20, source="src-7",
                                                                               cursor=by_source),
        "articles by publication time, by cursor": lambda: store.articles_page(
            limit=100, sort="published", cursor=store.articles_page(limit=100, sort="published")[1]),
        "events after an id": lambda: store.events_since(N - 500, limit=100),
        "ledger counts": store.ledger_counts,
        "activity since (throughput)": lambda: store.activity_since(now - timedelta(minutes=15)),
    }
    report = []
    for name, call in hot.items():
        for plan in plans(store, call):
            report.append(f"-- {name}\n{plan}")
            assert "Seq Scan on articles" not in plan, (name, plan)
            assert "Seq Scan on events" not in plan, (name, plan)
            assert "Seq Scan on clusters" not in plan, (name, plan)
    print("\n\n".join(report))
    assert len(report) >= len(hot)
