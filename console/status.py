"""The fleet at a glance: queues, workers and source health, as one dict (status --json, the API, the dashboard)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from config.redact import redact_value
from workers.adapters.broker import queue_depths, unacked_count
from workers.core.clock import utcnow
from workers.names import QUEUES
from workers.runtime import Runtime

LOG = logging.getLogger("akhbar.console")
THROUGHPUT_MINUTES = 15


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def queues_status(rt: Runtime) -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    """Depth per queue from the job ledger (waiting + reserved by a worker + waiting a retry) and its parts.

    The broker's list length alone misses jobs a worker holds and retries counting down; the ledger
    records every job from before it is sent until it is done, so it is the depth operators need.
    """
    try:
        broker = queue_depths(rt.settings, rt.redis)
    except Exception as exc:  # broker down: the ledger still knows what is outstanding
        LOG.warning("broker not readable for queue depths: %s", exc)
        broker = {}
    ledger = rt.ledger.counts()
    oldest = rt.ledger.oldest()
    running: dict[str, int] = {}
    for w in rt.fleet.live_workers():
        if w.current:
            queue = w.current.get("queue") or ""
            running[queue] = running.get(queue, 0) + 1
    now = utcnow()
    depths: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    for queue in QUEUES:
        counts = ledger.get(queue, {})
        depths[queue] = counts.get("queued", 0) + counts.get("retrying", 0)
        details[queue] = {"outstanding": depths[queue], "in_broker": broker.get(queue),
                          "running": running.get(queue, 0), "retrying": counts.get("retrying", 0),
                          "oldest_age_seconds": round((now - oldest[queue]).total_seconds(), 1)
                          if queue in oldest else None}
    if rt.redis is not None:
        try:
            details["_unacked"] = {"count": unacked_count(rt.redis)}
        except Exception as exc:
            LOG.warning("Redis not readable for unacked count: %s", exc)
    return depths, details


def workers_status(rt: Runtime) -> list[dict[str, Any]]:
    """Worker pool processes that reported in the last 30 s, with the job each one is running."""
    # redacted: the job's URL may carry a password
    return redact_value([{"name": w.name, "active": w.active, "processed": w.processed, "queues": w.queues,
                          "pid": w.pid, "hostname": w.hostname, "last_seen": _iso(w.last_seen),
                          "started_at": _iso(w.started_at), "current": w.current} for w in rt.fleet.live_workers()])


def sources_status(rt: Runtime) -> list[dict[str, Any]]:
    """Every source's health: state, last success, next due, failures, last error, articles."""
    counts = rt.sources.article_counts()
    recent = rt.sources.article_counts(since=utcnow() - timedelta(hours=24))
    out = []
    for s in rt.sources.all():
        state = "disabled" if not s.enabled else s.state
        out.append({"name": s.name, "url": s.url, "kind": s.kind, "origin": s.origin,
                    "state": state, "disabled_reason": s.disabled_reason,
                    "last_success_at": _iso(s.last_success_at), "last_polled_at": _iso(s.last_polled_at),
                    "next_due_at": _iso(s.next_due_at) if s.enabled else None,
                    "interval": s.current_interval or s.interval,
                    "consecutive_failures": s.consecutive_failures, "articles": counts.get(s.name, 0),
                    "articles_24h": recent.get(s.name, 0), "last_error": s.last_error,
                    "recent_errors": s.recent_errors or []})
    return redact_value(out)  # a source URL (and errors naming it) may carry user:password@


def throughput(rt: Runtime, minutes: int = THROUGHPUT_MINUTES) -> dict[str, Any]:
    """Jobs finished and articles stored per minute over the last minutes (oldest minute first)."""
    now = utcnow()
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=minutes - 1)
    activity = rt.ledger.activity_since(start)
    series: dict[str, list[int]] = {}
    for kind in ("done", "failed", "published", "updated"):
        buckets = [0] * minutes
        for at in activity.get(kind, []):
            index = int((at - start).total_seconds() // 60)
            if 0 <= index < minutes:
                buckets[index] += 1
        series[kind] = buckets
    last5 = sum(series["done"][-5:]) + sum(series["failed"][-5:])
    return {"window_minutes": minutes, "since": start.isoformat(), "per_minute": series,
            "jobs_last_5m": last5, "jobs_per_minute": round(last5 / 5, 2),
            "articles_last_hour": sum(rt.sources.article_counts(since=now - timedelta(hours=1)).values())}


def collect_status(rt: Runtime) -> dict[str, Any]:
    """The object `akhbar status --json` prints (DESIGN.md), with extra detail keys beside it."""
    depths, details = queues_status(rt)
    return {"queues": depths, "queue_details": details, "workers": workers_status(rt),
            "sources": sources_status(rt), "throughput": throughput(rt),
            "articles_total": rt.articles.count(), "failures": rt.ledger.count_failures(),
            "mode": "embedded" if rt.settings.embedded else "redis" if rt.settings.redis_url else "broker",
            "at": utcnow().isoformat()}
