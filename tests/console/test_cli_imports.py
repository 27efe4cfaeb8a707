"""The `akhbar` command starts light: importing it, and running a store command on a store already at HEAD,
loads none of the heavy libraries the other commands need (issue 15, item 5: every command within 300 ms).

Structural, not timed: a test fails when someone adds a top-level import of one of these to a module the
command line loads at start (bench/cli_start.py has the timings).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# what a command imports only when it needs it: the worker and broker stack, the API server, the fetcher
# and the extractor, the semantic model, the dedupe core (numpy), migrations
NEVER_AT_IMPORT = ("sqlalchemy", "alembic", "celery", "kombu", "redis", "fastapi", "starlette", "uvicorn",
                   "lxml", "httpx", "feedparser", "dateparser", "numpy", "xxhash", "sentence_transformers",
                   "torch", "pydantic", "yaml", "mako")
# a store command needs SQLAlchemy, never Alembic (the store is at HEAD) nor the rest; nor pydantic, which
# the settings reader and typer below 0.29 do without (each cost some 200 ms a command)
NEVER_FOR_STORE_COMMANDS = tuple(m for m in NEVER_AT_IMPORT if m not in ("sqlalchemy", "yaml"))

_PROBE = """
import json, sys
{run}
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({names!r}))
with open({out!r}, 'w') as f:
    json.dump(loaded, f)
"""


def _loaded_after(run: str, names: tuple[str, ...], tmp_path: Path, env: dict[str, str] | None = None) -> list[str]:
    out = tmp_path / "loaded.json"
    probe = _PROBE.format(run=run, names=names, out=str(out))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env or dict(os.environ),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: list[str] = json.loads(out.read_text())
    return loaded


def test_importing_the_command_line_loads_no_heavy_library(tmp_path: Path) -> None:
    assert _loaded_after("import console.cli", NEVER_AT_IMPORT, tmp_path) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    # the check above can fail: the same probe reports a library the code did import
    assert _loaded_after("import console.cli, numpy", NEVER_AT_IMPORT, tmp_path) == ["numpy"]


def _command(argv: list[str]) -> str:
    return (f"import sys, console.cli\nsys.argv = ['akhbar', *{argv!r}]\n"
            "try:\n    console.cli.main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n")


@pytest.fixture(scope="module")
def store_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An embedded store at HEAD; the first command creates and migrates it (Alembic is loaded then, and must be)."""
    work = tmp_path_factory.mktemp("cli-imports")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update(AKHBAR_STORE_URL=f"sqlite:///{work}/akhbar.db", AKHBAR_DATA_DIR=str(work),
               AKHBAR_SOURCES=str(work / "none.yaml"))
    assert _loaded_after(_command(["status", "--json"]), ("alembic",), work, env) == ["alembic"]
    return env


@pytest.mark.parametrize("argv", [["status", "--json"], ["status"], ["articles"], ["articles", "--format", "clusters"],
                                  ["articles", "--format", "jsonl", "--q", "الحكومة"], ["sources", "list"],
                                  ["failures", "list"], ["events"]], ids=" ".join)
def test_a_store_command_on_a_store_at_head_loads_no_migration_or_service_stack(
        argv: list[str], store_env: dict[str, str], tmp_path: Path) -> None:
    assert _loaded_after(_command(argv), NEVER_FOR_STORE_COMMANDS, tmp_path, store_env) == []


_RICH_PROBE = """
import json, sys
{run}
with open({out!r}, 'w') as f:
    json.dump(sorted(m for m in ('rich.console', 'rich.table') if m in sys.modules), f)
"""


def _rich_loaded(argv: list[str], tmp_path: Path, env: dict[str, str]) -> list[str]:
    out = tmp_path / "rich.json"
    probe = _RICH_PROBE.format(run=_command(argv), out=str(out))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: list[str] = json.loads(out.read_text())
    return loaded


@pytest.mark.parametrize("argv", [["--version"], ["status", "--json"], ["sources", "list", "--json"]], ids=" ".join)
def test_output_that_is_not_a_table_never_loads_rich_s_console(argv: list[str], store_env: dict[str, str],
                                                                tmp_path: Path) -> None:
    assert _rich_loaded(argv, tmp_path, store_env) == []


def test_a_table_does_load_it(store_env: dict[str, str], tmp_path: Path) -> None:
    # the check above can fail: the same probe sees rich's console where a table is printed
    assert _rich_loaded(["status"], tmp_path, store_env) == ["rich.console", "rich.table"]
