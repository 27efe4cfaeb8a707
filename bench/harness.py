"""What the pipeline benchmarks share: private Redis and PostgreSQL servers on spare loopback ports,
a loopback news site with a known truth (pages, feeds, syndicated copies, injected faults), and the
akhbar processes (scheduler, Celery workers) started as the deployment starts them.

Nothing here touches the machine's own Redis (6379) or PostgreSQL (5432).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape as e
from pathlib import Path
from urllib.parse import urlsplit

from console.supervisor import worker_command
from demo.loopback import Handler, LoopbackSite, Reply, tagged

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:g}s")


# --- servers -----------------------------------------------------------------------------------------

class RedisServer:
    """A redis-server without persistence: a restart comes back empty, like a wiped broker."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.dir = workdir / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # no shutdown save: whatever it held is gone
            self.proc.wait()

    def restart_wiped(self) -> None:
        self.stop()
        self.start()


class PostgresServer:
    """A throw-away cluster run by the postgres OS user (PostgreSQL refuses root), socket in its own dir."""

    def __init__(self, *, fsync: bool = False, max_connections: int = 300) -> None:
        self.port = free_port()
        self.max_connections = max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="akhbar-bench-pg-"))
        self.data = self.dir / "data"
        self.fsync = fsync
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/akhbar"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> PostgresServer:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        self.start()
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE akhbar")
        return self

    def start(self) -> None:
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                f"-c max_connections={self.max_connections} "
                f"-c shared_buffers=256MB -c fsync={'on' if self.fsync else 'off'} -c synchronous_commit=off "
                "-c full_page_writes=off")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w", "-o", opts,
                  "start")

    def fill_connections(self, *, evict: bool = False) -> list:  # type: ignore[type-arg]
        """Open connections until the server says "too many clients" (reserved superuser slots too, as the
        postgres user takes those), so every new connection is refused until release_connections().
        evict: also end every other client's connection, so pooled ones must reconnect and are refused."""
        import psycopg

        held: list = []  # type: ignore[type-arg]
        for _ in range(20):  # evicted clients race us for the freed slots; a few rounds win them all
            before = len(held)
            while len(held) < self.max_connections + 10:
                try:
                    held.append(psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                                                autocommit=True, connect_timeout=5))
                except psycopg.OperationalError as exc:
                    if "too many clients" in str(exc) or "remaining connection slots" in str(exc):
                        break
                    raise
            if not evict or not held:
                return held
            ours = [conn.info.backend_pid for conn in held]
            ended = held[0].execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                    "backend_type = 'client backend' AND pid <> ALL(%s)", (ours,)).fetchone()
            if not (ended and ended[0]) and len(held) == before:
                return held  # nobody else left and no slot freed since the last round
            time.sleep(0.05)  # let the ended backends exit, so their slots can be taken
        return held

    @staticmethod
    def release_connections(held: list) -> None:  # type: ignore[type-arg]
        for conn in held:
            try:
                conn.close()
            except Exception:  # already gone; closing the rest matters more
                pass

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the news site -----------------------------------------------------------------------------------

WORDS = ("المدينة", "الحكومة", "المحافظ", "الوزارة", "المشروع", "الميناء", "المدرسة", "المستشفى", "الطريق",
         "السوق", "الجامعة", "المهرجان", "المكتبة", "الحديقة", "المطار", "القطار", "النهر", "البحر", "الجسر",
         "الملعب", "المصنع", "المزرعة", "الشركة", "البلدية", "المجلس", "اللجنة", "الشباب", "الأطفال",
         "الصيادين", "المزارعين", "العمال", "الطلاب", "الأطباء", "المعلمين", "السكان", "الزوار", "التجار")
VERBS = ["افتتح", "أعلن", "قرر", "بدأ", "أكد", "أوضح", "أشار", "دعا", "أطلق", "استقبل", "ناقش", "وقع"]
NUMBERS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"]


def _sentence(rng: random.Random, n: int) -> str:
    w = rng.sample(WORDS, 6)
    return (f"{rng.choice(VERBS)} {w[0]} في {w[1]} اليوم خطة جديدة تخص {w[2]} و{w[3]}، وقال مسؤول إن "
            f"{w[4]} سيستفيد منها خلال {NUMBERS[n % 10]} أشهر بعد التنسيق مع {w[5]} في العدد {n}.")


@dataclass
class Page:
    n: int
    feed: int                      # the feed that carries it first
    extra: list[tuple[int, str]]   # (another feed, the URL path+query it uses there)
    release: float = 0.0           # seconds after the site's start when it appears in its feeds


@dataclass
class NewsSite:
    """`/p/<n>` pages in `/feed/<k>.xml` RSS feeds; some pages are syndicated in a second feed under a
    tracking-parameter URL or under `/s/<n>?from=<k>`, a copy whose page names `/p/<n>` canonical.
    A share of requests (robots.txt excepted) gets a 500, a reset connection or a truncated body."""

    pages: int = 2000
    feeds: int = 50
    fault_rate: float = 0.0
    seed: int = 7
    spread: float = 0.0            # pages appear in their feeds evenly over this many seconds
    all_pages: list[Page] = field(default_factory=list)
    faults: int = 0
    requests: int = 0
    started: float = 0.0

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        for n in range(self.pages):
            feed = n % self.feeds
            extra: list[tuple[int, str]] = []
            roll = rng.random()
            other = (feed + 1 + rng.randrange(self.feeds - 1)) % self.feeds
            if roll < 0.10:
                extra.append((other, f"/p/{n}?utm_source=feed{other}&utm_medium=rss"))
            elif roll < 0.20:
                extra.append((other, f"/s/{n}?from=feed{other}"))
            elif roll < 0.25:
                extra.append((other, f"/s/{n}?from=feed{other}"))
                extra.append(((other + 1) % self.feeds, f"/p/{n}?fbclid=x{n}"))
            release = self.spread * n / max(1, self.pages)
            self.all_pages.append(Page(n, feed, extra, release))
        self.by_feed: dict[int, list[tuple[Page, str]]] = {k: [] for k in range(self.feeds)}
        for page in self.all_pages:
            self.by_feed[page.feed].append((page, f"/p/{page.n}"))
            for k, path in page.extra:
                self.by_feed[k].append((page, path))
        self._rng = random.Random(self.seed + 1)
        self._lock = threading.Lock()
        self.released_at: dict[int, datetime] = {}

    # rendering ---------------------------------------------------------------------------------------

    def page_html(self, n: int, base: str) -> str:
        rng = random.Random(n * 7919 + self.seed)
        title = f"{rng.choice(VERBS)} {rng.choice(WORDS)} خطة {rng.choice(WORDS)} رقم {n} في {rng.choice(WORDS)}"
        paras = "".join(f"<p>{e(_sentence(rng, n + i))} {e(_sentence(rng, n * 3 + i))}</p>" for i in range(5))
        when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
        return ('<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
                f'<title>{e(title)} - أخبار الاختبار</title><link rel="canonical" href="{base}/p/{n}">'
                f'<meta property="og:title" content="{e(title)}">'
                f'<meta property="article:published_time" content="{when.isoformat()}"></head><body>'
                '<header><a href="/">الرئيسية</a></header><main><article>'
                f'<h1>{e(title)}</h1><div class="byline">كتب: محرر الاختبار</div>'
                f'<div class="story-body">{paras}</div></article></main>'
                '<footer>جميع الحقوق محفوظة</footer></body></html>')

    def feed_xml(self, k: int, base: str, now: float) -> str:
        items = []
        for page, path in self.by_feed[k]:
            if page.release > now:
                continue
            when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=page.n)
            items.append(f"<item><title>خبر {page.n}</title><link>{e(base + path)}</link>"
                         f"<guid>{e(base + path)}</guid><pubDate>{format_datetime(when)}</pubDate></item>")
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>feed {k}</title><link>{base}/</link><description>x</description>"
                + "".join(reversed(items)) + "</channel></rss>")

    def released(self, now: float | None = None) -> int:
        now = (time.monotonic() - self.started) if now is None else now
        return sum(1 for p in self.all_pages if p.release <= now)

    def release_time(self, n: int) -> datetime:
        """When page n appeared in its feed (wall clock, UTC)."""
        return self.start_wall + timedelta(seconds=self.all_pages[n].release)

    @staticmethod
    def truth_of(url: str) -> int | None:
        """The site page a stored URL belongs to."""
        path = urlsplit(url).path
        for prefix in ("/p/", "/s/"):
            if path.startswith(prefix) and path[len(prefix):].isdigit():
                return int(path[len(prefix):])
        return None

    # serving -----------------------------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[NewsSite]:
        """On the loopback server, HTTP/1.1 (kept-alive connections, as a real site's)."""
        self.site = LoopbackSite({"*": self.answer}, protocol="HTTP/1.1")
        self.started = time.monotonic()
        self.start_wall = datetime.now(UTC)
        self.site.start()
        try:
            yield self
        finally:
            self.site.stop()

    def answer(self, handler: Handler) -> Reply:
        path = urlsplit(handler.path).path
        body, ctype = self.render(path)
        if body is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        data = body.encode("utf-8")
        if path != "/robots.txt" and self.fault():
            return self._fault(data, ctype)
        return tagged(handler, data, {"Content-Type": ctype})

    def _fault(self, data: bytes, ctype: str) -> Reply:
        kind = self._rng.choice(("500", "reset", "truncated"))
        if kind == "500":
            return Reply(500, {"Content-Type": "text/plain"}, b"internal error")
        if kind == "truncated":  # headers promise the whole body, half arrives, then a reset
            return Reply(200, {"Content-Type": ctype, "Content-Length": str(len(data))}, data[: len(data) // 2],
                         reset=True)
        return Reply(0, reset=True)

    def fault(self) -> bool:
        with self._lock:
            self.requests += 1
            if self.fault_rate and self._rng.random() < self.fault_rate:
                self.faults += 1
                return True
        return False

    @property
    def base(self) -> str:
        return self.site.base

    @property
    def host_port(self) -> str:
        return self.site.host_port

    def render(self, path: str) -> tuple[str | None, str]:
        base = self.base
        if path == "/robots.txt":
            return "User-agent: *\nAllow: /\n", "text/plain"
        if path.startswith("/feed/") and path.endswith(".xml"):
            k = path[len("/feed/"):-len(".xml")]
            if k.isdigit() and int(k) < self.feeds:
                return self.feed_xml(int(k), base, time.monotonic() - self.started), "application/rss+xml"
        n = self.truth_of(path)
        if n is not None and n < self.pages and self.all_pages[n].release <= time.monotonic() - self.started:
            return self.page_html(n, base), "text/html; charset=utf-8"
        return None, ""

    def sources_yaml(self, interval: str = "20s", max_interval: str = "30s") -> str:
        lines = ["sources:"]
        for k in range(self.feeds):
            lines += [f"  - name: feed-{k:02d}", f"    url: {self.base}/feed/{k}.xml", "    kind: feed",
                      f"    interval: {interval}", f"    max_interval: {max_interval}"]
        return "\n".join(lines) + "\n"


# --- akhbar processes --------------------------------------------------------------------------------

def akhbar_env(*, broker: str, store: str, sources: Path, allow: str, data_dir: Path,
               **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update({
        "AKHBAR_BROKER_URL": broker, "AKHBAR_STORE_URL": store, "AKHBAR_SOURCES": str(sources),
        "AKHBAR_ALLOW_HOSTS": allow, "AKHBAR_DATA_DIR": str(data_dir), "AKHBAR_LOG_JSON": "true",
        "AKHBAR_LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT),
    })
    env.update({f"AKHBAR_{k.upper()}": str(v) for k, v in overrides.items()})
    return env


def worker_cmd(name: str, concurrency: int = 1, loglevel: str = "WARNING") -> list[str]:
    """The benchmarks' worker: every queue, and no heartbeat events (a SIGKILLed worker leaves none behind)."""
    return worker_command("manual,feeds,pages", concurrency, name, loglevel, heartbeat=False)


class Proc:
    """One service process in its own session (so a kill takes its pool children too), logging to a file."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.cmd, self.env = name, cmd, env
        self.log = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Proc:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        out.close()
        return self

    def children(self) -> list[int]:
        if not self.proc:
            return []
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def kill_group(self) -> None:
        """SIGKILL the process and its pool children at once (a machine or container dying)."""
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def stop(self, timeout: float = 20.0) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()
        except ProcessLookupError:
            pass


def prepare_store(env: dict[str, str]) -> None:
    """Migrate and load the sources once, before any service races to."""
    code = ("from config.settings import get_settings; from config.sources import load_sources;"
            "from workers.adapters.store import Store; s = get_settings();"
            "st = Store.from_url(s.sqlalchemy_store_url); st.migrate(); st.sync_sources(load_sources(s.sources))")
    subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, check=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
