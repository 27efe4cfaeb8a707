"""Faults the chaos run found, each pinned: the store away under a real worker and under the scheduler,
and a page whose retries ran out offered again by an unchanged (304) feed."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from contextlib import suppress

import pytest

from console.supervisor import worker_command
from tests.integration.test_pipeline import _runtime_for

pytestmark = pytest.mark.integration


class TCPProxy:
    """Loopback TCP relay to PostgreSQL that can be cut: `down()` resets every live connection and
    refuses new ones (the store stopped), `up()` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.up()

    def up(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        if self.listener:
            with suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for conn in self.conns:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


def _via(proxy: TCPProxy, pg_url: str) -> str:
    return pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")


def _wait(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_page_job_waits_out_a_store_outage_and_a_dropped_connection(
        akhbar_env: dict[str, str], redis_url: str, pg_url: str, demo_site, monkeypatch,
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Store down while a page job runs: the job retries (no dead letter, no lost job) and stores the page
    once the store is back; connections dropped under an idle worker are replaced, not fatal."""
    from config.sources import load_sources
    from workers.queueing import enqueue_page

    assert pg_url.startswith("postgresql://postgres@127.0.0.1:5432/")
    proxy = TCPProxy(("127.0.0.1", 5432))
    env = {**akhbar_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url,
           "AKHBAR_RETRY_BACKOFF_MAX": "2", "AKHBAR_MAX_RETRIES": "1"}
    rt = _runtime_for(env, monkeypatch)  # the test's own view of the store, not through the proxy
    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    worker_env = {**env, "AKHBAR_STORE_URL": _via(proxy, pg_url), "AKHBAR_LOG_LEVEL": "INFO"}
    assert enqueue_page(rt, f"{demo_site.base}/news/port-expansion", "demo-rss")
    proxy.down()
    worker = subprocess.Popen(worker_command("manual,feeds,pages", 1, None, "INFO", quiet=False, fair=False),
                              env=worker_env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.log").open("w"))
    log = tmp_path / "worker.log"
    try:
        _wait(lambda: log.read_text().count("retry:outage") >= 2, 60, "the job never met the outage")
        assert rt.store.count_articles() == 0
        proxy.up()
        _wait(lambda: rt.store.count_articles() == 1, 60, "the page never arrived after the outage")
        assert rt.store.list_failures() == [], "an outage must not dead-letter the page"
        _wait(lambda: rt.store.ledger_counts() == {}, 30, "the job never finished in the ledger")

        proxy.down()  # every pooled connection of the worker is reset...
        proxy.up()    # ...and the store is straight back
        assert enqueue_page(rt, f"{demo_site.base}/mag/library-festival", "demo-rss")
        _wait(lambda: rt.store.count_articles() == 2, 60, "a dropped connection lost the next page")
        assert rt.store.list_failures() == []
    finally:
        worker.terminate()
        worker.wait(30)
        proxy.down()


def test_scheduler_outlives_a_store_outage(akhbar_env: dict[str, str], redis_url: str, pg_url: str,
                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The lease renewal meeting a stopped store used to end the scheduler loop for good."""
    from config.settings import reset_settings
    from config.sources import load_sources
    from scheduler.tick import run_scheduler
    from workers.runtime import get_runtime, reset_runtime

    proxy = TCPProxy(("127.0.0.1", 5432))
    env = {**akhbar_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url, "AKHBAR_SCHEDULER_TICK": "0.2"}
    direct = _runtime_for(env, monkeypatch)
    direct.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    monkeypatch.setenv("AKHBAR_STORE_URL", _via(proxy, pg_url))
    reset_settings()
    reset_runtime()
    rt = get_runtime()
    stop = threading.Event()
    proxy.down()
    thread = threading.Thread(target=run_scheduler, args=(rt, stop), daemon=True)
    thread.start()
    try:
        time.sleep(2)
        assert thread.is_alive(), "the scheduler died with the store"
        assert direct.store.ledger_counts() == {}
        proxy.up()
        _wait(lambda: direct.store.ledger_counts().get("feeds", {}).get("queued") == 2, 30,
              "the scheduler queued nothing once the store was back")
    finally:
        stop.set()
        thread.join(10)
        proxy.down()


def test_a_page_whose_retries_ran_out_is_offered_again_by_an_unchanged_feed(
        akhbar_env: dict[str, str], demo_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Dead-lettered on transient errors, the page is queued by the next poll even though the feed
    answers 304: a dead letter drops the source's validators."""
    from config.sources import load_sources
    from workers import services, tasks
    from workers.core.errors import TransientFetchError
    from workers.queueing import page_key

    rt = _runtime_for(akhbar_env, monkeypatch)  # embedded broker, SQLite store
    rt.store.sync_sources(load_sources(akhbar_env["AKHBAR_SOURCES"]))
    first = services.refresh_source(rt, "demo-rss")
    assert first.result == "ok" and first.queued >= 2
    assert rt.store.get_source("demo-rss")["etag"]
    url = f"{demo_site.base}/news/port-expansion?utm_source=rss&utm_medium=feed"
    from workers.core.urls import canonicalize

    key = page_key(canonicalize(url))
    for job in rt.store.ledger_stale(time_far_future(), 100):  # every other page: as if done
        if job["key"] != key:
            rt.store.ledger_update(job["key"], "done")
    job = tasks.PageJob(canonicalize(url), "demo-rss", key, False, None, time.monotonic())
    tasks._dead_letter(rt, job, TransientFetchError("HTTP 500", url=url, status=500), attempts=4)
    assert rt.store.get_source("demo-rss")["etag"] is None
    again = services.refresh_source(rt, "demo-rss")
    assert again.result == "ok", "an unchanged feed answered 304 and offered nothing"
    assert rt.store.ledger_counts().get("pages", {}).get("queued", 0) >= 1


def time_far_future():  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from workers.core.clock import utcnow

    return utcnow() + timedelta(days=1)
