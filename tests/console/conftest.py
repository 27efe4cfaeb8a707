"""Console fixtures: a configured runtime (embedded, or Redis + PostgreSQL), the API on a loopback port,
and real Celery worker processes."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.supervisor import worker_command
from tests.conftest import ROOT

TOKEN = "console-test-token"
ARTIFACTS = ROOT / "tests" / "artifacts"


def configure(env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Point this process at env's broker and store: settings, runtime and Celery app rebuilt, sources synced."""
    import workers.app
    from config.settings import reset_settings
    from config.sources import load_sources
    from workers.runtime import get_runtime, reset_runtime

    for key in [k for k in os.environ if k.startswith("AKHBAR_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("AKHBAR_"):
            monkeypatch.setenv(key, value)
    reset_settings()
    reset_runtime()
    monkeypatch.setattr(workers.app, "app", workers.app.make_app())
    rt = get_runtime()
    rt.settings.data_dir.mkdir(parents=True, exist_ok=True)  # the embedded broker's file lives there
    rt.store.migrate()
    rt.store.sync_sources(load_sources(env["AKHBAR_SOURCES"]))
    return rt


@pytest.fixture
def console_env(akhbar_env: dict[str, str]) -> dict[str, str]:
    """The demo site's sources, embedded broker and SQLite, an API token."""
    return {**akhbar_env, "AKHBAR_API_TOKEN": TOKEN}


@pytest.fixture
def rt(console_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    runtime = configure(console_env, monkeypatch)
    yield runtime
    runtime.store.engine.dispose()


@pytest.fixture
def redis_env(console_env: dict[str, str], redis_url: str, pg_url: str) -> dict[str, str]:
    return {**console_env, "AKHBAR_BROKER_URL": redis_url, "AKHBAR_STORE_URL": pg_url}


@contextlib.contextmanager
def api_server(rt) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app under uvicorn in a thread, on a loopback port of its own; yields its base URL."""
    import uvicorn

    from console.api import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # A long keep-alive: with uvicorn's 5 s default, a client that pauses about that long between two calls on
    # one connection (schemathesis generating cases on a loaded machine) can send into the server's close and
    # read a reset, which the contract test then reports as a network error of the API's.
    server = uvicorn.Server(uvicorn.Config(create_app(rt), log_level="warning", timeout_keep_alive=600))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def api(rt) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with api_server(rt) as base:
        yield base


@contextlib.contextmanager
def celery_worker(env: dict[str, str], queues: str = "manual,feeds,pages") -> Iterator[subprocess.Popen]:
    """A real Celery worker process on env's broker and store."""
    worker = subprocess.Popen(worker_command(queues, 1, None, quiet=False, fair=False), env={**os.environ, **env},
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(check: Callable[[], object], timeout: float = 60, what: str = "condition") -> object:
    """Poll until check() is truthy; fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
