"""`akhbar status`, `akhbar failures …` and `akhbar sources …` against a real store and broker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from console.cli import app
from tests.conftest import ROOT
from tests.console.conftest import configure, wait_for
from workers.queueing import enqueue_page, page_key

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal() -> Iterator[None]:
    """An operator's wide terminal: one line per row, so words are not folded across lines. Set and put back
    by hand: `console` is made on first use (console/terminal.py), so monkeypatch finds no attribute to restore."""
    from console import cli

    before = cli.console.width
    cli.console.width = 250
    yield
    cli.console.width = before


def akhbar(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def status_json() -> dict:
    return json.loads(akhbar("status", "--json"))


def _check_status_shape(status: dict) -> None:
    assert set(status["queues"]) == {"feeds", "pages", "manual"}
    assert all(isinstance(v, int) for v in status["queues"].values())
    for source in status["sources"]:
        assert {"name", "state", "last_success_at", "next_due_at", "consecutive_failures", "articles",
                "last_error", "recent_errors"} <= set(source)
        assert source["state"] in ("ok", "backoff", "disabled")


@pytest.mark.parametrize("mode", ["embedded", "redis"])
def test_status_counts_waiting_and_retrying_jobs(mode: str, request: pytest.FixtureRequest,
                                                 monkeypatch: pytest.MonkeyPatch, demo_site) -> None:  # type: ignore[no-untyped-def]
    env = request.getfixturevalue("console_env" if mode == "embedded" else "redis_env")
    rt = configure(env, monkeypatch)
    status = status_json()
    _check_status_shape(status)
    assert status["queues"] == {"manual": 0, "feeds": 0, "pages": 0}
    assert status["workers"] == []
    first, second = demo_site.base + "/news/port-expansion", demo_site.base + "/news/school-meals"
    assert enqueue_page(rt, first, "demo-rss") and enqueue_page(rt, second, "demo-rss")
    status = status_json()
    assert status["queues"]["pages"] == 2
    assert status["queue_details"]["pages"]["in_broker"] == 2  # read from the broker itself
    # a job a worker holds for a retry countdown has left the broker's list but is still outstanding
    rt.store.ledger_update(page_key(second), "retrying", attempts=1)
    status = status_json()
    assert status["queues"]["pages"] == 2
    assert status["queue_details"]["pages"]["retrying"] == 1
    assert status["queue_details"]["pages"]["oldest_age_seconds"] >= 0
    rt.store.ledger_update(page_key(first), "done")
    rt.store.ledger_update(page_key(second), "failed")
    status = status_json()
    assert status["queues"]["pages"] == 0
    assert status["throughput"]["per_minute"]["done"][-1] == 1
    assert status["throughput"]["per_minute"]["failed"][-1] == 1
    text = akhbar("status")
    for word in ("Queues", "Workers (0 online)", "demo-rss", "demo-atom", "Throughput"):
        assert word in text


def test_status_shows_a_failing_source_in_words(rt) -> None:  # type: ignore[no-untyped-def]
    from workers import services
    from workers.core.errors import HTTPStatusFetchError

    source = rt.sources.get("demo-rss")
    services.record_source_failure(rt, source, HTTPStatusFetchError("the server answered 503 Service Unavailable",
                                                                    url=source.url, status=503))
    row = next(s for s in status_json()["sources"] if s["name"] == "demo-rss")
    assert row["state"] == "backoff" and row["consecutive_failures"] == 1
    assert row["last_error"]["status"] == 503 and "503" in row["last_error"]["message"]
    line = next(t for t in akhbar("status").splitlines() if "demo-rss" in t)
    assert "backoff" in line and "http_status 503: the server answered 503 Service Unavailable" in line


def test_failures_list_retry_and_drop(rt) -> None:  # type: ignore[no-untyped-def]
    assert "0 failures" in akhbar("failures", "list")
    ids = [rt.store.add_failure(task="akhbar.fetch_page",
                                args={"url": f"https://example.com/{i}", "source": "demo-rss"},
                                error={"kind": "timeout", "message": "read timed out"}, attempts=6) for i in range(3)]
    source_failure = rt.store.add_failure(task="akhbar.fetch_source", args={"source": "demo-atom"},
                                          error={"kind": "http_status", "message": "503", "status": 503}, attempts=1)
    listed = json.loads(akhbar("failures", "list", "--json"))
    assert [f["id"] for f in listed] == [source_failure, *reversed(ids)]
    assert listed[-1]["args"] == {"url": "https://example.com/0", "source": "demo-rss"}
    assert "read timed out" in akhbar("failures", "list")
    akhbar("failures", "retry", str(ids[0]))
    counts = rt.store.ledger_counts()
    assert counts == {"manual": {"queued": 1}}  # back on the manual lane, ahead of routine work
    from workers.adapters.broker import queue_depths

    assert queue_depths(rt.settings, rt.redis)["manual"] == 1
    assert rt.store.get_failure(ids[0]) is None
    akhbar("failures", "drop", str(ids[1]))
    assert "no failure with id" in akhbar("failures", "drop", str(ids[1]), code=2)
    assert "no failure with id" in akhbar("failures", "retry", "999999", code=2)
    assert "give a failure ID or --all" in akhbar("failures", "retry", code=2)
    assert "re-queued 2 failed job(s)" in akhbar("failures", "retry", "--all")
    assert rt.store.list_failures() == []
    assert rt.store.ledger_counts() == {"manual": {"queued": 3}}


def test_sources_list_add_disable_enable_remove(rt) -> None:  # type: ignore[no-untyped-def]
    listed = json.loads(akhbar("sources", "list", "--json"))
    assert {s["name"]: s["origin"] for s in listed} == {"demo-rss": "file", "demo-atom": "file"}
    akhbar("sources", "add", "https://example.org/feed.xml", "--name", "extra", "--no-discover", "--interval", "30m")
    row = rt.store.get_source("extra")
    assert row["origin"] == "runtime" and row["interval"] == 1800 and row["enabled"]
    assert "duplicate" in akhbar("sources", "add", "https://example.org/other.xml", "--name", "extra",
                                 "--no-discover", code=2)
    assert "field 'url'" in akhbar("sources", "add", "not a url", "--name", "bad", "--no-discover", code=2)
    akhbar("sources", "disable", "extra", "--reason", "paywalled")
    assert rt.store.get_source("extra")["disabled_reason"] == "paywalled"
    assert next(s for s in status_json()["sources"] if s["name"] == "extra")["state"] == "disabled"
    akhbar("sources", "enable", "extra")
    assert rt.store.get_source("extra")["enabled"] is True
    assert "comes from the sources file" in akhbar("sources", "remove", "demo-rss", code=2)
    akhbar("sources", "remove", "extra")
    assert rt.store.get_source("extra") is None
    assert "no source named" in akhbar("sources", "disable", "extra", code=2)
    # a restart (the file synced again) keeps run-time sources and the operator's disable
    akhbar("sources", "add", "https://example.org/feed.xml", "--name", "kept", "--no-discover")
    akhbar("sources", "disable", "demo-atom")
    from config.sources import load_sources

    rt.store.sync_sources(load_sources(os.environ["AKHBAR_SOURCES"]))
    assert rt.store.get_source("kept") is not None
    assert rt.store.get_source("demo-atom")["enabled"] is False


@pytest.mark.integration
def test_a_running_scheduler_follows_disable_and_enable(rt, console_env) -> None:  # type: ignore[no-untyped-def]
    """`akhbar scheduler` in its own process: sources edited by the CLI change what it queues, no restart."""
    env = {**os.environ, **console_env, "AKHBAR_SCHEDULER_TICK": "0.3"}
    akhbar("sources", "disable", "demo-atom")
    scheduler = subprocess.Popen([sys.executable, "-m", "console", "scheduler"], env=env, cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        jobs = lambda: {j["source"] for j in rt.store.ledger_stale(_future(), 100)}  # noqa: E731
        wait_for(lambda: "demo-rss" in jobs(), 60, "the scheduler to queue the enabled source")
        time.sleep(1.5)  # several ticks
        assert jobs() == {"demo-rss"}, "a disabled source was queued"
        akhbar("sources", "add", "https://example.org/feed.xml", "--name", "added-live", "--no-discover")
        wait_for(lambda: "added-live" in jobs(), 30, "a source added at run time to be queued")
        akhbar("sources", "enable", "demo-atom")
        wait_for(lambda: "demo-atom" in jobs(), 30, "the re-enabled source to be queued")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(30)


def _future():  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from workers.core.clock import utcnow

    return utcnow() + timedelta(days=1)
