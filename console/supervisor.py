"""`akhbar run`: the scheduler in this process and real Celery worker processes beside it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from config.settings import Settings, settings_env
from workers.names import FEEDS, MANUAL, PAGES
from workers.runtime import Runtime

# Celery warns once per worker process when it runs as root. The workers `akhbar run` and `akhbar demo` start
# are this process's own children: they run as whoever started it, on loopback or a developer's machine, and
# are JSON-only (Celery refuses root outright with pickle). Saying so four times in a demo helps nobody; a
# deployment runs workers as an ordinary user (the image's `akhbar`), and `akhbar worker` keeps the warning.
ROOT_WARNING_FILTER = "ignore:You're running the worker with superuser privileges"


def worker_command(queues: str, concurrency: int, name: str | None, loglevel: str = "WARNING", *,
                   quiet: bool = True, fair: bool = True, heartbeat: bool = True) -> list[str]:
    """The `celery worker` command line of every akhbar worker (`akhbar run`/`worker`/`demo`, the benchmarks,
    the tests): name None keeps Celery's default node name, quiet drops the banner, fair the prefetch order,
    heartbeat False the worker's heartbeat events."""
    node = ["-n", f"{name}@{socket.gethostname()}"] if name is not None else []
    return [sys.executable, "-m", "celery", *(["-q"] if quiet else []), "-A", "workers.app", "worker",
            "-Q", queues, "-c", str(concurrency), *node, "-l", loglevel, "--without-gossip", "--without-mingle",
            *([] if heartbeat else ["--without-heartbeat"]), *(["-O", "fair"] if fair else [])]


@dataclass
class WorkerFleet:
    """The worker processes `akhbar run` owns: a general pool, and one process that serves only the
    manual lane so an operator's re-fetch never waits behind a routine backlog. A worker that dies is
    started again (its unfinished job is redelivered or healed from the ledger)."""

    concurrency: int = 2
    loglevel: str = "WARNING"
    log_dir: Path | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    restarts: list[float] = field(default_factory=list)
    settings: Settings | None = None  # handed to the workers as their environment (None: this process's own)

    def start(self) -> None:
        prepare_broker()
        self.commands = [
            worker_command(f"{MANUAL},{FEEDS},{PAGES}", self.concurrency, f"akhbar-{os.getpid()}", self.loglevel),
            worker_command(MANUAL, 1, f"akhbar-manual-{os.getpid()}", self.loglevel),
        ]
        self.processes = [self._spawn(i) for i in range(len(self.commands))]

    def _spawn(self, index: int) -> subprocess.Popen:
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = (self.log_dir / f"worker-{index}.log").open("ab")
        env = {**os.environ, **settings_env(self.settings)} if self.settings is not None else dict(os.environ)
        if os.geteuid() == 0:
            env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), ROOT_WARNING_FILTER]))
        return subprocess.Popen(self.commands[index], env=env, stdout=out,
                                stderr=subprocess.STDOUT if out else None)

    def ensure_alive(self) -> None:
        """Restart exited workers; more than five restarts in a minute is a crash loop, so give up."""
        for index, process in enumerate(self.processes):
            if process.poll() is not None:
                now = time.monotonic()
                self.restarts = [t for t in self.restarts if now - t < 60] + [now]
                if len(self.restarts) > 5:
                    raise RuntimeError("worker processes keep exiting; see the worker logs"
                                       + (f" in {self.log_dir}" if self.log_dir else ""))
                print(f"worker {index} exited with {process.returncode}; starting it again", file=sys.stderr)
                self.processes[index] = self._spawn(index)

    def stop(self, timeout: float = 30.0) -> None:
        """Warm shutdown (running jobs finish), then cold if they take too long."""
        for p in self.processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for p in self.processes:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def prepare_broker() -> None:
    """Declare the queues once before workers start, so they don't race to create the embedded
    broker's tables."""
    from workers.app import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in app.amqp.queues.values():
            queue.bind(channel).declare()


def wait_drained(rt: Runtime, since: datetime, *, idle_requeue: float = 20.0, timeout: float = 3600.0,
                 progress: Callable[[int, int], None] | None = None, fleet: WorkerFleet | None = None) -> bool:
    """Block until the job ledger has nothing outstanding. Jobs that make no progress while no worker
    is busy (lost from a wiped broker, say) are sent again."""
    started = time.monotonic()
    last_change = time.monotonic()
    last_seen: tuple[int, int] | None = None
    total_seen = 0
    while time.monotonic() - started < timeout:
        counts = rt.ledger.counts()
        outstanding = sum(sum(v.values()) for v in counts.values())
        done = rt.ledger.done_since(since)
        total_seen = max(total_seen, outstanding + done)
        if progress:
            progress(done, total_seen)
        if outstanding == 0:
            return True
        if (outstanding, done) != last_seen:
            last_seen = (outstanding, done)
            last_change = time.monotonic()
        elif time.monotonic() - last_change > idle_requeue:
            busy = sum(w.active for w in rt.fleet.live_workers())
            if busy == 0:
                from workers.queueing import requeue_stale

                requeue_stale(rt, older_than=idle_requeue)
                last_change = time.monotonic()
        if fleet is not None:
            fleet.ensure_alive()
        time.sleep(0.5)
    return False


def run_forever(rt: Runtime, fleet: WorkerFleet) -> None:
    """Scheduler loop until Ctrl-C or SIGTERM; then a clean stop of every worker."""
    from scheduler.tick import run_scheduler

    stop = threading.Event()

    def _stop(*_: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    thread = threading.Thread(target=run_scheduler, args=(rt, stop), name="scheduler", daemon=True)
    thread.start()
    try:
        while not stop.is_set():
            fleet.ensure_alive()
            stop.wait(1.0)
    finally:
        stop.set()
        thread.join(timeout=10)
        fleet.stop()
