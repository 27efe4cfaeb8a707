"""The duplicate index's retention, written once for every backend: buckets, expiry, the per-key cap."""

from __future__ import annotations

from workers.core.retention import Retention

WINDOW = 7 * 24 * 60


def test_a_bucket_is_kept_while_any_lookup_reaches_it_and_a_window_longer() -> None:
    retention = Retention(WINDOW)
    for at in range(0, 8 * WINDOW, 131):
        for bucket in retention.reach(at):
            assert not retention.stale(bucket, at + WINDOW - 1), (at, bucket)  # a late item still finds it
    # and then it goes: memory follows the window, not the history
    assert retention.stale(0, retention.kept_until(0)) and not retention.stale(0, retention.kept_until(0) - 1)


def test_redis_expiry_is_the_same_rule_on_the_wall_clock() -> None:
    retention = Retention(WINDOW)
    bucket = retention.bucket(1_000_000)
    assert retention.expire_at(bucket, 0) == retention.kept_until(bucket) * 60
    now = retention.kept_until(bucket) * 60 + 5  # an item dated long ago, filed now
    assert retention.expire_at(bucket, now) == now + WINDOW * 60


def test_buckets_far_ahead_are_stale() -> None:
    retention = Retention(WINDOW)
    now = 50 * WINDOW
    assert retention.stale(retention.bucket(now) + 3, now) and not retention.stale(retention.bucket(now) + 1, now)


def test_a_full_key_lets_its_oldest_go() -> None:
    retention = Retention(WINDOW, per_key_cap=3)
    assert retention.evictions({1: [5, 9], 2: [7]}) == []
    assert retention.evictions({1: [9, 5, 7], 2: [4, 8, 6, 2]}) == [(1, 5), (2, 2), (2, 4)]
    assert Retention(WINDOW, per_key_cap=1).evictions({1: [3]}) == [(1, 3)]
    assert not Retention(WINDOW, per_key_cap=0).files_keys
