"""Chaos run: a loopback news site ingested by the real deployment while things go wrong on purpose.

Starts its own Redis and PostgreSQL on spare ports, a news site (50 feeds linking 2,000 pages, some
syndicated under other URLs), the scheduler and two Celery workers. While they ingest, it SIGKILLs a
random worker process ten times (the pool child, or the whole worker, restarted), restarts Redis once
with its data wiped, stops PostgreSQL for 20 s, fills Redis up (maxmemory, noeviction: every write refused)
for 20 s, takes every PostgreSQL connection slot (clients evicted, new ones refused "too many clients") for
20 s, and the site answers 5 % of requests with a 500, a reset or a truncated body. Then it compares the
store with the site's truth. --quick (CI) runs the two exhaustion faults for 5 s each: the code paths they
exercise (kombu under a full Redis, reconnecting into a full PostgreSQL) crash or pass within seconds.

Usage: .venv/bin/python bench/chaos.py [--quick] [--seed N] [--keep]
Exit status 1 when a page is missing or stored twice.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from bench.harness import (
    PYTHON,
    NewsSite,
    PostgresServer,
    Proc,
    RedisServer,
    akhbar_env,
    prepare_store,
    worker_cmd,
)

SETTINGS = {  # short everything, so healing shows within a few minutes
    "scheduler_tick": "1", "job_stale_after": "45", "max_retries": "3", "retry_backoff_max": "4",
    "task_soft_time_limit": "20", "task_hard_time_limit": "25", "visibility_timeout": "60",
    "connect_timeout": "2", "read_timeout": "5", "total_timeout": "10", "max_interval": "30",
    "failed_retry_after": "20",  # a dead-lettered page is offered again by the next poll after this
    "per_host_concurrency": "8",  # a SIGKILLed worker's host slot stays leased until its lease runs out
}
PG_MAX_CONNECTIONS = 30  # few, so the bench can take every slot (the deployment needs about a dozen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="400 pages, 3 kills, an 8 s outage, 5 s of a full Redis and of a full PostgreSQL (CI)")
    ap.add_argument("--pages", type=int)
    ap.add_argument("--kills", type=int)
    ap.add_argument("--outage", type=float, help="seconds PostgreSQL stays down")
    ap.add_argument("--exhaustion", type=float,
                    help="seconds Redis stays full and PostgreSQL refuses connections (each)")
    ap.add_argument("--fault-rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-wait", type=float, default=300, help="seconds to wait for the last pages after the faults")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs) afterwards")
    args = ap.parse_args()
    pages = args.pages or (400 if args.quick else 2000)
    kills = args.kills if args.kills is not None else (3 if args.quick else 10)
    outage = args.outage if args.outage is not None else (8.0 if args.quick else 20.0)
    exhaustion = args.exhaustion if args.exhaustion is not None else (5.0 if args.quick else 20.0)
    spread = 30.0 if args.quick else 90.0  # pages appear in their feeds over this long
    rng = random.Random(args.seed)

    work = Path(tempfile.mkdtemp(prefix="akhbar-chaos-"))
    logs = work / "logs"
    logs.mkdir()
    redis_server = RedisServer(work).start()
    pg = PostgresServer(max_connections=PG_MAX_CONNECTIONS).init()
    site = NewsSite(pages=pages, feeds=50, fault_rate=args.fault_rate, seed=args.seed, spread=spread)
    procs: list[Proc] = []
    try:
        with site.serve():
            sources = work / "sources.yaml"
            sources.write_text(site.sources_yaml(), encoding="utf-8")
            env = akhbar_env(broker=redis_server.url, store=pg.url, sources=sources, allow=site.host_port,
                             data_dir=work / "data", **SETTINGS)
            prepare_store(env)
            scheduler = Proc("scheduler", [PYTHON, "-m", "console", "scheduler"], env, logs).start()
            workers = [Proc(f"worker-{i}", worker_cmd(f"chaos{i}", 1, "INFO"), env, logs).start() for i in (1, 2)]
            procs = [scheduler, *workers]
            print(f"chaos: {pages} pages in 50 feeds over {spread:.0f}s, fault rate {args.fault_rate:.0%}, "
                  f"{kills} kills, Redis wipe, PostgreSQL down {outage:g}s, Redis full {exhaustion:g}s, "
                  f"PostgreSQL out of connections {exhaustion:g}s; work dir {work}", flush=True)
            report = run(site, pg, redis_server, workers, scheduler, rng, kills=kills, outage=outage,
                         exhaustion=exhaustion, spread=spread, max_wait=args.max_wait)
            report["retries"] = count_retries(logs)
            print_report(report)
            return 1 if report["missing"] or report["stored_twice"] else 0
    finally:
        for proc in procs:
            proc.stop()
        redis_server.stop()
        pg.destroy()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def plan_faults(rng: random.Random, *, kills: int, spread: float) -> list[tuple[float, str]]:
    """Kills spread over the ingestion; the Redis faults and the PostgreSQL faults apart from each other. Redis
    fills up last, when the backlog the earlier faults left is being worked off, so it meets jobs in flight
    (fetching, writing the dedupe index, retrying) rather than idle workers between two polls."""
    window = spread + 20
    plan = [(rng.uniform(4, window), "kill") for _ in range(kills)]
    plan.append((window * 0.35, "redis"))
    plan.append((window * 0.6, "postgres"))
    plan.append((window * 0.8, "pg-clients"))
    plan.append((window * 1.1, "redis-full"))
    return sorted(plan)


def run(site: NewsSite, pg: PostgresServer, redis_server: RedisServer, workers: list[Proc], scheduler: Proc,
        rng: random.Random, *, kills: int, outage: float, exhaustion: float, spread: float,
        max_wait: float) -> dict:
    plan = plan_faults(rng, kills=kills, spread=spread)
    started = time.monotonic()
    last_fault_end: datetime | None = None
    done_kills = worker_restarts = crashes = 0
    stored: set[int] = set()
    complete_since: float | None = None
    while True:
        now = time.monotonic() - started
        while plan and plan[0][0] <= now:
            _, kind = plan.pop(0)
            if kind == "kill":
                victim = rng.choice(workers)
                children = victim.children()
                if children and rng.random() < 0.5:
                    import os
                    import signal

                    os.kill(rng.choice(children), signal.SIGKILL)
                    what = f"pool process of {victim.name}"
                else:
                    victim.kill_group()
                    victim.start()
                    worker_restarts += 1
                    what = f"{victim.name} and its pool"
                done_kills += 1
                log(now, f"SIGKILL {what} ({done_kills}/{kills})")
            elif kind == "redis":
                redis_server.restart_wiped()
                log(now, "Redis restarted with its data wiped")
            elif kind == "postgres":
                pg.stop("immediate")
                log(now, f"PostgreSQL stopped for {outage:g}s")
                time.sleep(outage)
                pg.start()
                log(time.monotonic() - started, "PostgreSQL back")
            elif kind == "redis-full":
                client = redis.Redis.from_url(redis_server.url)
                client.config_set("maxmemory-policy", "noeviction")
                client.config_set("maxmemory", 1)  # under any real usage: every allocating command refused
                log(now, f"Redis full (maxmemory, noeviction) for {exhaustion:g}s")
                time.sleep(exhaustion)
                client.config_set("maxmemory", 0)
                client.close()
                log(time.monotonic() - started, "Redis has room again")
            elif kind == "pg-clients":
                held = pg.fill_connections(evict=True)
                log(now, f"PostgreSQL out of connection slots for {exhaustion:g}s ({len(held)} held by the bench)")
                time.sleep(exhaustion)
                pg.release_connections(held)
                log(time.monotonic() - started, "PostgreSQL connection slots free again")
            last_fault_end = datetime.now(UTC)
        for proc in (*workers, scheduler):
            if proc.proc and proc.proc.poll() is not None:  # a crash we did not cause: note it, restart it
                log(now, f"{proc.name} exited by itself with {proc.proc.returncode}; restarting")
                crashes += 1
                proc.start()
        try:
            stored = stored_truth_ids(pg.url)
        except Exception as exc:  # the store being away during the outage
            log(now, f"store unreadable: {type(exc).__name__}")
        if not plan and len(stored) >= site.pages:
            complete_since = complete_since or time.monotonic()
            if time.monotonic() - complete_since > 10:  # wait a little for late duplicates to show
                break
        fault_done_at = None if plan else (last_fault_end or datetime.now(UTC))
        if fault_done_at and (datetime.now(UTC) - fault_done_at).total_seconds() > max_wait:
            log(now, "gave up waiting")
            break
        if int(now) % 10 == 0:
            log(now, f"stored {len(stored)}/{site.pages} pages (released {site.released()})", every=10)
        time.sleep(0.5)
    return compare(site, pg.url, last_fault_end, kills=done_kills, restarts=worker_restarts, crashes=crashes,
                   elapsed=time.monotonic() - started)


_last_log: dict[str, float] = {}


def log(t: float, message: str, every: float = 0) -> None:
    if every and time.monotonic() - _last_log.get("progress", 0) < every:
        return
    if every:
        _last_log["progress"] = time.monotonic()
    print(f"[{t:6.1f}s] {message}", flush=True)


def stored_truth_ids(url: str) -> set[int]:
    import psycopg

    with psycopg.connect(url, connect_timeout=2) as conn:
        rows = conn.execute("SELECT canonical_url FROM articles").fetchall()
    return {n for (u,) in rows if (n := NewsSite.truth_of(u)) is not None}


def compare(site: NewsSite, url: str, last_fault_end: datetime | None, **extra: object) -> dict:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        rows = conn.execute("SELECT id, url, canonical_url, stored_at FROM articles").fetchall()
        dead = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
        ledger = dict(conn.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall())
    per_page: Counter[int] = Counter()
    strays = []
    for _id, _page_url, canonical, _at in rows:
        n = NewsSite.truth_of(canonical)
        if n is None:
            strays.append(canonical)
        else:
            per_page[n] += 1
    missing = sorted(set(range(site.pages)) - set(per_page))
    twice = sorted(n for n, c in per_page.items() if c > 1)
    last_stored = max((r[3] for r in rows), default=None)
    after = (last_stored - last_fault_end).total_seconds() if last_stored and last_fault_end else None
    return {"expected": site.pages, "stored": len(per_page), "rows": len(rows), "missing": len(missing),
            "missing_ids": missing[:20], "stored_twice": len(twice), "twice_ids": twice[:20],
            "stray_rows": len(strays), "last_page_after_last_fault_s": after, "dead_letters": dead,
            "ledger": ledger, "site_requests": site.requests, "site_faults": site.faults, **extra}


def count_retries(logs: Path) -> Counter[str]:
    """Retries the workers logged, by kind (transient: the site failed; outage: the store or Redis was away or
    full; released: a stalled job left to the job ledger instead of a retry)."""
    kinds: Counter[str] = Counter()
    for path in logs.glob("worker-*.log"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if '"result": "retry:' in line:
                kinds[line.split('"result": "retry:', 1)[1].split('"', 1)[0]] += 1
            elif '"result": "released:' in line:
                kinds["released"] += 1
    return kinds


def print_report(r: dict) -> None:
    after = r["last_page_after_last_fault_s"]
    print("\n== chaos result ==")
    print(f"pages expected                {r['expected']}")
    print(f"pages stored                  {r['stored']}  (rows {r['rows']}, stray rows {r['stray_rows']})")
    print(f"missing                       {r['missing']}  {r['missing_ids'] or ''}")
    print(f"stored twice                  {r['stored_twice']}  {r['twice_ids'] or ''}")
    print(f"last page stored after last fault  {after:.1f}s" if after is not None else
          "last page stored after last fault  n/a")
    retries = r["retries"]
    print(f"retries                       {sum(retries.values())}  "
          + " ".join(f"{k}={v}" for k, v in sorted(retries.items())))
    print(f"dead-letter records           {r['dead_letters']}")
    print(f"site requests / faults        {r['site_requests']} / {r['site_faults']}")
    print(f"worker kills / full restarts  {r['kills']} / {r['restarts']}")
    print(f"exits nobody caused           {r['crashes']}")
    print(f"ledger states                 {json.dumps(r['ledger'])}")
    print(f"elapsed                       {r['elapsed']:.0f}s")
    print("RESULT: " + ("OK — every page stored exactly once" if not (r["missing"] or r["stored_twice"])
                        else "FAIL"))


if __name__ == "__main__":
    sys.exit(main())
