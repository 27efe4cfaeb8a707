"""Retention's pure parts: --older-than ages, the stripped article JSON, the tally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.core.models import Article, RelatedLink
from workers.core.prune import MAX_AGE_DAYS, AgeError, PruneTally, is_stripped, parse_age, strip_body


@pytest.mark.parametrize(("text", "age"), [
    ("90d", timedelta(days=90)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2)),
    ("30m", timedelta(minutes=30)), (" 7D ", timedelta(days=7)), (f"{MAX_AGE_DAYS}d", timedelta(days=MAX_AGE_DAYS)),
])
def test_ages_read(text: str, age: timedelta) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(("text", "says"), [
    ("90x", "not an age"), ("-1d", "not an age"), ("90", "not an age"), ("", "not an age"), ("1.5d", "not an age"),
    ("d", "not an age"), ("٩٠d", "not an age"), ("0d", "more than zero"), ("99999999d", f"at most {MAX_AGE_DAYS}d"),
    ("9999999999999d", "not an age"), ("90d\n1d", "not an age"),
])
def test_bad_ages_are_one_clear_error(text: str, says: str) -> None:
    with pytest.raises(AgeError) as caught:
        parse_age(text)
    assert says in str(caught.value) and "\n" not in str(caught.value).replace(repr(text), "")


def test_strip_keeps_metadata_and_drops_text() -> None:
    article = Article(url="https://a.example/n/1", canonical_url="https://a.example/n/1", source="a", title="عنوان",
                      body="نص طويل", subtitle="عنوان فرعي", summary="ملخص", authors=["كاتب"], tags=["وسم"],
                      published_at=datetime(2026, 1, 1, tzinfo=UTC), image="https://a.example/i.jpg",
                      related=[RelatedLink("خبر آخر", "https://a.example/n/2")])
    article.cluster_id, article.duplicate_of = "c1", "h1"
    data = article.to_dict()
    stripped = strip_body(data)
    assert stripped["body"] == "" and stripped["subtitle"] is None and stripped["summary"] is None
    assert stripped["related"] == []
    kept = {k: v for k, v in data.items() if k not in ("body", "subtitle", "summary", "related")}
    assert {k: stripped[k] for k in kept} == kept  # id, urls, title, source, dates, hash, cluster fields...
    assert data["body"] == "نص طويل"  # a copy: the input is untouched
    assert not is_stripped(data) and is_stripped(stripped)
    assert Article.from_dict(stripped).title == "عنوان"  # still a valid article


def test_tally_sums_batches_and_keeps_the_longest() -> None:
    total = PruneTally()
    total.add(PruneTally(deleted=3, clusters_touched=1, heads_moved=1, bytes_freed=10, seconds=0.2))
    total.add(PruneTally(deleted=2, skipped_busy=1, bytes_freed=5, seconds=0.5))
    assert (total.deleted, total.skipped_busy, total.heads_moved, total.bytes_freed, total.batches) == (5, 1, 1, 15, 2)
    assert total.longest_batch_seconds == 0.5 and total.seconds == pytest.approx(0.7)
    assert total.as_dict()["deleted"] == 5
