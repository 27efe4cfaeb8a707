"""Near-duplicate index in the SQL store, serialised by a lock, for worker processes sharing one database."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager

import xxhash
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    text,
)
from sqlalchemy.engine import Connection

from workers.adapters.schema import metadata
from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, best_match, bucket_of, fingerprint, reach
from workers.core.fingerprint import VERSION, Fingerprint, pack, unpack

_SEQ = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements only INTEGER PRIMARY KEY

dedupe_items = Table(
    "dedupe_items", metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("scope", String(64), nullable=False),
    Column("article_id", String(64), nullable=False),
    Column("cluster_id", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("record", LargeBinary, nullable=False),  # workers.core.fingerprint.pack
    UniqueConstraint("scope", "article_id", name="uq_dedupe_items_scope_article"),
    Index("ix_dedupe_items_scope_bucket", "scope", "bucket"),
)
# One row per (LSH key, item): the candidate lookup.
dedupe_keys = Table(
    "dedupe_keys", metadata,
    Column("scope", String(64), primary_key=True),
    Column("bucket", BigInteger, primary_key=True),
    Column("key", BigInteger, primary_key=True),  # 64-bit key as signed
    Column("seq", BigInteger, primary_key=True),
)


_EXISTING = text("SELECT cluster_id, score FROM dedupe_items WHERE scope = :scope AND article_id = :article_id")
_CANDIDATES = text(
    "SELECT k.key, k.bucket, k.seq, i.cluster_id, i.record FROM dedupe_keys k JOIN dedupe_items i ON i.seq = k.seq"
    " WHERE k.scope = :scope AND k.bucket IN :buckets AND k.key IN :keys ORDER BY k.seq"
).bindparams(bindparam("buckets", expanding=True), bindparam("keys", expanding=True))


def _signed(key: int) -> int:
    return struct.unpack("<q", struct.pack("<Q", key))[0]


class StoreDedupeIndex:
    """Lookup and insert run in one transaction under a lock (BEGIN IMMEDIATE on SQLite, an advisory
    lock on PostgreSQL), so concurrent workers never both miss each other's copy of a story."""

    def __init__(self, engine: Engine, window_days: float = 7.0, scope: str = "default",
                 prune_every: int = 1000, per_key_cap: int = PER_KEY_CAP) -> None:
        self.engine = engine
        self.window = max(1, int(window_days * 24 * 60))
        self.scope = scope
        self.prune_every = prune_every
        self.per_key_cap = per_key_cap
        self._lock_id = _signed(xxhash.xxh64_intdigest(f"akhbar-dedupe:{scope}".encode()))

    def create_tables(self) -> None:
        """Create this index's tables if missing (the migration does this in deployments)."""
        metadata.create_all(self.engine, tables=[dedupe_items, dedupe_keys])

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        if self.engine.dialect.name == "sqlite":
            # pysqlite's own BEGIN is deferred: two processes could both read, then both insert.
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
        else:
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._lock_id})
                yield conn

    def assign(self, item: DedupeItem) -> Assignment:
        """File the item and return its cluster; repeated calls for one article return the same answer."""
        fp = fingerprint(item)
        with self._locked() as conn:
            return self._assign(conn, item.article_id, fp)

    def _assign(self, conn: Connection, article_id: str, fp: Fingerprint) -> Assignment:
        bucket = bucket_of(fp.at, self.window)
        row = conn.execute(_EXISTING, {"scope": self.scope, "article_id": article_id}).first()
        if row:
            first = None if row.cluster_id == article_id else row.cluster_id
            return Assignment(row.cluster_id, first, row.score)
        candidates: list[tuple[int, Fingerprint]] = []
        clusters: dict[int, str] = {}
        per_key: dict[int, int] = {}
        oldest: dict[int, int] = {}  # per key of this bucket, its first-filed item (rows come in seq order)
        if fp.keys:
            # One indexed query: points on (scope, bucket, key) in the primary key, joined to the records.
            hits = conn.execute(_CANDIDATES, {"scope": self.scope, "buckets": list(reach(fp.at, self.window)),
                                              "keys": [_signed(key) for key in fp.keys]})
            for key, b, seq, cluster, record in hits:
                if b == bucket:
                    per_key[key] = per_key.get(key, 0) + 1
                    oldest.setdefault(key, seq)
                if seq not in clusters and record[0] == VERSION:  # other fingerprint versions never match
                    candidates.append((seq, unpack(bytes(record))))
                    clusters[seq] = cluster
        best = best_match(fp, candidates, self.window)
        cluster, score = (clusters[best[0]], best[1]) if best else (article_id, 0.0)
        seq = conn.execute(insert(dedupe_items).values(
            scope=self.scope, article_id=article_id, cluster_id=cluster, score=score, bucket=bucket,
            record=pack(fp))).inserted_primary_key[0]
        # a key already holding per_key_cap items of this bucket lets its oldest one go
        full = [{"scope": self.scope, "bucket": bucket, "k": key, "s": oldest[key]}
                for key in map(_signed, fp.keys) if per_key.get(key, 0) >= self.per_key_cap and key in oldest]
        if full:
            conn.execute(delete(dedupe_keys).where(and_(
                dedupe_keys.c.scope == bindparam("scope"), dedupe_keys.c.bucket == bindparam("bucket"),
                dedupe_keys.c.key == bindparam("k"), dedupe_keys.c.seq == bindparam("s"))), full)
        filed = list(map(_signed, fp.keys)) if self.per_key_cap > 0 else []
        if filed:
            conn.execute(insert(dedupe_keys), [
                {"scope": self.scope, "bucket": bucket, "key": key, "seq": seq} for key in filed])
        if seq % self.prune_every == 0:
            self._prune(conn, bucket)
        return Assignment(cluster, None if cluster == article_id else cluster, score)

    def _prune(self, conn: Connection, bucket: int) -> None:
        """Forget buckets no lookup can reach any more, so the tables follow the window."""
        # Rows far in the future are stale too: earlier versions numbered buckets by one window, not two.
        for table in (dedupe_keys, dedupe_items):
            conn.execute(delete(table).where(and_(
                table.c.scope == self.scope, or_(table.c.bucket < bucket - 2, table.c.bucket > bucket + 2))))

    def clear(self) -> None:
        """Delete this scope's rows (tests and benchmarks)."""
        with self.engine.begin() as conn:
            conn.execute(delete(dedupe_keys).where(dedupe_keys.c.scope == self.scope))
            conn.execute(delete(dedupe_items).where(dedupe_items.c.scope == self.scope))
