"""Adaptive polling and backoff."""

from __future__ import annotations

import random

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
