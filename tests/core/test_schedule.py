"""Adaptive polling and backoff."""

from __future__ import annotations

import random

import pytest

from workers.core.schedule import backoff_delay, max_age_seconds, next_interval, retry_countdown


def test_quiet_source_is_stretched_and_busy_one_returns_to_base() -> None:
    stretched = next_interval(base=600, current=600, new_items=0, ceiling=3600)
    assert stretched == 900
    assert next_interval(base=600, current=3000, new_items=0, ceiling=3600) == 3600
    assert next_interval(base=600, current=3000, new_items=4, ceiling=3600) == 600


def test_ttl_and_max_age_are_floors_but_not_past_the_ceiling() -> None:
    assert next_interval(base=300, current=300, new_items=3, ceiling=7200, floors=(1800, None)) == 1800
    assert next_interval(base=300, current=300, new_items=3, ceiling=7200, floors=(None, 99999)) == 7200
    assert max_age_seconds({"cache-control": "public, max-age=120"}) == 120


def test_backoff_grows_with_jitter_and_caps() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, base=60, ceiling=3600, rng=rng) for n in range(1, 10)]
    assert 48 <= delays[0] <= 72
    assert delays[3] > delays[1] > delays[0]
    assert max(delays) <= 3600 * 1.2
    assert backoff_delay(1, base=60, retry_after=900, rng=rng) >= 900


def test_retry_countdown_is_bounded_and_respects_retry_after() -> None:
    rng = random.Random(1)
    assert all(2.5 <= retry_countdown(0, rng=rng) <= 5 for _ in range(20))
    assert retry_countdown(20, ceiling=600, rng=rng) <= 600
    assert retry_countdown(0, retry_after=120, rng=rng) >= 120


def test_publishing_gap_from_item_dates() -> None:
    from datetime import UTC, datetime, timedelta

    from workers.core.schedule import publishing_gap

    now = datetime(2024, 5, 1, 12, tzinfo=UTC)
    every_10 = [now - timedelta(minutes=10 * i) for i in range(6)]
    assert publishing_gap(every_10, now) == 500.0  # 50 minutes over 6 items
    assert publishing_gap([now], now) is None and publishing_gap([None, None], now) is None
    stale = [now - timedelta(days=30), now - timedelta(days=31)]
    assert publishing_gap(stale, now) is None  # outside the window says nothing about today
    future = [now + timedelta(hours=5), now - timedelta(minutes=30)]
    assert publishing_gap(future, now) == 900.0  # a future date counts as now


def test_interval_follows_the_gap_within_bounds() -> None:
    assert next_interval(base=60, current=60, new_items=1, ceiling=3600, gap=1200) == 600
    assert next_interval(base=300, current=300, new_items=1, ceiling=3600, gap=60) == 300
    assert next_interval(base=60, current=60, new_items=0, ceiling=3600, gap=10**6) == 3600
    assert next_interval(base=60, current=60, new_items=0, ceiling=3600, gap=1200, floors=(None, 2400.0)) == 2400


@pytest.mark.parametrize(("value", "expected"), [
    ("120", 120.0), (" 5 ", 5.0), ("Wed, 01 May 2024 12:02:00 GMT", 120.0), ("Wed, 01 May 2024 11:00:00 GMT", 0.0),
    ("soon", None), ("", None), (None, None),
])
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    from datetime import UTC, datetime

    from workers.core.schedule import parse_retry_after

    now = datetime(2024, 5, 1, 12, tzinfo=UTC).timestamp()
    assert parse_retry_after(value, now) == expected
