"""A failed page job over the fakes: the error ingest_page raises, the policy's next step (workers/core/retry.py)
and what a dead letter leaves behind (failure record, source health, ledger row)."""

from __future__ import annotations

import random

import pytest

from tests.fakes import FakeDeps
from tests.unit.conftest import BASE, MockSite
from workers.core.errors import AkhbarError
from workers.core.models import Source
from workers.core.retry import DeadLetter, RetryIn, RetryPolicy, Step, next_step
from workers.services import dead_letter_page, ingest_page

pytestmark = pytest.mark.unit
POLICY = RetryPolicy(max_retries=5, backoff_max=600, max_stalls=8)
URL = f"{BASE}/a.html"


def failed_step(deps: FakeDeps, attempt: int) -> tuple[AkhbarError, Step]:
    """Run the page job once; the error it raised and what the worker does next."""
    with pytest.raises(AkhbarError) as caught:
        ingest_page(deps, URL, "wire")
    return caught.value, next_step(caught.value, attempt, 0, POLICY, rng=random.Random(7))


@pytest.fixture
def job(deps: FakeDeps) -> dict[str, object]:
    deps.sources.add(Source(name="wire", url=f"{BASE}/rss"))
    deps.sources.update("wire", etag='"v1"', last_modified="Sun, 01 Mar 2026 09:00:00 GMT")
    deps.queue.enqueue_pages([(URL, "خبر")], "wire")
    return dict(deps.queue.sent[0]["args"])


def test_a_503_retries_no_sooner_than_retry_after_then_is_dead_lettered_and_offered_again(
        deps: FakeDeps, site: MockSite, job: dict[str, object]) -> None:
    site.route("/a.html", status=503, retry_after="120")
    exc, step = failed_step(deps, attempt=0)
    assert isinstance(step, RetryIn) and 120 <= step.seconds <= POLICY.backoff_max and not step.stall

    exc, step = failed_step(deps, attempt=POLICY.max_retries)  # its retries are spent
    assert isinstance(step, DeadLetter)
    dead_letter_page(deps, job, exc, attempts=POLICY.max_retries + 1)
    (failure,) = deps.ledger.failures()
    assert failure.args == job and failure.status == 503 and failure.attempts == POLICY.max_retries + 1
    assert deps.ledger.jobs[str(job["key"])].state == "failed"
    source = deps.sources.get("wire")
    assert source is not None and source.state == "ok", "a page's failure does not fail its source's polls"
    assert source.etag is None, "validators dropped: the next poll reads the whole feed and offers the page again"
    assert deps.articles.count() == 0 and deps.events.published == []


def test_a_404_is_dead_lettered_at_once_and_not_offered_again(deps: FakeDeps, site: MockSite,
                                                              job: dict[str, object]) -> None:
    exc, step = failed_step(deps, attempt=0)  # no route: 404
    assert isinstance(step, DeadLetter) and exc.kind == "http_status"
    dead_letter_page(deps, job, exc, attempts=1)
    source = deps.sources.get("wire")
    assert source is not None and source.etag == '"v1"' and source.recent_errors is not None
    assert source.recent_errors[0]["status"] == 404
    # a feed that still lists the dead link does not queue it again before AKHBAR_FAILED_RETRY_AFTER
    assert deps.queue.enqueue_pages([(URL, "خبر")], "wire") == 0
    deps.clock.advance(deps.settings.failed_retry_after + 1)
    assert deps.queue.enqueue_pages([(URL, "خبر")], "wire") == 1
