"""bootstrap(): the adapters of one process, built once from settings after fork, never at import."""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any

from config.settings import Settings, get_settings
from workers.adapters.store import Store


class Runtime:
    """Holds this process's store, fetcher, Redis client and dedupe index; each built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pid = os.getpid()

    @cached_property
    def store(self) -> Store:
        return Store.from_url(self.settings.sqlalchemy_store_url)

    @cached_property
    def fetcher(self):  # type: ignore[no-untyped-def]
        from workers.adapters.http import build_fetcher

        return build_fetcher(self.settings, self.redis)  # politeness shared through Redis when there is one

    @cached_property
    def redis(self) -> Any | None:
        if not self.settings.redis_url:
            return None
        import redis

        return redis.Redis.from_url(self.settings.redis_url, socket_timeout=10, socket_connect_timeout=5,
                                    health_check_interval=30)

    @cached_property
    def site_rules(self) -> dict[str, Any]:
        try:
            from config.site_rules import load_site_rules
        except ImportError:
            return {}
        from pathlib import Path

        return load_site_rules(Path(__file__).resolve().parent.parent / "config" / "sites")

    @cached_property
    def dedupe(self):  # type: ignore[no-untyped-def]
        from workers.dedupe_wiring import build_dedupe_index

        return build_dedupe_index(self)

    @cached_property
    def semantic(self):  # type: ignore[no-untyped-def]
        """The semantic stage's index (its model loaded once, one thread), or None when AKHBAR_SEMANTIC is off.

        On but without the `semantic` extra installed, the stage is off in this process, said in one error
        line: pages are still ingested.
        """
        if not self.settings.semantic:
            return None
        from datetime import timedelta

        from workers.adapters.embedder import SemanticUnavailable, load_embedder
        from workers.adapters.semantic_index import SemanticIndex

        try:
            embedder = load_embedder(self.settings.semantic_model, threads=1)
        except SemanticUnavailable as exc:
            import logging

            logging.getLogger("akhbar.semantic").error("AKHBAR_SEMANTIC is set but the stage cannot load: %s; "
                                                       "pages are ingested without it", exc)
            return None
        return SemanticIndex(self.store.engine, embedder, window=timedelta(hours=self.settings.semantic_window_hours))

    @cached_property
    def celery(self):  # type: ignore[no-untyped-def]
        from workers.app import app

        return app

    def publish_event(self, kind: str, article_id: str, revision: int) -> None:
        """Follow-able event stream: a Redis Stream beside the store's outbox table when Redis is the broker."""
        if self.redis is None:
            return
        self.redis.xadd("akhbar:events", {"kind": kind, "article_id": article_id, "revision": revision},
                        maxlen=1_000_000, approximate=True)


_runtime: Runtime | None = None


def get_runtime() -> Runtime:
    """The process's runtime; rebuilt in a forked child so no connection crosses a fork."""
    global _runtime
    if _runtime is None or _runtime.pid != os.getpid():
        _runtime = Runtime(get_settings())
    return _runtime


def reset_runtime() -> None:
    global _runtime
    _runtime = None
