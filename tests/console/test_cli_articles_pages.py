"""`akhbar articles` reads the listing page by page with the cursor: the same rows as one read, in order."""

from __future__ import annotations

from typing import Any

import pytest

from console import cli
from workers.core.models import Article


@pytest.mark.parametrize("sort", ["published", "stored"])
def test_cli_pages_give_the_listing(rt: Any, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    for n in range(7):
        url = f"https://news.example/p/{n}"
        rt.store.publish(Article(url=url, canonical_url=url, source="demo-rss", title=f"خبر {n}", body=f"نص {n}"))
    whole = [a.id for a in rt.articles.find(limit=100, sort=sort)]
    monkeypatch.setattr(cli, "PAGE", 2)
    assert [a.id for a in cli._read_articles(rt, limit=100, sort=sort)] == whole
    assert [a.id for a in cli._read_articles(rt, limit=5, sort=sort)] == whole[:5]
    assert rt.articles.last_event_id() == len(whole)  # one event per new article
