"""In-process near-duplicate index: the Redis layout and decisions, in dicts behind a lock."""

from __future__ import annotations

import struct
import threading
from array import array
from collections import defaultdict

from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, best_match, bucket_of, fingerprint, reach
from workers.core.fingerprint import Fingerprint

_ONE, _PACK = struct.Struct("<Q"), struct.Struct("<QQ")


def _members(value: int | bytes | None) -> tuple[int, ...] | array:
    """The seqs filed under a key: most keys hold one, kept as a plain int."""
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else array("Q", value)


class MemoryDedupeIndex:
    """For `dedupe-pairs`, benchmarks and tests: one process only (shared state lives in Redis or a store).

    Items are held in ints, strings and bytes, which the cyclic garbage collector does not track: with a million
    items in lists and tuples, each full collection would walk tens of millions of references.
    """

    def __init__(self, window_days: float = 7.0, per_key_cap: int = PER_KEY_CAP) -> None:
        self.window = max(1, int(window_days * 24 * 60))
        self.per_key_cap = per_key_cap
        self._lock = threading.Lock()
        self._seq = 0
        self._records: dict[int, bytes] = {}  # seq -> packed fingerprint
        self._clusters: dict[int, str] = {}
        self._scores: dict[int, float] = {}
        self._ids: dict[int, str] = {}
        self._by_article: dict[str, int] = {}
        self._keys: dict[int, dict[int, int | bytes]] = defaultdict(dict)  # bucket -> key -> seq or packed seqs
        self._bucket_seqs: dict[int, array] = defaultdict(lambda: array("Q"))
        self._newest_bucket = 0

    def __len__(self) -> int:
        return len(self._records)

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        fp = fingerprint(item)
        with self._lock:
            return self._assign(item.article_id, fp)

    def _assign(self, article_id: str, fp: Fingerprint) -> Assignment:
        bucket = bucket_of(fp.at, self.window)
        seq = self._by_article.get(article_id)
        if seq is not None and seq in self._records:
            cluster, score = self._clusters[seq], self._scores[seq]
            return Assignment(cluster, None if cluster == article_id else cluster, score)
        candidates: dict[int, Fingerprint] = {}
        for b in reach(fp.at, self.window):
            table = self._keys.get(b)
            for key in fp.keys if table else ():
                for s in _members(table.get(key)):
                    if s in self._records and s not in candidates:
                        candidates[s] = Fingerprint(self._records[s])
        best = best_match(fp, candidates.items(), self.window)
        cluster, score = (self._clusters[best[0]], best[1]) if best else (article_id, 0.0)
        self._seq = seq = self._seq + 1
        self._records[seq], self._clusters[seq], self._scores[seq] = fp.record, cluster, score
        self._ids[seq] = article_id
        self._by_article[article_id] = seq
        table = self._keys[bucket]
        for key in fp.keys:
            members = table.get(key)
            if self.per_key_cap <= 0:
                continue
            if members is None or (isinstance(members, int) and self.per_key_cap == 1):
                table[key] = seq
            elif isinstance(members, int):
                table[key] = _PACK.pack(members, seq)
            else:  # a full key lets its oldest member go, as in Redis
                table[key] = (members[8:] if len(members) >= 8 * self.per_key_cap else members) + _ONE.pack(seq)
        self._bucket_seqs[bucket].append(seq)
        self._expire(bucket)
        return Assignment(cluster, None if cluster == article_id else cluster, score)

    def _expire(self, bucket: int) -> None:
        """Drop buckets no lookup can reach any more, so memory follows the window, not the history."""
        if bucket <= self._newest_bucket:
            return
        self._newest_bucket = bucket
        for old in [b for b in self._bucket_seqs if b < bucket - 2]:  # one bucket of slack for late items
            for seq in self._bucket_seqs.pop(old):
                article_id = self._ids.pop(seq)
                for table in (self._records, self._clusters, self._scores):
                    del table[seq]
                if self._by_article.get(article_id) == seq:
                    del self._by_article[article_id]
            self._keys.pop(old, None)
