"""A worker pool process's life beside its jobs: the fleet heartbeat, the metrics sink, logging, models loaded.

Everything here starts from Celery's worker_process_init (after the fork, never at import), so no thread or
sink crosses a fork and importing the tasks costs nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import signals

from workers.core.clock import utcnow
from workers.core.extract.language import load_model as load_language_model
from workers.logs import add_outcome_sink, configure_logging
from workers.runtime import get_runtime
from workers.telemetry import record_outcome

LOG = logging.getLogger("akhbar.tasks")


class _Beat:
    """What this process reports to the fleet table: its name, queues, jobs running and done, the current job."""

    active = 0
    processed = 0
    started_at = utcnow()
    name = ""
    queues = ""
    current: dict | None = None
    changed = threading.Event()


@contextmanager
def running(task: str, *, queue: str, source: str | None, url: str | None) -> Iterator[None]:
    """Mark one job as this process's current job for the heartbeat, for as long as it runs."""
    _Beat.active += 1
    _Beat.current = {"task": task, "queue": queue, "source": source, "url": url, "since": utcnow().isoformat()}
    _Beat.changed.set()
    try:
        yield
    finally:
        _Beat.active -= 1
        _Beat.processed += 1
        _Beat.current = None
        _Beat.changed.set()


def _beat() -> None:
    if not _Beat.name:
        return
    try:
        get_runtime().fleet.heartbeat(_Beat.name, hostname=socket.gethostname(), pid=os.getpid(),
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


def start() -> None:
    """This pool process's side work: outcomes counted in the fleet-wide metrics, the heartbeat thread, and the
    models a job would otherwise load on first use."""
    add_outcome_sink(record_outcome)
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


def stop() -> None:
    """Remove this process's row from the fleet table as it exits."""
    if _Beat.name:
        try:
            get_runtime().fleet.forget_worker(_Beat.name)
        except Exception:
            LOG.debug("could not remove worker row", exc_info=True)


@signals.worker_process_init.connect
def _init_pool_process(**_: object) -> None:
    start()


@signals.worker_process_shutdown.connect
def _shutdown_pool_process(**_: object) -> None:
    stop()


@signals.celeryd_after_setup.connect
def _remember_queues(sender: str, instance: Any, **_: object) -> None:  # instance: Celery's WorkController
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
