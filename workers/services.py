"""The use cases: refresh a source, ingest a page, record what went wrong. Tasks call these and nothing else."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from workers.core import schedule
from workers.core.errors import AkhbarError, GoneError, HostCooldownError, TransientFetchError
from workers.core.models import Article, ParsedFeed
from workers.core.netguard import literal_refusal
from workers.core.rows import SourceRow
from workers.core.urls import canonicalize
from workers.logs import log_outcome
from workers.names import FETCH_PAGE
from workers.ports import Deps

RECENT_ERRORS = 10


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    result: str  # not_modified | ok | failed | disabled | missing
    items: int = 0
    queued: int = 0
    error: AkhbarError | None = None


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    result: str  # published | updated | unchanged
    article: Article


def refresh_source(rt: Deps, name: str) -> RefreshOutcome:
    """Poll one source with a conditional GET and queue a page job for every URL not yet stored."""
    started = time.monotonic()
    source = rt.sources.get(name)
    if source is None:
        return RefreshOutcome("missing")
    if not source.enabled:
        return RefreshOutcome("disabled")
    now = rt.clock()
    try:
        # The operator chose this URL: it is fetched whatever robots.txt says (pages found in it are not).
        result = rt.fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified,
                                  accept="feed" if source.kind != "page" else "page", obey_robots=False)
        if result.not_modified:
            _record_success(rt, source, now, new_items=0, headers=result.headers, ttl=None)
            log_outcome("fetch_source", source=name, url=source.url, result="not_modified",
                        duration=time.monotonic() - started)
            return RefreshOutcome("not_modified")
        parsed = _refuse_private_items(rt, _parse(rt, source, result.body, result.headers, result.url))
        fresh = _queue_unseen(rt, name, parsed)
        warning = parsed.warning
        _record_success(rt, source, now, new_items=fresh, headers=result.headers, ttl=parsed.ttl_seconds,
                        etag=result.etag, last_modified=result.last_modified, warning=warning,
                        skipped=parsed.skipped,
                        gap=schedule.publishing_gap([i.published_at for i in parsed.items], now))
        log_outcome("fetch_source", source=name, url=source.url, result="ok",
                    duration=time.monotonic() - started, items=len(parsed.items), queued=fresh)
        return RefreshOutcome("ok", items=len(parsed.items), queued=fresh)
    except AkhbarError as exc:
        state = record_source_failure(rt, source, exc, now)
        log_outcome("fetch_source", source=name, url=source.url, result=f"error:{exc.kind}",
                    duration=time.monotonic() - started, error=exc.message)
        return RefreshOutcome("disabled" if state == "disabled" else "failed", error=exc)


def _parse(rt: Deps, source: SourceRow, body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    from workers.core.feeds import parse_feed
    from workers.core.pages import discover_links

    if source.kind == "page":
        from workers.core.extract import decode_html

        return discover_links(decode_html(body, headers), url, source.link_pattern)
    parsed = parse_feed(body, headers, url)
    if parsed.child_sitemaps:
        items = list(parsed.items)
        for child in parsed.child_sitemaps[:20]:  # an index of thousands would be a crawl, not a poll
            try:
                fetched = rt.fetcher.fetch(child, accept="feed", obey_robots=False)
                items.extend(parse_feed(fetched.body, fetched.headers, fetched.url).items)
            except AkhbarError as exc:
                record_page_error(rt, source.name, exc)
        parsed = ParsedFeed(items=items, skipped=parsed.skipped)
    return parsed


def _refuse_private_items(rt: Deps, parsed: ParsedFeed) -> ParsedFeed:
    """Items whose host is a private or loopback literal are skipped now, not queued to fail later.

    Host names are not resolved here (that answer could change before the fetch); the fetcher checks
    the resolved address again and connects only to it.
    """
    from urllib.parse import urlsplit

    kept, skipped = [], list(parsed.skipped)
    for item in parsed.items:
        parts = urlsplit(item.url)
        reason = literal_refusal(parts.hostname or "", parts.port, rt.settings.allow_hosts)
        if reason:
            skipped.append((item.url[:300], f"refused target: {reason}"))
        else:
            kept.append(item)
    if len(kept) == len(parsed.items):
        return parsed
    return ParsedFeed(items=kept, title=parsed.title, ttl_seconds=parsed.ttl_seconds, skipped=skipped,
                      warning=parsed.warning, child_sitemaps=parsed.child_sitemaps)


def _queue_unseen(rt: Deps, name: str, parsed: ParsedFeed) -> int:
    urls = [item.url for item in parsed.items]
    known = rt.articles.known_urls(urls)
    unseen = [item for item in parsed.items if item.url not in known]
    rt.queue.enqueue_pages([(item.url, item.title) for item in unseen], name)
    return len(unseen)


def _record_success(rt: Deps, source: SourceRow, now: datetime, *, new_items: int, headers: dict[str, str],
                    ttl: int | None, etag: str | None = None, last_modified: str | None = None,
                    warning: str | None = None, skipped: list[tuple[str, str]] | None = None,
                    gap: float | None = None) -> None:
    settings = rt.settings
    ceiling = source.max_interval or max(settings.max_interval, source.interval)
    retry_after = schedule.parse_retry_after(headers.get("retry-after"), now.timestamp())
    interval = schedule.next_interval(base=source.interval, current=source.current_interval,
                                      new_items=new_items, ceiling=ceiling, gap=gap,
                                      floors=(ttl, schedule.max_age_seconds(headers), retry_after))
    values = {"state": "ok", "consecutive_failures": 0, "last_success_at": now, "last_polled_at": now,
              "current_interval": interval, "next_due_at": now + timedelta(seconds=interval)}
    if etag is not None or last_modified is not None:
        values.update(etag=etag, last_modified=last_modified)
    if new_items:
        values["last_new_items_at"] = now
    notes = []
    if warning:
        notes.append({"kind": "feed_warning", "message": warning, "url": source.url, "status": None,
                      "at": now.isoformat()})
    for url, reason in (skipped or [])[:5]:
        notes.append({"kind": "item_skipped", "message": reason, "url": url, "status": None,
                      "at": now.isoformat()})
    if notes:
        values["recent_errors"] = [*notes, *(source.recent_errors or [])][:RECENT_ERRORS]
    rt.sources.update(source.name, **values)


def record_source_failure(rt: Deps, source: SourceRow, exc: AkhbarError, now: datetime | None = None) -> str:
    """A failed poll: health record updated, backoff scheduled, 410 disables. Returns the new state."""
    now = now or rt.clock()
    record = {**exc.to_record(), "url": exc.url or source.url, "at": now.isoformat()}
    if isinstance(exc, HostCooldownError):
        # The host asked every client to pause: a deferral, not this source failing; no backoff step.
        wait = max(1.0, exc.retry_after or 60.0)
        rt.sources.update(source.name, last_polled_at=now, next_due_at=now + timedelta(seconds=wait),
                          recent_errors=[record, *(source.recent_errors or [])][:RECENT_ERRORS])
        return str(source.state)
    failures = (source.consecutive_failures or 0) + 1
    values: dict[str, Any] = {"consecutive_failures": failures, "last_error": record, "last_polled_at": now,
                              "recent_errors": [record, *(source.recent_errors or [])][:RECENT_ERRORS]}
    if isinstance(exc, GoneError):
        values.update(state="disabled", enabled=False, disabled_reason=f"410 Gone at {record['url']}")
    else:
        retry_after = exc.retry_after if isinstance(exc, TransientFetchError) else None
        delay = schedule.backoff_delay(failures, base=max(source.interval, 30), ceiling=rt.settings.max_interval,
                                       retry_after=retry_after, rng=random.Random())  # fresh seed: not shared by forks
        values.update(state="backoff", next_due_at=now + timedelta(seconds=delay))
    rt.sources.update(source.name, **values)
    return str(values["state"])


def record_page_error(rt: Deps, source_name: str, exc: AkhbarError, *, reoffer: bool = False) -> None:
    """A page that failed is shown in its source's recent errors without failing the source's polls.

    reoffer: the page may well work later (its retries ran out on a transient error), so the source's
    validators are dropped and its next poll reads the whole feed and queues the unstored URL again;
    a 304 for an unchanged feed would otherwise never offer it again.
    """
    source = rt.sources.get(source_name)
    if source is None:
        return
    record = {**exc.to_record(), "at": rt.clock().isoformat()}
    values: dict[str, Any] = {"recent_errors": [record, *(source.recent_errors or [])][:RECENT_ERRORS]}
    if reoffer:
        values.update(etag=None, last_modified=None)
    rt.sources.update(source_name, **values)


def dead_letter_page(rt: Deps, args: dict[str, Any], exc: AkhbarError, *, attempts: int) -> None:
    """A page job that cannot be done (workers/core/retry.py said so): a failure record to replay with its
    arguments, the error in its source's record, and its ledger row marked failed."""
    record = exc.to_record()
    rt.ledger.add_failure(task=FETCH_PAGE, args=args, error=record, attempts=attempts)
    record_page_error(rt, args["source"], exc, reoffer=isinstance(exc, TransientFetchError))
    rt.ledger.update(args["key"], "failed", error=record, attempts=attempts)


def ingest_page(rt: Deps, url: str, source_name: str) -> IngestOutcome:
    """Fetch one page, extract, clean, mark duplicates and publish; idempotent for the same URL."""
    from workers.core.extract import extract_article, rules_for_url

    started = time.monotonic()
    source = rt.sources.get(source_name)
    result = rt.fetcher.fetch(url, accept="page")
    fetched_at = rt.clock()
    fetch_seconds = time.monotonic() - started
    rules = rules_for_url(result.url, rt.site_rules) if rt.site_rules else None
    article = extract_article(result.body, result.url, result.headers, source=source_name,
                              fetched_at=fetched_at, timezone=source.timezone if source else None,
                              site_rules=rules)
    extract_seconds = time.monotonic() - started - fetch_seconds  # timed apart: CPU-bound, unlike the fetch
    if not article.canonical_url:
        article.canonical_url = canonicalize(result.url)
    _assign_cluster(rt, article)
    published = rt.articles.publish(article, urls=[url, canonicalize(result.url), *result.redirects])
    _settle_head(rt, published.article)
    _link_same_story(rt, published.article, refresh=published.status == "updated")
    if published.status != "unchanged":
        rt.events.publish(published.status, article.id, article.revision)
    log_outcome("fetch_page", source=source_name, url=url, result=published.status,
                duration=time.monotonic() - started, article=article.id, cluster=article.cluster_id,
                duplicate_of=published.article.duplicate_of, fetch_s=round(fetch_seconds, 4),
                extract_s=round(extract_seconds, 4))
    return IngestOutcome(published.status, published.article)


def _settle_head(rt: Deps, article: Article) -> None:
    """The cluster's head is its earliest-published member (DESIGN.md, `duplicate_of`), whichever came first.

    Run after every publish, unchanged ones too: a redelivered job heals a worker killed between its
    publish and this step, and a member published concurrently is settled by whichever runs last.
    """
    if not article.cluster_id:
        return
    head = rt.articles.settle_head(article.cluster_id)
    article.duplicate_of = None if head in (None, article.id) else head


def _link_same_story(rt: Deps, article: Article, *, refresh: bool) -> None:
    """The optional semantic stage (AKHBAR_SEMANTIC=1): "likely the same story" links in their own field.

    An article already embedded is skipped unless its content changed, so a redelivered job costs one
    lookup; one whose worker died before this step is embedded when the job runs again.
    """
    index = rt.semantic
    if index is None:
        return
    found = index.link(article, refresh=refresh)
    article.same_story = list(dict.fromkeys([*article.same_story, *found]))


def _assign_cluster(rt: Deps, article: Article) -> None:
    """Exact duplicates by content hash first; near-identical ones through the shared index."""
    existing_id = rt.articles.id_for_url(article.canonical_url)
    if existing_id and existing_id != article.id:
        return
    claimed = _claimed_cluster(rt, article)
    if claimed:
        article.cluster_id, article.duplicate_of = claimed
        return
    same = rt.articles.first_with_hash(article.content_hash, exclude_id=article.id)
    if same:
        article.cluster_id = same.cluster_id or same.id
        article.duplicate_of = same.cluster_id or same.id
        return
    assignment = rt.dedupe.assign_article(article)
    article.cluster_id = assignment.cluster_id
    article.duplicate_of = assignment.duplicate_of


def _claimed_cluster(rt: Deps, article: Article) -> tuple[str, str | None] | None:
    """(cluster_id, duplicate_of) from a cross-site canonical claim, whichever side was stored first.

    A page naming another site's article as its canonical says it is a copy of it: it joins that
    article's cluster, pointing at the cluster's head. An article whose URL earlier pages claimed joins
    the first claimant's cluster (cluster ids never change once given) as its head: by the claimants'
    own words it is the original, so no claimant, which a hostile site controls, is ever marked as the
    original of the page it copied (ingest_page re-points the earlier members at it).
    """
    if article.claimed_canonical_url:
        target = rt.articles.claimed(article.claimed_canonical_url)
        if target and target.id != article.id:
            return target.cluster_id or target.id, target.duplicate_of or target.id
    claimant = rt.articles.first_claimant({article.canonical_url, canonicalize(article.url)}, exclude_id=article.id)
    if claimant:
        return claimant.cluster_id or claimant.id, None
    return None
