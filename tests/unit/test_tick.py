"""The scheduler's tick and lease over the fakes: due sources queued once, leased while their job runs."""

from __future__ import annotations

import pytest

from config.settings import Settings
from scheduler.lock import SchedulerLease
from scheduler.tick import tick
from tests.fakes import FakeDeps
from tests.unit.conftest import BASE
from workers.core.models import Source

pytestmark = pytest.mark.unit


def add(deps: FakeDeps, *names: str, enabled: bool = True) -> None:
    for name in names:
        deps.sources.add(Source(name=name, url=f"{BASE}/{name}.xml", enabled=enabled))


def test_due_sources_are_queued_once_and_leased_while_their_job_runs(deps: FakeDeps) -> None:
    add(deps, "a", "b")
    add(deps, "off", enabled=False)
    assert sorted(tick(deps)) == ["a", "b"]
    assert tick(deps) == [], "leased: not due again while their job runs"

    deps.clock.advance(601)  # the lease ran out, but the ledger still holds the jobs as live: nothing sent
    assert tick(deps) == []
    deps.clock.advance(deps.settings.job_stale_after)  # both lease and ledger row past: the job was lost
    assert sorted(tick(deps)) == ["a", "b"]
    assert [job["source"] for job in deps.queue.sent] == ["a", "b", "a", "b"]


def test_a_job_still_live_in_the_ledger_is_not_sent_twice(settings: Settings, deps: FakeDeps) -> None:
    add(deps, "a")
    tick(deps)
    deps.sources.update("a", next_due_at=deps.clock())  # due again at once (an operator's enable, say)
    assert tick(deps) == [] and len(deps.queue.sent) == 1
    assert deps.ledger.counts() == {"feeds": {"queued": 1}}


def test_a_routine_tick_claims_batch_after_batch_and_a_forced_one_takes_every_source(deps: FakeDeps) -> None:
    deps.settings = deps.settings.replace(scheduler_batch=2)
    deps.queue.settings = deps.settings
    add(deps, "a", "b", "c", "d", "e")
    assert sorted(tick(deps)) == ["a", "b", "c", "d", "e"]
    assert sorted(tick(deps, force=True)) == ["a", "b"], "forced: one claim of a batch, jobs forced past the ledger"


def test_a_second_scheduler_waits_for_the_lease(deps: FakeDeps) -> None:
    first, second = SchedulerLease(deps.fleet, ttl=30), SchedulerLease(deps.fleet, ttl=30)
    assert first.acquire() and not second.acquire()
    assert second.holder_now() == first.holder
    deps.clock.advance(31)  # the first one died without releasing
    assert second.acquire() and not first.acquire()
    second.release()
    assert first.acquire()
