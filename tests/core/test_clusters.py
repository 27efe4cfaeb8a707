"""The head rule: a cluster's head is its earliest-published member (publication time, then stored time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.core.clusters import Member, choose_head, pointers

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(("members", "head"), [
    # the copy delivered first (stored first) but published later: the original heads
    ([Member("copy", at(60), at(61)), Member("orig", at(0), at(90))], "orig"),
    # the same publication time: the one stored first
    ([Member("b", at(0), at(5)), Member("a", at(0), at(9))], "b"),
    # everything equal: the smaller id, so every worker settling the same members agrees
    ([Member("y", at(0), at(5)), Member("x", at(0), at(5))], "x"),
    # no date: counts as published when stored, so a dated member published before that heads
    ([Member("undated", None, at(30)), Member("dated", at(10), at(40))], "dated"),
    ([Member("undated", None, at(30)), Member("dated", at(35), at(40))], "undated"),
    # a date after the page was stored (a zone or clock error) counts as the time it was stored
    ([Member("future", at(600), at(1)), Member("later", at(5), at(6))], "future"),
    # a page that names another member's URL as its canonical is that member's copy, however early it claims
    ([Member("claimant", at(-600), at(0), copies_a_member=True), Member("claimed", at(60), at(61))], "claimed"),
    # ...unless every member is a claimant (the claimed page is not stored yet)
    ([Member("c2", at(5), at(6), True), Member("c1", at(1), at(7), True)], "c1"),
    ([Member("only", None, at(0))], "only"),
])
def test_the_earliest_published_member_heads(members: list[Member], head: str) -> None:
    assert choose_head(members) == head
    assert choose_head(reversed(members)) == head  # arrival order does not matter


def test_aware_times_in_other_zones_compare_as_instants() -> None:
    from zoneinfo import ZoneInfo

    cairo = datetime(2026, 3, 1, 10, 30, tzinfo=ZoneInfo("Africa/Cairo"))  # 08:30 UTC
    assert choose_head([Member("cairo", cairo, at(120)), Member("utc", at(20), at(60))]) == "utc"


def test_pointers_name_the_head_and_none_for_it() -> None:
    members = [Member("late", at(30), at(31)), Member("early", at(0), at(45)), Member("mid", at(10), at(50))]
    assert pointers(members) == {"late": "early", "early": None, "mid": "early"}
    assert choose_head([]) is None and pointers([]) == {}
