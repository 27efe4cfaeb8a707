"""The store's tables, one SQLAlchemy metadata for SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Every JSON column: JSONB on PostgreSQL (UTF-8, parsed once on write), text on SQLite written as UTF-8 by
# dumps_json (make_engine); migration 0008 converted what older revisions stored with \uXXXX escapes.
StoredJSON = JSON().with_variant(JSONB(), "postgresql")

# In JSON text, a NUL's escape (after an even run of backslashes: not itself an escaped backslash)
_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")
_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps_json(value: Any) -> str:
    r"""A JSON column's value as stored: UTF-8 (not \uXXXX escapes), the same text on SQLite and PostgreSQL.

    What no store can hold becomes U+FFFD: a NUL (JSONB refuses \u0000) and a lone surrogate (no UTF-8 for
    it; only a string built in Python can hold one, a decoded page cannot). Articles reach here without NUL
    (clean_article drops it from the body); error records and job arguments may carry anything.
    """
    text = json.dumps(value, ensure_ascii=False)  # still escapes control characters: NUL as \u0000
    if "\\u0000" in text:
        text = _NUL.sub(lambda m: m.group(1) + "\\ufffd", text)
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no offset) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False),
    Column("source", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("cluster_id", String(32), index=True),
    Column("duplicate_of", String(32)),
    Column("revision", Integer, nullable=False, default=1),
    Column("published_at", UTCDateTime),
    Column("fetched_at", UTCDateTime),
    Column("stored_at", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("data", StoredJSON, nullable=False),  # the full article JSON, offsets as the page gave them
    # Full-text search (workers/adapters/search_index.py, migration 0006): on PostgreSQL the stemmed terms'
    # tsvector, GIN-indexed; on SQLite always NULL (one header byte): its index is the FTS5 table
    # article_search with search_docs, kept out of this metadata as SQLAlchemy cannot declare a virtual table.
    Column("search", TSVECTOR().with_variant(Text(), "sqlite")),
)
SEARCH_PENDING_LIST_KB = 256  # the GIN index's pending list (search_index.PG_INDEX_OPTIONS says why)
Index("ix_articles_search", articles.c.search, postgresql_using="gin",
      postgresql_with={"fastupdate": "on", "gin_pending_list_limit": SEARCH_PENDING_LIST_KB})

# The listing's order (newest stored first, the id breaking ties) with and without a source: a page by cursor
# starts where the last one ended (migration 0007; they replace the single-column source and stored_at ones).
Index("ix_articles_stored_id", articles.c.stored_at.desc(), articles.c.id)
Index("ix_articles_source_stored_id", articles.c.source, articles.c.stored_at.desc(), articles.c.id)
Index("ix_articles_published_id", articles.c.published_at.desc().nulls_last(), articles.c.stored_at.desc(),
      articles.c.id)

# Read summaries kept by workers/adapters/summaries.py in the transactions that change articles, so listing
# clusters and counting a source's articles never scan the articles table (issue 15, item 2).
# A cluster is keyed as listed: coalesce(cluster_id, id), so an article without a cluster is one of its own.
clusters = Table(
    "clusters", metadata,
    Column("cluster_id", String(32), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),  # distinct sources: rows in cluster_sources
    Column("first_seen", UTCDateTime, nullable=False),  # earliest member's stored_at
    Column("last_seen", UTCDateTime, nullable=False),  # latest member's stored_at: the listing's order
    Column("head_id", String(32), nullable=False),  # as settle_head last chose it
)
Index("ix_clusters_last_seen", clusters.c.last_seen, clusters.c.cluster_id)

cluster_sources = Table(
    "cluster_sources", metadata,
    Column("cluster_id", String(32), primary_key=True),
    Column("source", String(200), primary_key=True),
    Column("articles", Integer, nullable=False),
)

source_stats = Table(
    "source_stats", metadata,
    Column("source", String(200), primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("last_stored_at", UTCDateTime),
)

# Articles per source per hour stored: windowed counts ("last 24 h") read whole hours here.
source_hours = Table(
    "source_hours", metadata,
    Column("hour", UTCDateTime, primary_key=True),
    Column("source", String(200), primary_key=True),
    Column("articles", Integer, nullable=False),
)

# Every URL that led to a stored article (feed link, final URL, canonical URL): the "seen" set.
# Rows are written in the same transaction as the article, so nothing is seen before it is stored.
article_urls = Table(
    "article_urls", metadata,
    Column("url_hash", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("article_id", String(32), nullable=False, index=True),
)

# Canonical URLs that pages on another site declared (Article.claimed_canonical_url): looked up by the
# claimed URL, so the claimed article and its claimants meet in one cluster whichever is stored first.
# Deliberately apart from article_urls: a claim never makes a URL "seen" nor names the claimant's row.
article_claims = Table(
    "article_claims", metadata,
    Column("url_hash", String(64), primary_key=True),
    Column("article_id", String(32), primary_key=True),
    Column("url", Text, nullable=False),
)

# The optional semantic stage (AKHBAR_SEMANTIC): each article's headline vector, read back by every worker
# for its time window (seq lets a worker read only rows it has not seen), and the "likely the same story"
# links it found, both directions, apart from the cluster columns.
article_embeddings = Table(
    "article_embeddings", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False, unique=True),
    Column("model", String(40), nullable=False),
    Column("at", UTCDateTime, nullable=False),  # published_at (or when stored): the window is on this
    Column("vector", LargeBinary, nullable=False),  # workers.core.semantic.pack
)
Index("ix_article_embeddings_model_at", article_embeddings.c.model, article_embeddings.c.at)

same_story_links = Table(
    "same_story_links", metadata,
    Column("article_id", String(32), primary_key=True),
    Column("other_id", String(32), primary_key=True),
    Column("score", Float, nullable=False),
)

sources = Table(
    "sources", metadata,
    Column("name", String(200), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False, default="feed"),
    Column("interval", Integer, nullable=False, default=900),
    Column("max_interval", Integer),
    Column("current_interval", Integer),
    Column("timezone", String(64)),
    Column("link_pattern", Text),
    Column("origin", String(20), nullable=False, default="file"),  # file | runtime
    Column("enabled", Boolean, nullable=False, default=True),
    Column("state", String(20), nullable=False, default="ok"),  # ok | backoff | disabled
    Column("disabled_reason", Text),
    Column("next_due_at", UTCDateTime, nullable=False, index=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", StoredJSON),
    Column("recent_errors", StoredJSON),
    Column("last_success_at", UTCDateTime),
    Column("last_polled_at", UTCDateTime),
    Column("last_new_items_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_sources_due", sources.c.enabled, sources.c.next_due_at)

# The job ledger: every queued job by its idempotency key, so a lost queue is seen and healed,
# `run --once` knows when the work is drained, and operators see retries waiting.
jobs = Table(
    "jobs", metadata,
    Column("key", String(300), primary_key=True),
    Column("kind", String(20), nullable=False),  # feed | page
    Column("queue", String(20), nullable=False),
    Column("source", String(200)),
    Column("url", Text),
    Column("state", String(20), nullable=False),  # queued | retrying | done | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("enqueued_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_error", StoredJSON),
    Column("args", StoredJSON),
)
Index("ix_jobs_state_enqueued", jobs.c.state, jobs.c.enqueued_at)
Index("ix_jobs_state_updated", jobs.c.state, jobs.c.updated_at)  # throughput: jobs finished lately

events = Table(
    "events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # published | updated
    Column("article_id", String(32), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False, index=True),
)

failures = Table(
    "failures", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("task", String(100), nullable=False),
    Column("args", StoredJSON, nullable=False),
    Column("source", String(200)),
    Column("url", Text),
    Column("error_kind", String(40), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", Integer),
    Column("attempts", Integer, nullable=False, default=0),
    Column("at", UTCDateTime, nullable=False, index=True),
)

workers = Table(
    "workers", metadata,
    Column("name", String(200), primary_key=True),
    Column("hostname", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("queues", String(200), nullable=False, default=""),
    Column("active", Integer, nullable=False, default=0),
    Column("processed", Integer, nullable=False, default=0),
    Column("started_at", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False, index=True),
    Column("current", StoredJSON),  # the job a pool process is running: {task, queue, source, url, since}
)

# Fleet-wide counters for /metrics in the embedded mode (Redis hashes hold them when Redis is the broker):
# every worker process adds to the same rows, the API renders them at scrape time.
metric_counters = Table(
    "metric_counters", metadata,
    Column("name", String(100), primary_key=True),
    Column("labels", String(500), primary_key=True),  # JSON object, keys sorted
    Column("value", Float, nullable=False, default=0.0),
)

locks = Table(
    "locks", metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)
