"""When to poll a source next: adaptive intervals on success, exponential backoff with jitter on failure."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

BACKOFF_CEILING = 6 * 3600
# How far back item dates describe a source's current pace; older items say little about today.
RATE_WINDOW = timedelta(days=7)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds from `now` (epoch seconds), from either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, OverflowError):
        return None
    return max(0.0, when - now)


def publishing_gap(dates: Iterable[datetime | None], now: datetime) -> float | None:
    """Mean seconds between the source's items dated within the rate window, or None without two of them.

    Future dates (clock skew, scheduled posts) are clamped to now; a feed that dates nothing gives None
    and the caller falls back to stretching the interval while the source stays quiet.
    """
    recent = sorted(min(d, now) for d in dates if d is not None and d.tzinfo and now - d <= RATE_WINDOW)
    if len(recent) < 2:
        return None
    # Span to now, not to the newest item: a source that stopped an hour ago is slower than its burst.
    span = (now - recent[0]).total_seconds()
    return max(1.0, span / len(recent))


def max_age_seconds(headers: Mapping[str, str]) -> int | None:
    """Cache-Control max-age (or s-maxage) as seconds, when the server gives one."""
    match = re.search(r"(?:s-)?max-age\s*=\s*(\d+)", headers.get("cache-control", ""))
    return int(match.group(1)) if match else None


def next_interval(*, base: int, current: int | None, new_items: int, ceiling: int,
                  floors: tuple[float | None, ...] = (), gap: float | None = None) -> int:
    """Poll interval after a successful poll, within [base, ceiling].

    With item dates (`gap`, see publishing_gap) the source is polled about twice per item it publishes,
    so a wire that posts every 5 minutes stays at its base pace and a weekly column drifts to the ceiling.
    Without dates: back to base after new items, stretched by half after each quiet poll.
    RSS <ttl>, max-age and Retry-After are floors (never past the ceiling).
    """
    current = current or base
    if gap is not None:
        interval = int(gap / 2)
    elif new_items > 0:
        interval = base
    else:
        interval = int(current * 1.5)
    interval = max(base, min(ceiling, interval))
    for floor in floors:
        if floor:  # a fractional floor (Retry-After) rounds up: the interval is whole seconds, never below it
            interval = max(interval, min(math.ceil(floor), ceiling))
    return interval


def backoff_delay(failures: int, *, base: int, ceiling: int = BACKOFF_CEILING,
                  rng: random.Random, retry_after: float | None = None) -> int:
    """Delay before polling a failing source again: base·2^(n-1), capped, with ±20 % jitter.

    It never gives up: the ceiling keeps a dead source polled a few times a day, so it recovers by
    itself when it comes back. Retry-After, when given, is a floor. The jitter is drawn from `rng`.
    """
    exponent = max(0, min(failures - 1, 20))
    delay = min(ceiling, base * (2 ** exponent))
    delay = delay * rng.uniform(0.8, 1.2)
    if retry_after:
        delay = max(delay, retry_after)
    return max(1, int(delay))


def retry_countdown(attempt: int, *, base: float = 5.0, ceiling: float = 600.0,
                    rng: random.Random, retry_after: float | None = None) -> float:
    """Countdown for the n-th retry of a page job: exponential with full jitter drawn from `rng`, Retry-After as
    floor."""
    cap = min(ceiling, base * (2 ** max(0, attempt)))
    delay = rng.uniform(cap / 2, cap)
    if retry_after:
        delay = max(delay, min(retry_after, ceiling))
    return delay
