"""Near-duplicate index in Redis shared by all workers: one EVALSHA looks up, decides and inserts."""

from __future__ import annotations

import struct
import time
from collections.abc import Iterable, Iterator
from importlib import resources

import xxhash
from redis import Redis

from workers.core.dedupe import PER_KEY_CAP, Assignment, Decision, DedupeItem, bucket_of, fingerprint
from workers.core.fingerprint import Fingerprint, pack

_SCRIPT = resources.files("workers.adapters").joinpath("dedupe.lua").read_text(encoding="utf-8")
_MIX = 0x9E3779B97F4A7C15  # odd multiplier: a key's top 32 bits after it depend on all 64 (MinHash keys are minima)


class RedisDedupeIndex:
    """Everything lives in packed strings, so memory is the data plus a fixed cost per shard, not per item.

    Layout under `prefix`: `seq` counter; `r:{seq // 300}` a string of 300 fixed 544-byte slots (u16 length,
    u16 score, u8 id length, cluster id, packed fingerprint), with the rare longer value in hash `x:{group}`;
    `h:{bucket}` one hash per time bucket (not `b:`, the fixed-shard layout it replaced, left to expire): field
    `n` its item count, `m{shard}` 12-byte id entries (xxh64 of article id, u32 seq) and `{shard}` 8-byte key
    entries (u32 key fragment, u32 seq). The shard count grows with the item count by linear hashing (one shard
    split at a time), so a field stays ~450 bytes and an assign costs the same at 10k or 1M items. Buckets span
    two windows, so a lookup reads the two buckets its window overlaps (one HMGET each) and an insert is one
    HSET; every key expires after its bucket can no longer be reached. Lua's plain `string.find` scans a field in C.
    """

    def __init__(self, client: Redis, window_days: float = 7.0, prefix: str = "akhbar:dedupe:",
                 per_key_cap: int = PER_KEY_CAP) -> None:
        self.client = client
        self.prefix = prefix
        self.window = max(1, int(window_days * 24 * 60))
        self.per_key_cap = per_key_cap
        self._script = client.register_script(_SCRIPT)

    def _args(self, fp: Fingerprint, article_id: str) -> list[bytes | str | int]:
        bucket = bucket_of(fp.at, self.window)
        reachable_until = ((bucket + 1) * 2 * self.window + self.window) * 60  # unix s: last lookup reaching it
        expire_at = max(int(time.time()), reachable_until) + self.window * 60  # a window of slack for late items
        id_hash = xxhash.xxh64_intdigest(article_id.encode())
        keys = struct.pack(f"<{len(fp.keys)}I", *[(key * _MIX & 0xFFFFFFFFFFFFFFFF) >> 32 for key in fp.keys])
        return ["assign", self.prefix, article_id, pack(fp), fp.at, self.window, expire_at, self.per_key_cap,
                struct.pack("<Q", id_hash), keys]

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        fp = fingerprint(item)
        cluster, score, _existing = self._script(args=self._args(fp, item.article_id))
        cluster = cluster.decode() if isinstance(cluster, bytes) else cluster
        return Assignment(cluster, None if cluster == item.article_id else cluster, round(float(score), 4))

    def compare_packed(self, a: Fingerprint, b: Fingerprint) -> Decision:
        """Run the script's own decision on two fingerprints (no key is touched): the parity check."""
        dup, score = self._script(args=["compare", pack(a), pack(b)])
        return Decision(bool(dup), float(score))

    def clear(self) -> int:
        """Delete every key under this prefix (tests and benchmarks)."""
        removed = 0
        for batch in _batched(self.client.scan_iter(match=self.prefix + "*", count=1000), 500):
            removed += self.client.delete(*batch)
        return removed


def _batched(iterable: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for element in iterable:
        batch.append(element)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
