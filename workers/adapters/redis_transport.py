"""kombu's Redis transport, reusing one client object per channel for synchronous commands.

kombu builds a fresh `redis.Redis` around the same connection pool for every publish and ack; with
redis-py 5+ that constructor costs about 0.3 ms, two thirds of the cost of sending a job, which made
a scheduler tick of 100 due sources cost ~45 ms in the broker alone. The client object holds no
state beyond its pool, so reusing it while the pool is the same changes nothing else.
"""

from __future__ import annotations

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _create_client(self, asynchronous: bool = False):  # type: ignore[no-untyped-def]
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
