"""End to end through real Celery worker processes: embedded mode, Redis + PostgreSQL, a killed worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.supervisor import worker_command
from demo.content import STORIES

pytestmark = pytest.mark.integration
AKHBAR = [sys.executable, "-m", "console"]


def run_once(env: dict[str, str], timeout: float = 240) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([*AKHBAR, "run", "--once"], env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, time.monotonic() - started


def articles(env: dict[str, str]) -> list[dict]:
    import json

    result = subprocess.run([*AKHBAR, "articles", "--format", "jsonl", "--limit", "1000"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def check_demo_articles(rows: list[dict]) -> None:
    assert len(rows) == len(STORIES), [r["url"] for r in rows]
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["title"] and row["body"] and row["source"] in ("demo-rss", "demo-atom")
        assert row["published_at"], row["url"]
        assert row["tags"], row["url"]
        assert "utm_source" not in row["canonical_url"]
    # the story carried by both feeds is one article; the syndicated rewrite is its own row in one cluster
    water = [r for r in rows if "water-station" in r["url"]]
    assert len(water) == 2


def test_embedded_mode_end_to_end_and_second_run_adds_nothing(akhbar_env: dict[str, str]) -> None:
    first, first_seconds = run_once(akhbar_env)
    assert "run --once" in first.stdout
    rows = articles(akhbar_env)
    check_demo_articles(rows)
    second, second_seconds = run_once(akhbar_env)
    again = articles(akhbar_env)
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in rows)
    assert all(r["revision"] == 1 for r in again)
    assert "0 new and 0 updated" in second.stdout
    print(f"embedded: first run {first_seconds:.1f}s, second {second_seconds:.1f}s")


def test_redis_and_postgres_end_to_end_twice(akhbar_env: dict[str, str], redis_url: str, pg_url: str) -> None:
    env = {**akhbar_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url}
    run_once(env)
    rows = articles(env)
    check_demo_articles(rows)
    import redis

    assert redis.Redis.from_url(redis_url).xlen("akhbar:events") == len(STORIES)
    run_once(env)
    assert len(articles(env)) == len(rows)


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _runtime_for(env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from config.settings import reset_settings
    from workers.runtime import get_runtime, reset_runtime

    for key, value in env.items():
        if key.startswith("AKHBAR_"):
            monkeypatch.setenv(key, value)
    reset_settings()
    reset_runtime()
    import workers.app

    workers.app.app = workers.app.make_app()
    rt = get_runtime()
    rt.store.migrate()
    return rt


def test_page_job_survives_sigkill_of_the_worker_process(akhbar_env: dict[str, str], redis_url: str,
                                                         pg_url: str, demo_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL the pool process mid-job: the job is redelivered and the page is stored exactly once."""
    from config.sources import load_sources
    from workers.queueing import enqueue_page

    env = {**akhbar_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url}
    rt = _runtime_for(env, monkeypatch)
    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    worker = subprocess.Popen(worker_command("manual,feeds,pages", 1, None, quiet=False, fair=False), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        slow = f"{demo_site.base}/slow/news/port-expansion?s=4"
        assert enqueue_page(rt, slow, "demo-rss")
        deadline = time.monotonic() + 60
        while not any(p.startswith("/slow/") for p in demo_site.paths()):
            assert time.monotonic() < deadline, "the worker never started the page job"
            time.sleep(0.1)
        children = _pool_children(worker.pid)
        assert children
        for child in children:
            os.kill(child, signal.SIGKILL)  # the job's process dies mid-request
        deadline = time.monotonic() + 90
        while rt.store.count_articles() == 0:
            assert time.monotonic() < deadline, "the killed job was never redelivered"
            time.sleep(0.3)
        time.sleep(2)
        assert rt.store.count_articles() == 1
        assert sum(1 for p in demo_site.paths() if p.startswith("/slow/")) >= 2
    finally:
        worker.terminate()
        worker.wait(30)


def test_a_lost_queue_is_healed_by_the_next_poll(akhbar_env: dict[str, str], redis_url: str, pg_url: str,
                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Jobs queued, then the broker wiped before any worker ran them: the next run stores every page."""
    import redis

    from config.sources import load_sources
    from scheduler.tick import tick

    env = {**akhbar_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url}
    rt = _runtime_for(env, monkeypatch)
    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    assert len(tick(rt, force=True)) == 2
    redis.Redis.from_url(redis_url).flushdb()  # Redis restarted without persistence
    assert rt.store.count_articles() == 0
    run_once(env)
    check_demo_articles(articles(env))


def test_second_scheduler_waits_instead_of_double_queuing(akhbar_env: dict[str, str], tmp_path: Path) -> None:
    env = {**akhbar_env, "AKHBAR_SCHEDULER_TICK": "0.5"}
    first = subprocess.Popen([*AKHBAR, "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    time.sleep(4)
    second = subprocess.Popen([*AKHBAR, "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    time.sleep(4)
    for proc in (second, first):
        proc.send_signal(signal.SIGTERM)
    _, err_second = second.communicate(timeout=30)
    first.communicate(timeout=30)
    assert "holds the lease; waiting" in err_second
