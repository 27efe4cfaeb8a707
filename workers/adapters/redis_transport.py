"""kombu's Redis transport, reusing one client object per channel for synchronous commands, and riding out a
Redis that refuses writes at maxmemory instead of letting the worker exit.

kombu builds a fresh `redis.Redis` around the same connection pool for every publish and ack; with
redis-py 5+ that constructor costs about 0.3 ms, two thirds of the cost of sending a job, which made
a scheduler tick of 100 due sources cost ~45 ms in the broker alone. The client object holds no
state beyond its pool, so reusing it while the pool is the same changes nothing else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from redis.exceptions import OutOfMemoryError

if TYPE_CHECKING:
    from redis import Redis
    from redis.client import Pipeline

LOG = logging.getLogger("akhbar.broker")
_WARN_EVERY = 30.0  # seconds between repeats of one "Redis is full" warning per process


class QoS(kombu_redis.QoS):
    """At maxmemory (noeviction) Redis still serves BRPOP, ACK's deletes and reads, but refuses the SET of
    kombu's restore lock and the HSET that records a delivered message as unacked. Both raised out of the
    consumer loop and the worker exited (and a restarted one exited at once). Now: the periodic restore is
    skipped until Redis has room, and a message already taken is run without its unacked record; should
    this worker die before acking it, the job ledger sends it again (what it does for any lost message)."""

    _warned_at = 0.0

    @contextmanager
    def pipe_or_acquire(self, pipe: Pipeline | None = None, client: Redis | None = None) -> Iterator[Pipeline]:
        """kombu's, without MULTI: at maxmemory Redis refuses every command queued in a transaction, even the
        ZREM and HDEL of an ack, and the failed ack ended the worker. Two deletes need no atomicity: an index
        entry left without its message is dropped by the next restore."""
        if pipe:
            yield pipe
        else:
            with self.channel.conn_or_acquire(client) as conn:
                yield conn.pipeline(transaction=False)

    def restore_visible(self, start: int = 0, num: int = 10, interval: int = 10) -> None:
        try:
            super().restore_visible(start=start, num=num, interval=interval)
        except OutOfMemoryError:
            self._warn("skipping the restore of unacked messages until it has room")

    def append(self, message: virtual.Message, delivery_tag: str) -> None:
        try:
            super().append(message, delivery_tag)
        except OutOfMemoryError:
            # the message is already off the queue: run it rather than drop it
            virtual.QoS.append(self, message, delivery_tag)
            self._warn("running a delivered job without its unacked record (the job ledger covers it)")

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        try:
            super().reject(delivery_tag, requeue=requeue)
        except OutOfMemoryError:
            # the requeue of a job lost with its pool process is refused (its transaction changed nothing):
            # forget it here and leave it in the unacked index, restored after the visibility timeout once
            # Redis has room; the job ledger sends it sooner if it goes stale first (publishing is idempotent)
            virtual.QoS.ack(self, delivery_tag)
            self._warn("a job lost with its process stays in the unacked index until restored")

    def _warn(self, what: str) -> None:
        now = time.monotonic()
        if now - QoS._warned_at > _WARN_EVERY:
            QoS._warned_at = now
            LOG.warning("Redis refuses writes: it is at maxmemory (noeviction); %s", what)


class Channel(kombu_redis.Channel):
    """At maxmemory Redis also refuses every command queued in MULTI (reads too) and any SADD, so kombu's
    queue declaration (LLEN in a transaction) and binding (SADD) ended the worker at start: here the sizes
    are read without a transaction and the binding is left for later (consuming does not need it)."""

    QoS = QoS

    def _size(self, queue: str) -> int:
        with self.conn_or_acquire() as client:
            pipe = client.pipeline(transaction=False)
            for pri in self.priority_steps:
                pipe.llen(self._q_for_pri(queue, pri))
            return sum(size for size in pipe.execute() if isinstance(size, int))

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        try:
            super()._queue_bind(exchange, routing_key, pattern, queue)
        except OutOfMemoryError:
            # consuming (BRPOP on the queue's list) needs no binding; a publisher declares its own on send
            self.qos._warn(f"queue {queue} consumed without refreshing its binding")

    def _create_client(self, asynchronous: bool = False) -> Redis:
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        cached = getattr(self, "_akhbar_client", None)
        if cached is None or cached[0] is not pool:
            cached = (pool, super()._create_client(asynchronous=False))
            self._akhbar_client = cached
        return cached[1]


class Transport(kombu_redis.Transport):
    Channel = Channel
