"""Copies of one story assigned at once, by several OS processes on real Redis, form one cluster; an item
filed and not yet decided (its worker busy, or killed) is decided by whoever needs it, never split off."""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.adapters.test_dedupe_backends import STORIES, TITLES, _factory
from tests.conftest import needs_postgres, needs_redis
from workers.core.dedupe import DedupeItem, decide, fingerprint
from workers.core.dedupe_index import assign_with, decide_filing

T0 = datetime(2024, 5, 1, 8, tzinfo=UTC)
PROCESSES = 4
ROUNDS = 24


KICKERS = ["", "عاجل: ", "بالصور: ", "فيديو | ", "شاهد.. ", "بالفيديو.. "]


def _copy(story: int, worker: int, at: datetime) -> DedupeItem:
    """Worker `worker`'s copy of a story: its own id, outlet and kicker over the same wire text (a story
    recurs every third round, a month apart: out of reach of the others)."""
    title = KICKERS[worker % len(KICKERS)] + TITLES[story % 3][0]
    return DedupeItem(f"r{story}-w{worker}", f"outlet-{worker}", title, STORIES[story % 3], at)


def _decoy(story: int, at: datetime) -> DedupeItem:
    """The story's headline negated, without a body: it shares index keys with every copy and is none of them,
    so each copy finds an earlier item and waits for Python's decision (none is decided as it is filed)."""
    decoy = DedupeItem(f"decoy-{story}", "outlet-x", "لم " + TITLES[story % 3][0], "", at)
    assert not decide(fingerprint(decoy), fingerprint(_copy(story, 0, at))).duplicate, "the decoy must differ"
    assert set(fingerprint(decoy).keys) & set(fingerprint(_copy(story, 0, at)).keys), "and share a key"
    return decoy


@pytest.fixture
def redis_index() -> Iterator[tuple[Any, Any]]:
    needs_redis()  # a missing server skips, or fails under CI=true
    factory = _factory("redis", "", uuid.uuid4().hex[:12])
    index = factory()
    yield index, factory
    index.clear()


def _racer(factory: Any, worker: int, barrier: Any, out: Any) -> None:
    index = factory()
    rng = random.Random(worker)
    for story in range(ROUNDS):
        # stories a window apart share no candidate, so each round is one story's race alone
        item = _copy(story, worker, T0 + timedelta(days=30 * story))
        barrier.wait()  # every process files its copy of this story at the same moment
        if rng.random() < 0.5:
            os.sched_yield()
        out.put((story, item.article_id, index.assign(item).cluster_id))


def test_processes_assigning_copies_at_once_form_one_cluster(redis_index: tuple[Any, Any]) -> None:
    index, factory = redis_index
    for story in range(ROUNDS):
        index.assign(_decoy(story, T0 + timedelta(days=30 * story)))
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(factory, w, barrier, out)) for w in range(PROCESSES)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=120) for _ in range(PROCESSES * ROUNDS)]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    clusters: dict[int, set[str]] = {}
    for story, _, cluster in results:
        clusters.setdefault(story, set()).add(cluster)
    assert all(len(found) == 1 for found in clusters.values()), clusters
    assert all(next(iter(found)).startswith(f"r{story}-") for story, found in clusters.items())
    assert not list(index.client.scan_iter(match=index.prefix + "u:*"))  # every decision written back
    # asked again, every copy gives the answer it got
    for story, article_id, cluster in results[:20]:
        worker = int(article_id.rsplit("w", 1)[1])
        assert index.assign(_copy(story, worker, T0 + timedelta(days=30 * story))).cluster_id == cluster


@pytest.fixture(params=["memory", "redis", "sqlite", "postgres"])
def storage(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """A backend's storage as `assign_with` sees it, for driving the steps of an assign one by one."""
    kind = request.param
    if kind == "redis":
        needs_redis()
    if kind == "postgres":
        needs_postgres()
    index = _factory(kind, str(tmp_path), uuid.uuid4().hex[:12])()
    if kind in ("sqlite", "postgres"):
        from workers.adapters.dedupe_store import _Session

        with index._locked() as conn:  # the whole test in one transaction, as an assign runs in one
            yield _Session(index, conn)
    else:
        yield index
    if hasattr(index, "clear"):
        index.clear()


def test_an_item_filed_and_not_yet_decided_is_decided_by_its_copy(storage: Any) -> None:
    first, copy = _copy(0, 0, T0), _copy(0, 1, T0)
    assign_with(storage, "decoy", fingerprint(_decoy(0, T0)))
    fp = fingerprint(first)
    filing = storage.file(first.article_id, fp)  # its worker stops here for now
    assert filing.item.cluster_id is None
    joined = assign_with(storage, copy.article_id, fingerprint(copy))
    assert (joined.cluster_id, joined.duplicate_of) == (first.article_id, first.article_id), joined
    # the first worker writes back what it decided; a different answer would lose to the stored one
    assert storage.settle(filing.item, "someone-else", 0.5, ())[0] == first.article_id
    assert decide_filing(storage, filing, fp)[0] == first.article_id
    again = assign_with(storage, first.article_id, fp)
    assert (again.cluster_id, again.duplicate_of) == (first.article_id, None)


def _file_and_die(factory: Any, items: list[DedupeItem]) -> None:
    """A worker killed between filing its items and writing their decisions back."""
    index = factory()
    for item in items:
        index.file(item.article_id, fingerprint(item))
    os._exit(9)


def test_a_worker_killed_between_filing_and_writing_back_loses_no_cluster(redis_index: tuple[Any, Any]) -> None:
    index, factory = redis_index
    original, echo, later = _copy(1, 0, T0), _copy(1, 1, T0), _copy(1, 2, T0)
    other = _copy(2, 3, T0)
    index.assign(_decoy(1, T0))
    index.assign(_decoy(2, T0))
    proc = multiprocessing.get_context("fork").Process(target=_file_and_die,
                                                       args=(factory, [original, echo, other]))
    proc.start()
    proc.join(timeout=30)
    assert proc.exitcode == 9
    assert len(list(index.client.scan_iter(match=index.prefix + "u:*"))) == 3  # three items left undecided
    # a copy arriving afterwards decides the dead worker's items in its place: one cluster, headed by the first
    joined = index.assign(later)
    assert (joined.cluster_id, joined.duplicate_of) == (original.article_id, original.article_id)
    # the dead worker's jobs run again and find the same answers
    assert index.assign(echo).cluster_id == original.article_id
    assert index.assign(original).duplicate_of is None and index.assign(original).cluster_id == original.article_id
    lone = index.assign(other)
    assert (lone.cluster_id, lone.duplicate_of) == (other.article_id, None)
    assert not list(index.client.scan_iter(match=index.prefix + "u:*"))
