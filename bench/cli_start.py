"""Start-up time of `akhbar` commands: wall time of whole commands against a small embedded store.

Each command runs N times in a fresh process (the installed console script, .venv/bin/akhbar) against a
SQLite store migrated beforehand, so what is measured is what an operator waits for: interpreter start,
imports, settings, the at-HEAD migration check, the command's own work over an empty store. Printed: the
median and the fastest run in ms, and the median's ratio to `python -c pass` on the same interpreter.
The issue's target is every command within 300 ms.

Usage:
  .venv/bin/python bench/cli_start.py [--runs 15] [--store-url URL] [--tree DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
AKHBAR = ROOT / ".venv" / "bin" / "akhbar"
TREE = ROOT  # --tree: another checkout of akhbar (say `git archive` of an older commit) run by the same venv

COMMANDS = [
    ["--help"],
    ["--version"],
    ["status", "--json"],
    ["status"],
    ["articles"],
    ["articles", "--format", "clusters"],
    ["articles", "--format", "jsonl", "--q", "الحكومة"],
    ["sources", "list", "--json"],
    ["failures", "list"],
    ["events"],
    ["extract", "--help"],
]


def wall(argv: list[str], env: dict[str, str], runs: int, cpu: list[float] | None = None,
         cwd: Path | None = None) -> list[float]:
    """Wall ms of each run; the child's CPU ms (user + system) appended to cpu: on a busy machine the wall
    time includes waiting for a core, the CPU time does not."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd or TREE)
        samples.append((time.perf_counter() - started) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu is not None:
            cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        if done.returncode:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return samples


def work_env(work: str, store_url: str | None = None) -> dict[str, str]:
    """This environment without AKHBAR_* but a store (default: a new SQLite file) and empty sources in `work`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update(AKHBAR_DATA_DIR=work, AKHBAR_STORE_URL=store_url or f"sqlite:///{work}/akhbar.db",
               AKHBAR_SOURCES=str(Path(work) / "sources.yaml"), AKHBAR_LOG_LEVEL="WARNING")
    Path(work, "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="runs per command (the median is printed)")
    ap.add_argument("--store-url", help="store to run against (default: a new SQLite file, embedded mode)")
    ap.add_argument("--tree", type=Path, help="time `python -m console` in this source tree instead of "
                    "the installed command (to compare with another commit: git archive REV | tar -x -C DIR)")
    ap.add_argument("--against", type=Path, help="another source tree timed in the same run, runs alternating "
                    "with this one's (`python -m console` in both), medians side by side with their ratio")
    args = ap.parse_args()
    if args.against:
        return compare(args.against.resolve(), args.runs)
    global TREE
    akhbar = [str(AKHBAR)]
    if args.tree:
        TREE = args.tree.resolve()
        akhbar = [str(PYTHON), "-m", "console"]
    with tempfile.TemporaryDirectory(prefix="akhbar-cli-") as work:
        env = work_env(work, args.store_url)
        wall([*akhbar, "status", "--json"], env, 1)  # create and migrate the store once
        base = statistics.median(wall([str(PYTHON), "-c", "pass"], env, args.runs))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"akhbar start-up, {args.runs} runs each, {os.cpu_count()} cpus, load {load}; "
              f"`python -c pass` median {base:.0f} ms")
        print(f"| {'command':<44} | median ms | fastest ms | × pass | CPU ms (median) |")
        print(f"| {'---':<44} | ---: | ---: | ---: | ---: |")
        rows = [(["python", "-c", "import console.cli"], [str(PYTHON), "-c", "import console.cli"])]
        rows += [(["akhbar", *c], [*akhbar, *c]) for c in COMMANDS]
        for shown, argv in rows:
            cpu: list[float] = []
            samples = wall(argv, env, args.runs, cpu)
            median = statistics.median(samples)
            print(f"| {' '.join(shown):<44} | {median:9.0f} | {min(samples):10.0f} | {median / base:6.1f} "
                  f"| {statistics.median(cpu):15.0f} |", flush=True)
    return 0


def compare(other: Path, runs: int) -> int:
    """This tree against another, one run of each in turn, so a busy machine slows both alike."""
    akhbar = [str(PYTHON), "-m", "console"]
    with tempfile.TemporaryDirectory(prefix="akhbar-cli-") as work:
        env = work_env(work)
        wall([*akhbar, "status", "--json"], env, 1, cwd=other)  # the older schema first, then upgraded
        wall([*akhbar, "status", "--json"], env, 1, cwd=ROOT)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"akhbar start-up, this tree against {other}, {runs} alternating runs each, load {load}")
        print(f"| {'command':<44} | other ms | this ms | this / other |")
        print(f"| {'---':<44} | ---: | ---: | ---: |")
        for command in COMMANDS:
            mine: list[float] = []
            theirs: list[float] = []
            for _ in range(runs):
                theirs += wall([*akhbar, *command], env, 1, cwd=other)
                mine += wall([*akhbar, *command], env, 1, cwd=ROOT)
            a, b = statistics.median(theirs), statistics.median(mine)
            print(f"| {'akhbar ' + ' '.join(command):<44} | {a:8.0f} | {b:7.0f} | {b / a:12.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
