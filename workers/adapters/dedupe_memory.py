"""In-process near-duplicate index: the Redis layout in dicts behind a lock; the decision is the core's."""

from __future__ import annotations

import struct
import threading
from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, fingerprint
from workers.core.dedupe_index import Filed, Filing, assign_with
from workers.core.fingerprint import Fingerprint
from workers.core.retention import Retained, Retention

_ONE, _PACK = struct.Struct("<Q"), struct.Struct("<QQ")


def _members(value: int | bytes | None) -> tuple[int, ...] | array:
    """The seqs filed under a key: most keys hold one, kept as a plain int."""
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else array("Q", value)


class MemoryDedupeIndex(Retained):
    """For `dedupe-pairs`, benchmarks and tests: one process only (shared state lives in Redis or a store).

    Items are held in ints, strings and bytes, which the cyclic garbage collector does not track: with a million
    items in lists and tuples, each full collection would walk tens of millions of references. The lock spans a
    whole assign, so no other thread ever sees an item filed and not yet decided.
    """

    def __init__(self, window_days: float = 7.0, per_key_cap: int = PER_KEY_CAP) -> None:
        self.retention = Retention.of_days(window_days, per_key_cap)
        self._lock = threading.Lock()
        self._seq = 0
        self._records: dict[int, bytes] = {}  # seq -> packed fingerprint
        self._clusters: dict[int, str] = {}  # seq -> cluster id, once decided
        self._scores: dict[int, float] = {}
        self._ids: dict[int, str] = {}
        self._by_article: dict[str, int] = {}
        self._pending_keys: dict[int, tuple[int, ...]] = {}  # filed, not yet decided: its keys, to reopen it
        self._keys: dict[int, dict[int, int | bytes]] = defaultdict(dict)  # bucket -> key -> seq or packed seqs
        self._bucket_seqs: dict[int, array] = defaultdict(lambda: array("Q"))
        self._newest = 0  # the latest item time (minutes) seen: the clock expiry runs on

    def __len__(self) -> int:
        return len(self._records)

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        fp = fingerprint(item)
        with self._lock:
            return assign_with(self, item.article_id, fp)

    def _assign(self, article_id: str, fp: Fingerprint) -> Assignment:
        """`assign` of a ready fingerprint, lock not taken (benchmarks fill the index this way)."""
        return assign_with(self, article_id, fp)

    def _filed(self, seq: int) -> Filed:
        return Filed(seq, self._records[seq], self._clusters.get(seq), self._scores.get(seq, 0.0))

    def _earlier(self, at: int, keys: tuple[int, ...], before: int) -> list[Filed]:
        found: dict[int, Filed] = {}
        for b in self.retention.reach(at):
            table = self._keys.get(b)
            if not table:
                continue
            for key in keys:
                for s in _members(table.get(key)):
                    if s < before and s not in found and s in self._records:
                        found[s] = self._filed(s)
        return list(found.values())

    def file(self, article_id: str, fp: Fingerprint) -> Filing:
        seq = self._by_article.get(article_id)
        if seq is not None and seq in self._records:
            return self.reopen(seq) if seq in self._pending_keys else Filing(article_id, self._filed(seq))
        earlier = self._earlier(fp.at, fp.keys, self._seq + 1)
        self._seq = seq = self._seq + 1
        self._records[seq], self._ids[seq], self._by_article[article_id] = fp.record, article_id, seq
        self._pending_keys[seq] = fp.keys
        bucket = self.retention.bucket(fp.at)
        table, crowded = self._keys[bucket], {}
        for key in fp.keys if self.retention.files_keys else ():
            members = table.get(key)
            if members is None:
                table[key] = seq
                continue
            crowded[key] = _members(members)
            table[key] = (_ONE.pack(members) if isinstance(members, int) else members) + _ONE.pack(seq)
        self._bucket_seqs[bucket].append(seq)
        return Filing(article_id, Filed(seq, fp.record), earlier, crowded)

    def reopen(self, seq: int) -> Filing:
        record = self._records[seq]
        if seq not in self._pending_keys:
            return Filing(self._ids[seq], self._filed(seq))
        fp = Fingerprint(record)
        return Filing(self._ids[seq], Filed(seq, record), self._earlier(fp.at, self._pending_keys[seq], seq))

    def settle(self, item: Filed, cluster_id: str, score: float,
               evict: Sequence[tuple[int, int]]) -> tuple[str, float]:
        seq = item.seq
        if seq not in self._records:  # expired meanwhile (an item far older than the rest)
            return cluster_id, score
        if self._pending_keys.pop(seq, None) is not None:
            self._clusters[seq], self._scores[seq] = cluster_id, score
        at = Fingerprint(item.record).at
        if evict:
            table = self._keys[self.retention.bucket(at)]
            for key, old in evict:
                members = table.get(key)
                if isinstance(members, bytes):
                    kept = [s for s in array("Q", members) if s != old]
                    table[key] = kept[0] if len(kept) == 1 else array("Q", kept).tobytes()
                elif members == old:
                    del table[key]
        self._expire(at)
        return self._clusters[seq], self._scores[seq]

    def _expire(self, at: int) -> None:
        """Drop buckets no lookup can reach any more, so memory follows the window, not the history."""
        if at <= self._newest:
            return
        self._newest = at
        for old in [b for b in self._bucket_seqs if self.retention.stale(b, at)]:
            for seq in self._bucket_seqs.pop(old):
                article_id = self._ids.pop(seq)
                tables: tuple[dict[int, Any], ...] = (self._records, self._clusters, self._scores, self._pending_keys)
                for table in tables:
                    table.pop(seq, None)
                if self._by_article.get(article_id) == seq:
                    del self._by_article[article_id]
            self._keys.pop(old, None)
