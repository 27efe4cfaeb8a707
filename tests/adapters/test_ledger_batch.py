"""The scheduler's batched ledger write: one statement for a tick, the same rules as ledger_enqueue."""

from __future__ import annotations

from datetime import timedelta


def _jobs(*names: str) -> list[dict]:
    return [{"key": f"feed:{n}", "kind": "feed", "queue": "feeds", "source": n, "url": None,
             "args": {"source": n, "key": f"feed:{n}", "manual": False}} for n in names]


def test_batch_skips_live_jobs_and_takes_stale_or_finished_ones(store) -> None:  # type: ignore[no-untyped-def]
    hour = timedelta(hours=1)
    assert store.ledger_enqueue_many(_jobs("a", "b"), stale_after=hour) == {"feed:a", "feed:b"}
    assert store.ledger_enqueue_many(_jobs("a", "b", "c"), stale_after=hour) == {"feed:c"}  # a, b still queued
    store.ledger_update("feed:a", "done")
    assert store.ledger_enqueue_many(_jobs("a", "b"), stale_after=hour) == {"feed:a"}
    assert store.ledger_enqueue_many(_jobs("b"), stale_after=timedelta(seconds=-1)) == {"feed:b"}  # stale
    assert store.ledger_enqueue_many(_jobs("a", "b"), stale_after=hour, force=True) == {"feed:a", "feed:b"}
    assert store.ledger_enqueue_many([], stale_after=hour) == set()
    assert store.ledger_counts() == {"feeds": {"queued": 3}}


def test_tick_queues_each_due_source_once(store, redis_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two ticks in a row on a real Redis broker: the second finds the sources leased and queues nothing."""
    import redis

    from config.settings import Settings
    from scheduler.tick import tick
    from workers.app import make_app
    from workers.core.models import Source
    from workers.runtime import Runtime

    settings = Settings(data_dir=tmp_path, broker_url=redis_url)
    rt = Runtime(settings)
    rt.__dict__["store"] = store
    rt.__dict__["celery"] = make_app(settings)
    store.sync_sources([Source(f"s{i}", f"https://s{i}.example/rss") for i in range(5)])
    assert sorted(tick(rt)) == [f"s{i}" for i in range(5)]
    assert tick(rt) == []
    messages = redis.Redis.from_url(redis_url).lrange("feeds", 0, -1)
    sent = sorted(_task_kwargs(m)["source"] for m in messages)
    assert sent == [f"s{i}" for i in range(5)]


def _task_kwargs(raw: bytes) -> dict:
    """kwargs of a Celery protocol-2 message as kombu's Redis transport stores it (JSON, base64 body)."""
    import base64
    import json

    return json.loads(base64.b64decode(json.loads(raw)["body"]))[1]


def test_page_batch_respects_live_and_failed_jobs(store) -> None:  # type: ignore[no-untyped-def]
    """A re-read feed during a backlog: queued pages are not sent twice, a recent failure waits its cooldown."""
    from datetime import timedelta

    jobs = [{"key": f"page:{i}", "kind": "page", "queue": "pages", "source": "s", "url": f"https://x/{i}",
             "args": {}} for i in range(3)]
    hour = timedelta(hours=1)
    assert store.ledger_enqueue_many(jobs, stale_after=hour, failed_cooldown=hour) == {"page:0", "page:1", "page:2"}
    store.ledger_update("page:0", "done")
    store.ledger_update("page:1", "failed")
    again = store.ledger_enqueue_many(jobs, stale_after=hour, failed_cooldown=hour)
    assert again == {"page:0"}  # done may run again; page:1 waits out its cooldown; page:2 is still queued
    assert store.ledger_enqueue_many(jobs, stale_after=hour, failed_cooldown=timedelta(0)) == {"page:1"}
