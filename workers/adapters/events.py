"""The event publisher: a Redis Stream (`akhbar:events`) beside the store's outbox table when Redis is the broker."""

from __future__ import annotations

from typing import Any


class StreamEvents:
    """Follow-able publish events; without Redis the store's outbox (`akhbar events`) is the only stream."""

    def __init__(self, redis: Any | None) -> None:
        self.redis = redis

    def publish(self, kind: str, article_id: str, revision: int) -> None:
        if self.redis is None:
            return
        self.redis.xadd("akhbar:events", {"kind": kind, "article_id": article_id, "revision": revision},
                        maxlen=1_000_000, approximate=True)
