"""ingest_page over the fakes: extract, cluster, publish once, events only for changes; errors typed."""

from __future__ import annotations

import pytest

from tests.fakes import FakeDeps
from tests.texts import FIRE
from tests.unit.conftest import BASE, MockSite
from workers.core.errors import TransientFetchError
from workers.core.models import Source
from workers.services import ingest_page

pytestmark = pytest.mark.unit
TITLE = "حريق ضخم في مستودع للأخشاب بالمنطقة الصناعية"
HTML = "text/html; charset=utf-8"


def page(published: str, extra: str = "") -> bytes:
    """One wire story as an outlet prints it: same headline and text, its own publication time."""
    paragraphs = "".join(f"<p>{p}</p>" for p in (FIRE, FIRE.replace("،", " و"), "فقرة ختامية تكمل نص الخبر هنا.",
                                                  *([extra] if extra else [])))
    return (f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{TITLE}</h1><div class=\"article-body\">{paragraphs}</div></article>"
            "</body></html>").encode()


def test_a_page_is_published_once_and_a_redelivery_changes_nothing(deps: FakeDeps, site: MockSite) -> None:
    deps.sources.add(Source(name="wire", url=f"{BASE}/rss", timezone="Asia/Riyadh"))
    site.route("/a.html", body=page("2026-03-01T09:00:00+03:00"), content_type=HTML)

    first = ingest_page(deps, f"{BASE}/a.html", "wire")
    assert first.result == "published" and first.article.title == TITLE and first.article.language == "ar"
    assert first.article.cluster_id == first.article.id and first.article.duplicate_of is None
    assert first.article.fetched_at == deps.clock()
    assert deps.events.published == [("published", first.article.id, 1)]
    assert deps.articles.known_urls([f"{BASE}/a.html"]) == {f"{BASE}/a.html"}

    again = ingest_page(deps, f"{BASE}/a.html", "wire")
    assert again.result == "unchanged" and len(deps.events.published) == 1

    site.route("/a.html", body=page("2026-03-01T09:00:00+03:00", extra="تحديث: السيطرة على الحريق."),
               content_type=HTML)
    changed = ingest_page(deps, f"{BASE}/a.html", "wire")
    assert changed.result == "updated" and changed.article.revision == 2
    assert deps.events.published[-1] == ("updated", first.article.id, 2)


def test_the_earliest_published_copy_heads_the_cluster_whatever_order_it_arrives_in(deps: FakeDeps,
                                                                                      site: MockSite) -> None:
    times = {"/late.html": "2026-03-01T12:00:00+00:00", "/early.html": "2026-03-01T09:00:00+03:00",
             "/latest.html": "2026-03-01T18:00:00+00:00"}
    for path, published in times.items():
        site.route(path, body=page(published), content_type=HTML)
    late = ingest_page(deps, f"{BASE}/late.html", "wire-a").article
    deps.clock.advance(60)
    early = ingest_page(deps, f"{BASE}/early.html", "wire-b").article
    deps.clock.advance(60)
    latest = ingest_page(deps, f"{BASE}/latest.html", "wire-c").article

    assert early.cluster_id == late.id, "the cluster id stays as first given"
    assert early.duplicate_of is None and latest.duplicate_of == early.id
    stored = {a.id: a.duplicate_of for a in deps.articles.find(cluster=late.id)}
    assert stored == {late.id: early.id, early.id: None, latest.id: early.id}


def test_a_transient_failure_is_raised_typed_and_stores_nothing(deps: FakeDeps, site: MockSite) -> None:
    site.route("/down.html", status=503, retry_after="30")
    with pytest.raises(TransientFetchError) as caught:
        ingest_page(deps, f"{BASE}/down.html", "wire")
    assert caught.value.status == 503 and caught.value.retry_after == pytest.approx(30, abs=1)
    assert deps.articles.count() == 0 and deps.events.published == []


def test_a_dead_lettered_page_shows_in_its_source_and_a_transient_one_is_offered_again(deps: FakeDeps) -> None:
    from workers.core.errors import ExtractError
    from workers.services import record_page_error

    deps.sources.add(Source(name="wire", url=f"{BASE}/rss"))
    deps.sources.update("wire", etag='"v1"', last_modified="Sun, 01 Mar 2026 09:00:00 GMT")
    record_page_error(deps, "wire", ExtractError("no article text found", url=f"{BASE}/a.html"))
    row = deps.sources.get("wire")
    assert row is not None and row.etag == '"v1"' and row.state == "ok", "a page's failure is not the source's"
    assert row.recent_errors is not None and row.recent_errors[0]["url"] == f"{BASE}/a.html"

    record_page_error(deps, "wire", TransientFetchError("HTTP 503", url=f"{BASE}/b.html", status=503), reoffer=True)
    row = deps.sources.get("wire")
    assert row is not None and row.etag is None and row.last_modified is None, "next poll reads the whole feed"
    assert [e["url"] for e in row.recent_errors or []] == [f"{BASE}/b.html", f"{BASE}/a.html"]
