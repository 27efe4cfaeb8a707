"""Putting jobs on the queues: one idempotency key per job, recorded in the ledger before it is sent."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta

from workers.adapters.store import url_key
from workers.runtime import Runtime

FEEDS, PAGES, MANUAL = "feeds", "pages", "manual"
QUEUES = (MANUAL, FEEDS, PAGES)
FETCH_SOURCE = "akhbar.fetch_source"
FETCH_PAGE = "akhbar.fetch_page"


def source_key(name: str) -> str:
    return f"feed:{name}"


def page_key(url: str) -> str:
    return f"page:{url_key(url)}"


def enqueue_source(rt: Runtime, name: str, *, manual: bool = False, force: bool = False) -> bool:
    """Queue a poll of one source; False when one is already waiting (manual or forced requests still go)."""
    key = source_key(name)
    queue = MANUAL if manual else FEEDS
    kwargs = {"source": name, "key": key, "manual": manual}
    if not rt.store.ledger_enqueue(key, kind="feed", queue=queue, source=name, url=None, args=kwargs,
                                   stale_after=timedelta(seconds=rt.settings.job_stale_after), force=manual or force):
        return False
    rt.celery.send_task(FETCH_SOURCE, kwargs=kwargs, queue=queue)
    return True


def _batch(producer):  # type: ignore[no-untyped-def]
    batch = getattr(producer, "batch", None)
    return batch() if batch is not None else nullcontext()


def enqueue_sources(rt: Runtime, names: list[str], *, force: bool = False) -> list[str]:
    """enqueue_source for a scheduler tick's batch: one ledger statement, one broker connection."""
    jobs = [{"key": source_key(n), "kind": "feed", "queue": FEEDS, "source": n, "url": None,
             "args": {"source": n, "key": source_key(n), "manual": False}} for n in names]
    accepted = rt.store.ledger_enqueue_many(jobs, stale_after=timedelta(seconds=rt.settings.job_stale_after),
                                            force=force)
    sent = [job for job in jobs if job["key"] in accepted]
    if sent:
        # one pipelined round trip for the whole batch on Redis (kombu's producer batch); other
        # transports publish one by one inside it
        with rt.celery.producer_or_acquire() as producer, _batch(producer):
            for job in sent:
                rt.celery.send_task(FETCH_SOURCE, kwargs=job["args"], queue=FEEDS, producer=producer,
                                    argsrepr="()", kwargsrepr=repr(job["args"]["source"]))
    return [job["source"] for job in sent]


def enqueue_page(rt: Runtime, url: str, source: str, *, manual: bool = False,
                 title: str | None = None, force: bool = False) -> bool:
    """Queue a page fetch; skipped when the same URL is already waiting and not stale."""
    key = page_key(url)
    queue = MANUAL if manual else PAGES
    kwargs = {"url": url, "source": source, "key": key, "manual": manual, "title": title}
    if not rt.store.ledger_enqueue(key, kind="page", queue=queue, source=source, url=url, args=kwargs,
                                   stale_after=timedelta(seconds=rt.settings.job_stale_after), force=manual or force,
                                   failed_cooldown=timedelta(seconds=rt.settings.failed_retry_after)):
        return False
    rt.celery.send_task(FETCH_PAGE, kwargs=kwargs, queue=queue)
    return True


def requeue_stale(rt: Runtime, limit: int = 500, older_than: float | None = None) -> int:
    """Send again the ledger's jobs that never finished (a wiped broker, a killed worker)."""
    from workers.adapters.schema import utcnow

    age = rt.settings.job_stale_after if older_than is None else older_than
    stale = rt.store.ledger_stale(utcnow() - timedelta(seconds=age), limit)
    force = older_than is not None
    for job in stale:
        args = job["args"] or {}
        if job["kind"] == "feed":
            enqueue_source(rt, job["source"], manual=job["queue"] == MANUAL, force=force)
        elif job["url"]:
            enqueue_page(rt, job["url"], job["source"] or "", manual=job["queue"] == MANUAL,
                         title=args.get("title"), force=force)
    return len(stale)
