"""No password reaches any output: the `run` banner, worker and scheduler logs (plain and JSON), `status`,
error lines, the metrics. The real `akhbar` command runs with URLs that carry a password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

AKHBAR = [sys.executable, "-m", "console"]
STORE_SECRET = "s3cr3t-store-pw"
SOURCE_SECRET = "s3cr3t-source-pw"
BROKER_SECRET = "s3cr3t-broker-pw"
SECRETS = (STORE_SECRET, SOURCE_SECRET, BROKER_SECRET)


def akhbar(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run([*AKHBAR, *args], capture_output=True, timeout=timeout, cwd=ROOT, env=env)
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, text[max(0, text.find(secret) - 300):text.find(secret) + 100]


def with_password(url: str, password: str) -> str:
    """postgresql://postgres@host/… → postgresql://postgres:password@host/… (trust auth ignores it)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{password}@{host}"


@pytest.fixture
def secret_env(akhbar_env: dict[str, str], pg_url: str, demo_site, tmp_path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The demo on PostgreSQL with a password in the store URL, plus sources whose URLs carry one."""
    host = demo_site.host_port
    sources = tmp_path / "sources-with-secrets.yaml"
    sources.write_text(Path(akhbar_env["AKHBAR_SOURCES"]).read_text(encoding="utf-8") + f"""
  - name: demo-private
    url: http://reader:{SOURCE_SECRET}@{host}/rss.xml
    kind: feed
  - name: demo-private-missing
    url: http://reader:{SOURCE_SECRET}@{host}/no-such-feed.xml
    kind: feed
""", encoding="utf-8")
    return {**akhbar_env, "AKHBAR_STORE_URL": with_password(pg_url, STORE_SECRET), "AKHBAR_SOURCES": str(sources),
            "AKHBAR_LOG_LEVEL": "INFO"}


@pytest.mark.parametrize("log_json", ["false", "true"])
def test_run_status_and_logs_never_show_a_password(secret_env: dict[str, str], log_json: str) -> None:
    env = {**secret_env, "AKHBAR_LOG_JSON": log_json}
    run = akhbar("run", "--once", "--timeout", "120", env=env, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "postgresql://postgres:***@127.0.0.1:5432/test" in run.stderr  # the banner names the store, masked
    logs = Path(env["AKHBAR_DATA_DIR"]) / "logs"
    log_texts = [p.read_text(encoding="utf-8", errors="replace") for p in logs.glob("*")]
    assert log_texts and any("demo-private" in t for t in log_texts)  # the sources' job lines were logged
    outputs = [run.stdout, run.stderr, *log_texts]
    for args in (("status",), ("status", "--json"), ("sources", "list"), ("sources", "list", "--json"),
                 ("failures", "list", "--json"), ("articles", "--format", "jsonl")):
        result = akhbar(*args, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs += [result.stdout, result.stderr]
    status = json.loads(akhbar("status", "--json", env=env).stdout)
    missing = next(s for s in status["sources"] if s["name"] == "demo-private-missing")
    assert missing["last_error"] and f"reader:***@{env['AKHBAR_ALLOW_HOSTS']}" in missing["url"]
    metrics = subprocess.run([sys.executable, "-c", "from console.metrics import render_metrics; from workers."
                              "runtime import get_runtime; print(render_metrics(get_runtime())[0].decode())"],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert metrics.returncode == 0 and "akhbar_sources" in metrics.stdout, metrics.stderr[-2000:]
    assert_no_secret(*outputs, metrics.stdout, metrics.stderr)


@pytest.mark.parametrize("log_json", ["false", "true"])
def test_an_unreachable_store_is_named_without_its_password(akhbar_env: dict[str, str], log_json: str) -> None:
    env = {**akhbar_env, "AKHBAR_STORE_URL": f"postgresql://postgres:{STORE_SECRET}@127.0.0.1:1/x",
           "AKHBAR_LOG_JSON": log_json}
    for args in (("status",), ("status", "--json"), ("run", "--once")):
        result = akhbar(*args, env=env)
        assert result.returncode == 2 and "postgresql://postgres:***@127.0.0.1:1/x" in result.stderr
        assert_no_secret(result.stdout, result.stderr)


@pytest.mark.parametrize("log_json", ["false", "true"])
def test_a_broker_url_password_is_never_shown(akhbar_env: dict[str, str], log_json: str) -> None:
    env = {**akhbar_env, "AKHBAR_BROKER_URL": f"redis://:{BROKER_SECRET}@127.0.0.1:1/0", "AKHBAR_LOG_JSON": log_json}
    status = akhbar("status", "--json", env=env)  # degrades: the broker's depths are missing, said in a warning
    assert status.returncode == 0 and json.loads(status.stdout)["mode"] == "redis"
    refetch = akhbar("refetch", f"http://{env['AKHBAR_ALLOW_HOSTS']}/news/1", env=env)
    assert refetch.returncode == 2 and "redis://:***@127.0.0.1:1/0" in refetch.stderr, refetch.stderr[-2000:]
    assert_no_secret(status.stdout, status.stderr, refetch.stdout, refetch.stderr)


def test_an_internal_error_message_is_redacted(akhbar_env: dict[str, str]) -> None:
    env = {**akhbar_env, "AKHBAR_STORE_URL": f"postgresql://postgres:{STORE_SECRET}@[bad/x"}
    result = akhbar("status", env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert_no_secret(result.stdout, result.stderr)
    assert os.environ.get("AKHBAR_DEBUG") is None
