"""What a page job does after a failure: retry in so many seconds, keep a dead letter, or give up to the ledger.

A pure function of the error, the attempts and stalls spent, and the policy's limits; randomness (the jitter)
comes in as an argument, so the decision is table-tested and the task only carries it out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workers.core.errors import TransientFetchError
from workers.core.schedule import retry_countdown

OUTAGE_BACKOFF_STEPS = 10  # an outage's waits stop growing after this many stalls (then sit at the ceiling)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int  # a page's own attempts (transient fetch errors, time limits)
    backoff_max: float  # the longest countdown, in seconds
    max_stalls: int  # outage retries of one job before it is left to the job ledger


@dataclass(frozen=True, slots=True)
class RetryIn:
    """Send the job again after `seconds`; `stall` retries wait out an outage and spend none of the page's attempts."""

    seconds: float
    stall: bool = False


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """Keep the job as a failure record for replay; the ledger row is marked failed."""


@dataclass(frozen=True, slots=True)
class GiveUp:
    """Ack the job without a retry or a dead letter (whose table may be what is down): its ledger row stays
    queued, so the scheduler sends it again once the row is stale."""


Step = RetryIn | DeadLetter | GiveUp


def next_step(error: BaseException, attempt: int, stalls: int, policy: RetryPolicy, *, rng: random.Random,
              outage: bool = False) -> Step:
    """The worker's next step for a failed page job.

    `attempt` counts the page's own tries before this one (0 on the first), `stalls` the outage retries so far;
    `outage` says the store or Redis was away or full (the adapters tell: not the page's fault). Transient
    errors retry with jittered exponential backoff until `max_retries`, then dead-letter; every other error
    (permanent fetch, parse, extract, internal) dead-letters at once.
    """
    if outage:
        if stalls + 1 > policy.max_stalls:
            return GiveUp()
        return RetryIn(retry_countdown(min(stalls, OUTAGE_BACKOFF_STEPS), ceiling=policy.backoff_max, rng=rng),
                       stall=True)
    if isinstance(error, TransientFetchError) and attempt < policy.max_retries:
        return RetryIn(retry_countdown(attempt, ceiling=policy.backoff_max, retry_after=error.retry_after, rng=rng))
    return DeadLetter()
