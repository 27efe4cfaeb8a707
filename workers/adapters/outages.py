"""Errors that mean a shared service (the store, Redis) is away, not that the job's input is bad.

A job that meets one is retried later without spending its own attempts, and never dead-lettered:
the page did nothing wrong, and the dead-letter table lives in the very store that may be down.
"""

from __future__ import annotations

import redis.exceptions
import sqlalchemy.exc
from kombu.exceptions import OperationalError as BrokerOperationalError

# sqlalchemy's OperationalError/InterfaceError wrap refused or dropped connections (psycopg) and a busy
# SQLite file; TimeoutError is an exhausted connection pool. redis' ConnectionError covers BusyLoadingError.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    BrokerOperationalError,
)


def is_outage(exc: BaseException) -> bool:
    """True when exc says a shared service is unreachable (retry later), false for everything else."""
    return isinstance(exc, INFRASTRUCTURE_ERRORS)
