"""The worker's next step after a failure (workers/core/retry.py): one table, every branch of the error tree."""

from __future__ import annotations

import random

import pytest

from workers.core.errors import (
    AkhbarError,
    BlockedURLError,
    ExtractError,
    FetchError,
    GoneError,
    HostBusyError,
    HostCooldownError,
    HTTPStatusFetchError,
    InternalError,
    ParseError,
    PermanentFetchError,
    TimeoutFetchError,
    TooLargeError,
    TransientFetchError,
)
from workers.core.retry import DeadLetter, GiveUp, RetryIn, RetryPolicy, next_step

POLICY = RetryPolicy(max_retries=5, backoff_max=600, max_stalls=8)
URL = "https://news.example/a/1"

# (error, attempts spent, stalls spent, outage?) -> the step, and for a retry the countdown's bounds in seconds
TABLE = [
    # transient: exponential backoff with full jitter (5·2^n s, drawn in [cap/2, cap]) until max_retries
    (TransientFetchError("503", url=URL), 0, 0, False, RetryIn, (2.5, 5)),
    (TimeoutFetchError("timed out", url=URL), 1, 0, False, RetryIn, (5, 10)),
    (HostBusyError("slots taken", url=URL), 4, 0, False, RetryIn, (40, 80)),
    (TransientFetchError("reset", url=URL), 5, 0, False, DeadLetter, None),
    (TimeoutFetchError("timed out", url=URL), 9, 0, False, DeadLetter, None),
    # Retry-After is a floor (under the ceiling)
    (HostCooldownError("429", url=URL, retry_after=120), 0, 0, False, RetryIn, (120, 120)),
    (HostCooldownError("429", url=URL, retry_after=9999), 0, 0, False, RetryIn, (600, 600)),
    # stalls waiting out an outage are not the page's attempts
    (TransientFetchError("503", url=URL), 2, 7, False, RetryIn, (10, 20)),
    # permanent: dead letter at once, whatever is left of the attempts
    (HTTPStatusFetchError("404", url=URL, status=404), 0, 0, False, DeadLetter, None),
    (GoneError("410", url=URL, status=410), 0, 0, False, DeadLetter, None),
    (BlockedURLError("private address", url=URL), 0, 0, False, DeadLetter, None),
    (TooLargeError("over 10 MiB", url=URL), 0, 0, False, DeadLetter, None),
    (PermanentFetchError("corrupt compressed body", url=URL), 0, 0, False, DeadLetter, None),
    (ParseError("not a feed"), 0, 0, False, DeadLetter, None),
    (ExtractError("no article"), 0, 0, False, DeadLetter, None),
    (InternalError.wrap(KeyError("x"), url=URL), 0, 0, False, DeadLetter, None),
    # the store or Redis away or full: retry without spending an attempt, growing to the ceiling, then give up
    (ConnectionRefusedError("store away"), 0, 0, True, RetryIn, (2.5, 5)),
    (ConnectionRefusedError("store away"), 5, 3, True, RetryIn, (20, 40)),
    (ConnectionRefusedError("store away"), 0, 7, True, RetryIn, (300, 600)),
    (ConnectionRefusedError("store away"), 0, 8, True, GiveUp, None),
    (TransientFetchError("503", url=URL), 0, 20, True, GiveUp, None),
]


@pytest.mark.parametrize(("error", "attempt", "stalls", "outage", "step", "bounds"), TABLE,
                         ids=[f"{type(r[0]).__name__}-a{r[1]}-s{r[2]}{'-outage' if r[3] else ''}" for r in TABLE])
def test_next_step(error: BaseException, attempt: int, stalls: int, outage: bool, step: type,
                   bounds: tuple[float, float] | None) -> None:
    rng = random.Random(14)
    for _ in range(20):
        got = next_step(error, attempt, stalls, POLICY, rng=rng, outage=outage)
        assert type(got) is step
        if bounds is not None:
            assert isinstance(got, RetryIn)
            assert bounds[0] <= got.seconds <= bounds[1]
            assert got.stall is outage


def test_same_generator_same_countdowns() -> None:
    error = TransientFetchError("503", url=URL)
    first = [next_step(error, n, 0, POLICY, rng=random.Random(3)) for n in range(5)]
    assert first == [next_step(error, n, 0, POLICY, rng=random.Random(3)) for n in range(5)]


def test_the_error_tree_says_what_happens_next() -> None:
    """Transient and permanent are the two branches of one fetch error; an internal error is its own type."""
    for transient in (TimeoutFetchError, HostBusyError, HostCooldownError):
        assert issubclass(transient, TransientFetchError) and not issubclass(transient, PermanentFetchError)
    for permanent in (HTTPStatusFetchError, GoneError, BlockedURLError, TooLargeError):
        assert issubclass(permanent, PermanentFetchError) and not issubclass(permanent, TransientFetchError)
    assert issubclass(TransientFetchError, FetchError) and issubclass(PermanentFetchError, FetchError)
    assert not issubclass(InternalError, FetchError) and issubclass(InternalError, AkhbarError)


@pytest.mark.parametrize(("error", "kind"), [
    # the kinds stored in the ledger and shown to operators do not change with the tree
    (FetchError("x"), "fetch"), (PermanentFetchError("x"), "fetch"), (TransientFetchError("x"), "transient"),
    (TimeoutFetchError("x"), "timeout"), (HTTPStatusFetchError("x"), "http_status"), (GoneError("x"), "gone"),
    (BlockedURLError("x"), "blocked"), (TooLargeError("x"), "too_large"), (ParseError("x"), "parse"),
    (ExtractError("x"), "extract"), (HostBusyError("x"), "host_busy"), (HostCooldownError("x"), "host_cooldown"),
])
def test_kinds_are_stable(error: AkhbarError, kind: str) -> None:
    assert error.kind == kind


def test_internal_error_wraps_a_bug() -> None:
    error = InternalError.wrap(ValueError("bad value"), url=URL)
    assert error.to_record() == {"kind": "internal", "message": "internal error: ValueError: bad value",
                                 "url": URL, "status": None}
