"""In-process near-duplicate index: the Redis layout and decisions, in dicts behind a lock."""

from __future__ import annotations

import threading
from collections import defaultdict

from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, best_match, bucket_of, fingerprint, reach
from workers.core.fingerprint import Fingerprint


class MemoryDedupeIndex:
    """For `dedupe-pairs`, benchmarks and tests: one process only (shared state lives in Redis or a store)."""

    def __init__(self, window_days: float = 7.0, per_key_cap: int = PER_KEY_CAP) -> None:
        self.window = max(1, int(window_days * 24 * 60))
        self.per_key_cap = per_key_cap
        self._lock = threading.Lock()
        self._seq = 0
        self._records: dict[int, tuple[str, float, Fingerprint]] = {}  # seq -> (cluster, score, fp)
        self._by_article: dict[str, int] = {}
        self._keys: dict[int, dict[int, list[int]]] = defaultdict(dict)  # bucket -> key -> first seqs
        self._bucket_items: dict[int, list[tuple[str, int]]] = defaultdict(list)
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
            cluster, score, _ = self._records[seq]
            return Assignment(cluster, None if cluster == article_id else cluster, score)
        candidates: dict[int, Fingerprint] = {}
        for b in reach(fp.at, self.window):
            table = self._keys.get(b)
            for key in fp.keys if table else ():
                for s in table.get(key, ()):
                    if s in self._records:
                        candidates.setdefault(s, self._records[s][2])
        best = best_match(fp, candidates.items(), self.window)
        cluster, score = (self._records[best[0]][0], best[1]) if best else (article_id, 0.0)
        self._seq += 1
        self._records[self._seq] = (cluster, score, fp)
        self._by_article[article_id] = self._seq
        table = self._keys[bucket]
        for key in fp.keys:
            members = table.setdefault(key, [])
            if len(members) < self.per_key_cap:  # a full key keeps its first members, as in Redis
                members.append(self._seq)
        self._bucket_items[bucket].append((article_id, self._seq))
        self._expire(bucket)
        return Assignment(cluster, None if cluster == article_id else cluster, score)

    def _expire(self, bucket: int) -> None:
        """Drop buckets no lookup can reach any more, so memory follows the window, not the history."""
        if bucket <= self._newest_bucket:
            return
        self._newest_bucket = bucket
        for old in [b for b in self._bucket_items if b < bucket - 2]:  # one bucket of slack for late items
            for article_id, seq in self._bucket_items.pop(old):
                self._records.pop(seq, None)
                if self._by_article.get(article_id) == seq:
                    del self._by_article[article_id]
            self._keys.pop(old, None)
