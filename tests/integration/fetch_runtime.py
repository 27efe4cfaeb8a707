"""A Runtime for refresh_source tests: SQLite store, Redis broker (so nothing depends on a worker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from config.settings import Settings, reset_settings
from workers.adapters import schema as t
from workers.core.models import Source
from workers.runtime import Runtime


def make_runtime(tmp_path: Path, redis_url: str, allow_hosts: list[str], monkeypatch: pytest.MonkeyPatch,
                 **overrides: Any) -> Runtime:
    """Settings built directly; the Celery app is rebuilt on the test's Redis so sent jobs land there."""
    values: dict[str, Any] = {"store_url": f"sqlite:///{tmp_path / 'akhbar.db'}", "broker_url": redis_url,
                              "data_dir": tmp_path / "data", "allow_hosts": allow_hosts, "connect_timeout": 2,
                              "read_timeout": 3, "total_timeout": 5, "max_body_bytes": 2 * 1024 * 1024,
                              "min_interval": 60, "max_interval": 6 * 3600}
    values.update(overrides)
    settings = Settings(**values)
    rt = Runtime(settings)
    rt.store.migrate()
    monkeypatch.setenv("AKHBAR_BROKER_URL", redis_url)
    reset_settings()
    from workers.app import make_app

    rt.__dict__["celery"] = make_app()  # cached_property: the test's app, not the import-time one
    reset_settings()
    return rt


def add_source(rt: Runtime, name: str, url: str, kind: str = "feed", interval: int = 60) -> None:
    rt.store.add_source(Source(name=name, url=url, kind=kind, interval=interval))


def page_jobs(rt: Runtime) -> list[dict[str, Any]]:
    """Every page job the ledger holds (each one was sent to the broker)."""
    with rt.store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(t.jobs).where(t.jobs.c.kind == "page")).mappings()]
