"""Fetching benchmark: conditional polling of 500 loopback feeds, memory under bombs, per-host cap.

    .venv/bin/python bench/fetch.py [--feeds 500]

Everything runs on 127.0.0.1. Polls are the fetch+parse half of refresh_source (conditional GET with the
stored validators, the real Fetcher with its per-host gate, parse_feed); queueing is left out so the
figure measures fetching, not the broker.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.loopback import LoopbackSite, Reply, conditional, endless, gzip_bomb, rss
from workers.adapters.http import Fetcher, FetchLimits
from workers.adapters.politeness import FileHostGate, RedisHostGate
from workers.core.feeds import parse_feed

UA = "akhbar-bench/1"
SUMMARY = ("أعلنت وزارة الصحة اليوم عن افتتاح مركز طبي جديد في المدينة لخدمة السكان في الأحياء الشرقية، "
           "على أن يبدأ استقبال المرضى مطلع الشهر المقبل بعد استكمال تجهيز الأقسام وتدريب الكوادر.")


def poll_all(fetcher: Fetcher, urls: list[str], validators: dict[str, tuple[str | None, str | None]],
             threads: int) -> tuple[float, int]:
    """One poll of every feed; returns (seconds, number of 304s) and updates the validators."""
    def poll(url: str) -> bool:
        etag, modified = validators.get(url, (None, None))
        result = fetcher.fetch(url, etag=etag, last_modified=modified, accept="feed")
        if result.not_modified:
            return True
        parse_feed(result.body, result.headers, result.url)
        validators[url] = (result.etag, result.last_modified)
        return False

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        not_modified = sum(pool.map(poll, urls))
    return time.monotonic() - started, not_modified


def bench_polling(feeds: int, tmp: Path) -> dict[str, float]:
    site = LoopbackSite().start()
    try:
        for index in range(feeds):
            items = [(f"{site.base}/news/{index}/{i}", f"خبر رقم {i} من المصدر {index}") for i in range(20)]
            # a news feed's usual shape: 20 items, each with a two-sentence summary (about 12 KiB in all)
            site.route(f"/feed/{index}", conditional(rss(items, summary=SUMMARY), etag=f'"f{index}"'))
        urls = [f"{site.base}/feed/{i}" for i in range(feeds)]
        gate = FileHostGate(tmp / "gate-poll", concurrency=2, delay=0, max_wait=30, lease=60)
        fetcher = Fetcher(user_agent=UA, limits=FetchLimits(), allow_hosts=[site.host_port], gate=gate)
        validators: dict[str, tuple[str | None, str | None]] = {}
        first_s, _ = poll_all(fetcher, urls, validators, threads=8)
        first_bytes, site.sent_bytes = site.sent_bytes, 0
        second_s, not_modified = poll_all(fetcher, urls, validators, threads=8)
        second_bytes = site.sent_bytes
    finally:
        site.stop()
    return {"first_pps": feeds / first_s, "second_pps": feeds / second_s, "share_304": not_modified / feeds,
            "first_bytes": first_bytes, "second_bytes": second_bytes, "ratio": second_bytes / first_bytes}


def memory_child(base: str, host_port: str) -> None:
    """Run in a fresh worker-like process: RSS at idle, then its peak after a gzip bomb and an endless body."""
    fetcher = Fetcher(user_agent=UA, limits=FetchLimits(), allow_hosts=[host_port])
    fetcher.fetch(f"{base}/small", accept="feed")
    # idle = resident memory now (not the high-water mark, which imports may have raised): conservative
    status = Path("/proc/self/status").read_text()
    idle = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    kinds = []
    for path in ("/bomb", "/endless"):
        try:
            fetcher.fetch(f"{base}{path}", accept="feed")
        except Exception as exc:
            kinds.append(f"{path}:{type(exc).__name__}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{idle} {peak} {' '.join(kinds)}")


def bench_memory() -> dict[str, object]:
    site = LoopbackSite().start()
    try:
        site.route("/small", Reply(200, {"Content-Type": "application/rss+xml"}, rss([("http://x.invalid/a", "t")])))
        site.route("/bomb", Reply(200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
                                  gzip_bomb(1024)))  # 1 GiB inflated, about 1 MiB on the wire
        site.route("/endless", lambda _h: Reply(200, {"Content-Type": "application/rss+xml"}, endless()))
        root = str(Path(__file__).resolve().parent.parent)
        code = (f"import sys; sys.path.insert(0, {root!r}); from bench.fetch import memory_child; "
                f"memory_child({site.base!r}, {site.host_port!r})")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    finally:
        site.stop()
    idle, peak, *stops = out.stdout.split()
    return {"idle_mib": int(idle) / 1024, "peak_mib": int(peak) / 1024, "delta_mib": (int(peak) - int(idle)) / 1024,
            "stopped": stops}


def _hammer(base: str, host_port: str, kind: str, where: str, requests: int) -> None:
    common = {"concurrency": 2, "delay": 0.0, "max_wait": 60, "lease": 60}
    if kind == "redis":
        import redis

        gate = RedisHostGate(redis.Redis.from_url(where), prefix="akhbar-bench:host", **common)
    else:
        gate = FileHostGate(Path(where), **common)
    fetcher = Fetcher(user_agent=UA, limits=FetchLimits(), allow_hosts=[host_port], gate=gate)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: fetcher.fetch(f"{base}/slow"), range(requests)))


def bench_cap(kind: str, where: str) -> tuple[int, int]:
    """Two worker processes × 6 threads against one host capped at 2: the most requests it saw at once."""
    site = LoopbackSite().start()
    try:
        site.route("/slow", Reply(200, {"Content-Type": "text/html"}, b"<html/>", delay=0.05))
        ctx = multiprocessing.get_context("fork")
        procs = [ctx.Process(target=_hammer, args=(site.base, site.host_port, kind, where, 40)) for _ in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(120)
        return site.max_in_flight, len(site.requests)
    finally:
        site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        poll = bench_polling(args.feeds, Path(tmp))
        memory = bench_memory()
        caps = {"file locks (embedded)": bench_cap("file", str(Path(tmp) / "gate-cap"))}
        redis_url = os.environ.get("AKHBAR_BENCH_REDIS", "redis://127.0.0.1:6379/9")
        try:
            import redis

            client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
            client.ping()
            caps["redis semaphore (fleet)"] = bench_cap("redis", redis_url)
            for key in client.scan_iter("akhbar-bench:*"):
                client.delete(key)
        except Exception as exc:
            print(f"(redis gate skipped: {exc})")
    print(f"polling {args.feeds} loopback feeds twice (8 threads, per-host cap 2; "
          f"{poll['first_bytes'] / args.feeds / 1024:.1f} KiB per feed response incl. headers):")
    print(f"  first poll   {poll['first_pps']:8.1f} polls/s   {poll['first_bytes'] / 1024:9.1f} KiB")
    print(f"  second poll  {poll['second_pps']:8.1f} polls/s   {poll['second_bytes'] / 1024:9.1f} KiB   "
          f"304s: {poll['share_304']:.0%}")
    print(f"worker memory: idle {memory['idle_mib']:.1f} MiB, peak after a 1 GiB gzip bomb and an endless body "
          f"{memory['peak_mib']:.1f} MiB ({' '.join(memory['stopped'])})")  # type: ignore[arg-type]
    for name, (worst, total) in caps.items():
        print(f"per-host cap 2, two worker processes × 6 threads, {name}: worst concurrency {worst} "
              f"over {total} requests")
    worst = max(w for w, _ in caps.values())
    print("\nfigure                         measured   target   ok")
    rows = [("second/first poll bytes", f"{poll['ratio']:.2%}", "≤ 5%", poll["ratio"] <= 0.05),
            ("peak memory over idle (MiB)", f"{memory['delta_mib']:.1f}", "≤ 100", memory["delta_mib"] <= 100),
            ("worst per-host concurrency", str(worst), "≤ 2", worst <= 2)]
    for name, measured, target, ok in rows:
        print(f"{name:30} {measured:>9}   {target:>6}   {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
