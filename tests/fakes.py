"""In-memory fakes of every port in workers/ports.py, for the unit tier: no server, no process, milliseconds.

Each keeps the contract its real adapter keeps where a use case can tell the difference (a publish of the
same content is "unchanged", a claimed source is leased, a live ledger key is not queued twice), and no more.
The page fetcher is not faked: `mock_fetcher` builds the real one over `httpx.MockTransport`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from config.settings import Settings
from workers.adapters.dedupe_memory import MemoryDedupeIndex
from workers.adapters.http import Fetcher, FetchLimits
from workers.core.clusters import Member, choose_head
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
from workers.core.urls import url_key
from workers.dedupe_wiring import ArticleDeduper
from workers.ports import PageFetcher


class FakeClock:
    """Now, moved by hand."""

    def __init__(self, now: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeSources:
    """SourceRepository in a dict."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.rows: dict[str, SourceRow] = {}

    def get(self, name: str) -> SourceRow | None:
        return self.rows.get(name)

    def all(self) -> list[SourceRow]:
        return [self.rows[n] for n in sorted(self.rows)]

    def claim_due(self, now: datetime, lease: timedelta, limit: int, *, force: bool = False) -> list[SourceRow]:
        due = sorted((r for r in self.rows.values() if r.enabled and (force or r.next_due_at <= now)),
                     key=lambda r: r.next_due_at)[:limit]
        for row in due:
            self.rows[row.name] = dataclasses.replace(row, next_due_at=now + lease)
        return due

    def update(self, name: str, **values: Any) -> None:
        if name in self.rows:
            self.rows[name] = dataclasses.replace(self.rows[name], **values)

    def add(self, source: Source) -> None:
        now = self.clock()
        self.rows[source.name] = SourceRow(
            name=source.name, url=source.url, kind=source.kind, interval=source.interval,
            max_interval=source.max_interval, current_interval=None, timezone=source.timezone,
            link_pattern=source.link_pattern, origin=source.origin, enabled=source.enabled, state="ok",
            disabled_reason=None, next_due_at=now, etag=None, last_modified=None, consecutive_failures=0,
            last_error=None, recent_errors=None, last_success_at=None, last_polled_at=None,
            last_new_items_at=None, created_at=now)

    def remove(self, name: str) -> bool:
        return self.rows.pop(name, None) is not None

    def set_enabled(self, name: str, enabled: bool, reason: str | None = None) -> bool:
        if name not in self.rows:
            return False
        values: dict[str, Any] = {"enabled": enabled, "state": "ok" if enabled else "disabled",
                                  "disabled_reason": None if enabled else (reason or "disabled by operator")}
        if enabled:
            values.update(next_due_at=self.clock(), consecutive_failures=0)
        self.update(name, **values)
        return True

    def sync(self, file_sources: Sequence[Source]) -> None:
        for source in file_sources:
            if source.name not in self.rows:
                self.add(source)

    def article_counts(self, since: datetime | None = None) -> dict[str, int]:
        return {}


@dataclass
class _Stored:
    article: Article
    stored_at: datetime


class FakeArticles:
    """ArticleRepository in dicts: articles by id, the URLs that led to them, claims and the event outbox."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.stored: dict[str, _Stored] = {}
        self.urls: dict[str, str] = {}  # url_key -> article id: the "seen" set
        self.claims: dict[str, list[str]] = {}  # url_key of a claimed canonical -> claimant ids, first first
        self.events: list[EventRow] = []

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        return {u for u in urls if url_key(u) in self.urls}

    def id_for_url(self, url: str) -> str | None:
        return self.urls.get(url_key(url))

    def _ref(self, article_id: str) -> ArticleRef:
        article = self.stored[article_id].article
        return ArticleRef(article.id, article.cluster_id, article.duplicate_of)

    def claimed(self, url: str) -> ArticleRef | None:
        found = self.urls.get(url_key(url))
        return self._ref(found) if found else None

    def first_claimant(self, urls: Iterable[str], exclude_id: str) -> ArticleRef | None:
        ids = [i for u in urls if u for i in self.claims.get(url_key(u), []) if i != exclude_id]
        if not ids:
            return None
        first = min(ids, key=lambda i: (self.stored[i].stored_at, i))
        return ArticleRef(first, self.stored[first].article.cluster_id)

    def first_with_hash(self, content_hash: str, exclude_id: str) -> ArticleRef | None:
        same = [s for s in self.stored.values()
                if s.article.content_hash == content_hash and s.article.id != exclude_id]
        if not same:
            return None
        first = min(same, key=lambda s: s.stored_at).article
        return ArticleRef(first.id, first.cluster_id)

    def publish(self, article: Article, urls: Iterable[str] = ()) -> PublishResult:
        now = self.clock()
        current = self.stored.get(article.id)
        if current is None:
            status = "published"
            self.stored[article.id] = _Stored(article, now)
        else:
            old = current.article
            article.cluster_id = old.cluster_id or article.cluster_id
            article.duplicate_of, article.source = old.duplicate_of, old.source
            if old.content_hash == article.content_hash:
                article.revision, status = old.revision, "unchanged"
            else:
                article.revision, status = old.revision + 1, "updated"
                current.article = article
        for url in {article.url, article.canonical_url, *urls}:
            if url:
                self.urls.setdefault(url_key(url), article.id)
        if article.claimed_canonical_url:
            claimants = self.claims.setdefault(url_key(article.claimed_canonical_url), [])
            if article.id not in claimants:
                claimants.append(article.id)
        if status != "unchanged":
            self.events.append(EventRow(len(self.events) + 1, status, article.id, article.revision, now))
        return PublishResult(status, article)

    def settle_head(self, cluster_id: str) -> str | None:
        members = [s for s in self.stored.values() if s.article.cluster_id == cluster_id]
        head = choose_head(Member(s.article.id, s.article.published_at, s.stored_at) for s in members)
        for s in members:
            s.article.duplicate_of = None if s.article.id == head else head
        return head

    def get(self, article_id: str) -> Article | None:
        found = self.stored.get(article_id)
        return found.article if found else None

    def find(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, offset: int = 0, sort: str = "stored") -> list[Article]:
        def when(s: _Stored) -> float:
            at = s.article.published_at if sort == "published" else s.stored_at
            return -at.timestamp() if at else float("inf")  # undated last

        rows = sorted(self.stored.values(), key=lambda s: (when(s), -s.stored_at.timestamp(), s.article.id))
        found = [s.article for s in rows if (not source or s.article.source == source)
                 and (not cluster or s.article.cluster_id == cluster) and (not since or s.stored_at >= since)
                 and (not q or q in f"{s.article.title} {s.article.body}")]
        return found[offset:offset + limit]

    def page(self, *, source: str | None = None, cluster: str | None = None, since: datetime | None = None,
             q: str | None = None, limit: int = 100, sort: str = "stored",
             cursor: str | None = None) -> tuple[list[Article], str | None]:
        from workers.core.cursor import Cursor, decode, encode

        found = self.find(source=source, cluster=cluster, since=since, q=q, limit=10**9, sort=sort)
        start = 0
        if cursor is not None:
            after = decode(cursor, sort)
            start = next((i + 1 for i, a in enumerate(found) if a.id == after.id), len(found))
        page = found[start:start + limit]
        if len(page) < limit or not page:
            return page, None
        last = page[-1]
        return page, encode(Cursor(sort, self.stored[last.id].stored_at, last.id, last.published_at))

    def count(self) -> int:
        return len(self.stored)

    def clusters(self, limit: int = 100) -> list[ClusterRow]:
        groups: dict[str, list[_Stored]] = {}
        for s in sorted(self.stored.values(), key=lambda s: s.stored_at):
            groups.setdefault(s.article.cluster_id or s.article.id, []).append(s)
        rows = [ClusterRow(cluster_id=cid, members=len(m), first_at=m[0].stored_at, last_at=m[-1].stored_at,
                           title=next((s for s in m if s.article.duplicate_of is None), m[0]).article.title,
                           sources=sorted({s.article.source for s in m}), article_ids=[s.article.id for s in m])
                for cid, m in groups.items()]
        return sorted(rows, key=lambda r: r.last_at, reverse=True)[:limit]

    def events_since(self, after_id: int = 0, limit: int = 1000) -> list[EventRow]:
        return [e for e in self.events if e.id > after_id][:limit]

    def last_event_id(self) -> int:
        return self.events[-1].id if self.events else 0


class FakeLedger:
    """LedgerRepository in dicts: jobs by key (the real ledger's live/stale/cooldown rules) and dead letters."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.jobs: dict[str, LedgerRow] = {}
        self.dead: dict[int, FailureRow] = {}

    def enqueue_many(self, jobs: Sequence[dict[str, Any]], *, stale_after: timedelta, force: bool = False,
                     failed_cooldown: timedelta | None = None) -> set[str]:
        now, taken = self.clock(), set()
        for job in jobs:
            row = self.jobs.get(job["key"])
            live = row is not None and row.state in ("queued", "retrying") and row.updated_at > now - stale_after
            cooling = (row is not None and failed_cooldown is not None and row.state == "failed"
                       and row.updated_at > now - failed_cooldown)
            if row is None or force or not (live or cooling):
                self.jobs[job["key"]] = LedgerRow(state="queued", attempts=0, enqueued_at=now, updated_at=now,
                                                  last_error=None, **job)
                taken.add(job["key"])
        return taken

    def mark_stale(self, keys: Sequence[str]) -> None:
        for key in keys:
            if key in self.jobs and self.jobs[key].state == "queued":
                self.jobs[key] = dataclasses.replace(self.jobs[key], updated_at=datetime(2000, 1, 1, tzinfo=UTC))

    def update(self, key: str, state: str, error: dict[str, Any] | None = None,
               attempts: int | None = None) -> None:
        row = self.jobs.get(key)
        if row is None:
            return
        self.jobs[key] = dataclasses.replace(
            row, state=state, updated_at=self.clock(), last_error=row.last_error if error is None else error,
            attempts=row.attempts if attempts is None else attempts)

    def stale(self, older_than: datetime, limit: int = 500) -> list[LedgerRow]:
        return [r for r in self.jobs.values()
                if r.state in ("queued", "retrying") and r.updated_at < older_than][:limit]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for row in self.jobs.values():
            if row.state in ("queued", "retrying"):
                out.setdefault(row.queue, {}).setdefault(row.state, 0)
                out[row.queue][row.state] += 1
        return out

    def oldest(self) -> dict[str, datetime]:
        out: dict[str, datetime] = {}
        for row in self.jobs.values():
            if row.state in ("queued", "retrying"):
                out[row.queue] = min(out.get(row.queue, row.enqueued_at), row.enqueued_at)
        return out

    def done_since(self, since: datetime) -> int:
        return sum(1 for r in self.jobs.values() if r.state == "done" and r.updated_at >= since)

    def activity_since(self, since: datetime) -> dict[str, list[datetime]]:
        out: dict[str, list[datetime]] = {"done": [], "failed": [], "published": [], "updated": []}
        for row in self.jobs.values():
            if row.state in ("done", "failed") and row.updated_at >= since:
                out[row.state].append(row.updated_at)
        return out

    def add_failure(self, *, task: str, args: dict[str, Any], error: dict[str, Any], attempts: int) -> int:
        failure_id = len(self.dead) + 1
        self.dead[failure_id] = FailureRow(
            id=failure_id, task=task, args=args, source=args.get("source"), url=args.get("url") or error.get("url"),
            error_kind=str(error.get("kind", "error")), message=str(error.get("message", ""))[:2000],
            status=error.get("status"), attempts=attempts, at=self.clock())
        return failure_id

    def failures(self, limit: int = 200) -> list[FailureRow]:
        return sorted(self.dead.values(), key=lambda f: -f.id)[:limit]

    def failure(self, failure_id: int) -> FailureRow | None:
        return self.dead.get(failure_id)

    def drop_failure(self, failure_id: int) -> bool:
        return self.dead.pop(failure_id, None) is not None

    def count_failures(self) -> int:
        return len(self.dead)


class FakeFleet:
    """FleetRepository in dicts: heartbeats and leases."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.workers: dict[str, FleetRow] = {}
        self.locks: dict[str, tuple[str, datetime]] = {}

    def heartbeat(self, name: str, *, hostname: str, pid: int, queues: str, active: int, processed: int,
                  started_at: datetime, current: dict[str, Any] | None = None) -> None:
        self.workers[name] = FleetRow(name, hostname, pid, queues, active, processed, started_at, self.clock(),
                                      current)

    def live_workers(self, within: timedelta = timedelta(seconds=30)) -> list[FleetRow]:
        return [w for _, w in sorted(self.workers.items()) if w.last_seen >= self.clock() - within]

    def forget_worker(self, name: str) -> None:
        self.workers.pop(name, None)

    def acquire_lock(self, name: str, holder: str, ttl: timedelta) -> bool:
        now = self.clock()
        current = self.locks.get(name)
        if current is None or current[1] < now or current[0] == holder:
            self.locks[name] = (holder, now + ttl)
            return True
        return False

    def release_lock(self, name: str, holder: str) -> None:
        if self.locks.get(name, ("",))[0] == holder:
            del self.locks[name]

    def lock_holder(self, name: str) -> str | None:
        current = self.locks.get(name)
        return current[0] if current and current[1] >= self.clock() else None


class FakeQueue:
    """JobQueue over a FakeLedger: the real keys and ledger rules, and a list of what was "sent" to the broker."""

    def __init__(self, ledger: FakeLedger, settings: Settings) -> None:
        self.ledger = ledger
        self.settings = settings
        self.sent: list[dict[str, Any]] = []

    def _send(self, jobs: list[dict[str, Any]], *, force: bool = False,
              failed_cooldown: timedelta | None = None) -> list[dict[str, Any]]:
        taken = self.ledger.enqueue_many(jobs, stale_after=timedelta(seconds=self.settings.job_stale_after),
                                         force=force, failed_cooldown=failed_cooldown)
        sent = [job for job in jobs if job["key"] in taken]
        self.sent += sent
        return sent

    def enqueue_pages(self, items: list[tuple[str, str | None]], source: str) -> int:
        from workers.queueing import page_key

        jobs = [{"key": page_key(url), "kind": "page", "queue": "pages", "source": source, "url": url,
                 "args": {"url": url, "source": source, "key": page_key(url), "manual": False, "title": title}}
                for url, title in items]
        return len(self._send(jobs, failed_cooldown=timedelta(seconds=self.settings.failed_retry_after)))

    def enqueue_sources(self, names: list[str], *, force: bool = False) -> list[str]:
        from workers.queueing import source_key

        jobs = [{"key": source_key(n), "kind": "feed", "queue": "feeds", "source": n, "url": None,
                 "args": {"source": n, "key": source_key(n), "manual": False}} for n in names]
        return [job["source"] for job in self._send(jobs, force=force)]


class FakeEvents:
    """EventPublisher into a list."""

    def __init__(self) -> None:
        self.published: list[tuple[str, str, int]] = []

    def publish(self, kind: str, article_id: str, revision: int) -> None:
        self.published.append((kind, article_id, revision))


def mock_fetcher(handler: Callable[[httpx.Request], httpx.Response], allow_hosts: list[str]) -> Fetcher:
    """The real fetcher (limits, redirects one checked hop at a time, conditional GET) over httpx.MockTransport;
    no politeness gate or robots. The handler sees the request pinned to the resolved address: route on
    `request.headers["host"]` and the path."""
    return Fetcher(user_agent="akhbar-test", limits=FetchLimits(connect_timeout=1, read_timeout=1, total_timeout=5,
                                                                max_body_bytes=1 << 20, max_redirects=5),
                   allow_hosts=allow_hosts, transport=httpx.MockTransport(handler))


@dataclass
class FakeDeps:
    """workers.ports.Deps from fakes: what a use case sees, with every part open to the test."""

    settings: Settings
    fetcher: PageFetcher
    clock: FakeClock = field(default_factory=FakeClock)
    sources: FakeSources = field(init=False)
    articles: FakeArticles = field(init=False)
    ledger: FakeLedger = field(init=False)
    fleet: FakeFleet = field(init=False)
    queue: FakeQueue = field(init=False)
    dedupe: ArticleDeduper = field(init=False)
    events: FakeEvents = field(default_factory=FakeEvents)
    semantic: None = None
    site_rules: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sources = FakeSources(self.clock)
        self.articles = FakeArticles(self.clock)
        self.ledger = FakeLedger(self.clock)
        self.fleet = FakeFleet(self.clock)
        self.queue = FakeQueue(self.ledger, self.settings)
        # the duplicate index's in-memory implementation: the pipeline's own decisions, in this process only
        self.dedupe = ArticleDeduper(MemoryDedupeIndex(window_days=self.settings.dedupe_window_days))
