"""The single-scheduler lease: only its holder queues routine work; a second scheduler waits for it."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from workers.ports import FleetRepository

LOCK_NAME = "scheduler"


class SchedulerLease:
    """A lease in the store (works for SQLite and PostgreSQL alike), renewed every tick."""

    def __init__(self, fleet: FleetRepository, ttl: float = 30.0) -> None:
        self.fleet = fleet
        self.ttl = timedelta(seconds=ttl)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live scheduler holds it."""
        return self.fleet.acquire_lock(LOCK_NAME, self.holder, self.ttl)

    def holder_now(self) -> str | None:
        return self.fleet.lock_holder(LOCK_NAME)

    def release(self) -> None:
        self.fleet.release_lock(LOCK_NAME, self.holder)
