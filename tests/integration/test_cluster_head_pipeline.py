"""ingest_page end to end (loopback site, real fetcher, store on SQLite and PostgreSQL): a feed that delivers
the later copy first still leaves the earliest-published page as the cluster's head (DESIGN.md, `duplicate_of`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.fetch_runtime import make_runtime
from tests.loopback import LoopbackSite, Reply
from tests.texts import FIRE
from workers.runtime import Runtime
from workers.services import ingest_page

TITLE = "حريق ضخم في مستودع للأخشاب بالمنطقة الصناعية"
HTML = "text/html; charset=utf-8"


def page(published: str) -> bytes:
    """One wire story as an outlet prints it: same headline and text, its own publication time."""
    paragraphs = "".join(f"<p>{p}</p>" for p in (FIRE, FIRE.replace("،", " و"), "فقرة ختامية تكمل نص الخبر هنا."))
    return (f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{TITLE}</title>'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{TITLE}</h1><div class=\"article-body\">{paragraphs}</div></article>"
            "</body></html>").encode()


@pytest.fixture(params=["sqlite", "postgresql"])
def rt(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str, site: LoopbackSite,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    store_url = (f"sqlite:///{tmp_path / 'akhbar.db'}" if request.param == "sqlite"
                 else request.getfixturevalue("pg_url"))
    runtime = make_runtime(tmp_path, redis_url, [site.host_port], monkeypatch, store_url=store_url)
    yield runtime
    runtime.store.engine.dispose()


def test_the_earliest_published_page_heads_whatever_order_it_arrives_in(rt: Runtime, site: LoopbackSite) -> None:
    times = {"/late.html": "2026-03-01T12:00:00+00:00", "/early.html": "2026-03-01T09:00:00+03:00",
             "/latest.html": "2026-03-01T18:00:00+00:00"}
    for path, published in times.items():
        site.route(path, Reply(200, {"Content-Type": HTML}, page(published)))
    late = ingest_page(rt, f"{site.base}/late.html", "wire-a").article  # the later copy first
    assert late.duplicate_of is None and late.cluster_id == late.id

    early = ingest_page(rt, f"{site.base}/early.html", "wire-b").article  # published 06:00 UTC
    assert early.cluster_id == late.id, "the cluster id stays as first given"
    assert early.duplicate_of is None, "the earlier-published member is the head"
    latest = ingest_page(rt, f"{site.base}/latest.html", "wire-c").article
    assert latest.duplicate_of == early.id

    stored = {a.id: a for a in rt.store.list_articles(cluster=late.id)}
    assert {i: a.duplicate_of for i, a in stored.items()} == {late.id: early.id, early.id: None,
                                                               latest.id: early.id}
    # a redelivered job (the same page again) changes nothing
    again = ingest_page(rt, f"{site.base}/late.html", "wire-a")
    assert again.result == "unchanged" and again.article.duplicate_of == early.id
    assert {a.id: a.duplicate_of for a in rt.store.list_articles(cluster=late.id)} == \
        {i: a.duplicate_of for i, a in stored.items()}
