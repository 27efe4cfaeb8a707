"""What the repositories hand back: one frozen row type per table a use case reads, no dicts.

Fields follow the table's column order, so a row turned back into a dict at the console edge
(console/rows.py) gives the same keys in the same order the API and CLI have always shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workers.core.models import Article


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as stored: its configuration and its health record."""

    name: str
    url: str
    kind: str
    interval: int
    max_interval: int | None
    current_interval: int | None
    timezone: str | None
    link_pattern: str | None
    origin: str
    enabled: bool
    state: str
    disabled_reason: str | None
    next_due_at: datetime
    etag: str | None
    last_modified: str | None
    consecutive_failures: int
    last_error: dict[str, Any] | None
    recent_errors: list[dict[str, Any]] | None
    last_success_at: datetime | None
    last_polled_at: datetime | None
    last_new_items_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """Where a stored article sits among its near-duplicates (the full article is an Article)."""

    id: str
    cluster_id: str | None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """One cluster of near-identical articles, as listed newest first."""

    cluster_id: str
    members: int
    first_at: datetime
    last_at: datetime
    title: str
    sources: list[str]
    article_ids: list[str]


@dataclass(frozen=True, slots=True)
class EventRow:
    """One publish event (`published` or `updated`) from the store's outbox."""

    id: int
    kind: str
    article_id: str
    revision: int
    at: datetime


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A job in the ledger, by its idempotency key."""

    key: str
    kind: str
    queue: str
    source: str | None
    url: str | None
    state: str
    attempts: int
    enqueued_at: datetime
    updated_at: datetime
    last_error: dict[str, Any] | None
    args: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class FailureRow:
    """A dead letter: a job that exhausted its retries, kept for replay."""

    id: int
    task: str
    args: dict[str, Any]
    source: str | None
    url: str | None
    error_kind: str
    message: str
    status: int | None
    attempts: int
    at: datetime


@dataclass(frozen=True, slots=True)
class FleetRow:
    """A worker pool process as its last heartbeat described it."""

    name: str
    hostname: str
    pid: int
    queues: str
    active: int
    processed: int
    started_at: datetime
    last_seen: datetime
    current: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class PublishResult:
    """What a publish did: published | updated | unchanged, and the article as stored."""

    status: str
    article: Article
