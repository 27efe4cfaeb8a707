"""Keyset pages of the article listing (Store.articles_page) on SQLite and PostgreSQL.

Pages read by cursor concatenate to the whole listing, with no duplicates or gaps, even when articles
are published between two page requests (a new row is newer than every cursor, so it never shifts a page).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from workers.core.cursor import CursorError
from workers.core.models import Article

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def make(n: int, source: str, published: datetime | None) -> Article:
    url = f"https://{source}.example/a/{n}"
    return Article(url=url, canonical_url=url, source=source, title=f"خبر {n}", body=f"نص الخبر {n}.",
                   published_at=published)


@pytest.fixture
def tied_clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The store's clock: several articles share one stored_at, so the id must break ties across pages."""
    now = [T0]
    monkeypatch.setattr("workers.adapters.store.utcnow", lambda: now[0])
    return now


def pages(store: Any, size: int, publish_between: list[Article] | None = None, **kw: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(200):  # a cursor that does not advance must fail the test, not hang it
        rows, cursor = store.articles_page(limit=size, cursor=cursor, **kw)
        seen += [a.id for a in rows]
        if publish_between:
            store.publish(publish_between.pop())
        if cursor is None:
            return seen
    raise AssertionError(f"no last page after 200 pages of {size}")


@pytest.mark.parametrize("sort", ["stored", "published"])
def test_cursor_pages_concatenate_to_the_listing(store: Any, tied_clock: list[datetime], sort: str) -> None:
    rng = random.Random(7)
    for n in range(37):
        if n % 3 == 0:
            tied_clock[0] += timedelta(seconds=1)
        published = None if n % 5 == 0 else T0 - timedelta(hours=rng.choice([1, 2, 3, 30]))  # ties here too
        store.publish(make(n, rng.choice(["a", "b"]), published))
    whole = [a.id for a in store.list_articles(limit=1000, sort=sort)]
    assert len(whole) == 37
    for size in (1, 4, 10, 37, 50):
        assert pages(store, size, sort=sort) == whole, size
    only_a = [a.id for a in store.list_articles(limit=1000, sort=sort, source="a")]
    assert pages(store, 3, sort=sort, source="a") == only_a and 0 < len(only_a) < 37
    # rows published while a client pages: newer than every cursor, so the pages it reads do not move
    tied_clock[0] += timedelta(minutes=5)
    later = [make(100 + n, "a", T0 + timedelta(hours=1)) for n in range(8)]
    assert pages(store, 5, publish_between=later, sort=sort) == whole
    assert [a.id for a in store.list_articles(limit=1000, sort=sort)][-37:] == whole


def test_offset_still_works_and_agrees(store: Any, tied_clock: list[datetime]) -> None:
    for n in range(9):
        tied_clock[0] += timedelta(seconds=n % 2)
        store.publish(make(n, "a", None))
    whole = [a.id for a in store.list_articles(limit=100)]
    assert [a.id for a in store.list_articles(limit=4, offset=4)] == whole[4:8]


def test_cursor_with_a_search_in_time_order(store: Any, tied_clock: list[datetime]) -> None:
    for n in range(6):
        tied_clock[0] += timedelta(seconds=1)
        store.publish(make(n, "a", None))
    whole = [a.id for a in store.list_articles(limit=100, q="الخبر")]
    assert len(whole) == 6 and pages(store, 4, q="الخبر") == whole
    with pytest.raises(CursorError, match="relevance"):
        store.articles_page(q="الخبر", sort="relevance", cursor="x")


@pytest.mark.parametrize("bad", ["garbage!", "W10", "eyJ4IjoxfQ", "A" * 300])
def test_hostile_cursor_is_a_cursor_error(store: Any, bad: str) -> None:
    with pytest.raises(CursorError):
        store.articles_page(cursor=bad)
