"""Near-duplicate index in Redis shared by all workers: one Lua call looks up, decides and inserts."""

from __future__ import annotations

import struct
import time
from importlib import resources

import xxhash
from redis import Redis

from workers.core.dedupe import Assignment, Decision, DedupeItem, fingerprint
from workers.core.fingerprint import Fingerprint, pack

_SCRIPT = resources.files("workers.adapters").joinpath("dedupe.lua").read_text(encoding="utf-8")


class RedisDedupeIndex:
    """Band keys live in small hashes per (time bucket, shard) so Redis keeps them listpack-compact.

    Layout under `prefix`: `seq` counter; `r:{seq//256}` records (cluster id + packed fingerprint);
    `m:{bucket}:{shard}` article id -> seq (idempotency); `k:{bucket}:{shard}` LSH key -> newest seqs.
    A bucket spans one window; lookups read the item's bucket and both neighbours, and every key
    expires a window after its bucket can no longer be looked up, so memory follows the window.
    """

    def __init__(self, client: Redis, window_days: float = 7.0, prefix: str = "akhbar:dedupe:",
                 capacity: int = 200_000, per_key_cap: int = 32) -> None:
        self.client = client
        self.prefix = prefix
        self.window = max(1, int(window_days * 24 * 60))
        # ~100 entries per hash keeps each one in Redis's compact listpack encoding (limit 128..512).
        self.key_shards = max(16, capacity * 10 // 100)
        self.map_shards = max(16, capacity // 100)
        self.per_key_cap = per_key_cap
        self._script = client.register_script(_SCRIPT)

    def _args(self, fp: Fingerprint, article_id: str) -> list[bytes | str | int]:
        bucket = fp.at // self.window
        expire_at = max(int(time.time()), (bucket + 2) * self.window * 60) + self.window * 60
        args: list[bytes | str | int] = [
            self.prefix, article_id, pack(fp), fp.at, self.window, expire_at,
            xxhash.xxh32_intdigest(article_id.encode()) % self.map_shards, self.per_key_cap,
        ]
        for key in fp.keys:
            args += [(key >> 40) % self.key_shards, struct.pack("<Q", key)]
        return args

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        fp = fingerprint(item)
        cluster, score, _existing = self._script(args=self._args(fp, item.article_id))
        cluster = cluster.decode() if isinstance(cluster, bytes) else cluster
        return Assignment(cluster, None if cluster == item.article_id else cluster, round(float(score), 4))

    def compare_packed(self, a: Fingerprint, b: Fingerprint) -> Decision:
        """Run the script's own decision on two fingerprints (no key is touched): the parity check."""
        dup, score = self._script(args=[self.prefix, "", pack(a), a.at, self.window, 0, 0, 0,
                                        "compare", pack(b)])
        return Decision(bool(dup), float(score))

    def clear(self) -> int:
        """Delete every key under this prefix (tests and benchmarks)."""
        removed = 0
        for batch in _batched(self.client.scan_iter(match=self.prefix + "*", count=1000), 500):
            removed += self.client.delete(*batch)
        return removed


def _batched(iterable, size):  # type: ignore[no-untyped-def]
    batch = []
    for element in iterable:
        batch.append(element)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
