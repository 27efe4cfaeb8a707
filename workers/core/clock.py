"""The one reading of the wall clock that core concepts share; the core itself takes `now` as an argument."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current instant, aware, in UTC: the default the edges (services, store, console) pass in."""
    return datetime.now(UTC)
