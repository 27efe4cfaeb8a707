"""Near-duplicate index in the SQL store, serialised by a lock, for worker processes sharing one database."""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
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
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection

from workers.adapters.schema import metadata
from workers.core.dedupe import PER_KEY_CAP, Assignment, DedupeItem, fingerprint
from workers.core.dedupe_index import Filed, Filing, assign_with
from workers.core.fingerprint import VERSION, Fingerprint, pack, unpack
from workers.core.retention import Retained, Retention

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


_EXISTING = text("SELECT seq, cluster_id, score, record FROM dedupe_items"
                 " WHERE scope = :scope AND article_id = :article_id")
# Two point queries, not one join: with no statistics yet (a new table, autovacuum not yet run) PostgreSQL planned the
# join as a scan of every item of the table with a probe of the keys per item, so each assign cost in proportion to
# the index's size (0.05 s at 100 items, 0.4 s at 200, in one test); each query alone has one plan, on its primary key.
_KEY_HITS = text(
    "SELECT key, bucket, seq FROM dedupe_keys"
    " WHERE scope = :scope AND bucket IN :buckets AND key IN :keys AND seq < :before ORDER BY seq"
).bindparams(bindparam("buckets", expanding=True), bindparam("keys", expanding=True))
_RECORDS = text("SELECT seq, cluster_id, score, record FROM dedupe_items WHERE seq IN :seqs").bindparams(
    bindparam("seqs", expanding=True))
_UNDECIDED = ""  # cluster_id of a row filed and not yet decided (never committed: one transaction does both)


def _signed(key: int) -> int:
    return struct.unpack("<q", struct.pack("<Q", key))[0]


def _unsigned(key: int) -> int:
    return key & 0xFFFFFFFFFFFFFFFF


class StoreDedupeIndex(Retained):
    """File, decide and write back run in one transaction under a lock (BEGIN IMMEDIATE on SQLite, an advisory
    lock on PostgreSQL), so concurrent workers never both miss each other's copy of a story."""

    def __init__(self, engine: Engine, window_days: float = 7.0, scope: str = "default",
                 prune_every: int = 1000, per_key_cap: int = PER_KEY_CAP) -> None:
        self.engine = engine
        self.retention = Retention.of_days(window_days, per_key_cap)
        self.scope = scope
        self.prune_every = prune_every
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
        """`assign` inside a locked transaction (benchmarks fill the index this way)."""
        return assign_with(_Session(self, conn), article_id, fp)

    def clear(self) -> None:
        """Delete this scope's rows (tests and benchmarks)."""
        with self.engine.begin() as conn:
            conn.execute(delete(dedupe_keys).where(dedupe_keys.c.scope == self.scope))
            conn.execute(delete(dedupe_items).where(dedupe_items.c.scope == self.scope))


class _Session:
    """The index's storage inside one locked transaction: what `assign_with` files, reads and writes back."""

    def __init__(self, index: StoreDedupeIndex, conn: Connection) -> None:
        self.index, self.conn, self.retention, self.scope = index, conn, index.retention, index.scope

    def _earlier(self, at: int, keys: Sequence[int], before: int) -> tuple[list[Filed], dict[int, list[int]]]:
        """Items filed before `before` under these keys, and per key the seqs of its own bucket."""
        crowded: dict[int, list[int]] = {}
        if not keys:
            return [], crowded
        bucket = self.retention.bucket(at)
        # Points on (scope, bucket, key) in the keys' primary key, then the records of the seqs found on theirs.
        hits = self.conn.execute(_KEY_HITS, {"scope": self.scope, "buckets": list(self.retention.reach(at)),
                                             "keys": [_signed(key) for key in keys], "before": before}).all()
        seqs = list(dict.fromkeys(seq for _, _, seq in hits))  # in filing order
        rows = {row.seq: row for row in self.conn.execute(_RECORDS, {"seqs": seqs})} if seqs else {}
        for key, b, seq in hits:
            if b == bucket:
                crowded.setdefault(_unsigned(key), []).append(seq)
        earlier = [Filed(seq, bytes(row.record), row.cluster_id or None, row.score)
                   for seq in seqs if (row := rows.get(seq)) is not None
                   and row.record[0] == VERSION]  # other fingerprint versions never match
        return earlier, crowded

    def file(self, article_id: str, fp: Fingerprint) -> Filing:
        row = self.conn.execute(_EXISTING, {"scope": self.scope, "article_id": article_id}).first()
        if row:
            if row.cluster_id == _UNDECIDED:
                return self.reopen(row.seq)
            return Filing(article_id, Filed(row.seq, bytes(row.record), row.cluster_id, row.score))
        earlier, crowded = self._earlier(fp.at, fp.keys, 2**62)
        key = self.conn.execute(insert(dedupe_items).values(
            scope=self.scope, article_id=article_id, cluster_id=_UNDECIDED, score=0.0,
            bucket=self.retention.bucket(fp.at), record=pack(fp))).inserted_primary_key
        assert key is not None  # a one-row INSERT reports the key it generated
        seq = key[0]
        if fp.keys and self.retention.files_keys:
            self.conn.execute(insert(dedupe_keys), [
                {"scope": self.scope, "bucket": self.retention.bucket(fp.at), "key": _signed(key), "seq": seq}
                for key in fp.keys])
        return Filing(article_id, Filed(seq, fp.record), earlier, crowded)

    def reopen(self, seq: int) -> Filing:
        row = self.conn.execute(select(dedupe_items.c.article_id, dedupe_items.c.cluster_id, dedupe_items.c.score,
                                       dedupe_items.c.record).where(dedupe_items.c.seq == seq)).one()
        if row.cluster_id != _UNDECIDED:
            return Filing(row.article_id, Filed(seq, bytes(row.record), row.cluster_id, row.score))
        keys = self.conn.execute(select(dedupe_keys.c.key).where(
            dedupe_keys.c.scope == self.scope, dedupe_keys.c.seq == seq)).scalars().all()
        fp = unpack(bytes(row.record))
        earlier, _ = self._earlier(fp.at, [_unsigned(key) for key in keys], seq)
        return Filing(row.article_id, Filed(seq, fp.record), earlier)

    def settle(self, item: Filed, cluster_id: str, score: float,
               evict: Sequence[tuple[int, int]]) -> tuple[str, float]:
        seq, bucket = item.seq, self.retention.bucket(Fingerprint(item.record).at)
        written = self.conn.execute(update(dedupe_items).where(dedupe_items.c.seq == seq,
                                                               dedupe_items.c.cluster_id == _UNDECIDED)
                                    .values(cluster_id=cluster_id, score=score))
        if written.rowcount != 1:  # decided already (or gone): the stored decision stands
            row = self.conn.execute(select(dedupe_items.c.cluster_id, dedupe_items.c.score)
                                    .where(dedupe_items.c.seq == seq)).first()
            cluster_id, score = (row.cluster_id, row.score) if row else (cluster_id, score)
        if evict:
            self.conn.execute(delete(dedupe_keys).where(and_(
                dedupe_keys.c.scope == bindparam("scope"), dedupe_keys.c.bucket == bindparam("bucket"),
                dedupe_keys.c.key == bindparam("k"), dedupe_keys.c.seq == bindparam("s"))),
                [{"scope": self.scope, "bucket": bucket, "k": _signed(key), "s": old} for key, old in evict])
        if seq % self.index.prune_every == 0:
            self._prune(bucket)
        return cluster_id, score

    def _prune(self, bucket: int) -> None:
        """Forget buckets no lookup can reach any more, so the tables follow the window."""
        now = bucket * 2 * self.retention.window  # the start of this item's bucket
        for table in (dedupe_keys, dedupe_items):
            stale = self.conn.execute(select(table.c.bucket).where(table.c.scope == self.scope).distinct()).scalars()
            drop = [b for b in stale if self.retention.stale(b, now)]
            if drop:
                self.conn.execute(delete(table).where(table.c.scope == self.scope, table.c.bucket.in_(drop)))




def forget_articles(conn: Connection, article_ids: Sequence[str]) -> int:
    """Drop these articles from every scope of the index, in the caller's transaction (retention), so no lookup
    finds them as a candidate again; returns the items dropped.

    Normally there is nothing to drop: the index forgets items a few windows after their time, long before a
    retention age such as 90 days. Key rows are not derivable from the stored record, so they go by
    (scope, bucket), the primary key's prefix, and seq: one statement per bucket touched.
    """
    if not article_ids:
        return 0
    items = conn.execute(select(dedupe_items.c.seq, dedupe_items.c.scope, dedupe_items.c.bucket)
                         .where(dedupe_items.c.scope.in_(_scopes(conn)),
                                dedupe_items.c.article_id.in_(list(article_ids)))).all()
    by_bucket: dict[tuple[str, int], list[int]] = {}
    for seq, scope, bucket in items:
        by_bucket.setdefault((scope, bucket), []).append(seq)
    for (scope, bucket), seqs in by_bucket.items():
        conn.execute(delete(dedupe_keys).where(dedupe_keys.c.scope == scope, dedupe_keys.c.bucket == bucket,
                                               dedupe_keys.c.seq.in_(seqs)))
        conn.execute(delete(dedupe_items).where(dedupe_items.c.seq.in_(seqs)))
    return len(items)


def _scopes(conn: Connection) -> list[str]:
    """The index's scopes in use (one in a deployment; the items follow the window, so this read stays small)."""
    return list(conn.execute(select(dedupe_items.c.scope).distinct()).scalars())
