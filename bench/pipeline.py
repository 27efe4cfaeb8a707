"""What the queueing costs: the same pages through (a) two plain processes calling services.ingest_page and
(b) the real deployment — scheduler, Celery on Redis, PostgreSQL, two workers of one pool process each.

Both runs use the same loopback site (no faults), one PostgreSQL cluster (a database each) and one Redis
(a database each). (a) times the two processes from a common start signal to the last page; (b) from
the moment every feed falls due to the last article row, so worker start-up is outside both. Then (c)
trickles 200 new pages into the feeds at 5 a second and times each from its appearance in its feed to
its row in the store (feeds are polled every 10 s).

Usage: .venv/bin/python bench/pipeline.py [--pages 2000] [--trickle 200]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    PYTHON,
    NewsSite,
    PostgresServer,
    Proc,
    RedisServer,
    akhbar_env,
    percentile,
    prepare_store,
    worker_cmd,
)

SETTINGS = {"scheduler_tick": "0.5", "job_stale_after": "600", "log_level": "WARNING",
            "per_host_concurrency": "8", "max_interval": "10"}


def plain_process(env: dict[str, str], jobs: list[tuple[str, str]], go, done) -> None:  # type: ignore[no-untyped-def]
    """(a): build the runtime, wait for the common start, ingest each page directly."""
    os.environ.update(env)
    from config.settings import reset_settings
    from workers import services
    from workers.runtime import get_runtime, reset_runtime

    reset_settings()
    reset_runtime()
    rt = get_runtime()
    rt.store.get_source(jobs[0][1])  # connections up before the clock starts, as a running worker's are
    rt.fetcher  # noqa: B018
    rt.dedupe  # noqa: B018
    go.wait()
    failed = 0
    for url, source in jobs:
        try:
            services.ingest_page(rt, url, source)
        except Exception:
            failed += 1
    done.put((time.time(), failed))


def run_plain(site: NewsSite, env: dict[str, str], pages: int) -> float:
    jobs = [(f"{site.base}/p/{n}", f"feed-{n % site.feeds:02d}") for n in range(pages)]
    ctx = mp.get_context("spawn")
    go, done = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=plain_process, args=(env, jobs[i::2], go, done)) for i in range(2)]
    for p in procs:
        p.start()
    time.sleep(4)  # imports and connections
    started = time.time()
    go.set()
    results = [done.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    failed = sum(f for _, f in results)
    if failed:
        print(f"  (a) {failed} page(s) failed")
    return max(t for t, _ in results) - started


def stored_at(url: str) -> dict[int, datetime]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT canonical_url, stored_at FROM articles").fetchall()
    return {n: at for u, at in rows if (n := NewsSite.truth_of(u)) is not None}


def run_pipeline(site: NewsSite, env: dict[str, str], store_url: str, logs: Path, pages: int,
                 trickle: int) -> tuple[float, list[float], list[float]]:
    import psycopg

    with psycopg.connect(store_url, autocommit=True) as conn:  # nothing due until the clock starts
        conn.execute("UPDATE sources SET next_due_at = now() + interval '1 day'")
    workers = [Proc(f"pipeline-worker-{i}", worker_cmd(f"bench{i}", 1), env, logs).start() for i in (1, 2)]
    scheduler = Proc("pipeline-scheduler", [PYTHON, "-m", "console", "scheduler"], env, logs).start()
    try:
        deadline = time.monotonic() + 60
        while True:  # the scheduler holds its lease and both workers answer a ping
            with psycopg.connect(store_url) as conn:
                held = conn.execute("SELECT count(*) FROM locks WHERE name = 'scheduler'").fetchone()[0]
            if held and _workers_ready(env, 2):
                break
            assert time.monotonic() < deadline, "services did not come up"
            time.sleep(0.5)
        started = datetime.now(UTC)
        with psycopg.connect(store_url, autocommit=True) as conn:
            conn.execute("UPDATE sources SET next_due_at = now()")
        while len(done := stored_at(store_url)) < pages:
            time.sleep(0.5)
        elapsed = (max(done.values()) - started).total_seconds()
        backlog_latency = [(at - started).total_seconds() for at in done.values()]
        # (c) new pages trickle into the feeds; time each from its appearance to its row
        now = time.monotonic() - site.started
        for k, page in enumerate(site.all_pages[pages:pages + trickle]):
            page.release = now + 1 + k / 5
        while len(done := stored_at(store_url)) < pages + trickle:
            time.sleep(0.5)
        latencies = [(done[p.n] - site.release_time(p.n)).total_seconds()
                     for p in site.all_pages[pages:pages + trickle]]
        return elapsed, backlog_latency, latencies
    finally:
        scheduler.stop()
        for w in workers:
            w.stop()


def _workers_ready(env: dict[str, str], n: int) -> bool:
    import subprocess

    code = ("from workers.app import app; r = app.control.ping(timeout=1.0) or []; print(len(r))")
    out = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, timeout=30).stdout.strip()
    return out.isdigit() and int(out) >= n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--trickle", type=int, default=200)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="akhbar-pipeline-"))
    (work / "logs").mkdir()
    redis_server = RedisServer(work).start()
    pg = PostgresServer().init()
    site = NewsSite(pages=args.pages + args.trickle, feeds=50, fault_rate=0.0, spread=0.0)
    for page in site.all_pages[args.pages:]:
        page.release = float("inf")  # not in any feed until (c)
    try:
        with site.serve():
            import psycopg

            with psycopg.connect(pg.url.replace("/akhbar", "/postgres"), autocommit=True) as conn:
                conn.execute("CREATE DATABASE akhbar_plain")
            sources = work / "sources.yaml"
            sources.write_text(site.sources_yaml(interval="10s", max_interval="10s"), encoding="utf-8")
            plain_url = pg.url.replace("/akhbar", "/akhbar_plain")
            common = {"sources": sources, "allow": site.host_port, "data_dir": work / "data"}
            env_a = akhbar_env(broker=redis_server.url.replace("/0", "/1"), store=plain_url, **common, **SETTINGS)
            env_b = akhbar_env(broker=redis_server.url, store=pg.url, **common, **SETTINGS)
            prepare_store(env_a)
            prepare_store(env_b)
            print(f"pipeline: {args.pages} pages, 50 feeds; PostgreSQL :{pg.port} (fsync off), "
                  f"Redis :{redis_server.port}",
                  flush=True)
            a = run_plain(site, env_a, args.pages)
            print(f"(a) two plain processes:   {args.pages / a:7.1f} articles/s  ({a:.1f}s)", flush=True)
            b, backlog, trickle = run_pipeline(site, env_b, pg.url, work / "logs", args.pages, args.trickle)
            print(f"(b) Celery pipeline:       {args.pages / b:7.1f} articles/s  ({b:.1f}s; scheduler + 2 workers "
                  "-c 1, feeds polled, ledger, heartbeats)")
            print(f"ratio b/a                  {a / b:7.2f}")
            print(f"(b) backlog, due → stored: median {percentile(backlog, 0.5):.1f}s, "
                  f"p95 {percentile(backlog, 0.95):.1f}s (all {args.pages} in the feeds at once)")
            print(f"(c) {args.trickle} new pages at 5/s, in feed → stored: median {percentile(trickle, 0.5):.1f}s, "
                  f"p95 {percentile(trickle, 0.95):.1f}s (feeds polled every 10 s)")
        return 0
    finally:
        redis_server.stop()
        pg.destroy()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
