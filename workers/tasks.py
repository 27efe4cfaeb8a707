"""Thin Celery tasks: keys in, one service call, retry policy here, the outcome into the job ledger."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from billiard.exceptions import SoftTimeLimitExceeded
from celery import Task, signals
from celery.exceptions import Reject

from workers import services
from workers.adapters.outages import describe, is_outage
from workers.app import app
from workers.core.clock import utcnow
from workers.core.errors import AkhbarError, TimeoutFetchError, TransientFetchError
from workers.core.extract.language import load_model as load_language_model
from workers.core.schedule import retry_countdown
from workers.logs import add_outcome_sink, configure_logging, log_outcome
from workers.names import FETCH_PAGE, FETCH_SOURCE
from workers.runtime import get_runtime
from workers.telemetry import record_outcome

LOG = logging.getLogger("akhbar.tasks")
add_outcome_sink(record_outcome)  # every outcome also counts in the fleet-wide metrics


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
    with _active(self, source=source, url=None):
        try:
            outcome = services.refresh_source(rt, source)
        except SoftTimeLimitExceeded:
            exc = TimeoutFetchError("the poll ran past the soft time limit")
            row = rt.sources.get(source)
            if row:
                services.record_source_failure(rt, row, exc)
            outcome = services.RefreshOutcome("failed", error=exc)
    rt.store.ledger_update(key or f"feed:{source}", "done" if outcome.error is None else "failed",
                           error=outcome.error.to_record() if outcome.error else None)
    return outcome.result


@app.task(bind=True, name=FETCH_PAGE, max_retries=None)
def fetch_page(self: Task, url: str, source: str, key: str, manual: bool = False,
               title: str | None = None, stalls: int = 0) -> str:
    """Fetch, extract, dedupe and publish one page; transient failures retry with backoff and jitter."""
    try:
        return _fetch_page(self, url, source, key, manual, title, stalls)
    except Exception as exc:
        if not is_outage(exc):
            raise
        return _stall(self, exc, stalls, source=source, url=url)


def _fetch_page(self: Task, url: str, source: str, key: str, manual: bool, title: str | None, stalls: int) -> str:
    rt = get_runtime()
    attempt = self.request.retries - stalls  # retries spent waiting out an outage are not the page's attempts
    started = time.monotonic()
    with _active(self, source=source, url=url):
        try:
            outcome = services.ingest_page(rt, url, source)
        except (TransientFetchError, SoftTimeLimitExceeded) as raw:
            exc = raw if isinstance(raw, AkhbarError) else TimeoutFetchError(
                "the page job ran past the soft time limit", url=url)
            if attempt < rt.settings.max_retries:
                rt.store.ledger_update(key, "retrying", error=exc.to_record(), attempts=attempt + 1)
                countdown = retry_countdown(attempt, ceiling=rt.settings.retry_backoff_max,
                                            retry_after=getattr(exc, "retry_after", None))
                log_outcome("fetch_page", source=source, url=url, result=f"retry:{exc.kind}",
                            duration=time.monotonic() - started, attempt=attempt + 1, countdown=round(countdown))
                raise self.retry(countdown=countdown, exc=exc) from None
            return _dead_letter(rt, key, url, source, manual, title, exc, attempt, started)
        except AkhbarError as exc:
            return _dead_letter(rt, key, url, source, manual, title, exc, attempt, started)
        except Exception as exc:  # a bug on one page must not poison the queue; keep it for replay
            if is_outage(exc):
                raise  # the store or Redis is away or full, not this page's fault: fetch_page retries it
            LOG.exception("fetch_page crashed on %s", url)
            wrapped = AkhbarError(f"internal error: {type(exc).__name__}: {exc}", url=url)
            wrapped.kind = "internal"
            return _dead_letter(rt, key, url, source, manual, title, wrapped, attempt, started)
    rt.store.ledger_update(key, "done", attempts=attempt + 1)
    return outcome.result


def _stall(task: Task, exc: BaseException, stalls: int, *, source: str, url: str | None) -> str:
    """The store or Redis is away or full: run the job again later. It spends none of its attempts and writes
    no dead letter (whose table may be what is down); waits grow with each stall up to the backoff ceiling.

    A retry is a delayed message the worker holds in memory until it is due (Celery's ETA). A job that has
    stalled `outage_max_stalls` times, or whose retry the broker itself refuses, is released instead: it
    returns "released" (the message is acked, no retry sent) and its ledger row stays queued, so the
    scheduler sends it again once the row is stale and the store answers. A long outage thus costs ledger
    rows, not worker memory; `max_delayed_jobs` caps how many delayed jobs one worker takes in meanwhile
    (the rest wait in the broker)."""
    settings = get_runtime().settings
    job = task.name.removeprefix("akhbar.")
    error = describe(exc)
    if stalls + 1 > settings.outage_max_stalls:
        log_outcome(job, source=source, url=url, result="released:outage", duration=0.0, error=error,
                    stall=stalls + 1, note="left to the job ledger, which sends it again when stale")
        return "released"
    countdown = retry_countdown(min(stalls, 10), ceiling=settings.retry_backoff_max)
    log_outcome(job, source=source, url=url, result="retry:outage", duration=0.0, error=error,
                stall=stalls + 1, countdown=round(countdown, 1))
    kwargs = {**(task.request.kwargs or {}), "stalls": stalls + 1}
    try:
        # max_retries=None would mean the task's own limit (fetch_source has 0, so its stall raised the error
        # and dropped the poll to the ledger's slow heal): one more than spent, whatever the task's limit
        raise task.retry(countdown=countdown, exc=exc, max_retries=task.request.retries + 1,
                         kwargs=kwargs) from None
    except Reject as refused:  # the broker refused the retry message too (Redis full or away)
        log_outcome(job, source=source, url=url, result="released:outage", duration=0.0,
                    error=describe(refused), stall=stalls + 1,
                    note="retry refused by the broker; left to the job ledger, which sends it again when stale")
        return "released"


def _dead_letter(rt, key: str, url: str, source: str, manual: bool, title: str | None, exc: AkhbarError,
                 attempt: int, started: float) -> str:  # type: ignore[no-untyped-def]
    """Keep what could not be done: a failure record to replay, the source's health, the ledger."""
    args = {"url": url, "source": source, "key": key, "manual": manual, "title": title}
    rt.store.add_failure(task=FETCH_PAGE, args=args, error=exc.to_record(), attempts=attempt + 1)
    services.record_page_error(rt, source, exc, reoffer=isinstance(exc, TransientFetchError))
    rt.store.ledger_update(key, "failed", error=exc.to_record(), attempts=attempt + 1)
    log_outcome("fetch_page", source=source, url=url, result=f"failed:{exc.kind}",
                duration=time.monotonic() - started, error=exc.message)
    return "failed"


# --- the fleet's heartbeat: every pool process reports itself, so status works on any broker ----------

class _Beat:
    active = 0
    processed = 0
    started_at = utcnow()
    name = ""
    queues = ""
    current: dict | None = None
    changed = threading.Event()


def _active(task: Task, *, source: str | None, url: str | None):  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    @contextmanager
    def scope():  # type: ignore[no-untyped-def]
        _Beat.active += 1
        queue = (task.request.delivery_info or {}).get("routing_key") or ""
        _Beat.current = {"task": task.name, "queue": queue, "source": source, "url": url,
                         "since": utcnow().isoformat()}
        _Beat.changed.set()
        try:
            yield
        finally:
            _Beat.active -= 1
            _Beat.processed += 1
            _Beat.current = None
            _Beat.changed.set()

    return scope()


def _beat() -> None:
    if not _Beat.name:
        return
    try:
        get_runtime().store.heartbeat(_Beat.name, hostname=socket.gethostname(), pid=os.getpid(),
                                      queues=_Beat.queues, active=_Beat.active, processed=_Beat.processed,
                                      started_at=_Beat.started_at, current=_Beat.current)
    except Exception:  # the store being away must not fail the job; the next beat retries
        LOG.debug("heartbeat failed", exc_info=True)


def _beat_forever() -> None:
    """Write the heartbeat when a job starts or ends, at most once a second, and every 5 s regardless:
    a store write per job start and end cost the pipeline a tenth of its throughput."""
    while True:
        _Beat.changed.wait(5)
        _Beat.changed.clear()
        _beat()
        time.sleep(1)


@signals.worker_process_init.connect
def _init_pool_process(**_: object) -> None:
    _Beat.name = f"{socket.gethostname()}:{os.getpid()}"
    _Beat.started_at = utcnow()
    threading.Thread(target=_beat_forever, name="akhbar-heartbeat", daemon=True).start()
    load_language_model()  # most Arabic pages never need it: the one that does must not pay ~0.6 s
    _load_semantic_stage()


def _load_semantic_stage() -> None:
    """AKHBAR_SEMANTIC=1: the embedding model is loaded here, once per pool process (after the fork, one
    thread), not by the first page job."""
    rt = get_runtime()
    if rt.settings.semantic:
        rt.semantic  # noqa: B018 (builds and caches the index and its model)


@signals.worker_process_shutdown.connect
def _shutdown_pool_process(**_: object) -> None:
    if _Beat.name:
        try:
            get_runtime().store.forget_worker(_Beat.name)
        except Exception:
            LOG.debug("could not remove worker row", exc_info=True)


@signals.celeryd_after_setup.connect
def _remember_queues(sender: str, instance, **_: object) -> None:  # type: ignore[no-untyped-def]
    _Beat.queues = ",".join(q.name for q in instance.app.amqp.queues.consume_from.values()) \
        if instance.app.amqp.queues.consume_from else ""


@signals.setup_logging.connect
def _logging(**_: object) -> None:
    settings = get_runtime().settings
    configure_logging(settings.log_json, settings.log_level)
    # taking over logging silenced Celery's own records, so a worker ending on an "Unrecoverable error"
    # exited with status 1 and no word why; its warnings and errors go to the same handler as ours
    celery_log = logging.getLogger("celery")
    celery_log.handlers[:] = logging.getLogger("akhbar").handlers
    celery_log.setLevel(max(logging.WARNING, logging.getLogger("akhbar").level))
    celery_log.propagate = False
