"""The fleet at a glance: queues, workers and source health, as one dict (status --json, the API, the dashboard)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workers.adapters.broker import queue_depths, unacked_count
from workers.adapters.schema import utcnow
from workers.queueing import QUEUES
from workers.runtime import Runtime


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def queues_status(rt: Runtime) -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    """Depth per queue (waiting + reserved + retrying, from the job ledger) and the detail behind it."""
    try:
        broker = queue_depths(rt.settings, rt.redis)
    except Exception:  # broker down: the ledger still knows what is outstanding
        broker = {}
    ledger = rt.store.ledger_counts()
    oldest = rt.store.ledger_oldest()
    now = utcnow()
    depths: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    for queue in QUEUES:
        counts = ledger.get(queue, {})
        depths[queue] = counts.get("queued", 0) + counts.get("retrying", 0)
        details[queue] = {"in_broker": broker.get(queue), "outstanding": depths[queue],
                          "retrying": counts.get("retrying", 0),
                          "oldest_age_seconds": round((now - oldest[queue]).total_seconds(), 1)
                          if queue in oldest else None}
    if rt.redis is not None:
        try:
            details["_unacked"] = {"count": unacked_count(rt.redis)}
        except Exception:
            pass
    return depths, details


def workers_status(rt: Runtime) -> list[dict[str, Any]]:
    return [{"name": w["name"], "active": w["active"], "processed": w["processed"], "queues": w["queues"],
             "pid": w["pid"], "hostname": w["hostname"], "last_seen": _iso(w["last_seen"]),
             "started_at": _iso(w["started_at"])} for w in rt.store.live_workers()]


def sources_status(rt: Runtime) -> list[dict[str, Any]]:
    counts = rt.store.source_article_counts()
    recent = rt.store.source_article_counts(since=utcnow() - timedelta(hours=24))
    out = []
    for s in rt.store.list_sources():
        state = "disabled" if not s["enabled"] else s["state"]
        out.append({"name": s["name"], "url": s["url"], "kind": s["kind"], "origin": s["origin"],
                    "state": state, "disabled_reason": s["disabled_reason"],
                    "last_success_at": _iso(s["last_success_at"]), "last_polled_at": _iso(s["last_polled_at"]),
                    "next_due_at": _iso(s["next_due_at"]) if s["enabled"] else None,
                    "interval": s["current_interval"] or s["interval"],
                    "consecutive_failures": s["consecutive_failures"], "articles": counts.get(s["name"], 0),
                    "articles_24h": recent.get(s["name"], 0), "last_error": s["last_error"],
                    "recent_errors": s["recent_errors"] or []})
    return out


def throughput(rt: Runtime, minutes: int = 5) -> dict[str, float]:
    since = utcnow() - timedelta(minutes=minutes)
    done = rt.store.ledger_done_since(since)
    return {"window_minutes": minutes, "jobs_done": done, "jobs_per_minute": round(done / minutes, 2)}


def collect_status(rt: Runtime) -> dict[str, Any]:
    """The object `akhbar status --json` prints (DESIGN.md), with extra detail keys beside it."""
    depths, details = queues_status(rt)
    return {"queues": depths, "queue_details": details, "workers": workers_status(rt),
            "sources": sources_status(rt), "throughput": throughput(rt),
            "articles_total": rt.store.count_articles(), "at": utcnow().isoformat()}
