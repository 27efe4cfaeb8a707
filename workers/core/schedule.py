"""When to poll a source next: adaptive intervals on success, exponential backoff with jitter on failure."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

BACKOFF_CEILING = 6 * 3600


def max_age_seconds(headers: Mapping[str, str]) -> int | None:
    """Cache-Control max-age (or s-maxage) as seconds, when the server gives one."""
    match = re.search(r"(?:s-)?max-age\s*=\s*(\d+)", headers.get("cache-control", ""))
    return int(match.group(1)) if match else None


def next_interval(*, base: int, current: int | None, new_items: int, ceiling: int,
                  floors: tuple[int | None, ...] = ()) -> int:
    """Poll interval after a successful poll.

    A source that published since the last poll is polled at its configured pace again; a quiet one is
    stretched by half each time, up to the ceiling. RSS <ttl>, max-age and Retry-After are floors.
    """
    current = current or base
    interval = base if new_items > 0 else min(ceiling, int(current * 1.5))
    interval = max(base, interval)
    for floor in floors:
        if floor:
            interval = max(interval, min(floor, ceiling))
    return interval


def backoff_delay(failures: int, *, base: int, ceiling: int = BACKOFF_CEILING,
                  retry_after: float | None = None, rng: random.Random | None = None) -> int:
    """Delay before polling a failing source again: base·2^(n-1), capped, with ±20 % jitter.

    It never gives up: the ceiling keeps a dead source polled a few times a day, so it recovers by
    itself when it comes back. Retry-After, when given, is a floor.
    """
    rng = rng or random.Random()
    exponent = max(0, min(failures - 1, 20))
    delay = min(ceiling, base * (2 ** exponent))
    delay = delay * rng.uniform(0.8, 1.2)
    if retry_after:
        delay = max(delay, retry_after)
    return max(1, int(delay))


def retry_countdown(attempt: int, *, base: float = 5.0, ceiling: float = 600.0,
                    retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Countdown for the n-th retry of a page job: exponential with full jitter, Retry-After as floor."""
    rng = rng or random.Random()
    cap = min(ceiling, base * (2 ** max(0, attempt)))
    delay = rng.uniform(cap / 2, cap)
    if retry_after:
        delay = max(delay, min(retry_after, ceiling))
    return delay
