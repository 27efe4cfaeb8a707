"""Errors that mean a shared service (the store, Redis) is away or full, not that the job's input is bad.

A job that meets one is retried later without spending its own attempts, and never dead-lettered:
the page did nothing wrong, and the dead-letter table lives in the very store that may be down.
Resource exhaustion counts: Redis refusing writes at `maxmemory` and PostgreSQL refusing connections
("too many clients") pass once memory or slots free up, like a restart does.
"""

from __future__ import annotations

import redis.exceptions
import sqlalchemy.exc
from kombu.exceptions import BatchPublishError
from kombu.exceptions import OperationalError as BrokerOperationalError

# sqlalchemy's OperationalError/InterfaceError wrap refused or dropped connections (psycopg, including "too many
# clients" and "remaining connection slots are reserved") and a busy SQLite file; TimeoutError is an exhausted
# connection pool. redis' ConnectionError covers BusyLoadingError. OutOfMemoryError is Redis at maxmemory under
# noeviction refusing a write (a ResponseError, so not a connection error); ReadOnlyError a replica that was
# promoted away from us refusing writes until the client reconnects to the new primary.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.ReadOnlyError,
    BrokerOperationalError,
)

# Wrappers whose cause says what happened: kombu's pipelined publish reports any failure as "delivery
# uncertain", Celery's retry as a Reject of the message it could not send again.
_WRAPPERS: tuple[type[BaseException], ...] = (BatchPublishError,)


def is_outage(exc: BaseException) -> bool:
    """True when exc says a shared service is unreachable or full (retry later), false for everything else."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if isinstance(current, INFRASTRUCTURE_ERRORS):
            return True
        if not isinstance(current, _WRAPPERS) and not _is_reject(current):
            return False
        current = current.__cause__ or current.__context__ or getattr(current, "reason", None)
        seen += 1
    return False


def _is_reject(exc: BaseException) -> bool:
    from celery.exceptions import Reject

    return isinstance(exc, Reject) and isinstance(exc.reason, BaseException)


def describe(exc: BaseException) -> str:
    """One line for an operator: which service, what it said (first line, no traceback)."""
    found: BaseException | None = exc
    for _ in range(5):  # the wrapped error names the service; the wrapper only says "uncertain"
        if isinstance(found, INFRASTRUCTURE_ERRORS) or found is None:
            break
        found = found.__cause__ or found.__context__ or getattr(found, "reason", None)
    cause = found if isinstance(found, BaseException) else exc
    text = str(cause).strip().splitlines()[0][:200] if str(cause).strip() else ""
    if isinstance(cause, redis.exceptions.OutOfMemoryError) or "used memory > 'maxmemory'" in text:
        what = "Redis refuses writes: it is at maxmemory (noeviction)"
    elif "too many clients" in str(cause) or "connection slots are reserved" in str(cause):
        what = "PostgreSQL refuses connections: too many clients"
    elif isinstance(cause, redis.exceptions.RedisError | BrokerOperationalError):
        what = "Redis unreachable"
    elif isinstance(cause, sqlalchemy.exc.SQLAlchemyError):
        what = "store unreachable"
    else:
        what = "shared service unreachable"
    return f"{what} ({type(cause).__name__}: {text})" if text else f"{what} ({type(cause).__name__})"
