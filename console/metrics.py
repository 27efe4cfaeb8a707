"""Prometheus metrics, computed from the store and broker at scrape time (shared by every process)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from console import status as status_views
from workers.runtime import Runtime


def render_metrics(rt: Runtime) -> tuple[bytes, str]:
    registry = CollectorRegistry()
    depth = Gauge("akhbar_queue_depth", "Jobs outstanding per queue (waiting, reserved or retrying)",
                  ["queue"], registry=registry)
    oldest = Gauge("akhbar_queue_oldest_job_age_seconds", "Age of the oldest outstanding job per queue",
                   ["queue"], registry=registry)
    depths, details = status_views.queues_status(rt)
    for queue, value in depths.items():
        depth.labels(queue).set(value)
        oldest.labels(queue).set(details[queue]["oldest_age_seconds"] or 0)
    workers = Gauge("akhbar_workers_up", "Worker processes that reported in the last 30 s", registry=registry)
    workers.set(len(status_views.workers_status(rt)))
    articles = Gauge("akhbar_articles_stored", "Articles in the store per source", ["source"], registry=registry)
    for source, count in rt.store.source_article_counts().items():
        articles.labels(source).set(count)
    state = Gauge("akhbar_sources", "Sources per health state", ["state"], registry=registry)
    counts = {"ok": 0, "backoff": 0, "disabled": 0}
    for s in rt.store.list_sources():
        counts["disabled" if not s["enabled"] else s["state"]] = counts.get(s["state"], 0) + 1
    for key, value in counts.items():
        state.labels(key).set(value)
    return generate_latest(registry), CONTENT_TYPE_LATEST
