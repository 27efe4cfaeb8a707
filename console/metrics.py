"""Prometheus metrics at scrape time: fleet-wide counters (Redis or store) and gauges read from the store."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric

from console import status as status_views
from workers.adapters.counters import Increment, counters_for
from workers.runtime import Runtime
from workers.telemetry import HISTOGRAMS

LOG = logging.getLogger("akhbar.console")
COUNTERS = {  # name without _total: help; label names
    "akhbar_fetches": ("Feed and page fetch jobs finished, by source and outcome (error: the error's kind)",
                       ["kind", "source", "outcome", "error"]),
    "akhbar_articles_published": ("New articles stored", ["source"]),
    "akhbar_articles_updated": ("Stored articles whose content changed on a re-fetch (revision raised)", ["source"]),
    "akhbar_near_duplicates": ("New articles marked as a near-duplicate of one already stored", ["source"]),
}
HISTOGRAM_HELP = {"akhbar_fetch_duration_seconds": "Time to fetch a feed (whole poll) or a page (HTTP only)",
                  "akhbar_extract_duration_seconds": "Time to extract one article from page bytes"}


def counter_families(rows: list[Increment]) -> Iterator[Metric]:
    """Counters and histograms from the stored increments (histogram buckets are kept non-cumulative)."""
    for name, (help_text, labels) in COUNTERS.items():
        family = CounterMetricFamily(name, help_text, labels=labels)
        for row_name, row_labels, value in rows:
            if row_name == f"{name}_total":
                family.add_metric([row_labels.get(k, "") for k in labels], value)
        yield family
    for name, buckets in HISTOGRAMS.items():
        series: dict[tuple[tuple[str, str], ...], dict[str, float]] = defaultdict(dict)
        for row_name, row_labels, value in rows:
            if not row_name.startswith(name):
                continue
            part = row_name[len(name) + 1:]
            key = tuple(sorted((k, v) for k, v in row_labels.items() if k != "le"))
            field = row_labels.get("le", "") if part == "bucket" else part
            series[key][field] = series[key].get(field, 0.0) + value
        label_names = sorted({k for key in series for k, _ in key})
        histogram = HistogramMetricFamily(name, HISTOGRAM_HELP[name], labels=label_names)
        for key, fields in sorted(series.items()):
            running, cumulative = 0.0, []
            for le in [*map(str, buckets), "+Inf"]:
                running += fields.get(le, 0.0)
                cumulative.append((le, running))
            values = dict(key)
            histogram.add_metric([values.get(k, "") for k in label_names], cumulative, fields.get("sum", 0.0))
        yield histogram


def gauge_families(rt: Runtime) -> Iterator[Metric]:
    """What is true now: queues, workers, sources, stored articles and dead letters."""
    depths, details = status_views.queues_status(rt)
    depth = GaugeMetricFamily("akhbar_queue_depth", "Jobs outstanding per queue (waiting, running or "
                              "waiting a retry)", labels=["queue"])
    waiting = GaugeMetricFamily("akhbar_queue_waiting", "Messages waiting in the broker per queue",
                                labels=["queue"])
    oldest = GaugeMetricFamily("akhbar_queue_oldest_job_age_seconds", "Age of the oldest outstanding job "
                               "per queue (0 when empty)", labels=["queue"])
    for queue, value in depths.items():
        depth.add_metric([queue], value)
        if details[queue]["in_broker"] is not None:
            waiting.add_metric([queue], details[queue]["in_broker"])
        oldest.add_metric([queue], details[queue]["oldest_age_seconds"] or 0)
    yield from (depth, waiting, oldest)
    workers = status_views.workers_status(rt)
    yield GaugeMetricFamily("akhbar_workers_up", "Worker processes that reported in the last 30 s",
                            value=len(workers))
    yield GaugeMetricFamily("akhbar_worker_jobs_running", "Jobs running in worker processes now",
                            value=sum(w["active"] for w in workers))
    states = {"ok": 0, "backoff": 0, "disabled": 0}
    for s in rt.sources.all():
        state = "disabled" if not s.enabled else s.state
        states[state] = states.get(state, 0) + 1
    sources = GaugeMetricFamily("akhbar_sources", "Sources per health state", labels=["state"])
    for state, count in states.items():
        sources.add_metric([state], count)
    yield sources
    yield GaugeMetricFamily("akhbar_sources_in_backoff", "Sources whose polls are failing and backing off",
                            value=states["backoff"])
    stored = GaugeMetricFamily("akhbar_articles_stored", "Articles in the store per source", labels=["source"])
    for source, count in sorted(rt.sources.article_counts().items()):
        stored.add_metric([source], count)
    yield stored
    yield GaugeMetricFamily("akhbar_failures", "Dead letters kept (jobs that exhausted their retries)",
                            value=rt.ledger.count_failures())


class _Collector:
    """Collected afresh at every scrape, so any API process shows the whole fleet."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def collect(self) -> Iterator[Metric]:
        try:
            rows = counters_for(self.rt).read()
        except Exception as exc:  # Redis away: still serve the gauges, and say so
            LOG.warning("metric counters not readable: %s", exc)
            rows = []
        yield from counter_families(rows)
        yield from gauge_families(self.rt)


def render_metrics(rt: Runtime) -> tuple[bytes, str]:
    """The /metrics body and its content type."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(rt))
    return generate_latest(registry), CONTENT_TYPE_LATEST
