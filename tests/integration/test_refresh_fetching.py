"""refresh_source over loopback: 304s, backoff and recovery, 410, host cooldowns, refused items, sitemaps."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.integration.fetch_runtime import add_source, make_runtime, page_jobs
from tests.loopback import LoopbackSite, Reply, conditional, rss
from workers.core.errors import HostCooldownError
from workers.runtime import Runtime
from workers.services import refresh_source


@pytest.fixture
def rt(tmp_path: Path, redis_url: str, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    return make_runtime(tmp_path, redis_url, [site.host_port], monkeypatch)


def test_second_poll_is_a_304_with_no_parsing_and_no_queue_work(rt: Runtime, site: LoopbackSite) -> None:
    body = rss([(f"{site.base}/news/{i}", f"خبر {i}") for i in range(3)])
    site.route("/rss", conditional(body))
    add_source(rt, "s", f"{site.base}/rss")
    assert refresh_source(rt, "s").queued == 3
    row = rt.store.get_source("s")
    assert row["etag"] == '"v1"' and row["last_modified"]
    second = refresh_source(rt, "s")
    assert second.result == "not_modified" and second.items == 0
    assert site.requests[-1].headers["if-none-match"] == '"v1"'
    assert len(page_jobs(rt)) == 3
    assert rt.store.get_source("s")["state"] == "ok"


def test_failures_back_off_with_a_health_record_and_recover(rt: Runtime, site: LoopbackSite) -> None:
    answers = iter([Reply(500), Reply(500), Reply(500)])
    site.route("/rss", lambda _h: next(answers, Reply(200, {"Content-Type": "application/rss+xml"},
                                                     rss([(f"{site.base}/n/1", "t")]))))
    add_source(rt, "s", f"{site.base}/rss", interval=60)
    delays = []
    for expected in (1, 2, 3):
        before = datetime.now(UTC)
        outcome = refresh_source(rt, "s")
        row = rt.store.get_source("s")
        assert outcome.result == "failed" and row["state"] == "backoff"
        assert row["consecutive_failures"] == expected
        assert row["last_error"]["status"] == 500 and row["last_error"]["kind"] == "transient"
        assert row["last_error"]["message"] == "HTTP 500" and row["last_error"]["at"]
        delays.append((row["next_due_at"] - before).total_seconds())
    assert 45 < delays[0] < 75 and 190 < delays[2] < 290  # 60·2^(n-1) ± 20 %
    assert refresh_source(rt, "s").result == "ok"
    row = rt.store.get_source("s")
    assert row["state"] == "ok" and row["consecutive_failures"] == 0 and row["enabled"]


def test_410_disables_the_source_with_its_reason(rt: Runtime, site: LoopbackSite) -> None:
    site.route("/rss", Reply(410))
    add_source(rt, "s", f"{site.base}/rss")
    assert refresh_source(rt, "s").result == "disabled"
    row = rt.store.get_source("s")
    assert not row["enabled"] and row["state"] == "disabled" and "410" in row["disabled_reason"]
    assert row["last_error"]["kind"] == "gone"
    assert refresh_source(rt, "s").result == "disabled" and len(site.requests) == 1


def test_retry_after_pauses_the_host_for_other_sources_and_pages(rt: Runtime, site: LoopbackSite) -> None:
    site.route("/a", Reply(503, {"Retry-After": "120"}))
    site.route("/b", Reply(200, {"Content-Type": "application/rss+xml"}, rss([])))
    add_source(rt, "a", f"{site.base}/a")
    add_source(rt, "b", f"{site.base}/b")
    now = datetime.now(UTC)
    assert refresh_source(rt, "a").result == "failed"
    assert (rt.store.get_source("a")["next_due_at"] - now).total_seconds() >= 119
    outcome = refresh_source(rt, "b")
    row = rt.store.get_source("b")
    assert isinstance(outcome.error, HostCooldownError)
    assert row["consecutive_failures"] == 0 and row["state"] == "ok"  # deferred, not failing
    assert 100 < (row["next_due_at"] - now).total_seconds() <= 125
    assert row["recent_errors"][0]["kind"] == "host_cooldown"
    with pytest.raises(HostCooldownError):
        rt.fetcher.fetch(f"{site.base}/article/1", accept="page")
    assert site.paths() == ["/a"]  # nothing else was sent to the host


def test_items_pointing_at_refused_targets_are_recorded_and_skipped(rt: Runtime, site: LoopbackSite) -> None:
    links = ["javascript:alert(1)", "file:///etc/passwd", "http://127.0.0.2/x", "http://10.1.2.3/y",
             "http://[::1]/z", "http://2130706433/w", f"{site.base}/news/ok"]
    site.route("/rss", Reply(200, {"Content-Type": "application/rss+xml"}, rss([(u, "t") for u in links])))
    add_source(rt, "s", f"{site.base}/rss")
    assert refresh_source(rt, "s").queued == 1
    assert [j["url"] for j in page_jobs(rt)] == [f"{site.base}/news/ok"]
    notes = rt.store.get_source("s")["recent_errors"]
    assert len(notes) >= 5 and all(n["kind"] == "item_skipped" for n in notes)
    assert any("refused target" in n["message"] for n in notes)


def test_same_article_through_two_feeds_and_two_urls_is_queued_once(rt: Runtime, site: LoopbackSite) -> None:
    site.route("/one", Reply(200, {"Content-Type": "application/rss+xml"},
                             rss([(f"{site.base}/news/7?utm_source=rss&id=3", "a")])))
    site.route("/two", Reply(200, {"Content-Type": "application/rss+xml"},
                             rss([(f"{site.base.upper().replace('HTTP', 'http')}/news/7?id=3&fbclid=x#top", "a")])))
    add_source(rt, "one", f"{site.base}/one")
    add_source(rt, "two", f"{site.base}/two")
    refresh_source(rt, "one")
    refresh_source(rt, "two")
    assert [j["url"] for j in page_jobs(rt)] == [f"{site.base}/news/7?id=3"]


def test_sitemap_index_with_gzip_child_and_google_news(rt: Runtime, site: LoopbackSite) -> None:
    base = site.base
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{base}/s1.xml.gz</loc></sitemap><sitemap><loc>{base}/news.xml</loc></sitemap>"
             f"</sitemapindex>").encode()
    child = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>{base}/old/1</loc><lastmod>2024-01-01T00:00:00+00:00</lastmod></url></urlset>").encode()
    news = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{base}/news/9</loc>'
            f"<news:news><news:publication><news:name>X</news:name><news:language>ar</news:language>"
            f"</news:publication><news:publication_date>2024-05-01T10:00:00+03:00</news:publication_date>"
            f"<news:title>عنوان الخبر</news:title></news:news></url></urlset>").encode()
    site.route("/sitemap.xml", Reply(200, {"Content-Type": "application/xml"}, index))
    site.route("/s1.xml.gz", Reply(200, {"Content-Type": "application/x-gzip"}, gzip.compress(child)))
    site.route("/news.xml", Reply(200, {"Content-Type": "text/xml"}, news))
    add_source(rt, "map", f"{base}/sitemap.xml", kind="sitemap")
    outcome = refresh_source(rt, "map")
    assert outcome.result == "ok" and outcome.queued == 2
    titles = {j["url"]: j["args"]["title"] for j in page_jobs(rt)}
    assert titles == {f"{base}/old/1": None, f"{base}/news/9": "عنوان الخبر"}


def test_interval_follows_the_publishing_rate_with_ttl_and_max_age_as_floors(rt: Runtime,
                                                                            site: LoopbackSite) -> None:
    now = datetime.now(UTC)
    every_20_min = [format_datetime(now - timedelta(minutes=20 * i)) for i in range(6)]
    items = [(f"{site.base}/n/{i}", "t") for i in range(6)]
    site.route("/busy", Reply(200, {"Content-Type": "application/rss+xml"}, rss(items, dates=every_20_min)))
    site.route("/ttl", Reply(200, {"Content-Type": "application/rss+xml"}, rss(items, ttl=45, dates=every_20_min)))
    site.route("/cached", Reply(200, {"Content-Type": "application/rss+xml", "Cache-Control": "max-age=5400"},
                                rss(items, dates=every_20_min)))
    daily = [format_datetime(now - timedelta(days=i)) for i in range(6)]
    site.route("/slow", Reply(200, {"Content-Type": "application/rss+xml"},
                              rss([(f"{site.base}/d/{i}", "t") for i in range(6)], dates=daily)))
    for name in ("busy", "ttl", "cached", "slow"):
        add_source(rt, name, f"{site.base}/{name}", interval=60)
        refresh_source(rt, name)
    interval = {name: rt.store.get_source(name)["current_interval"] for name in ("busy", "ttl", "cached", "slow")}
    assert 450 <= interval["busy"] <= 650  # one item per ~17-20 min → polled about twice as often
    assert interval["ttl"] == 45 * 60 and interval["cached"] == 5400
    assert interval["slow"] == 6 * 3600  # a daily source drifts to the ceiling
