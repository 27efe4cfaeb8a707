"""The one `assign` every duplicate index runs: file the item, decide in Python, write the decision back.

A backend is only storage (`IndexStorage`): filing returns, atomically with the filing, the item's place in
filing order (`seq`) and the items filed before it under a shared key; `workers.core.dedupe` decides; the
result is written back first-writer-wins. An earlier item may be filed and not yet decided (its worker is
between the two steps, or was killed there): its decision is a function of what was filed before it, so
whoever needs it computes it (`reopen` gives its own earlier items) and writes it back the same way. Every
worker then reads the one decision stored, and no cluster is split or lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from workers.core.dedupe import Assignment, best_match
from workers.core.fingerprint import Fingerprint, candidate
from workers.core.retention import Retention

MAX_RESOLVE_DEPTH = 200  # undecided items chained behind each other: bounded by the workers in flight


@dataclass(frozen=True, slots=True)
class Filed:
    """An item in the index: its place in filing order, its packed fingerprint, its decision if written."""

    seq: int
    record: bytes
    cluster_id: str | None = None  # None: filed, decision not written back yet
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Filing:
    """What filing (or re-opening) an item returns, read in the same atomic step."""

    article_id: str
    item: Filed
    earlier: Sequence[Filed] = ()  # filed before it under a key it shares, in the buckets its window reaches
    crowded: Mapping[int, Sequence[int]] = field(default_factory=dict)  # key -> earlier seqs in its bucket


class IndexStorage(Protocol):
    """A storage strategy: it never decides, it files, finds and writes back."""

    retention: Retention

    def file(self, article_id: str, fp: Fingerprint) -> Filing:
        """File the item (or find it filed before) and return it with the items filed before it."""
        ...

    def reopen(self, seq: int) -> Filing:
        """An item filed before, with the items filed before it (to decide it when its worker did not)."""
        ...

    def settle(self, item: Filed, cluster_id: str, score: float,
               evict: Sequence[tuple[int, int]]) -> tuple[str, float]:
        """Write an item's decision unless one is written already; return the one stored. Drop the `evict`
        entries (key, seq) of the item's bucket."""
        ...


class UnresolvedChain(RuntimeError):
    """More undecided items behind each other than any number of live workers explains."""


def assign_with(storage: IndexStorage, article_id: str, fp: Fingerprint) -> Assignment:
    """File the item in `storage` and return its cluster; repeated calls for one article give one answer."""
    filing = storage.file(article_id, fp)
    if filing.item.cluster_id is None:
        cluster, score = decide_filing(storage, filing, fp)
        cluster, score = storage.settle(filing.item, cluster, score, storage.retention.evictions(filing.crowded))
    else:
        cluster, score = filing.item.cluster_id, filing.item.score
    return Assignment(cluster, None if cluster == article_id else cluster, score)


def decide_filing(storage: IndexStorage, filing: Filing, fp: Fingerprint | None = None,
                  depth: int = 0) -> tuple[str, float]:
    """The decision for a filed item: the cluster of its best earlier match, or its own."""
    if fp is None or fp.record != filing.item.record:  # a re-filed article keeps the fingerprint it was filed with
        fp = Fingerprint(filing.item.record)
    earlier = {other.seq: other for other in filing.earlier}
    best = best_match(fp, ((seq, candidate(other.record)) for seq, other in earlier.items()),
                      storage.retention.window)
    if best is None:
        return decision_alone(filing.article_id)
    match = earlier[best[0]]
    if match.cluster_id is not None:
        return match.cluster_id, best[1]
    return resolve(storage, match.seq, depth + 1)[0], best[1]


def decision_alone(article_id: str) -> tuple[str, float]:
    """An item with nothing filed before it heads its own cluster (a storage may write this as it files)."""
    return article_id, 0.0


def resolve(storage: IndexStorage, seq: int, depth: int = 0) -> tuple[str, float]:
    """Decide an earlier item whose decision is missing, and write it back (first writer wins)."""
    if depth > MAX_RESOLVE_DEPTH:
        raise UnresolvedChain(f"more than {MAX_RESOLVE_DEPTH} undecided items chained behind item {seq}")
    filing = storage.reopen(seq)
    if filing.item.cluster_id is not None:
        return filing.item.cluster_id, filing.item.score
    cluster, score = decide_filing(storage, filing, None, depth)
    return storage.settle(filing.item, cluster, score, ())
