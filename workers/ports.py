"""The ports: what the use cases need from the world, as Protocols. Adapters implement them; tests fake them.

services.py and the scheduler's tick are typed on these and nothing else: the real adapters are wired
by workers/runtime.py (`bootstrap()`), in-memory fakes by tests/fakes.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from config.settings import Settings
from workers.core.models import Article, FetchResult, Source
from workers.core.rows import (
    ArticleRef,
    ClusterRow,
    EventRow,
    FailureRow,
    FleetRow,
    LedgerRow,
    PublishResult,
    SourceRow,
)

if TYPE_CHECKING:  # the dedupe core imports numpy: a command that never dedupes never loads it
    from workers.core.dedupe import Assignment


class Clock(Protocol):
    """Now, as an aware UTC datetime (workers.core.clock.utcnow)."""

    def __call__(self) -> datetime: ...


class PageFetcher(Protocol):
    """One GET under the fetch limits, SSRF guard and politeness; raises a FetchError (core/errors.py)."""

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str = "page", obey_robots: bool | None = None,
              max_bytes: int | None = None) -> FetchResult: ...


class SourceRepository(Protocol):
    """Sources: their configuration and health record."""

    def get(self, name: str) -> SourceRow | None: ...

    def all(self) -> list[SourceRow]: ...

    def claim_due(self, now: datetime, lease: timedelta, limit: int, *, force: bool = False) -> list[SourceRow]: ...

    def update(self, name: str, **values: Any) -> None: ...

    def add(self, source: Source) -> None: ...

    def remove(self, name: str) -> bool: ...

    def set_enabled(self, name: str, enabled: bool, reason: str | None = None) -> bool: ...

    def sync(self, file_sources: Sequence[Source]) -> None: ...

    def article_counts(self, since: datetime | None = None) -> dict[str, int]: ...


class ArticleRepository(Protocol):
    """Stored articles, the URLs that led to them (the "seen" set), clusters and the publish events."""

    def known_urls(self, urls: Iterable[str]) -> set[str]: ...

    def id_for_url(self, url: str) -> str | None: ...

    def claimed(self, url: str) -> ArticleRef | None: ...

    def first_claimant(self, urls: Iterable[str], exclude_id: str) -> ArticleRef | None: ...

    def first_with_hash(self, content_hash: str, exclude_id: str) -> ArticleRef | None: ...

    def publish(self, article: Article, urls: Iterable[str] = ()) -> PublishResult: ...

    def settle_head(self, cluster_id: str) -> str | None: ...

    def get(self, article_id: str) -> Article | None: ...

    def find(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, offset: int = 0, sort: str = "stored") -> list[Article]: ...

    def page(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, sort: str = "stored",
             cursor: str | None = None) -> tuple[list[Article], str | None]: ...

    def count(self) -> int: ...

    def clusters(self, limit: int = 100) -> list[ClusterRow]: ...

    def events_since(self, after_id: int = 0, limit: int = 1000) -> list[EventRow]: ...

    def last_event_id(self) -> int: ...


class LedgerRepository(Protocol):
    """The job ledger (every queued job by its idempotency key) and the dead letters."""

    def enqueue_many(self, jobs: Sequence[dict[str, Any]], *, stale_after: timedelta, force: bool = False,
                     failed_cooldown: timedelta | None = None) -> set[str]: ...

    def mark_stale(self, keys: Sequence[str]) -> None: ...

    def update(self, key: str, state: str, error: dict[str, Any] | None = None,
               attempts: int | None = None) -> None: ...

    def stale(self, older_than: datetime, limit: int = 500) -> list[LedgerRow]: ...

    def counts(self) -> dict[str, dict[str, int]]: ...

    def oldest(self) -> dict[str, datetime]: ...

    def done_since(self, since: datetime) -> int: ...

    def activity_since(self, since: datetime) -> dict[str, list[datetime]]: ...

    def add_failure(self, *, task: str, args: dict[str, Any], error: dict[str, Any], attempts: int) -> int: ...

    def failures(self, limit: int = 200) -> list[FailureRow]: ...

    def failure(self, failure_id: int) -> FailureRow | None: ...

    def drop_failure(self, failure_id: int) -> bool: ...

    def count_failures(self) -> int: ...


class FleetRepository(Protocol):
    """Worker heartbeats and the leases (the single scheduler's)."""

    def heartbeat(self, name: str, *, hostname: str, pid: int, queues: str, active: int, processed: int,
                  started_at: datetime, current: dict[str, Any] | None = None) -> None: ...

    def live_workers(self, within: timedelta = ...) -> list[FleetRow]: ...

    def forget_worker(self, name: str) -> None: ...

    def acquire_lock(self, name: str, holder: str, ttl: timedelta) -> bool: ...

    def release_lock(self, name: str, holder: str) -> None: ...

    def lock_holder(self, name: str) -> str | None: ...


class DuplicateIndex(Protocol):
    """The shared near-duplicate index: which cluster an article joins."""

    def assign_article(self, article: Article) -> Assignment: ...


class SameStoryIndex(Protocol):
    """The optional semantic stage: ids of articles likely reporting the same story."""

    def link(self, article: Article, *, refresh: bool = False) -> list[str]: ...


class EventPublisher(Protocol):
    """The follow-able event stream beside the store's outbox (a Redis Stream, or nothing)."""

    def publish(self, kind: str, article_id: str, revision: int) -> None: ...


class JobQueue(Protocol):
    """Jobs recorded in the ledger, then sent to the broker; what the ledger already holds is not sent twice."""

    def enqueue_pages(self, items: list[tuple[str, str | None]], source: str) -> int: ...

    def enqueue_sources(self, names: list[str], *, force: bool = False) -> list[str]: ...


class Deps(Protocol):
    """Everything a use case may use, wired once per process (runtime.bootstrap) or from fakes in tests."""

    @property
    def settings(self) -> Settings: ...

    @property
    def sources(self) -> SourceRepository: ...

    @property
    def articles(self) -> ArticleRepository: ...

    @property
    def ledger(self) -> LedgerRepository: ...

    @property
    def fleet(self) -> FleetRepository: ...

    @property
    def fetcher(self) -> PageFetcher: ...

    @property
    def queue(self) -> JobQueue: ...

    @property
    def dedupe(self) -> DuplicateIndex: ...

    @property
    def semantic(self) -> SameStoryIndex | None: ...

    @property
    def events(self) -> EventPublisher: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def site_rules(self) -> Mapping[str, Any]: ...
