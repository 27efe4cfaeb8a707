"""The store seen as the ports' repositories (workers/ports.py): typed rows out, the Store's SQL underneath.

Store (store.py) stays the one implementation, one short transaction per method; these views only name
the calls by port and turn its mappings into the frozen rows of workers/core/rows.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from workers.adapters.store import Store
from workers.core.models import Article, Source
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

Row = TypeVar("Row")


def _row(cls: type[Row], mapping: Mapping[str, Any] | None) -> Row | None:
    return cls(**mapping) if mapping is not None else None


class StoreSources:
    """SourceRepository over the store's `sources` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, name: str) -> SourceRow | None:
        return _row(SourceRow, self.store.get_source(name))

    def all(self) -> list[SourceRow]:
        return [SourceRow(**r) for r in self.store.list_sources()]

    def claim_due(self, now: datetime, lease: timedelta, limit: int, *, force: bool = False) -> list[SourceRow]:
        return [SourceRow(**r) for r in self.store.claim_due_sources(now, lease, limit, force=force)]

    def update(self, name: str, **values: Any) -> None:
        self.store.update_source(name, **values)

    def add(self, source: Source) -> None:
        self.store.add_source(source)

    def remove(self, name: str) -> bool:
        return self.store.remove_source(name)

    def set_enabled(self, name: str, enabled: bool, reason: str | None = None) -> bool:
        return self.store.set_source_enabled(name, enabled, reason)

    def sync(self, file_sources: Sequence[Source]) -> None:
        self.store.sync_sources(file_sources)

    def article_counts(self, since: datetime | None = None) -> dict[str, int]:
        return self.store.source_article_counts(since)


class StoreArticles:
    """ArticleRepository over the store's articles, their URLs and claims, and the events outbox."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        return self.store.known_urls(urls)

    def id_for_url(self, url: str) -> str | None:
        return self.store.article_id_for_url(url)

    def claimed(self, url: str) -> ArticleRef | None:
        return _row(ArticleRef, self.store.claimed_article(url))

    def first_claimant(self, urls: Iterable[str], exclude_id: str) -> ArticleRef | None:
        return _row(ArticleRef, self.store.first_claimant(urls, exclude_id))

    def first_with_hash(self, content_hash: str, exclude_id: str) -> ArticleRef | None:
        return _row(ArticleRef, self.store.first_with_hash(content_hash, exclude_id))

    def publish(self, article: Article, urls: Iterable[str] = ()) -> PublishResult:
        return self.store.publish(article, urls)

    def settle_head(self, cluster_id: str) -> str | None:
        return self.store.settle_head(cluster_id)

    def get(self, article_id: str) -> Article | None:
        return self.store.get_article(article_id)

    def find(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, offset: int = 0, sort: str = "stored") -> list[Article]:
        return self.store.list_articles(source=source, cluster=cluster, since=since, q=q, limit=limit, offset=offset,
                                        sort=sort)

    def page(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, sort: str = "stored",
             cursor: str | None = None) -> tuple[list[Article], str | None]:
        """A page by keyset cursor and the next page's cursor (None after the last); CursorError for a bad one."""
        return self.store.articles_page(source=source, cluster=cluster, since=since, q=q, limit=limit, sort=sort,
                                        cursor=cursor)

    def count(self) -> int:
        return self.store.count_articles()

    def clusters(self, limit: int = 100) -> list[ClusterRow]:
        return [ClusterRow(**r) for r in self.store.clusters(limit)]

    def events_since(self, after_id: int = 0, limit: int = 1000) -> list[EventRow]:
        return [EventRow(**r) for r in self.store.events_since(after_id, limit)]

    def last_event_id(self) -> int:
        return self.store.last_event_id()


class StoreLedger:
    """LedgerRepository over the store's `jobs` and `failures` tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def enqueue_many(self, jobs: Sequence[dict[str, Any]], *, stale_after: timedelta, force: bool = False,
                     failed_cooldown: timedelta | None = None) -> set[str]:
        return self.store.ledger_enqueue_many(jobs, stale_after=stale_after, force=force,
                                              failed_cooldown=failed_cooldown)

    def mark_stale(self, keys: Sequence[str]) -> None:
        self.store.ledger_mark_stale(keys)

    def update(self, key: str, state: str, error: dict[str, Any] | None = None,
               attempts: int | None = None) -> None:
        self.store.ledger_update(key, state, error=error, attempts=attempts)

    def stale(self, older_than: datetime, limit: int = 500) -> list[LedgerRow]:
        return [LedgerRow(**r) for r in self.store.ledger_stale(older_than, limit)]

    def counts(self) -> dict[str, dict[str, int]]:
        return self.store.ledger_counts()

    def oldest(self) -> dict[str, datetime]:
        return self.store.ledger_oldest()

    def done_since(self, since: datetime) -> int:
        return self.store.ledger_done_since(since)

    def activity_since(self, since: datetime) -> dict[str, list[datetime]]:
        return self.store.activity_since(since)

    def add_failure(self, *, task: str, args: dict[str, Any], error: dict[str, Any], attempts: int) -> int:
        return self.store.add_failure(task=task, args=args, error=error, attempts=attempts)

    def failures(self, limit: int = 200) -> list[FailureRow]:
        return [FailureRow(**r) for r in self.store.list_failures(limit)]

    def failure(self, failure_id: int) -> FailureRow | None:
        return _row(FailureRow, self.store.get_failure(failure_id))

    def drop_failure(self, failure_id: int) -> bool:
        return self.store.drop_failure(failure_id)

    def count_failures(self) -> int:
        return self.store.count_failures()


class StoreFleet:
    """FleetRepository over the store's `workers` and `locks` tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def heartbeat(self, name: str, *, hostname: str, pid: int, queues: str, active: int, processed: int,
                  started_at: datetime, current: dict[str, Any] | None = None) -> None:
        self.store.heartbeat(name, hostname=hostname, pid=pid, queues=queues, active=active, processed=processed,
                             started_at=started_at, current=current)

    def live_workers(self, within: timedelta = timedelta(seconds=30)) -> list[FleetRow]:
        return [FleetRow(**r) for r in self.store.live_workers(within)]

    def forget_worker(self, name: str) -> None:
        self.store.forget_worker(name)

    def acquire_lock(self, name: str, holder: str, ttl: timedelta) -> bool:
        return self.store.acquire_lock(name, holder, ttl)

    def release_lock(self, name: str, holder: str) -> None:
        self.store.release_lock(name, holder)

    def lock_holder(self, name: str) -> str | None:
        return self.store.lock_holder(name)
