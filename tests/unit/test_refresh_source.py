"""refresh_source over the fakes: conditional GET, queueing only unseen URLs once, the health record, backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes import FakeDeps
from tests.loopback import rss
from tests.unit.conftest import BASE, MockSite
from workers.core.models import Source
from workers.core.urls import url_key
from workers.services import refresh_source

pytestmark = pytest.mark.unit
RSS = "application/rss+xml"
ITEMS = [(f"{BASE}/news/{i}", f"خبر رقم {i}") for i in range(3)]


def test_new_items_are_queued_once_and_a_304_costs_nothing(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="s", url=f"{BASE}/rss", interval=600))
    site.route("/rss", body=rss(ITEMS), content_type=RSS, etag='"v1"')

    first = refresh_source(deps, "s")
    assert (first.result, first.items, first.queued) == ("ok", 3, 3)
    assert [job["url"] for job in deps.queue.sent] == [url for url, _ in ITEMS]
    row = deps.sources.get("s")
    assert row is not None and row.etag == '"v1"' and row.state == "ok" and row.last_new_items_at == deps.clock()
    assert row.next_due_at == deps.clock() + timedelta(seconds=row.current_interval or 0)

    second = refresh_source(deps, "s")
    assert second.result == "not_modified" and len(deps.queue.sent) == 3
    assert site.requests[-1].headers["if-none-match"] == '"v1"'


def test_stored_urls_and_jobs_already_waiting_are_not_queued_again(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="s", url=f"{BASE}/rss"))
    site.route("/rss", body=rss(ITEMS), content_type=RSS)
    deps.articles.urls[url_key(ITEMS[0][0])] = "stored"

    assert refresh_source(deps, "s").queued == 2  # the stored one is "seen"
    assert refresh_source(deps, "s").queued == 2  # counted as unseen, but the ledger holds both: none sent twice
    assert len(deps.queue.sent) == 2


def test_a_failing_source_backs_off_with_its_error_in_words_then_recovers(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="s", url=f"{BASE}/rss", interval=60))
    site.route("/rss", status=503, body=b"busy")

    for expected in (1, 2):
        outcome = refresh_source(deps, "s")
        row = deps.sources.get("s")
        assert row is not None and outcome.result == "failed" and row.state == "backoff"
        assert row.consecutive_failures == expected and row.next_due_at > deps.clock()
        assert row.last_error is not None and row.last_error["status"] == 503
        assert "503" in row.last_error["message"] and row.last_error["url"] == f"{BASE}/rss"
    assert row is not None and len(row.recent_errors or []) == 2

    site.route("/rss", body=rss(ITEMS[:1]), content_type=RSS)
    assert refresh_source(deps, "s").result == "ok"
    row = deps.sources.get("s")
    assert row is not None and row.state == "ok" and row.consecutive_failures == 0


def test_410_gone_disables_the_source(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="s", url=f"{BASE}/rss"))
    site.route("/rss", status=410)
    assert refresh_source(deps, "s").result == "disabled"
    row = deps.sources.get("s")
    assert row is not None and not row.enabled and row.disabled_reason == f"410 Gone at {BASE}/rss"


def test_missing_and_disabled_sources_are_not_fetched(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="off", url=f"{BASE}/rss", enabled=False))
    assert refresh_source(deps, "nope").result == "missing"
    assert refresh_source(deps, "off").result == "disabled"
    assert site.requests == []


def test_items_on_private_addresses_are_skipped_with_a_note(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="s", url=f"{BASE}/rss"))
    site.route("/rss", body=rss([*ITEMS[:1], ("http://10.0.0.5/admin", "داخلي")]), content_type=RSS)
    assert refresh_source(deps, "s").queued == 1
    row = deps.sources.get("s")
    assert row is not None and row.recent_errors is not None
    assert row.recent_errors[0]["kind"] == "item_skipped" and "10.0.0.5" in row.recent_errors[0]["url"]
