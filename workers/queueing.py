"""Putting jobs on the queues: one idempotency key per job, recorded in the ledger before it is sent."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import TYPE_CHECKING

from workers.adapters.outages import is_outage
from workers.core.urls import url_key
from workers.names import FEEDS, FETCH_PAGE, FETCH_SOURCE, MANUAL, PAGES

if TYPE_CHECKING:  # the runtime builds a CeleryJobQueue: only its type is needed here
    from workers.runtime import Runtime


def source_key(name: str) -> str:
    return f"feed:{name}"


def page_key(url: str) -> str:
    return f"page:{url_key(url)}"


def enqueue_source(rt: Runtime, name: str, *, manual: bool = False, force: bool = False) -> bool:
    """Queue a poll of one source; False when one is already waiting (manual or forced requests still go)."""
    return bool(_enqueue_many(rt, FETCH_SOURCE, [_source_job(name, manual=manual)], force=manual or force))


def _source_job(name: str, *, manual: bool) -> dict:
    key = source_key(name)
    return {"key": key, "kind": "feed", "queue": MANUAL if manual else FEEDS, "source": name, "url": None,
            "args": {"source": name, "key": key, "manual": manual}}


def _batch(producer: object) -> AbstractContextManager[object]:
    batch = getattr(producer, "batch", None)
    return batch() if batch is not None else nullcontext()


def _enqueue_many(rt: Runtime, task: str, jobs: list[dict], *, force: bool = False,
                  failed_cooldown: timedelta | None = None) -> list[dict]:
    """Record a batch in the ledger with one statement, then send what it accepted in one pipelined
    round trip on Redis (kombu's producer batch; other transports publish one by one inside it)."""
    accepted = rt.ledger.enqueue_many(jobs, stale_after=timedelta(seconds=rt.settings.job_stale_after),
                                      force=force, failed_cooldown=failed_cooldown)
    sent = [job for job in jobs if job["key"] in accepted]
    if sent:
        try:
            with rt.celery.producer_or_acquire() as producer, _batch(producer):
                for job in sent:
                    rt.celery.send_task(task, kwargs=job["args"], queue=job["queue"], producer=producer,
                                        argsrepr="()", kwargsrepr=repr(job["url"] or job["source"]))
        except Exception as exc:
            if is_outage(exc):
                _mark_unsent(rt, [job["key"] for job in sent])
            raise
    return sent


def _mark_unsent(rt: Runtime, keys: list[str]) -> None:
    """A broker that refused the batch (away, or full at maxmemory) leaves its ledger rows stale at once, so
    the scheduler's next heal sends them again instead of waiting out AKHBAR_JOB_STALE_AFTER."""
    try:
        rt.ledger.mark_stale(keys)
    except Exception as exc:  # the store may be the thing that is away: the rows then go stale by age
        if not is_outage(exc):
            raise


def enqueue_sources(rt: Runtime, names: list[str], *, force: bool = False) -> list[str]:
    """enqueue_source for a scheduler tick's batch."""
    jobs = [_source_job(n, manual=False) for n in names]
    return [job["source"] for job in _enqueue_many(rt, FETCH_SOURCE, jobs, force=force)]


def enqueue_pages(rt: Runtime, items: list[tuple[str, str | None]], source: str) -> int:
    """enqueue_page for every (url, title) a poll found unseen: a feed re-read during a backlog costs one
    statement, not one transaction per item. Returns how many were sent."""
    jobs = [_page_job(url, source, title, manual=False) for url, title in items]
    sent = _enqueue_many(rt, FETCH_PAGE, jobs,
                         failed_cooldown=timedelta(seconds=rt.settings.failed_retry_after))
    return len(sent)


def _page_job(url: str, source: str, title: str | None, *, manual: bool) -> dict:
    key = page_key(url)
    return {"key": key, "kind": "page", "queue": MANUAL if manual else PAGES, "source": source, "url": url,
            "args": {"url": url, "source": source, "key": key, "manual": manual, "title": title}}


def enqueue_page(rt: Runtime, url: str, source: str, *, manual: bool = False,
                 title: str | None = None, force: bool = False) -> bool:
    """Queue a page fetch; skipped when the same URL is already waiting and not stale."""
    return bool(_enqueue_many(rt, FETCH_PAGE, [_page_job(url, source, title, manual=manual)], force=manual or force,
                              failed_cooldown=timedelta(seconds=rt.settings.failed_retry_after)))


def requeue_stale(rt: Runtime, limit: int = 500, older_than: float | None = None) -> int:
    """Send again the ledger's jobs that never finished (a wiped broker, a killed worker)."""
    from workers.core.clock import utcnow

    age = rt.settings.job_stale_after if older_than is None else older_than
    stale = rt.ledger.stale(utcnow() - timedelta(seconds=age), limit)
    force = older_than is not None
    for job in stale:
        args = job.args or {}
        if job.kind == "feed":
            enqueue_source(rt, job.source or "", manual=job.queue == MANUAL, force=force)
        elif job.url:
            enqueue_page(rt, job.url, job.source or "", manual=job.queue == MANUAL,
                         title=args.get("title"), force=force)
    return len(stale)


class CeleryJobQueue:
    """The JobQueue port (workers/ports.py): jobs recorded in the ledger, then sent on the Celery broker."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def enqueue_pages(self, items: list[tuple[str, str | None]], source: str) -> int:
        return enqueue_pages(self.rt, items, source)

    def enqueue_sources(self, names: list[str], *, force: bool = False) -> list[str]:
        return enqueue_sources(self.rt, names, force=force)
