"""Job outcomes as fleet-wide metrics: what each outcome adds (pure) and the sink that records it."""

from __future__ import annotations

import logging
from bisect import bisect_left

from workers.adapters.counters import Increment, counters_for

LOG = logging.getLogger("akhbar.telemetry")

# Seconds; feeds and pages are network-bound (tens of ms to the 30 s total limit), extraction is CPU-bound.
FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
EXTRACT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
HISTOGRAMS = {"akhbar_fetch_duration_seconds": FETCH_BUCKETS, "akhbar_extract_duration_seconds": EXTRACT_BUCKETS}
JOB_KINDS = {"fetch_source": "feed", "fetch_page": "page"}


def observe(name: str, labels: dict[str, str], value: float) -> list[Increment]:
    """One histogram observation: its own (non-cumulative) bucket, the sum and the count."""
    buckets = HISTOGRAMS[name]
    index = bisect_left(buckets, value)
    le = str(buckets[index]) if index < len(buckets) else "+Inf"
    return [(f"{name}_bucket", {**labels, "le": le}, 1.0), (f"{name}_sum", labels, value),
            (f"{name}_count", labels, 1.0)]


def outcome_increments(job: str, source: str | None, result: str, duration: float,
                       extra: dict[str, object]) -> list[Increment]:
    """What one job outcome adds: a fetch by outcome, durations, articles published, duplicates found."""
    kind = JOB_KINDS.get(job, job)
    outcome, _, error = result.partition(":")
    src = source or ""
    out: list[Increment] = [("akhbar_fetches_total", {"kind": kind, "source": src, "outcome": outcome,
                                                      "error": error}, 1.0)]
    fetch_seconds = extra.get("fetch_s")
    out += observe("akhbar_fetch_duration_seconds", {"kind": kind},
                   float(fetch_seconds) if isinstance(fetch_seconds, int | float) else duration)
    extract_seconds = extra.get("extract_s")
    if isinstance(extract_seconds, int | float):
        out += observe("akhbar_extract_duration_seconds", {}, float(extract_seconds))
    if outcome == "published":
        out.append(("akhbar_articles_published_total", {"source": src}, 1.0))
        if extra.get("duplicate_of"):
            out.append(("akhbar_near_duplicates_total", {"source": src}, 1.0))
    elif outcome == "updated":
        out.append(("akhbar_articles_updated_total", {"source": src}, 1.0))
    return out


def record_outcome(job: str, *, source: str | None, url: str | None, result: str, duration: float,
                   **extra: object) -> None:
    """The log_outcome sink in worker processes: add this outcome to the fleet's counters."""
    from workers.runtime import get_runtime

    counters_for(get_runtime()).add(outcome_increments(job, source, result, duration, extra))
