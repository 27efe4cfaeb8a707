"""console/health.py: the compose healthchecks' decisions, and the scheduler/worker checks against a store."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

from config.settings import Settings
from console.health import http_answers, scheduler_healthy, worker_healthy
from workers.core.clock import utcnow
from workers.runtime import Runtime


def test_decisions() -> None:
    assert scheduler_healthy("box1:1:abcd", "box1")
    assert not scheduler_healthy("box2:1:abcd", "box1") and not scheduler_healthy(None, "box1")
    assert worker_healthy(["box1", "box2"], "box2") and not worker_healthy([], "box2")


def test_checks_read_the_lease_and_the_heartbeats(tmp_path: Path) -> None:
    rt = Runtime(Settings(store_url=f"sqlite:///{tmp_path / 's.db'}", data_dir=tmp_path))
    rt.store.migrate()
    host = socket.gethostname()
    assert not scheduler_healthy(rt.fleet.lock_holder("scheduler"), host)
    assert rt.fleet.acquire_lock("scheduler", f"{host}:1:nonce", timedelta(seconds=30))
    assert scheduler_healthy(rt.fleet.lock_holder("scheduler"), host)
    assert not worker_healthy([w.hostname for w in rt.fleet.live_workers()], host)
    rt.store.heartbeat(f"akhbar-1@{host}", hostname=host, pid=1, queues="pages", active=0, processed=0,
                       started_at=utcnow())
    assert worker_healthy([w.hostname for w in rt.fleet.live_workers()], host)


def test_http_answers_needs_a_listener() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert not http_answers(port, timeout=1)
