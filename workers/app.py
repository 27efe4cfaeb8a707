"""The Celery app: queues, routes, delivery settings. Built from settings; connects only when used."""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Exchange, Queue

from config.settings import Settings, get_settings
from workers.names import FEEDS, FETCH_PAGE, FETCH_SOURCE, PAGES, QUEUES


def transport_options(settings: Settings, visibility: int) -> dict[str, Any]:
    """Redis: redelivery after the visibility timeout, queues served strictly in the order a worker
    lists them (manual first). The embedded SQLAlchemy transport hands its options to create_engine."""
    if settings.embedded:
        return {"connect_args": {"timeout": 30}}
    return {"visibility_timeout": visibility, "polling_interval": 0.5, "queue_order_strategy": "priority"}


def make_app(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    app = Celery("akhbar", broker=settings.effective_broker_url, include=["workers.tasks"])
    # A message is redelivered if not acked within the visibility timeout; it must outlast the hard
    # time limit plus the longest retry countdown, or a slow job would run twice.
    visibility = max(settings.visibility_timeout,
                     settings.task_hard_time_limit + settings.retry_backoff_max + 60)
    app.conf.update(
        task_serializer="json", accept_content=["json"], result_serializer="json",
        task_ignore_result=True, result_backend=None,
        task_acks_late=True, task_reject_on_worker_lost=True, task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        # retries (countdowns) are held in the worker's memory until due; during a long outage every job
        # becomes one, so cap them: past the cap the worker stops taking messages and they wait in the broker
        worker_eta_task_limit=max(1, settings.max_delayed_jobs),
        task_soft_time_limit=settings.task_soft_time_limit, task_time_limit=settings.task_hard_time_limit,
        # one direct exchange per queue, so a message sent to one queue is delivered to that queue only
        task_queues=[Queue(q, Exchange(q, type="direct"), routing_key=q) for q in QUEUES],
        task_default_queue=PAGES,
        task_default_exchange=PAGES, task_default_routing_key=PAGES,
        task_routes={FETCH_SOURCE: {"queue": FEEDS}, FETCH_PAGE: {"queue": PAGES}},
        broker_transport_options=transport_options(settings, visibility),
        broker_transport="workers.adapters.redis_transport:Transport" if settings.redis_url else None,
        broker_connection_retry_on_startup=True, broker_connection_max_retries=None,
        worker_hijack_root_logger=False, worker_send_task_events=True, task_send_sent_event=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_max_tasks_per_child=1000,
        enable_utc=True, timezone="UTC",
    )
    return app


app = make_app()
