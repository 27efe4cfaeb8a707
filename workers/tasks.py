"""Thin Celery tasks: keys in, one service call, the retry policy's answer carried out, the outcome in the ledger.

What to do after a failure is decided by `workers/core/retry.py` (pure); the heartbeat, metrics sink and
process start-up live in `workers/process.py`.
"""

from __future__ import annotations

import logging
import random
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass

from billiard.exceptions import SoftTimeLimitExceeded
from celery import Task
from celery.exceptions import Reject

from config.settings import Settings
from workers import services
from workers.adapters.outages import describe, is_outage
from workers.app import app
from workers.core.errors import AkhbarError, InternalError, TimeoutFetchError
from workers.core.retry import GiveUp, RetryIn, RetryPolicy, next_step
from workers.logs import log_outcome
from workers.names import FETCH_PAGE, FETCH_SOURCE
from workers.process import running
from workers.runtime import Runtime, get_runtime

LOG = logging.getLogger("akhbar.tasks")


def _jitter() -> random.Random:
    """A generator seeded afresh for each decision: one made at import would be copied into every forked pool
    process, which would then draw the same countdowns and retry in step."""
    return random.Random()


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(max_retries=settings.max_retries, backoff_max=settings.retry_backoff_max,
                       max_stalls=settings.outage_max_stalls)


@dataclass(frozen=True, slots=True)
class PageJob:
    """One fetch_page job's arguments, as its ledger row and dead letter keep them."""

    url: str
    source: str
    key: str
    manual: bool
    title: str | None
    started: float

    def args(self) -> dict[str, object]:
        return {"url": self.url, "source": self.source, "key": self.key, "manual": self.manual, "title": self.title}


def _running(task: Task, *, source: str | None, url: str | None) -> AbstractContextManager[None]:
    queue = (task.request.delivery_info or {}).get("routing_key") or ""
    return running(task.name, queue=queue, source=source, url=url)


@app.task(bind=True, name=FETCH_SOURCE, max_retries=0)
def fetch_source(self: Task, source: str, key: str | None = None, manual: bool = False, stalls: int = 0) -> str:
    """Poll a source. Its failures are not retried here: the source's backoff decides the next poll."""
    try:
        return _fetch_source(self, source, key, manual)
    except Exception as exc:
        if not is_outage(exc):
            raise
        return _stall(self, exc, stalls, source=source, url=None)


def _fetch_source(self: Task, source: str, key: str | None, manual: bool) -> str:
    rt = get_runtime()
    with _running(self, source=source, url=None):
        try:
            outcome = services.refresh_source(rt, source)
        except SoftTimeLimitExceeded:
            exc = TimeoutFetchError("the poll ran past the soft time limit")
            row = rt.sources.get(source)
            if row:
                services.record_source_failure(rt, row, exc)
            outcome = services.RefreshOutcome("failed", error=exc)
    rt.ledger.update(key or f"feed:{source}", "done" if outcome.error is None else "failed",
                           error=outcome.error.to_record() if outcome.error else None)
    return outcome.result


@app.task(bind=True, name=FETCH_PAGE, max_retries=None)
def fetch_page(self: Task, url: str, source: str, key: str, manual: bool = False,
               title: str | None = None, stalls: int = 0) -> str:
    """Fetch, extract, dedupe and publish one page; transient failures retry with backoff and jitter."""
    try:
        return _fetch_page(self, PageJob(url, source, key, manual, title, time.monotonic()), stalls)
    except Exception as exc:
        if not is_outage(exc):
            raise
        return _stall(self, exc, stalls, source=source, url=url)


def _fetch_page(self: Task, job: PageJob, stalls: int) -> str:
    rt = get_runtime()
    attempt = self.request.retries - stalls  # retries spent waiting out an outage are not the page's attempts
    with _running(self, source=job.source, url=job.url):
        try:
            outcome = services.ingest_page(rt, job.url, job.source)
        except Exception as raw:
            if not isinstance(raw, AkhbarError | SoftTimeLimitExceeded) and is_outage(raw):
                raise  # the store or Redis is away or full, not this page's fault: fetch_page stalls it
            exc = _as_error(raw, job.url)
            step = next_step(exc, attempt, stalls, retry_policy(rt.settings), rng=_jitter())
            if isinstance(step, RetryIn):
                rt.ledger.update(job.key, "retrying", error=exc.to_record(), attempts=attempt + 1)
                log_outcome("fetch_page", source=job.source, url=job.url, result=f"retry:{exc.kind}",
                            duration=time.monotonic() - job.started, attempt=attempt + 1,
                            countdown=round(step.seconds))
                raise self.retry(countdown=step.seconds, exc=exc) from None
            return _dead_letter(rt, job, exc, attempts=attempt + 1)
    rt.ledger.update(job.key, "done", attempts=attempt + 1)
    return outcome.result


def _as_error(raw: Exception, url: str) -> AkhbarError:
    """What went wrong, in the error tree: a time limit is a timeout; anything unforeseen is an internal error
    (a bug on one page must not poison the queue: it is kept for replay)."""
    if isinstance(raw, AkhbarError):
        return raw
    if isinstance(raw, SoftTimeLimitExceeded):
        return TimeoutFetchError("the page job ran past the soft time limit", url=url)
    LOG.exception("fetch_page crashed on %s", url)
    return InternalError.wrap(raw, url=url)


def _stall(task: Task, exc: BaseException, stalls: int, *, source: str, url: str | None) -> str:
    """The store or Redis is away or full: run the job again later. It spends none of its attempts and writes
    no dead letter (whose table may be what is down); waits grow with each stall up to the backoff ceiling.

    A retry is a delayed message the worker holds in memory until it is due (Celery's ETA). A job that has
    stalled `outage_max_stalls` times, or whose retry the broker itself refuses, is released instead: it
    returns "released" (the message is acked, no retry sent) and its ledger row stays queued, so the
    scheduler sends it again once the row is stale and the store answers. A long outage thus costs ledger
    rows, not worker memory; `max_delayed_jobs` caps how many delayed jobs one worker takes in meanwhile
    (the rest wait in the broker)."""
    job = task.name.removeprefix("akhbar.")
    error = describe(exc)
    step = next_step(exc, 0, stalls, retry_policy(get_runtime().settings), rng=_jitter(), outage=True)
    if isinstance(step, GiveUp):
        log_outcome(job, source=source, url=url, result="released:outage", duration=0.0, error=error,
                    stall=stalls + 1, note="left to the job ledger, which sends it again when stale")
        return "released"
    assert isinstance(step, RetryIn)
    log_outcome(job, source=source, url=url, result="retry:outage", duration=0.0, error=error,
                stall=stalls + 1, countdown=round(step.seconds, 1))
    kwargs = {**(task.request.kwargs or {}), "stalls": stalls + 1}
    try:
        # max_retries=None would mean the task's own limit (fetch_source has 0, so its stall raised the error
        # and dropped the poll to the ledger's slow heal): one more than spent, whatever the task's limit
        raise task.retry(countdown=step.seconds, exc=exc, max_retries=task.request.retries + 1,
                         kwargs=kwargs) from None
    except Reject as refused:  # the broker refused the retry message too (Redis full or away)
        log_outcome(job, source=source, url=url, result="released:outage", duration=0.0,
                    error=describe(refused), stall=stalls + 1,
                    note="retry refused by the broker; left to the job ledger, which sends it again when stale")
        return "released"


def _dead_letter(rt: Runtime, job: PageJob, exc: AkhbarError, *, attempts: int) -> str:
    """Keep what could not be done: a failure record to replay, the source's health, the ledger."""
    services.dead_letter_page(rt, job.args(), exc, attempts=attempts)
    log_outcome("fetch_page", source=job.source, url=job.url, result=f"failed:{exc.kind}",
                duration=time.monotonic() - job.started, error=exc.message)
    return "failed"
