"""Shared fixtures: stores on SQLite and real PostgreSQL, real Redis, the demo site, the shared corpus."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PG_BASE = os.environ.get("AKHBAR_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("AKHBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def in_ci() -> bool:
    """CI=true (as CI services set it): every server a test needs must be there."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_server(message: str) -> NoReturn:
    """A server (Redis, PostgreSQL) or Chromium a test needs is not there: a failure under CI, a skip on a
    developer's machine. The one place that decides it, for every test."""
    if in_ci():
        pytest.fail(f"{message}; CI=true, so this fails instead of skipping", pytrace=False)
    pytest.skip(message)


def needs_redis() -> None:
    if not _port_open("127.0.0.1", 6379):
        missing_server("Redis is not running on 127.0.0.1:6379 (tests/services.sh starts it when installed)")


def needs_postgres() -> None:
    if not _port_open("127.0.0.1", 5432):
        missing_server("PostgreSQL is not running on 127.0.0.1:5432 (tests/services.sh starts it when installed)")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not here (a fresh clone has none)")
    return CORPUS


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'akhbar.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    needs_postgres()
    import psycopg

    schema = f"akhbar_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A migrated Store on each backend."""
    from config.settings import Settings
    from workers.adapters.store import Store

    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store.from_url(Settings(store_url=url).sqlalchemy_store_url)
    store.migrate()
    yield store
    store.engine.dispose()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of its own (numbered 10-14 by worker), flushed before and after."""
    needs_redis()
    import redis

    db = 10 + (os.getpid() % 5)
    url = f"{REDIS_BASE}/{db}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def demo_site():  # type: ignore[no-untyped-def]
    from demo.site import DemoSite

    site = DemoSite().start()
    yield site
    site.stop()


@pytest.fixture
def akhbar_env(tmp_path: Path, demo_site) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Environment for running `akhbar` in a subprocess against the demo site, embedded mode."""
    from demo.site import sources_yaml

    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_yaml(demo_site.base), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update({
        "AKHBAR_SOURCES": str(sources),
        "AKHBAR_STORE_URL": f"sqlite:///{tmp_path / 'akhbar.db'}",
        "AKHBAR_DATA_DIR": str(tmp_path / "data"),
        "AKHBAR_ALLOW_HOSTS": demo_site.host_port,
        "AKHBAR_LOG_LEVEL": "WARNING",
    })
    return env


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    """A loopback HTTP server whose routes a test sets, with a request log and an in-flight counter."""
    from tests.loopback import LoopbackSite

    server = LoopbackSite().start()
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright (every dashboard page has a browser test)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing_server("Debian's chromium is not installed (tests/services.sh installs it as root)")
    try:
        from playwright import sync_api
    except ImportError:
        missing_server("playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Test tiers. Every test gets exactly one of unit / integration / browser, decided here from what it runs, so a new
# test lands in the right tier without a hand-written marker: `make test-unit` runs `-m unit` (in-process, seconds),
# `make test` runs the rest after it. A test is integration when it, a helper of tests/ it calls, or one of its
# fixtures names a server or process starter below, uses a server fixture, is parametrised onto a server, or lives
# under tests/integration/; browser when it uses the `browser` fixture. An explicit marker wins.
SERVER_FIXTURES = {"pg_url", "redis_url"}
SERVER_PARAMS = {"redis", "postgres", "postgresql"}
STARTERS = {
    "subprocess", "multiprocessing", "Popen", "ProcessPoolExecutor",  # the CLI, worker processes
    "needs_redis", "needs_postgres",  # a real server, asked for in the body
    "LoopbackSite", "DemoSite", "api_server", "uvicorn",  # an HTTP server on a loopback port
}
# In-process, but seconds each, so they run with the long tier: hypothesis at 300 cases a target (bench/fuzz.py
# runs 10,000), and the file-backed SQLite duplicate index over every shared and project pair.
LONG = ("tests/core/test_fuzz.py::",
        "tests/adapters/test_dedupe_backends.py::test_backends_decide_as_the_core_on_the_shared_pairs[sqlite]",
        "tests/adapters/test_dedupe_backends.py::test_backends_decide_as_the_core_on_the_project_pairs[sqlite]")


def _reaches_starter(func: object, seen: set[int]) -> bool:
    """Does func's code, or that of a tests/ function it names, name a server or process starter?"""
    code = getattr(func, "__code__", None)
    if code is None or id(code) in seen:
        return False
    seen.add(id(code))
    names: set[str] = set()
    stack = [code]
    while stack:  # nested functions and comprehensions are constants of their parent's code
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(c for c in current.co_consts if hasattr(c, "co_names"))
    if names & STARTERS:
        return True
    module_globals = getattr(func, "__globals__", {})
    for name in names:
        helper = module_globals.get(name)
        if callable(helper) and getattr(helper, "__module__", "").startswith("tests") \
                and _reaches_starter(getattr(helper, "__wrapped__", helper), seen):
            return True
    return False


def _tier(item: pytest.Item) -> str:
    fixturenames = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("browser") or "browser" in fixturenames:
        return "browser"
    if item.get_closest_marker("integration") or item.nodeid.startswith(("tests/integration/", *LONG)) \
            or SERVER_FIXTURES & fixturenames:
        return "integration"
    callspec = getattr(item, "callspec", None)
    if callspec and SERVER_PARAMS & {v for v in callspec.params.values() if isinstance(v, str)}:
        return "integration"
    seen: set[int] = set()
    if _reaches_starter(getattr(item, "function", None), seen):
        return "integration"
    info = getattr(item, "_fixtureinfo", None)
    for name in fixturenames:
        definitions = info.name2fixturedefs.get(name) if info else None
        # a parametrised fixture (backends: memory, sqlite, redis…) is judged by the parameter, above
        if definitions and definitions[-1].params is None and _reaches_starter(definitions[-1].func, seen):
            return "integration"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tier = _tier(item)
        if not item.get_closest_marker(tier):
            item.add_marker(getattr(pytest.mark, tier))
