"""bootstrap(): the composition root. The adapters of one process, built once from settings after fork, never at import.

Runtime satisfies workers.ports.Deps: the use cases see its repositories, fetcher, queue, duplicate index,
event publisher and clock through the ports only; tests hand them in-memory fakes instead (tests/fakes.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from config.settings import Settings, get_settings
from workers.adapters.events import StreamEvents
from workers.adapters.repositories import StoreArticles, StoreFleet, StoreLedger, StoreSources
from workers.adapters.store import Store
from workers.core.clock import utcnow
from workers.ports import DuplicateIndex, JobQueue, PageFetcher, SameStoryIndex

if TYPE_CHECKING:
    from celery import Celery

    from config.site_rules import SiteRulesDir


class Runtime:
    """Holds this process's store, fetcher, Redis client and dedupe index; each built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pid = os.getpid()

    @cached_property
    def store(self) -> Store:
        return Store.from_url(self.settings.sqlalchemy_store_url)

    @cached_property
    def sources(self) -> StoreSources:
        return StoreSources(self.store)

    @cached_property
    def articles(self) -> StoreArticles:
        return StoreArticles(self.store)

    @cached_property
    def ledger(self) -> StoreLedger:
        return StoreLedger(self.store)

    @cached_property
    def fleet(self) -> StoreFleet:
        return StoreFleet(self.store)

    @cached_property
    def queue(self) -> JobQueue:
        from workers.queueing import CeleryJobQueue

        return CeleryJobQueue(self)

    @cached_property
    def events(self) -> StreamEvents:
        return StreamEvents(self.redis)

    @property
    def clock(self) -> Callable[[], datetime]:
        return utcnow

    @cached_property
    def fetcher(self) -> PageFetcher:
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
    def _site_rules_dir(self) -> SiteRulesDir:
        from config.site_rules import SITES_DIR, SiteRulesDir

        return SiteRulesDir(self.settings.site_rules_dir or SITES_DIR)

    @property
    def site_rules(self) -> dict[str, Any]:
        """Per-site rules from AKHBAR_SITE_RULES_DIR, else those shipped in the package; an edited file is
        read again at the next page (config/site_rules.py)."""
        return self._site_rules_dir.current()

    @cached_property
    def dedupe(self) -> DuplicateIndex:
        from workers.dedupe_wiring import build_dedupe_index

        return build_dedupe_index(self)

    @cached_property
    def semantic(self) -> SameStoryIndex | None:
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
    def celery(self) -> Celery:
        from workers.app import app

        return app


_runtime: Runtime | None = None


def bootstrap() -> Runtime:
    """The process's composition root: its real adapters, each built once on first use; rebuilt in a forked
    child so no connection crosses a fork."""
    global _runtime
    if _runtime is None or _runtime.pid != os.getpid():
        _runtime = Runtime(get_settings())
    return _runtime


get_runtime = bootstrap  # the name every task and command has called it by


def reset_runtime() -> None:
    global _runtime
    _runtime = None
