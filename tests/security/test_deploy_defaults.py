"""Secure deployment defaults: the API will not listen off loopback without a real token, and the compose file
publishes nothing with a default secret. No test here binds a non-loopback address: uvicorn.run is replaced."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from console.guard import bind_refusal, is_loopback
from tests.conftest import ROOT
from tests.console.conftest import configure

GOOD_TOKEN = "0123456789abcdef"  # 16 characters, the least accepted


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("::ffff:127.0.0.1", True), ("0.0.0.0", False), ("::", False), ("akhbar.example", False),
    ("192.168.1.10", False), ("10.0.0.1", False), ("", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "akhbar.example", "203.0.113.7"])
@pytest.mark.parametrize("token", [None, "", "change-me", "x" * 15, " " * 20])
def test_off_loopback_a_missing_or_short_token_is_refused(host: str, token: str | None) -> None:
    refusal = bind_refusal(host, token)
    assert refusal is not None and "AKHBAR_API_TOKEN" in refusal and "16" in refusal


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_on_loopback_no_token_is_needed(host: str) -> None:
    assert bind_refusal(host, None) is None


def test_off_loopback_a_long_token_is_enough() -> None:
    assert bind_refusal("0.0.0.0", GOOD_TOKEN) is None
    assert bind_refusal("::", GOOD_TOKEN * 4) is None


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder, so a refusal that fails to happen still binds nothing."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    return calls


def cli_env(akhbar_env: dict[str, str], token: str | None) -> dict[str, str]:
    return {**akhbar_env, **({"AKHBAR_API_TOKEN": token} if token is not None else {})}


@pytest.mark.parametrize("token", [None, "short"])
def test_akhbar_api_off_loopback_without_a_real_token_exits_2_in_one_line(akhbar_env, monkeypatch, runs,  # type: ignore[no-untyped-def]
                                                                         token: str | None) -> None:
    from console.cli import app

    configure(cli_env(akhbar_env, token), monkeypatch)
    result = CliRunner().invoke(app, ["api", "--host", "0.0.0.0", "--port", "8000"])
    assert runs == []  # nothing listened
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "AKHBAR_API_TOKEN" in lines[0], result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("host", "token"), [("0.0.0.0", GOOD_TOKEN), ("127.0.0.1", None)])
def test_akhbar_api_serves_on_loopback_or_with_a_real_token(akhbar_env, monkeypatch, runs,  # type: ignore[no-untyped-def]
                                                           host: str, token: str | None) -> None:
    from console.cli import app

    configure(cli_env(akhbar_env, token), monkeypatch)
    result = CliRunner().invoke(app, ["api", "--host", host, "--port", "8000"])
    assert result.exit_code == 0, result.output
    assert [(c["host"], c["port"]) for c in runs] == [(host, 8000)]


def test_serve_off_loopback_without_a_token_exits_2_before_anything_starts(akhbar_env, monkeypatch, runs,  # type: ignore[no-untyped-def]
                                                                           capsys) -> None:
    from console import serve as serve_module

    rt = configure(cli_env(akhbar_env, None), monkeypatch)
    with pytest.raises(SystemExit) as exited:
        serve_module.serve(rt, "0.0.0.0", 8000, fleet_concurrency=1)
    assert exited.value.code == 2 and runs == []
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "AKHBAR_API_TOKEN" in err[0]


COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def required(value: str, name: str) -> bool:
    """True when value is `${NAME:?message}`: compose refuses to start while NAME is unset or empty."""
    return re.fullmatch(r"\$\{" + name + r":\?[^}]+\}", value) is not None


def test_compose_has_no_default_api_token() -> None:
    assert "change-me" not in COMPOSE.read_text(encoding="utf-8")
    services = compose()["services"]
    token = services["api"]["environment"]["AKHBAR_API_TOKEN"]
    assert required(token, "AKHBAR_API_TOKEN"), token


def test_compose_flower_needs_a_login_from_the_environment() -> None:
    """Flower reads FLOWER_<OPTION> variables: FLOWER_BASIC_AUTH turns on its basic auth (off the command line)."""
    flower = compose()["services"]["flower"]
    assert required(flower["environment"]["FLOWER_BASIC_AUTH"], "FLOWER_BASIC_AUTH")
    assert flower["environment"]["AKHBAR_BROKER_URL"]  # still the fleet's broker: the merge kept the rest


def test_compose_postgres_password_comes_from_the_environment() -> None:
    services = compose()["services"]
    assert required(services["postgres"]["environment"]["POSTGRES_PASSWORD"], "POSTGRES_PASSWORD")
    assert "${POSTGRES_PASSWORD" in services["api"]["environment"]["AKHBAR_STORE_URL"]


def test_readme_deployment_shows_the_required_secrets() -> None:
    text = Path(ROOT / "README.md").read_text(encoding="utf-8")
    deployment = text.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    for name in ("AKHBAR_API_TOKEN", "FLOWER_BASIC_AUTH", "POSTGRES_PASSWORD"):
        assert name in deployment, name
