"""The store as the ports' repositories, on SQLite and PostgreSQL: typed rows out, and each row turned back by
the console edge (console/rows.py) into exactly the dict the store gives (same keys, order and values)."""

from __future__ import annotations

from datetime import timedelta

from console.rows import row_dict
from tests.adapters.test_store import make_article
from workers.adapters.repositories import StoreArticles, StoreFleet, StoreLedger, StoreSources
from workers.core.clock import utcnow
from workers.core.models import Source
from workers.core.rows import ArticleRef, ClusterRow, EventRow, FailureRow, FleetRow, LedgerRow, SourceRow


def test_sources_come_back_as_rows_equal_to_the_store_dicts(store) -> None:  # type: ignore[no-untyped-def]
    sources = StoreSources(store)
    sources.add(Source(name="rt", url="https://arabic.rt.com/rss/", timezone="Europe/Moscow"))
    sources.update("rt", recent_errors=[{"kind": "timeout", "message": "read timed out"}])
    row = sources.get("rt")
    assert isinstance(row, SourceRow) and row.timezone == "Europe/Moscow" and row.enabled
    assert row_dict(row) == store.get_source("rt") and list(row_dict(row)) == list(store.get_source("rt"))
    assert sources.get("none") is None
    (due,) = sources.claim_due(utcnow(), timedelta(minutes=10), 10)
    assert isinstance(due, SourceRow) and due.name == "rt"
    assert [r.name for r in sources.all()] == ["rt"]


def test_articles_ledger_failures_and_fleet_as_rows(store) -> None:  # type: ignore[no-untyped-def]
    articles, ledger, fleet = StoreArticles(store), StoreLedger(store), StoreFleet(store)
    article = make_article()
    article.cluster_id = "c1"
    published = articles.publish(article, urls=["https://news.example/feed-link"])
    assert published.status == "published"
    assert articles.first_with_hash(article.content_hash, exclude_id="other") == ArticleRef(article.id, "c1")
    assert articles.claimed("https://news.example/feed-link") == ArticleRef(article.id, "c1", None)
    (cluster,) = articles.clusters()
    assert isinstance(cluster, ClusterRow) and row_dict(cluster) == store.clusters()[0]
    (event,) = articles.events_since(0)
    assert isinstance(event, EventRow) and row_dict(event) == store.events_since(0)[0]

    job = {"key": "page:1", "kind": "page", "queue": "pages", "source": "demo", "url": "https://news.example/1",
           "args": {"url": "https://news.example/1", "source": "demo"}}
    assert ledger.enqueue_many([job], stale_after=timedelta(minutes=15)) == {"page:1"}
    (stale,) = ledger.stale(utcnow() + timedelta(days=1))
    assert isinstance(stale, LedgerRow) and row_dict(stale) == store.ledger_stale(utcnow() + timedelta(days=1))[0]
    failure_id = ledger.add_failure(task="akhbar.fetch_page", args=job["args"],
                                    error={"kind": "timeout", "message": "read timed out"}, attempts=6)
    failure = ledger.failure(failure_id)
    assert isinstance(failure, FailureRow) and row_dict(failure) == store.get_failure(failure_id)
    assert [row_dict(f) for f in ledger.failures()] == store.list_failures()

    fleet.heartbeat("host:1", hostname="host", pid=1, queues="pages", active=1, processed=3, started_at=utcnow(),
                    current={"task": "akhbar.fetch_page", "queue": "pages"})
    (worker,) = fleet.live_workers()
    assert isinstance(worker, FleetRow) and row_dict(worker) == store.live_workers()[0]
    assert fleet.acquire_lock("scheduler", "a", timedelta(seconds=30)) and fleet.lock_holder("scheduler") == "a"
