"""Resource exhaustion is an outage, not a loss: Redis refusing writes at `maxmemory` and PostgreSQL refusing
connections ("too many clients") make jobs wait and retry, never dead-letter or store twice; a long store outage
does not pile delayed retries into a worker's memory. Real servers of the tests' own on spare loopback ports."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.harness import NewsSite, PostgresServer, Proc, RedisServer, akhbar_env, worker_cmd
from tests.integration.test_pipeline import _runtime_for
from tests.loopback import LoopbackSite, Reply

pytestmark = pytest.mark.integration


def _wait(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@contextmanager
def refusing_writes(client) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Redis at maxmemory with noeviction: every command that would allocate is refused with OOM."""
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", 1)
    try:
        yield
    finally:
        client.config_set("maxmemory", 0)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, so filling it touches no one else's data."""
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def news() -> Iterator[tuple[LoopbackSite, NewsSite]]:
    """Article pages at /p/<n> on loopback; /slow/<n> answers the same page after two seconds."""
    pages = NewsSite(pages=200, feeds=2)
    site = LoopbackSite().start()
    html = {"Content-Type": "text/html; charset=utf-8"}

    def page(handler) -> Reply:  # type: ignore[no-untyped-def]
        path = handler.path.split("?")[0]
        slow = path.startswith("/slow/")
        n = int(path.rsplit("/", 1)[1]) if path.rsplit("/", 1)[1].isdigit() else 0
        return Reply(200, html, pages.page_html(n, site.base).encode(), delay=2.0 if slow else 0.0)

    site.route("*", page)
    empty_feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link>'
                  b"<description>d</description></channel></rss>")
    for k in (1, 2):
        site.route(f"/feed/{k}.xml", Reply(200, {"Content-Type": "application/rss+xml"}, empty_feed))
    yield site, pages
    site.stop()


def _env(tmp_path: Path, site: LoopbackSite, *, broker: str, store: str, **overrides: str) -> dict[str, str]:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n" + "".join(
        f"  - name: s{k}\n    url: {site.base}/feed/{k}.xml\n    kind: feed\n    interval: 60s\n" for k in (1, 2)),
        encoding="utf-8")
    settings = {"retry_backoff_max": "2", "max_retries": "1", "job_stale_after": "3", "log_json": "false",
                **overrides}
    return akhbar_env(broker=broker, store=store, sources=sources, allow=site.host_port,
                      data_dir=tmp_path / "data", **settings)


def _worker(env: dict[str, str], tmp_path: Path, name: str = "w") -> Proc:
    return Proc(name, worker_cmd(name, 1, "INFO"), env, tmp_path).start()


def test_a_page_job_meeting_redis_at_maxmemory_waits_and_is_stored_once(
        tmp_path: Path, own_redis: RedisServer, news, monkeypatch: pytest.MonkeyPatch) -> None:
    """Redis fills up while a page is being fetched: its dedupe index write is refused (OOM). That used to
    dead-letter the page as an internal error; now it waits, and once Redis has room it is stored once."""
    import redis

    from workers.queueing import enqueue_page, requeue_stale

    site, _ = news
    env = _env(tmp_path, site, broker=own_redis.url, store=f"sqlite:///{tmp_path / 'akhbar.db'}")
    rt = _runtime_for(env, monkeypatch)
    client = redis.Redis.from_url(own_redis.url)
    worker = _worker(env, tmp_path)
    try:
        assert enqueue_page(rt, f"{site.base}/slow/1", "s1")
        _wait(lambda: site.requests, 60, "the worker never fetched the page")
        with refusing_writes(client):
            time.sleep(4)  # the fetch ends, the dedupe write is refused, the job stalls
            assert worker.proc and worker.proc.poll() is None, "the worker died when Redis refused writes"
            assert rt.store.list_failures() == [], "a full Redis dead-lettered a page that did nothing wrong"
            assert rt.store.count_articles() == 0
        time.sleep(3.5)  # the job's ledger row goes stale: the scheduler's heal sends it again
        requeue_stale(rt)
        _wait(lambda: rt.store.count_articles() == 1, 60, "the page never arrived once Redis had room")
        _wait(lambda: rt.store.ledger_counts() == {}, 30, "the job never finished in the ledger")
        assert rt.store.list_failures() == []
        assert rt.store.count_articles() == 1
    finally:
        worker.stop()


def test_a_worker_starting_while_redis_refuses_writes_waits_for_room(
        tmp_path: Path, own_redis: RedisServer, news, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker (re)started while Redis is at maxmemory used to exit at once (kombu's restore lock is a SET);
    now it keeps consuming, its jobs wait, and the page is stored once when Redis has room."""
    import redis

    from workers.queueing import enqueue_page, requeue_stale

    site, _ = news
    env = _env(tmp_path, site, broker=own_redis.url, store=f"sqlite:///{tmp_path / 'akhbar.db'}")
    rt = _runtime_for(env, monkeypatch)
    client = redis.Redis.from_url(own_redis.url)
    assert enqueue_page(rt, f"{site.base}/p/2", "s1")
    with refusing_writes(client):
        worker = _worker(env, tmp_path)
        try:
            time.sleep(8)
            assert worker.proc and worker.proc.poll() is None, "the worker exited while Redis refused writes"
            assert rt.store.list_failures() == []
        except BaseException:
            worker.stop()
            raise
    try:
        time.sleep(3.5)
        requeue_stale(rt)  # whatever the full Redis swallowed, the ledger sends again
        _wait(lambda: rt.store.count_articles() == 1, 60, "the page never arrived once Redis had room")
        assert rt.store.list_failures() == []
    finally:
        worker.stop()


def test_the_scheduler_keeps_ticking_while_redis_refuses_writes(
        tmp_path: Path, own_redis: RedisServer, news, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Sending a tick's jobs to a full Redis fails; the scheduler says so in one line (no traceback), keeps
    ticking, and the polls it could not send are sent again once Redis has room."""
    import redis

    from scheduler.tick import run_scheduler
    from workers.adapters.broker import queue_depths

    site, _ = news
    # a long staleness: the refused polls must be sent again because the send failed, not because they aged
    env = _env(tmp_path, site, broker=own_redis.url, store=f"sqlite:///{tmp_path / 'akhbar.db'}",
               scheduler_tick="0.2", job_stale_after="3600")
    rt = _runtime_for(env, monkeypatch)
    from config.sources import load_sources

    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    client = redis.Redis.from_url(own_redis.url)
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(rt, stop), kwargs={"heal_every": 0.5}, daemon=True)
    caplog.set_level(logging.INFO, logger="akhbar.scheduler")
    monkeypatch.setattr(logging.getLogger("akhbar"), "propagate", True)  # configure_logging may cut it off
    try:
        with refusing_writes(client):
            thread.start()
            time.sleep(2)
            assert thread.is_alive(), "the scheduler died when Redis refused writes"
            failed = [r for r in caplog.records if r.name == "akhbar.scheduler" and r.levelno >= logging.WARNING]
            assert failed, "the scheduler said nothing about the refused jobs"
            assert all(r.exc_info is None for r in failed), "one clear line, not a traceback per tick"
            assert any("maxmemory" in r.getMessage() or "refus" in r.getMessage() for r in failed), \
                [r.getMessage() for r in failed]
            assert queue_depths(rt.settings, client)["feeds"] == 0
        _wait(lambda: queue_depths(rt.settings, client)["feeds"] == 2, 30,
              "the polls refused by the full Redis were never sent again")
    finally:
        stop.set()
        thread.join(10)


@pytest.fixture(scope="module")
def small_pg() -> Iterator[PostgresServer]:
    """A PostgreSQL of this module's own with room for few clients, so the tests can fill it up."""
    server = PostgresServer(max_connections=12).init()
    yield server
    server.destroy()


@pytest.fixture
def pg_store(small_pg: PostgresServer) -> str:
    """A fresh database on the small server, so each test counts only its own pages."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{small_pg.port}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:{small_pg.port}/{name}"


def test_postgres_refusing_connections_is_waited_out(
        tmp_path: Path, own_redis: RedisServer, news, small_pg: PostgresServer, pg_store: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection slot taken ("too many clients"): a worker's page jobs wait without spending attempts
    or dead-lettering, and are stored once each when slots free up."""
    from workers.queueing import enqueue_page

    site, _ = news
    env = _env(tmp_path, site, broker=own_redis.url, store=pg_store)
    rt = _runtime_for(env, monkeypatch)
    for n in range(3):
        assert enqueue_page(rt, f"{site.base}/p/{10 + n}", "s1")
    from config.sources import load_sources
    from workers.queueing import enqueue_source

    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    assert enqueue_source(rt, "s2")
    rt.store.engine.dispose()
    held = small_pg.fill_connections()
    worker = _worker(env, tmp_path)
    try:
        log = tmp_path / "w.log"
        _wait(lambda: log.read_text(errors="replace").count("retry:outage") >= 3, 60,
              "the jobs never met the refused connections")
        assert worker.proc and worker.proc.poll() is None
        # a poll waits too: it used to raise at its first stall (the task allows no retries of its own)
        poll_waits = re.compile(r"fetch_source source=s2 url=None result=retry:outage .*stall=2")
        _wait(lambda: poll_waits.search(log.read_text(errors="replace")), 30,
              "the poll did not wait out the refused connections")
        PostgresServer.release_connections(held)
        held = []
        _wait(lambda: rt.store.count_articles() == 3, 60, "the pages never arrived once slots were free")
        _wait(lambda: rt.store.ledger_counts() == {}, 30, "the jobs never finished in the ledger")
        assert rt.store.list_failures() == [], "refused connections dead-lettered pages"
        assert rt.store.count_articles() == 3
    finally:
        PostgresServer.release_connections(held)
        worker.stop()
        rt.store.engine.dispose()


def test_a_long_store_outage_does_not_pile_delayed_jobs_into_a_worker(
        tmp_path: Path, own_redis: RedisServer, news, small_pg: PostgresServer, pg_store: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the store away, every job stalls and is retried with a countdown; Celery holds such delayed
    jobs in the worker's memory, and used to take the whole queue in. Now a worker holds a bounded number
    (the rest wait in Redis), a job stalled too often is left to the ledger, and all are stored once after."""
    import redis

    from workers.queueing import requeue_stale

    site, _ = news
    jobs = 40
    env = _env(tmp_path, site, broker=own_redis.url, store=pg_store, retry_backoff_max="4",
               max_delayed_jobs="5", outage_max_stalls="3")
    rt = _runtime_for(env, monkeypatch)
    from workers.queueing import enqueue_pages

    assert enqueue_pages(rt, [(f"{site.base}/p/{100 + n}", None) for n in range(jobs)], "s1") == jobs
    rt.store.engine.dispose()
    client = redis.Redis.from_url(own_redis.url)
    held = small_pg.fill_connections()
    worker = _worker(env, tmp_path)
    log = tmp_path / "w.log"
    try:
        most = 0
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            most = max(most, client.hlen("unacked"))  # delivered to the worker and not acked: held in memory
            time.sleep(0.1)
        assert log.read_text(errors="replace").count("retry:outage") >= 5, "the jobs never met the outage"
        assert most <= 5 + 1, f"the worker held {most} delayed jobs at once"
        assert "released:outage" in log.read_text(errors="replace"), "no job was left to the ledger"
        PostgresServer.release_connections(held)
        held = []
        time.sleep(3.5)
        _wait(lambda: (requeue_stale(rt), rt.store.count_articles())[1] == jobs, 120,
              "not every page arrived after the outage")
        _wait(lambda: rt.store.ledger_counts() == {}, 60, "jobs never finished in the ledger")
        assert rt.store.list_failures() == []
        assert rt.store.count_articles() == jobs
    finally:
        PostgresServer.release_connections(held)
        worker.stop()
        rt.store.engine.dispose()


def test_exhaustion_is_classified_as_an_outage_in_one_place() -> None:
    """A full Redis, also when kombu or Celery wrap it, and a full PostgreSQL are outages; a Redis error that
    is the request's own fault is not (it stays a bug to dead-letter and fix)."""
    import redis.exceptions
    import sqlalchemy.exc
    from celery.exceptions import Reject
    from kombu.exceptions import BatchPublishError

    from workers.adapters.outages import describe, is_outage

    oom = redis.exceptions.OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")
    batch = BatchPublishError("Redis publish batch failed; delivery is uncertain")
    batch.__cause__ = oom
    full_pg = sqlalchemy.exc.OperationalError(
        "SELECT 1", {}, Exception('connection failed: FATAL:  sorry, too many clients already'))
    assert is_outage(oom) and is_outage(batch) and is_outage(Reject(oom, requeue=False)) and is_outage(full_pg)
    assert not is_outage(redis.exceptions.ResponseError("WRONGTYPE Operation against a key"))
    assert not is_outage(ValueError("bad page")) and not is_outage(Reject("no reason", requeue=False))
    assert describe(batch).startswith("Redis refuses writes: it is at maxmemory")
    assert describe(full_pg).startswith("PostgreSQL refuses connections: too many clients")


def test_the_api_answers_503_while_postgres_refuses_connections(
        tmp_path: Path, news, small_pg: PostgresServer, pg_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every slot taken: read calls answer 503 with Retry-After (come back), not 500 (a bug), and 200 after."""
    from fastapi.testclient import TestClient

    from console.api import create_app

    site, _ = news
    env = _env(tmp_path, site, broker="redis://127.0.0.1:1/0", store=pg_store)
    rt = _runtime_for(env, monkeypatch)
    rt.store.engine.dispose()
    client = TestClient(create_app(rt), raise_server_exceptions=False)
    held = small_pg.fill_connections()
    try:
        refused = client.get("/api/articles")
        assert refused.status_code == 503, refused.text
        assert refused.headers.get("retry-after")
    finally:
        PostgresServer.release_connections(held)
    assert client.get("/api/articles").status_code == 200
    rt.store.engine.dispose()


def test_a_pool_process_dying_while_redis_refuses_writes_does_not_end_the_worker(
        tmp_path: Path, own_redis: RedisServer, news, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job lost with its pool process is put back on the queue (reject with requeue), which a full Redis
    refuses; that used to end the worker. Now it waits in the unacked index and the page is stored once."""
    import os
    import signal

    import redis

    from workers.queueing import enqueue_page, requeue_stale

    site, _ = news
    env = _env(tmp_path, site, broker=own_redis.url, store=f"sqlite:///{tmp_path / 'akhbar.db'}")
    rt = _runtime_for(env, monkeypatch)
    client = redis.Redis.from_url(own_redis.url)
    worker = _worker(env, tmp_path)
    try:
        assert enqueue_page(rt, f"{site.base}/slow/3", "s1")
        _wait(lambda: site.requests, 60, "the worker never fetched the page")
        with refusing_writes(client):
            for pid in worker.children():
                os.kill(pid, signal.SIGKILL)
            time.sleep(4)
            assert worker.proc and worker.proc.poll() is None, "the worker died when Redis refused the requeue"
        time.sleep(3.5)
        requeue_stale(rt)
        _wait(lambda: rt.store.count_articles() == 1, 90, "the page never arrived once Redis had room")
        assert rt.store.list_failures() == []
    finally:
        worker.stop()


def test_a_refetch_refused_by_a_full_redis_is_one_line_and_is_sent_later(
        tmp_path: Path, own_redis: RedisServer, news, monkeypatch: pytest.MonkeyPatch) -> None:
    """kombu wraps a publish a full Redis refused in its own 'delivery uncertain' error: the command still says
    which service and why in one line (exit 2), and the job waits in the ledger, dated for the next heal."""
    import subprocess
    import sys

    import redis

    from workers.queueing import requeue_stale

    site, _ = news
    env = _env(tmp_path, site, broker=own_redis.url, store=f"sqlite:///{tmp_path / 'akhbar.db'}",
               job_stale_after="3600")
    rt = _runtime_for(env, monkeypatch)
    client = redis.Redis.from_url(own_redis.url)
    with refusing_writes(client):
        result = subprocess.run([sys.executable, "-m", "console", "refetch", f"{site.base}/p/1"], env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr  # (the transport may warn once)
    assert "maxmemory" in lines[0] and "internal error" not in lines[0], lines[0]
    assert requeue_stale(rt) == 1, "the refused job was not left for the next heal"
    assert client.llen("manual") == 1
