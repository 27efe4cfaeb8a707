"""Per-host politeness shared by every worker: a concurrency cap, a minimum delay and host cooldowns.

Two backends with one behaviour: Redis (a Lua-scripted semaphore whose slots are leases, so a killed
worker's slot expires by itself) for fleets, and fcntl file locks under the data directory for the
embedded mode, where several worker processes on one machine share no Redis (the kernel drops a
dead process's locks, so nothing leaks there either).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workers.core.errors import HostBusyError, HostCooldownError

MAX_COOLDOWN = 6 * 3600.0  # a Retry-After of a week is a typo or hostility; we come back within hours


class HostGate:
    """Waits for a slot on a host; subclasses say how one is taken, released and how cooldowns are kept."""

    def __init__(self, *, concurrency: int, delay: float, max_wait: float, lease: float) -> None:
        self.concurrency = max(1, concurrency)
        self.delay = max(0.0, delay)
        self.max_wait = max_wait
        self.lease = lease

    @contextmanager
    def slot(self, host: str, *, delay: float = 0.0, url: str | None = None) -> Iterator[None]:
        """Hold one of the host's slots for one request; raises HostCooldownError or HostBusyError."""
        delay = max(self.delay, delay)
        deadline = time.monotonic() + self.max_wait
        while True:
            token, wait, cooling = self._try_acquire(host, delay)
            if token is not None:
                break
            left = deadline - time.monotonic()
            if cooling and wait > left:
                raise HostCooldownError(f"{host} asked us to wait {wait:.0f}s more (Retry-After)",
                                        url=url, retry_after=wait)
            if left <= 0:
                raise HostBusyError(f"{host} stayed busy for {self.max_wait:g}s (per-host cap "
                                    f"{self.concurrency}, delay {delay:g}s)", url=url,
                                    retry_after=max(wait, 5.0))
            time.sleep(min(max(wait, 0.01), 0.25, left))
        try:
            yield
        finally:
            self._release(host, token)

    def cooldown(self, host: str, seconds: float) -> None:
        """Every worker leaves the host alone for this long (kept if a longer one is already set)."""
        self._set_cooldown(host, min(max(0.0, seconds), MAX_COOLDOWN))

    def cooldown_left(self, host: str) -> float:
        raise NotImplementedError

    def _try_acquire(self, host: str, delay: float) -> tuple[Any, float, bool]:
        """(token or None, seconds worth waiting, whether the wait is a cooldown)."""
        raise NotImplementedError

    def _release(self, host: str, token: Any) -> None:
        raise NotImplementedError

    def _set_cooldown(self, host: str, seconds: float) -> None:
        raise NotImplementedError


# KEYS: slots (zset token→lease expiry ms), next (ms of the next allowed start), cooldown (ms)
# ARGV: token, cap, delay ms, lease ms. Redis's own clock, so machines with skewed clocks agree.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cool = tonumber(redis.call('GET', KEYS[3]) or '0')
if cool > now then return {0, cool - now, 1} end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return {0, nxt - now, 0} end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.min(tonumber(first[2]) - now, 250), 0}
end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return {1, 0, 0}
"""
_COOLDOWN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1])
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + ms > old then redis.call('SET', KEYS[1], now + ms, 'PX', ms + 1000) end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
return math.max(0, cur - now)
"""
_LEFT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return math.max(0, tonumber(redis.call('GET', KEYS[1]) or '0') - now)
"""


class RedisHostGate(HostGate):
    """Slots, delays and cooldowns in Redis, shared by every worker on every machine."""

    def __init__(self, client: Any, *, prefix: str = "akhbar:host", **kw: Any) -> None:
        super().__init__(**kw)
        self.client = client
        self.prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)
        self._cool = client.register_script(_COOLDOWN)
        self._left = client.register_script(_LEFT)

    def _keys(self, host: str) -> list[str]:
        tag = f"{self.prefix}:{{{host}}}"  # one hash tag, so a Redis Cluster keeps the three together
        return [f"{tag}:slots", f"{tag}:next", f"{tag}:cooldown"]

    def _try_acquire(self, host: str, delay: float) -> tuple[Any, float, bool]:
        token = uuid.uuid4().hex
        got, wait_ms, cooling = self._acquire(keys=self._keys(host), args=[
            token, self.concurrency, int(delay * 1000), int(self.lease * 1000)])
        return (token if got else None), int(wait_ms) / 1000, bool(cooling)

    def _release(self, host: str, token: Any) -> None:
        self.client.zrem(self._keys(host)[0], token)

    def _set_cooldown(self, host: str, seconds: float) -> None:
        self._cool(keys=[self._keys(host)[2]], args=[int(seconds * 1000)])

    def cooldown_left(self, host: str) -> float:
        return int(self._left(keys=[self._keys(host)[2]])) / 1000


class FileHostGate(HostGate):
    """Slots as flock'ed files and timing in a small JSON file, for processes on one machine."""

    def __init__(self, directory: Path, **kw: Any) -> None:
        super().__init__(**kw)
        self.directory = Path(directory)

    def _dir(self, host: str) -> Path:
        path = self.directory / hashlib.sha1(host.encode()).hexdigest()[:20]
        path.mkdir(parents=True, exist_ok=True)
        return path

    @contextmanager
    def _state(self, host: str) -> Iterator[dict[str, float]]:
        """The host's timing, read and rewritten under an exclusive lock held only for this instant."""
        path = self._dir(host) / "state.json"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 4096, 0)
            state = json.loads(raw) if raw.strip() else {}
            before = dict(state)
            yield state
            if state != before:
                data = json.dumps(state).encode()
                os.ftruncate(fd, 0)
                os.pwrite(fd, data, 0)
        finally:
            os.close(fd)  # closing drops the flock

    def _try_acquire(self, host: str, delay: float) -> tuple[Any, float, bool]:
        with self._state(host) as state:
            now = time.time()
            cool = state.get("cooldown_until", 0.0)
            if cool > now:
                return None, cool - now, True
            nxt = state.get("next_at", 0.0)
            if nxt > now:
                return None, nxt - now, False
            for index in range(self.concurrency):
                fd = os.open(self._dir(host) / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    # flock belongs to the open file description: it excludes other threads too.
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                if delay > 0:
                    state["next_at"] = now + delay
                return fd, 0.0, False
        return None, 0.02, False

    def _release(self, host: str, token: Any) -> None:
        os.close(token)

    def _set_cooldown(self, host: str, seconds: float) -> None:
        with self._state(host) as state:
            state["cooldown_until"] = max(state.get("cooldown_until", 0.0), time.time() + seconds)

    def cooldown_left(self, host: str) -> float:
        with self._state(host) as state:
            return max(0.0, state.get("cooldown_until", 0.0) - time.time())


def build_gate(settings: Any, redis_client: Any | None) -> HostGate:
    """Redis when the fleet shares one, else file locks under data_dir."""
    common = {"concurrency": settings.per_host_concurrency, "delay": settings.per_host_delay,
              "max_wait": settings.total_timeout,
              # a lease outlives the longest request, so only a dead worker's slot ever expires
              "lease": settings.total_timeout + settings.read_timeout + 30}
    if redis_client is not None:
        return RedisHostGate(redis_client, **common)
    return FileHostGate(Path(settings.data_dir) / "politeness", **common)
