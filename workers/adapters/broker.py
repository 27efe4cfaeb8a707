"""What the broker holds: messages waiting per queue, read from Redis lists or the embedded broker's tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import create_engine, text

from config.settings import Settings
from workers.names import QUEUES

if TYPE_CHECKING:
    from redis import Redis

# kombu's Redis transport keeps priority levels in extra lists named queue + sep + level.
_PRIORITY_SUFFIXES = ("", *(f"\x06\x16{i}" for i in (3, 6, 9)))


def queue_depths(settings: Settings, redis_client: Redis | None = None) -> dict[str, int]:
    """Messages waiting in the broker per queue (not yet reserved by a worker)."""
    if settings.redis_url:
        assert redis_client is not None, "a Redis broker's depths need its client"
        return {q: sum(int(redis_client.llen(q + s)) for s in _PRIORITY_SUFFIXES) for q in QUEUES}
    if settings.broker_url:
        return {}  # other brokers: the job ledger still tells what waits
    url = settings.effective_broker_url.removeprefix("sqla+")
    engine = create_engine(url, connect_args={"timeout": 5})
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT q.name, COUNT(m.id) FROM kombu_queue q LEFT JOIN kombu_message m "
                "ON m.queue_id = q.id AND m.visible = 1 GROUP BY q.name")).all()
    except Exception:  # no broker file yet: nothing has been queued
        rows = []
    finally:
        engine.dispose()
    depths = dict.fromkeys(QUEUES, 0)
    depths.update({name: int(count) for name, count in rows if name in depths})
    return depths


def unacked_count(redis_client: Redis) -> int:
    """Messages delivered to a worker but not acknowledged (running, or waiting for a retry countdown)."""
    return int(redis_client.hlen("unacked"))
