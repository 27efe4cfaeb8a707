"""The store on SQLite and PostgreSQL: idempotent publish, revisions, the seen set, ledger, lease lock."""

from __future__ import annotations

from datetime import timedelta

from workers.core.clock import utcnow
from workers.core.models import Article, Source


def make_article(url: str = "https://news.example/a/1", body: str = "نص الخبر الأول.\n\nفقرة ثانية.") -> Article:
    return Article(url=url, canonical_url=url, source="demo", title="عنوان", body=body, tags=["وسم"],
                   published_at=utcnow())


def test_publish_is_idempotent_and_revisions_rise(store) -> None:  # type: ignore[no-untyped-def]
    first = store.publish(make_article())
    assert first.status == "published"
    again = store.publish(make_article())
    assert again.status == "unchanged" and again.article.revision == 1
    changed = store.publish(make_article(body="نص معدل بعد التحديث."))
    assert changed.status == "updated" and changed.article.revision == 2
    assert store.count_articles() == 1
    assert [e["kind"] for e in store.events_since(0)] == ["published", "updated"]
    stored = store.get_article(first.article.id)
    assert stored is not None and stored.revision == 2 and stored.body == "نص معدل بعد التحديث."


def test_every_url_that_led_to_an_article_is_seen(store) -> None:  # type: ignore[no-untyped-def]
    article = make_article()
    assert store.known_urls([article.url, "https://feed.example/x"]) == set()
    store.publish(article, urls=["https://feed.example/x"])
    assert store.known_urls([article.url, "https://feed.example/x", "https://other/"]) == {
        article.url, "https://feed.example/x"}


def test_article_offsets_survive_the_round_trip(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    article = make_article()
    article.published_at = datetime.fromisoformat("2026-11-15T10:30:00+02:00")
    store.publish(article)
    assert store.get_article(article.id).to_dict()["published_at"] == "2026-11-15T10:30:00+02:00"


def test_search_over_normalised_arabic(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(make_article(body="أعلنت الوزارة إطلاق المشروع."))
    assert len(store.list_articles(q="اطلاق")) == 1  # hamza folded on both sides
    assert store.list_articles(q="غائب") == []


def test_sources_sync_claim_and_lease(store) -> None:  # type: ignore[no-untyped-def]
    store.sync_sources([Source("a", "https://a.example/rss"), Source("b", "https://b.example/rss")])
    now = utcnow()
    claimed = store.claim_due_sources(now, timedelta(minutes=10), 100)
    assert {s["name"] for s in claimed} == {"a", "b"}
    assert store.claim_due_sources(now, timedelta(minutes=10), 100) == []  # leased, not due again
    assert {s["name"] for s in store.claim_due_sources(now + timedelta(minutes=11), timedelta(minutes=10), 100)} \
        == {"a", "b"}  # a lost job's lease runs out: the source is due again
    store.sync_sources([Source("a", "https://a.example/rss")])
    assert [s["name"] for s in store.list_sources()] == ["a"]


def test_runtime_sources_survive_a_file_sync(store) -> None:  # type: ignore[no-untyped-def]
    store.add_source(Source("rt", "https://rt.example/rss", origin="runtime"))
    store.sync_sources([Source("a", "https://a.example/rss")])
    assert {s["name"] for s in store.list_sources()} == {"a", "rt"}


def test_ledger_dedupes_live_jobs_but_not_stale_ones(store) -> None:  # type: ignore[no-untyped-def]
    args = {"url": "u"}
    kw = {"kind": "page", "queue": "pages", "source": "s", "url": "u", "args": args}
    assert store.ledger_enqueue("k", stale_after=timedelta(minutes=5), **kw)
    assert not store.ledger_enqueue("k", stale_after=timedelta(minutes=5), **kw)
    assert store.ledger_enqueue("k", stale_after=timedelta(seconds=0), **kw)  # stale: sent again
    assert store.ledger_enqueue("k", stale_after=timedelta(minutes=5), force=True, **kw)
    assert store.ledger_counts() == {"pages": {"queued": 1}}
    store.ledger_update("k", "done")
    assert store.ledger_counts() == {}
    assert store.ledger_enqueue("k", stale_after=timedelta(minutes=5), **kw)  # done jobs can run again


def test_lease_lock_is_exclusive_until_it_expires(store) -> None:  # type: ignore[no-untyped-def]
    assert store.acquire_lock("scheduler", "one", timedelta(seconds=30))
    assert not store.acquire_lock("scheduler", "two", timedelta(seconds=30))
    assert store.acquire_lock("scheduler", "one", timedelta(seconds=30))  # renewal
    assert store.acquire_lock("other", "two", timedelta(seconds=30))
    store.release_lock("scheduler", "one")
    assert store.acquire_lock("scheduler", "two", timedelta(seconds=-1))  # expired immediately
    assert store.acquire_lock("scheduler", "three", timedelta(seconds=30))


def test_failures_keep_what_failed(store) -> None:  # type: ignore[no-untyped-def]
    fid = store.add_failure(task="akhbar.fetch_page", args={"url": "https://x/", "source": "s"},
                            error={"kind": "http_status", "message": "HTTP 404", "status": 404}, attempts=1)
    row = store.get_failure(fid)
    assert row["url"] == "https://x/" and row["status"] == 404 and row["error_kind"] == "http_status"
    assert store.drop_failure(fid) and store.get_failure(fid) is None


def test_concurrent_publish_of_one_article_makes_one_row(store) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: store.publish(make_article()).status, range(8)))
    assert results.count("published") == 1 and store.count_articles() == 1


def test_failed_jobs_wait_out_their_cooldown(store) -> None:  # type: ignore[no-untyped-def]
    kw = {"kind": "page", "queue": "pages", "source": "s", "url": "u", "args": {}}
    assert store.ledger_enqueue("f", stale_after=timedelta(minutes=5), **kw)
    store.ledger_update("f", "failed", error={"kind": "http_status"})
    assert not store.ledger_enqueue("f", stale_after=timedelta(minutes=5), failed_cooldown=timedelta(hours=1), **kw)
    assert store.ledger_enqueue("f", stale_after=timedelta(minutes=5), failed_cooldown=timedelta(0), **kw)
    store.ledger_update("f", "failed")
    assert store.ledger_enqueue("f", stale_after=timedelta(minutes=5), failed_cooldown=timedelta(hours=1),
                                force=True, **kw)  # an operator's re-fetch goes regardless


def test_clusters_list_members_and_outlets(store) -> None:  # type: ignore[no-untyped-def]
    first = make_article("https://a.example/1")
    store.publish(first)
    copy = make_article("https://b.example/1", body="نص آخر منقول عن الخبر نفسه.")
    copy.source, copy.cluster_id, copy.duplicate_of = "other", first.id, first.id
    store.publish(copy)
    store.publish(make_article("https://c.example/1", body="خبر مستقل تماماً."))
    groups = {g["cluster_id"]: g for g in store.clusters()}
    assert groups[first.id]["members"] == 2 and groups[first.id]["sources"] == ["demo", "other"]
    assert groups[first.id]["article_ids"] == [first.id, copy.id]
    assert sorted(g["members"] for g in groups.values()) == [1, 2]


def test_articles_sort_by_publication_or_by_time_stored(store) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    older_news = make_article("https://news.example/a/old", body="خبر قديم نشر أولا.")
    older_news.published_at = now - timedelta(days=2)
    undated = make_article("https://news.example/a/undated", body="خبر بلا تاريخ.")
    undated.published_at = None
    newest = make_article("https://news.example/a/new", body="خبر جديد نشر اليوم.")
    newest.published_at = now - timedelta(hours=1)
    for article in (newest, undated, older_news):  # stored in this order: the oldest news stored last
        store.publish(article)
    by_published = [a.url.rsplit("/", 1)[1] for a in store.list_articles(sort="published")]
    assert by_published == ["new", "old", "undated"]
    by_stored = [a.url.rsplit("/", 1)[1] for a in store.list_articles(sort="stored")]
    assert by_stored[0] == "old"


def test_a_pooled_connection_dropped_while_idle_is_replaced(pg_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """make_engine pings a connection that sat idle (not every checkout): one the server dropped meanwhile is
    replaced before use, so a publish after a database restart does not fail."""
    import psycopg

    from config.settings import Settings
    from workers.adapters import store as store_module
    from workers.adapters.store import Store

    store = Store.from_url(Settings(store_url=pg_url).sqlalchemy_store_url)
    store.migrate()
    with store.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    with psycopg.connect(pg_url.split("?", 1)[0], autocommit=True) as other:  # the pooled one's backend ends
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    monkeypatch.setattr(store_module, "PING_IDLE", 0.0)
    for n in range(3):  # whichever pooled connection each checkout gets
        assert store.publish(make_article(f"https://news.example/a/{n}")).status == "published"
    store.engine.dispose()
