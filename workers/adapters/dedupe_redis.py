"""Near-duplicate index in Redis shared by all workers: storage only; the decision is the core's.

One EVALSHA files an item and returns, in the same atomic step, its seq and every item filed before it
under a shared key; Python decides (`workers.core.dedupe_index.assign_with`); a second EVALSHA writes the
decision back, first writer wins, and drops what the retention policy lets go. An item with nothing filed
before it (most are) is written with the decision Python gave for that case at filing: one call, not two.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import Any

import xxhash
from hiredis import pack_command
from redis import Redis
from redis.exceptions import NoScriptError

from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, fingerprint
from workers.core.dedupe_index import Filed, Filing, assign_with, decide_filing, decision_alone
from workers.core.fingerprint import VERSION, Fingerprint, pack
from workers.core.retention import Retained, Retention

_SCRIPT = resources.files("workers.adapters").joinpath("dedupe.lua").read_text(encoding="utf-8")
_MIX = 0x9E3779B97F4A7C15  # odd multiplier: a key's top 32 bits after it depend on all 64 (MinHash keys are minima)
_UNDECIDED = 0xFFFF  # the score field of an item filed and not yet decided (keep in step with dedupe.lua)
_HEAD = struct.Struct("<HB")


def fragment(key: int) -> int:
    """The 4 bytes of a 64-bit key the Redis layout keeps."""
    return (key * _MIX & 0xFFFFFFFFFFFFFFFF) >> 32


def _filed(seq: int, value: bytes) -> Filed:
    """A stored value (u16 score x10000 or undecided, u8 id length, cluster id, record) as a Filed item."""
    score, n = _HEAD.unpack_from(value)
    record = value[3 + n:]
    if score == _UNDECIDED:
        return Filed(seq, record)
    return Filed(seq, record, value[3:3 + n].decode(), score / 10000)


def _earlier(seqs: bytes, values: Sequence[bytes]) -> list[Filed]:
    """Filed items of the current fingerprint version (records of another never match)."""
    return [_filed(seq, value) for seq, value in zip(struct.unpack(f"<{len(seqs) // 4}I", seqs), values, strict=True)
            if value[3 + value[2]] == VERSION]


class RedisDedupeIndex(Retained):
    """Everything lives in packed strings, so memory is the data plus a fixed cost per shard, not per item.

    Layout under `prefix`: `seq` counter; `r:{seq // 300}` a string of 300 fixed 544-byte slots (u16 length,
    u16 score or 0xFFFF until decided, u8 id length, cluster id, packed fingerprint), with the rare longer value
    in hash `x:{group}`; `u:{seq}` an undecided item's id and keys, deleted when its decision is written;
    `h:{bucket}` one hash per time bucket: field `n` its item count, `m{shard}` 12-byte id entries (xxh64 of
    article id, u32 seq) and `{shard}` 8-byte key entries (u32 key fragment, u32 seq). The shard count grows
    with the item count by linear hashing (one shard split at a time), so a field stays ~450 bytes and an
    assign costs the same at 10k or 1M items. Buckets span two windows, so a lookup reads the two buckets its
    window overlaps (one HMGET each); every key expires when `Retention.expire_at` says.
    """

    def __init__(self, client: Redis, window_days: float = 7.0, prefix: str = "akhbar:dedupe:",
                 per_key_cap: int = PER_KEY_CAP) -> None:
        self.client = client
        self.prefix = prefix
        self.retention = Retention.of_days(window_days, per_key_cap)
        self._script = client.register_script(_SCRIPT)

    def _eval(self, args: Sequence[bytes | str | int]) -> Any:
        """EVALSHA of the index script on a connection of the client's pool, packed by hiredis in one C call.
        The client's own path encodes each argument in Python and records metrics per command: about 45 µs of
        CPU a call, against some 320 µs a worker spends on a whole assign. Retries, timeouts and errors are the
        connection's own (a full Redis still raises its OOM error); an unknown script goes the usual way."""
        pool = self.client.connection_pool
        conn = pool.get_connection()
        try:
            # (hiredis' stub types the command as a 1-tuple)
            packed = [pack_command(("EVALSHA", self._script.sha, 0, *args))]  # type: ignore[arg-type]

            def call() -> Any:
                conn.send_packed_command(packed)
                return conn.read_response()

            return conn.retry.call_with_retry(call, lambda error: conn.disconnect())
        except NoScriptError:  # a restarted or flushed Redis: the client's path loads the script and runs it
            return self._script(args=args)
        finally:
            pool.release(conn)

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        return assign_with(self, item.article_id, fingerprint(item))

    def _file_args(self, article_id: str, fp: Fingerprint) -> list[bytes | str | int]:
        reach = self.retention.reach(fp.at)
        bucket = self.retention.bucket(fp.at)
        keys = struct.pack(f"<{len(fp.keys)}I", *map(fragment, fp.keys))
        alone, score = decision_alone(article_id)
        return ["file", self.prefix, article_id, pack(fp), bucket, reach.start, reach.stop - 1,
                self.retention.expire_at(bucket, time.time()), int(self.retention.files_keys),
                struct.pack("<Q", xxhash.xxh64_intdigest(article_id.encode())), keys, alone, round(score * 10000)]

    def _filing(self, article_id: str, fp: Fingerprint, reply: list) -> Filing:
        seq, existing, seqs, crowded, *values = reply
        if existing:
            item = _filed(seq, existing)
            return self.reopen(seq) if item.cluster_id is None else Filing(article_id, item)
        by_key: dict[int, tuple[int, ...]] = {}
        offset = 0
        for key in fp.keys:
            (count,) = struct.unpack_from("<H", crowded, offset)
            if count:
                by_key[key] = struct.unpack_from(f"<{count}I", crowded, offset + 2)
            offset += 2 + 4 * count
        return Filing(article_id, Filed(seq, fp.record), _earlier(seqs, values), by_key)

    def file(self, article_id: str, fp: Fingerprint) -> Filing:
        return self._filing(article_id, fp, self._eval(self._file_args(article_id, fp)))

    def reopen(self, seq: int) -> Filing:
        value, undecided = self._eval(["get", self.prefix, seq])
        if not value:
            raise LookupError(f"dedupe item {seq} expired before it was decided")
        item = _filed(seq, value)
        if item.cluster_id is not None:  # decided meanwhile
            return Filing("", item)
        if not undecided:  # written back and the `u:` entry deleted in one step, so only expiry explains this
            raise LookupError(f"dedupe item {seq} expired before it was decided")
        n = undecided[0]
        article_id, keys = undecided[1:1 + n].decode(), undecided[1 + n:]
        reach = self.retention.reach(Fingerprint(item.record).at)
        seqs, *values = self._eval(["earlier", self.prefix, seq, reach.start, reach.stop - 1, keys])
        return Filing(article_id, item, _earlier(seqs, values))

    def settle(self, item: Filed, cluster_id: str, score: float,
               evict: Sequence[tuple[int, int]]) -> tuple[str, float]:
        bucket = self.retention.bucket(Fingerprint(item.record).at)
        drops = b"".join(struct.pack("<II", fragment(key), seq) for key, seq in evict)
        cluster, stored = self._eval(["settle", self.prefix, item.seq, cluster_id, round(score * 10000),
                                      bucket, self.retention.expire_at(bucket, time.time()), drops])
        return (cluster.decode() if isinstance(cluster, bytes) else cluster), stored / 10000

    def assign_many(self, pairs: Sequence[tuple[str, Fingerprint]]) -> list[Assignment]:
        """Assign ready fingerprints in two pipelined round trips (filling an index); same answers as `assign`."""
        pipe = self.client.pipeline(transaction=False)
        for article_id, fp in pairs:
            self._script(args=self._file_args(article_id, fp), client=pipe)
        filings = [self._filing(article_id, fp, reply)
                   for (article_id, fp), reply in zip(pairs, pipe.execute(), strict=True)]
        decisions = [decide_filing(self, filing, fp) if filing.item.cluster_id is None else None
                     for filing, (_, fp) in zip(filings, pairs, strict=True)]
        for filing, decision in zip(filings, decisions, strict=True):
            if decision is not None:
                cluster, score = decision
                bucket = self.retention.bucket(Fingerprint(filing.item.record).at)
                drops = b"".join(struct.pack("<II", fragment(k), s)
                                 for k, s in self.retention.evictions(filing.crowded))
                self._script(args=["settle", self.prefix, filing.item.seq, cluster, round(score * 10000), bucket,
                                   self.retention.expire_at(bucket, time.time()), drops], client=pipe)
        settled = iter(pipe.execute())
        out = []
        for filing, decision in zip(filings, decisions, strict=True):
            if decision is None:
                cluster, score = filing.item.cluster_id or "", filing.item.score
            else:
                raw, stored = next(settled)
                cluster, score = raw.decode(), stored / 10000
            out.append(Assignment(cluster, None if cluster == filing.article_id else cluster, score))
        return out

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
