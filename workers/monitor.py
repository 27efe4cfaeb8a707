"""The Celery app as monitors see it: `celery -A workers.monitor flower` (docker compose does this).

Flower reads the broker's URL back from the app's connection to count queue lengths. The workers' app names
the project's own Redis transport class (workers/adapters/redis_transport.py) in that URL, which Flower does
not know ("'redis' broker is not supported" on its Broker page and /api/queues/length). This app is the same
app on kombu's plain Redis transport: same server, same keys and queues; only consumers need the project's
transport (it keeps workers running when Redis is full), and a monitor consumes nothing.
"""

from __future__ import annotations

from celery import Celery

from workers.app import make_app


def make_monitor_app() -> Celery:
    """The workers' app with a plain `redis://` broker URL (the embedded broker has no monitor support)."""
    monitor = make_app()
    monitor.conf.broker_transport = None
    return monitor


app = make_monitor_app()
