"""Fuzz the pure core at volume: random and mutated HTML into extract_article, feed bytes into parse_feed.

Typed akhbar errors (ParseError, ExtractError) are the expected answer to garbage; any other exception,
or a case slower than a second, is a finding. Findings are saved under --out for replay.

Usage: .venv/bin/python bench/fuzz.py [--cases 10000] [--seed 1] [--out /tmp/akhbar-fuzz]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.core.fuzzing import HEADERS, URLS, feed_inputs, html_inputs
from workers.core.errors import AkhbarError


class Tally:
    def __init__(self, name: str, out: Path) -> None:
        self.name, self.out = name, out
        self.cases = 0
        self.typed: Counter[str] = Counter()
        self.crashes: Counter[str] = Counter()
        self.slow = 0
        self.retimed = 0  # cases over a second at first that were timed again
        self.slowest = (0.0, b"")

    def run(self, fn, data: bytes) -> None:  # type: ignore[no-untyped-def]
        self.cases += 1
        started = time.perf_counter()
        try:
            fn()
        except AkhbarError as exc:
            self.typed[type(exc).__name__] += 1
        except Exception as exc:  # a finding: keep the input and the first traceback of its kind
            where = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            if kind not in self.crashes:
                self.out.mkdir(parents=True, exist_ok=True)
                (self.out / f"{self.name}-{len(self.crashes)}.bin").write_bytes(data)
                print(f"  {self.name}: {kind}: {exc!s:.200}", flush=True)
            self.crashes[kind] += 1
        took = time.perf_counter() - started
        if took > 1.0:
            # the machine may have been busy: a case is slow only if it is slow again, alone, twice
            took = min(self._retime(fn) for _ in range(2))
            self.retimed += 1
        if took > 1.0:
            self.slow += 1
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / f"{self.name}-slow-{self.slow}.bin").write_bytes(data)
        if took > self.slowest[0]:
            self.slowest = (took, data)

    @staticmethod
    def _retime(fn) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            fn()
        except Exception:
            pass
        return time.perf_counter() - started

    def report(self) -> None:
        print(f"{self.name:16} cases {self.cases:6}  uncaught exceptions {sum(self.crashes.values()):4}  "
              f"typed errors {sum(self.typed.values()):5}  slowest {self.slowest[0] * 1000:7.1f} ms  "
              f"over 1 s: {self.slow} (re-timed after a slow first run: {self.retimed})")
        for kind, n in self.crashes.most_common():
            print(f"    {n:5} × {kind}")


def fuzz(name: str, strategy: st.SearchStrategy, call, cases: int, rng_seed: int, out: Path) -> Tally:  # type: ignore[no-untyped-def]
    tally = Tally(name, out)

    @seed(rng_seed)
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=strategy, headers=HEADERS, url=URLS)
    def case(data: bytes, headers: dict, url: str) -> None:
        tally.run(lambda: call(data, headers, url), data)

    case()
    return tally


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000, help="cases per target")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/akhbar-fuzz"))
    args = ap.parse_args()
    from tests.core.fuzzing import feed_seeds, page_seeds
    from workers.core.extract import extract_article
    from workers.core.feeds import parse_feed

    for body in (*page_seeds()[:2], *feed_seeds()):  # one-time imports and tables load outside the timings
        for encoded in (body, body.decode().encode("cp1256", "replace"), body.decode().encode("utf-16")):
            for call in (lambda b: extract_article(b, "https://news.example/a", {}), lambda b: parse_feed(b, {}, "")):
                try:
                    call(encoded)
                except AkhbarError:
                    pass
    started = time.perf_counter()
    tallies = [
        fuzz("extract_article", html_inputs(), lambda d, h, u: extract_article(d, u, h, source="fuzz"),
             args.cases, args.seed, args.out),
        fuzz("parse_feed", feed_inputs(), lambda d, h, u: parse_feed(d, h, u), args.cases, args.seed, args.out),
    ]
    print(f"\nfuzz: {sum(t.cases for t in tallies)} cases in {time.perf_counter() - started:.0f}s")
    for tally in tallies:
        tally.report()
    bad = sum(sum(t.crashes.values()) + t.slow for t in tallies)
    print("RESULT: " + ("clean" if not bad else f"{bad} finding(s); inputs saved in {args.out}"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
