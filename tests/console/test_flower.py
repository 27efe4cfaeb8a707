"""Flower against real Redis on loopback with a real worker, started as compose starts it (`celery -A workers.monitor
flower`, FLOWER_BASIC_AUTH): its Broker page and queue lengths answer, its API behind basic auth."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import yaml

from tests.conftest import ROOT, in_ci
from tests.console.conftest import celery_worker, configure, wait_for

LOGIN = ("flower", "flower-test-password")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def compose_flower_command() -> list[str]:
    """docker-compose.yml's Flower command, run by this Python, without its port (the test picks one)."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["flower"]["command"]
    assert command[0] == "celery" and "flower" in command, command
    return [sys.executable, "-m", "celery", *(arg for arg in command[1:] if not arg.startswith("--port"))]


@pytest.fixture
def flower_env(redis_env: dict[str, str]) -> dict[str, str]:
    if importlib.util.find_spec("flower") is None:
        if in_ci():
            pytest.fail("flower is not installed (the dev extra has it); CI=true, so this fails", pytrace=False)
        pytest.skip("flower is not installed (pip install -e '.[dev]')")
    return {**redis_env, "FLOWER_BASIC_AUTH": ":".join(LOGIN)}


@pytest.fixture
def flower(flower_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([*compose_flower_command(), f"--port={port}", "--address=127.0.0.1"],
                               env={**os.environ, **flower_env}, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else "flower exited"
        try:
            return httpx.get(base + "/healthcheck", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(up, 60, "Flower to answer")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.integration
def test_flower_shows_the_broker_and_queue_lengths_behind_basic_auth(flower: str, flower_env: dict[str, str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    rt = configure(flower_env, monkeypatch)  # the store migrated, as the worker expects it
    rt.store.engine.dispose()
    with celery_worker(flower_env, queues="manual,feeds,pages"):
        workers = wait_for(lambda: httpx.get(flower + "/api/workers", auth=LOGIN, params={"refresh": "true"},
                                             timeout=20).json(), 90, "Flower to see the worker")
        assert any("celery@" in name for name in workers), workers
        lengths = httpx.get(flower + "/api/queues/length", auth=LOGIN, timeout=20)
        assert lengths.status_code == 200, lengths.text
        names = {q["name"] for q in lengths.json()["active_queues"]}
        assert {"manual", "feeds", "pages"} <= names, lengths.json()
        broker = httpx.get(flower + "/broker", auth=LOGIN, timeout=20)
        assert broker.status_code == 200, broker.text[:500]
        assert "not supported" not in broker.text and "pages" in broker.text
    for path in ("/api/queues/length", "/broker", "/api/workers"):
        assert httpx.get(flower + path, timeout=20).status_code == 401, path  # no login, no answer
