"""The settings reader: AKHBAR_* variables parsed and validated as pydantic's lax rules had them, errors that
name the variable and never its value, values laid over the environment, and a round trip to a child's env."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings, SettingsError, setting_default, settings_env

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for key in list(os.environ):
        if key.upper().startswith("AKHBAR_"):
            monkeypatch.delenv(key)
    return monkeypatch


def test_defaults_without_any_variable() -> None:
    s = Settings()
    assert s.store_url == "sqlite:///data/akhbar.db" and s.broker_url is None and s.embedded
    assert s.allow_hosts == [] and s.bidi == "auto" and s.max_retries == 5 and s.connect_timeout == 5.0
    assert s.sources == Path("config/sources.yaml") and s.site_rules_dir is None
    assert setting_default("max_body_bytes") == s.max_body_bytes == 10 * 1024 * 1024


def test_variables_are_read_whatever_their_case_and_parsed(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("akhbar_max_retries", " 7 ")
    clean_env.setenv("AKHBAR_CONNECT_TIMEOUT", "2")
    clean_env.setenv("AKHBAR_ALLOW_HOSTS", " News.Example , ,b.example:8080")
    clean_env.setenv("AKHBAR_BIDI", "ON")
    clean_env.setenv("AKHBAR_DATA_DIR", "/tmp/x")
    clean_env.setenv("AKHBAR_NOT_A_SETTING", "ignored")
    s = Settings()
    assert s.max_retries == 7 and s.connect_timeout == 2.0 and isinstance(s.connect_timeout, float)
    assert s.allow_hosts == ["news.example", "b.example:8080"] and s.bidi == "on" and s.data_dir == Path("/tmp/x")


@pytest.mark.parametrize(("text", "expected"), [
    ("1", True), ("true", True), ("Yes", True), ("on", True), ("t", True), ("y", True),
    ("0", False), ("FALSE", False), ("no", False), ("off", False), ("f", False), ("n", False),
])
def test_booleans_take_the_usual_spellings(clean_env: pytest.MonkeyPatch, text: str, expected: bool) -> None:
    clean_env.setenv("AKHBAR_SEMANTIC", text)
    assert Settings().semantic is expected


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("AKHBAR_SEMANTIC", "maybe", "true or false"),
    ("AKHBAR_MAX_RETRIES", "5.5", "whole number"),
    ("AKHBAR_MAX_RETRIES", "five", "whole number"),
    ("AKHBAR_READ_TIMEOUT", "nan", "a number"),
    ("AKHBAR_READ_TIMEOUT", "inf", "a number"),
    ("AKHBAR_BIDI", "yes", "one of auto, on, off"),
    ("AKHBAR_API_MAX_BODY_BYTES", "100", "at least 1024"),
    ("AKHBAR_SEMANTIC_WINDOW_HOURS", "-1.5", "above 0"),
    ("AKHBAR_STORE_URL", "mysql://root:s3cret@db/x", "sqlite:///… or postgresql://…"),
    ("AKHBAR_TASK_HARD_TIME_LIMIT", "30", "above the soft limit"),
])
def test_a_bad_value_names_its_variable_and_not_its_value(clean_env: pytest.MonkeyPatch, variable: str,
                                                           value: str, reason: str) -> None:
    clean_env.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert caught.value.variable == variable and reason in str(caught.value)
    assert str(caught.value).startswith(variable + ": ") and value not in str(caught.value)


def test_given_values_win_over_the_environment_and_are_validated(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("AKHBAR_MAX_RETRIES", "9")
    clean_env.setenv("AKHBAR_LOG_LEVEL", "DEBUG")
    s = Settings(max_retries=2, data_dir="/srv/data")
    assert s.max_retries == 2 and s.log_level == "DEBUG" and s.data_dir == Path("/srv/data")
    with pytest.raises(SettingsError, match="AKHBAR_MAX_RETRIES"):
        Settings(max_retries="two")
    with pytest.raises(TypeError, match="unknown settings: nope"):
        Settings(nope=1)


def test_replace_changes_some_values_validates_them_and_leaves_the_original(clean_env: pytest.MonkeyPatch) -> None:
    base = Settings()
    clean_env.setenv("AKHBAR_MAX_RETRIES", "9")  # not read again by replace
    changed = base.replace(api_token="t0k", allow_hosts=["a.example"], per_host_delay="0.5")
    assert changed.api_token == "t0k" and changed.allow_hosts == ["a.example"] and changed.per_host_delay == 0.5
    assert changed.max_retries == 5 and base.api_token is None and base.allow_hosts == []
    base.replace(max_retries=1).api_trusted_hosts.append("x.example")  # a copy owns its lists
    assert base.api_trusted_hosts == []
    with pytest.raises(SettingsError, match="AKHBAR_TASK_HARD_TIME_LIMIT"):
        base.replace(task_soft_time_limit=120)
    with pytest.raises(TypeError):
        base.replace(nope=1)


def test_settings_env_round_trips_through_a_child_environment(clean_env: pytest.MonkeyPatch) -> None:
    s = Settings(broker_url="redis://127.0.0.1:6379/3", allow_hosts=["a.example", "b.example"], semantic=True,
                 site_rules_dir=None, per_host_delay=1.5)
    env = settings_env(s)
    assert "AKHBAR_SITE_RULES_DIR" not in env and env["AKHBAR_SEMANTIC"] == "true"
    for key, value in env.items():
        clean_env.setenv(key, value)
    assert Settings() == s
