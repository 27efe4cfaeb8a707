"""Scheduler ticks: claim the due sources (an index range scan, so cost follows the due count) and queue them."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from scheduler.lock import SchedulerLease
from workers.adapters.outages import describe, is_outage
from workers.ports import Deps
from workers.queueing import requeue_stale
from workers.runtime import Runtime

LOG = logging.getLogger("akhbar.scheduler")


def tick(rt: Deps, *, force: bool = False) -> list[str]:
    """Queue every due source (every enabled one when forced); returns their names."""
    settings = rt.settings
    lease = timedelta(seconds=min(settings.job_stale_after, 600))
    queued: list[str] = []
    while True:
        due = rt.sources.claim_due(rt.clock(), lease, settings.scheduler_batch, force=force)
        queued += rt.queue.enqueue_sources([source.name for source in due], force=force)
        # forced ticks claim all sources in one pass; routine ones loop until nothing is due
        if force or len(due) < settings.scheduler_batch:
            return queued


def run_scheduler(rt: Runtime, stop: threading.Event, *, heal_every: float | None = None) -> None:
    """Tick until stopped while holding the lease; heal lost jobs from the ledger now and then."""
    lease = SchedulerLease(rt.fleet, ttl=max(30.0, rt.settings.scheduler_tick * 6))
    # look for lost jobs a few times per staleness period, so one is re-sent soon after it turns stale
    heal_every = heal_every if heal_every is not None else min(60.0, max(1.0, rt.settings.job_stale_after / 4))
    waiting_logged = False
    outage: str | None = None  # what the last failed tick met, so an outage is logged once, not every tick
    last_heal = 0.0
    try:
        while not stop.is_set():
            try:
                held = lease.acquire()
            except Exception as exc:  # the store is away: nothing can be claimed or queued; wait for it
                said = describe(exc) if is_outage(exc) else f"{type(exc).__name__}: {exc}"
                if outage is None or outage.split(" (")[0] != said.split(" (")[0]:  # once per outage
                    LOG.warning("cannot take the scheduler lease: %s; retrying every tick", said)
                    outage = said
                stop.wait(rt.settings.scheduler_tick)
                continue
            if held:
                if waiting_logged:
                    LOG.info("scheduler lease taken over; ticking")
                    waiting_logged = False
                try:
                    names = tick(rt)
                    healed = 0
                    if names:
                        LOG.info("queued %d due source(s): %s", len(names), ", ".join(names[:10]))
                    if time.monotonic() - last_heal > heal_every:
                        healed = requeue_stale(rt)
                        if healed:
                            LOG.warning("re-queued %d job(s) that never finished (lost queue or worker)", healed)
                        last_heal = time.monotonic()
                    # a tick that sent nothing proves the store answers, not that Redis takes writes again
                    if outage and (names or healed or not outage.startswith("Redis")):
                        LOG.warning("scheduler ticks again after: %s", outage)
                        outage = None
                except Exception as exc:  # the store or broker being away must not kill the scheduler
                    if not is_outage(exc):
                        LOG.exception("scheduler tick failed; retrying next tick")
                    elif outage is None or outage.split(" (")[0] != describe(exc).split(" (")[0]:
                        # jobs this tick recorded but could not send stay queued in the ledger: the heal
                        # sends them again once they are stale, so the outage loses nothing
                        outage = describe(exc)
                        LOG.warning("scheduler tick failed: %s; its jobs wait in the ledger, retrying every "
                                    "tick", outage)
            elif not waiting_logged:
                LOG.warning("another scheduler (%s) holds the lease; waiting instead of double-queuing",
                            lease.holder_now())
                waiting_logged = True
            stop.wait(rt.settings.scheduler_tick)
    finally:
        try:
            lease.release()
        except Exception:
            LOG.debug("could not release the scheduler lease", exc_info=True)
