"""The cluster head in the store (SQLite and PostgreSQL): the earliest-published member, settled atomically.

DESIGN.md, `duplicate_of`: a newly stored member published before the head becomes the head, the other
members point at it, and `cluster_id` never changes.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

from workers.core.models import Article

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def member(name: str, cluster: str | None, published_minutes: float | None, *, claims: str | None = None) -> Article:
    """A stored-to-be article in `cluster` (the dedupe stage's answer: the first member's id)."""
    url = f"https://{name}.example/news/1"
    article = Article(url=url, canonical_url=url, source=name, title=f"خبر {name}", body=f"نص الخبر من {name}.",
                      published_at=None if published_minutes is None else T0 + timedelta(minutes=published_minutes),
                      claimed_canonical_url=claims)
    article.cluster_id = cluster or article.id
    article.duplicate_of = None if article.cluster_id == article.id else article.cluster_id
    return article


def pointers(store, cluster_id: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {a.id: a.duplicate_of for a in store.list_articles(cluster=cluster_id, limit=1000)}


def test_an_earlier_published_member_arriving_later_becomes_head(store) -> None:  # type: ignore[no-untyped-def]
    copy = member("copy", None, published_minutes=90)  # the feed delivered the later copy first
    store.publish(copy)
    assert store.settle_head(copy.cluster_id) == copy.id
    original = member("original", copy.cluster_id, published_minutes=0)
    store.publish(original)
    assert store.settle_head(copy.cluster_id) == original.id
    assert pointers(store, copy.id) == {copy.id: original.id, original.id: None}
    # cluster_id stays as first given: the copy's id, on both rows
    assert {a.cluster_id for a in store.list_articles(limit=10)} == {copy.id}
    assert store.get_article(original.id).duplicate_of is None
    # a later member points at the head, not at the cluster's first id
    third = member("third", copy.cluster_id, published_minutes=200)
    store.publish(third)
    assert store.settle_head(copy.cluster_id) == original.id
    assert pointers(store, copy.id) == {copy.id: original.id, original.id: None, third.id: original.id}


def test_settling_is_idempotent(store) -> None:  # type: ignore[no-untyped-def]
    first = member("a", None, 30)
    store.publish(first)
    for name, minutes in (("b", 10), ("c", 50), ("d", None)):
        store.publish(member(name, first.id, minutes))
    before = pointers(store, first.id)  # as published: everyone points at the first id
    head = store.settle_head(first.id)
    after = pointers(store, first.id)
    assert head == member("b", None, 0).id and after != before
    for _ in range(3):
        assert store.settle_head(first.id) == head
        assert pointers(store, first.id) == after
    # a re-publish of an unchanged member keeps the settled pointer; settling again changes nothing
    assert store.publish(member("a", first.id, 30)).status == "unchanged"
    assert store.settle_head(first.id) == head and pointers(store, first.id) == after
    assert store.settle_head("no-such-cluster") is None


def test_a_member_claiming_another_as_canonical_never_heads_it(store) -> None:  # type: ignore[no-untyped-def]
    original = member("original", None, published_minutes=60)
    store.publish(original)
    # a hostile page names the original as its canonical and gives itself an earlier date
    claimant = member("claimant", original.id, published_minutes=0, claims=original.url)
    store.publish(claimant)
    assert store.settle_head(original.id) == original.id
    # a member that claims a URL outside the cluster is no one's admitted copy here: its date counts
    other = member("other", original.id, published_minutes=-30, claims="https://elsewhere.example/x")
    store.publish(other)
    assert store.settle_head(original.id) == other.id


def test_a_later_republished_date_can_move_the_head(store) -> None:  # type: ignore[no-untyped-def]
    a, b = member("a", None, 10), None
    store.publish(a)
    b = member("b", a.id, 20)
    store.publish(b)
    assert store.settle_head(a.id) == a.id
    fixed = member("a", a.id, 40)  # a re-fetch corrects a's date (and its text changed)
    fixed.body += " تحديث."
    fixed.content_hash = ""
    fixed.__post_init__()
    assert store.publish(fixed).status == "updated"
    assert store.settle_head(a.id) == b.id
    assert pointers(store, a.id) == {a.id: b.id, b.id: None}


def test_members_arriving_at_once_settle_on_one_head(store) -> None:  # type: ignore[no-untyped-def]
    """Workers publishing members of one cluster together: each settles after its publish; the result is
    the rule's head however the steps interleave (no lost update leaves two heads or an older pointer)."""
    rng = random.Random(13)
    for round_ in range(6):
        names = [f"r{round_}m{i}" for i in range(6)]
        minutes = rng.sample(range(100), len(names))
        first = member(names[0], None, minutes[0])
        store.publish(first)
        barrier = threading.Barrier(len(names) - 1)
        errors: list[BaseException] = []

        def arrive(name: str, when: int, cluster: str = first.id, gate: threading.Barrier = barrier,
                   errors: list[BaseException] = errors) -> None:
            try:
                article = member(name, cluster, when)
                gate.wait()
                store.publish(article)
                store.settle_head(cluster)
            except BaseException as exc:  # reported below; a thread's exception would otherwise vanish
                errors.append(exc)

        threads = [threading.Thread(target=arrive, args=(n, m)) for n, m in zip(names[1:], minutes[1:], strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        earliest = member(names[minutes.index(min(minutes))], None, 0).id
        got = pointers(store, first.id)
        assert len(got) == len(names)
        assert got == {i: (None if i == earliest else earliest) for i in got}, round_


def test_a_clusters_row_shows_its_heads_title(store) -> None:  # type: ignore[no-untyped-def]
    copy = member("copy", None, published_minutes=90)
    store.publish(copy)
    original = member("original", copy.id, published_minutes=0)
    store.publish(original)
    store.settle_head(copy.id)
    (group,) = store.clusters()
    assert group["cluster_id"] == copy.id and group["members"] == 2 and group["title"] == original.title
