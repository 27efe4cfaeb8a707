"""/metrics: fleet-wide counters (store table or Redis hash) and gauges, parsed as Prometheus text."""

from __future__ import annotations

import multiprocessing

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.console.conftest import TOKEN, api_server, celery_worker, configure, wait_for
from workers.telemetry import observe, outcome_increments


def scrape(base: str) -> dict[str, dict[tuple, float]]:
    """{sample name: {sorted label items: value}} from a real scrape."""
    response = httpx.get(base + "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    out: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def total(samples: dict[str, dict[tuple, float]], name: str, **labels: str) -> float:
    return sum(v for k, v in samples.get(name, {}).items() if set(labels.items()) <= set(k))


@pytest.mark.parametrize(("job", "result", "extra", "expected"), [
    ("fetch_source", "ok", {}, {("akhbar_fetches_total", "ok")}),
    ("fetch_source", "error:http_status", {}, {("akhbar_fetches_total", "error")}),
    ("fetch_page", "published", {"extract_s": 0.02, "fetch_s": 0.3},
     {("akhbar_fetches_total", "published"), ("akhbar_articles_published_total", None),
      ("akhbar_extract_duration_seconds_count", None)}),
    ("fetch_page", "published", {"duplicate_of": "abc", "extract_s": 0.02},
     {("akhbar_fetches_total", "published"), ("akhbar_articles_published_total", None),
      ("akhbar_near_duplicates_total", None), ("akhbar_extract_duration_seconds_count", None)}),
    ("fetch_page", "updated", {}, {("akhbar_fetches_total", "updated"), ("akhbar_articles_updated_total", None)}),
    ("fetch_page", "retry:timeout", {}, {("akhbar_fetches_total", "retry")}),
])
def test_what_one_outcome_adds(job: str, result: str, extra: dict, expected: set) -> None:
    rows = outcome_increments(job, "src", result, 1.5, extra)
    named = {(name, labels.get("outcome")) for name, labels, _ in rows
             if not name.startswith("akhbar_fetch_duration") and not name.endswith(("_bucket", "_sum"))}
    assert named == expected
    fetch = {n: v for n, lab, v in rows if n == "akhbar_fetch_duration_seconds_sum"}
    assert fetch["akhbar_fetch_duration_seconds_sum"] == extra.get("fetch_s", 1.5)


def test_an_observation_lands_in_one_bucket() -> None:
    assert observe("akhbar_fetch_duration_seconds", {}, 0.3)[0] == ("akhbar_fetch_duration_seconds_bucket",
                                                                    {"le": "0.5"}, 1.0)
    assert observe("akhbar_fetch_duration_seconds", {}, 0.5)[0][1]["le"] == "0.5"
    assert observe("akhbar_fetch_duration_seconds", {}, 500)[0][1]["le"] == "+Inf"


def _add_many(kind: str, url: str, n: int) -> None:
    """One worker process's share: its own connections, as on another machine."""
    counters = _counters(kind, url)
    for _ in range(n):
        counters.add(outcome_increments("fetch_page", "s", "published", 0.2, {"extract_s": 0.01}))


def _counters(kind: str, url: str):  # type: ignore[no-untyped-def]
    from config.settings import Settings
    from workers.adapters.counters import RedisCounters, StoreCounters
    from workers.adapters.store import Store

    if kind == "redis":
        import redis

        return RedisCounters(redis.Redis.from_url(url))
    return StoreCounters(Store.from_url(Settings(store_url=url).sqlalchemy_store_url))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "redis"])
def test_counters_add_up_across_processes(kind: str, request: pytest.FixtureRequest) -> None:
    from config.settings import Settings
    from workers.adapters.store import Store

    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "pg_url", "redis": "redis_url"}[kind])
    if kind != "redis":
        Store.from_url(Settings(store_url=url).sqlalchemy_store_url).migrate()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_add_many, args=(kind, url, 40)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    rows = {(n, tuple(sorted(lab.items()))): v for n, lab, v in _counters(kind, url).read()}
    assert rows[("akhbar_articles_published_total", (("source", "s"),))] == 120
    assert rows[("akhbar_fetch_duration_seconds_bucket", (("kind", "page"), ("le", "0.25")))] == 120
    assert rows[("akhbar_extract_duration_seconds_count", ())] == 120


@pytest.mark.integration
@pytest.mark.parametrize("mode", ["embedded", "redis"])
def test_metrics_after_real_workers_ingest_the_demo(mode: str, request: pytest.FixtureRequest,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    env = request.getfixturevalue("console_env" if mode == "embedded" else "redis_env")
    rt = configure(env, monkeypatch)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with api_server(rt) as base, celery_worker(env):
        before = scrape(base)
        assert total(before, "akhbar_fetches_total") == 0
        assert total(before, "akhbar_queue_depth") == 0
        for source in ("demo-rss", "demo-atom"):
            assert httpx.post(base + "/api/refetch", json={"source": source}, headers=auth).status_code == 202
        assert total(scrape(base), "akhbar_queue_depth", queue="manual") == 2
        wait_for(lambda: rt.store.count_articles() == 6 and not rt.store.ledger_counts(), 120, "the demo ingested")
        samples = wait_for(lambda: (s := scrape(base)) and total(s, "akhbar_workers_up") >= 1 and s, 30,
                           "a worker reported in")
    assert total(samples, "akhbar_fetches_total", kind="feed", outcome="ok", source="demo-rss") == 1
    assert total(samples, "akhbar_fetches_total", kind="feed", outcome="ok", source="demo-atom") == 1
    assert total(samples, "akhbar_fetches_total", kind="page", outcome="published") == 6
    assert total(samples, "akhbar_articles_published_total") == 6
    assert total(samples, "akhbar_near_duplicates_total") == 1
    assert total(samples, "akhbar_fetch_duration_seconds_count", kind="page") == 6
    assert total(samples, "akhbar_fetch_duration_seconds_bucket", kind="page", le="+Inf") == 6
    assert total(samples, "akhbar_extract_duration_seconds_count") == 6
    assert total(samples, "akhbar_extract_duration_seconds_sum") > 0
    assert total(samples, "akhbar_articles_stored") == 6
    assert total(samples, "akhbar_queue_depth") == 0
    assert total(samples, "akhbar_sources", state="ok") == 2
    assert total(samples, "akhbar_sources_in_backoff") == 0
    assert "akhbar_queue_oldest_job_age_seconds" in samples
    if mode == "redis":  # the counters live in Redis, shared by every machine, not in the store
        assert rt.redis.hlen("akhbar:metrics") > 0
        from workers.adapters.counters import StoreCounters

        assert StoreCounters(rt.store).read() == []
