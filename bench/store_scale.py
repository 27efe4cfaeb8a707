"""The store at archive scale: API, CLI, publish, tick and dedupe timings over stores of N synthetic articles.

Fills a fresh store (SQLite file; PostgreSQL: its own database akhbar_scale_<n> on the test server) with N
realistic articles by bulk load straight into the store's tables (articles, article_urls, events; 500
sources): Arabic titles and 2-4 KB Arabic bodies from a fixed invented word list and a seeded RNG,
publication times over two years, a fifth of the articles in clusters of 2-4 (cluster_id = the first
stored member's id, duplicate_of = the earliest-published member's id, as Store.settle_head leaves them).
Then prints p50/p95 in ms of: Store.publish (new, unchanged), the API's reads through FastAPI's TestClient,
two whole CLI commands, the scheduler tick and the store-backed duplicate index; plus bytes stored per
article. Larger sizes get their ratio to the 10k figure of the same store kind.

Usage:
  .venv/bin/python bench/store_scale.py [--sizes sqlite:10000,pg:10000,pg:1000000] [--keep] [--repeat 20]
  .venv/bin/python bench/store_scale.py --fill N --store-url URL     # only fill (schema migrated first)
  .venv/bin/python bench/store_scale.py --prune URL [--batch-size 100]  # prune its older half, publishing
  .venv/bin/python bench/store_scale.py --explain URL   # the plans of the hot reads on a filled store
  .venv/bin/python bench/store_scale.py --publishes URL [--repeat 400]  # publish p50/p95/p99/max, blocks read
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_BASE = os.environ.get("AKHBAR_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SOURCES = 500
BATCH = 2000
T_END = datetime(2026, 11, 30, tzinfo=UTC)
T_START = T_END - timedelta(days=730)
COMMON_WORD = "الحكومة"  # in every fourth title and most bodies
RARE_WORDS = ["زمردي", "قنطرون", "سلحفيد", "برقوشة", "نخلاوي", "طرفيسان", "مرجاني", "كهرمون"]

# Invented for this bench: plain newsroom vocabulary, common words first (they are drawn more often).
_WORDS = (
    "قال أعلن أكد الرئيس الوزير الحكومة اليوم أمس مصدر مسؤول خلال بعد قبل عن في من إلى على مع "
    "المدينة البلاد العاصمة الشعب المجلس الوزراء الخارجية الداخلية الاقتصاد السوق الأسعار النفط الغاز "
    "الكهرباء المياه الزراعة الصناعة التجارة الاستثمار البنك المركزي الدولار الدينار الريال الجنيه "
    "التضخم الموازنة الضرائب الرواتب الموظفين العمال الطلاب المدارس الجامعة التعليم الصحة المستشفى "
    "الأطباء المرضى الدواء اللقاح الوباء الطقس الأمطار الحرارة الرياح العاصفة الفيضانات الجفاف "
    "الانتخابات البرلمان النواب الأحزاب المعارضة الدستور القانون المحكمة القاضي النيابة الشرطة الأمن "
    "الجيش الحدود السلام المفاوضات الاتفاق الهدنة القمة الزيارة الوفد السفير السفارة المنظمة الأمم "
    "المتحدة الاتحاد الأوروبي الجامعة العربية الخليج المغرب الجزائر تونس مصر الأردن لبنان سوريا العراق "
    "السعودية الإمارات قطر الكويت عمان البحرين اليمن ليبيا السودان فلسطين غزة القدس بيروت دمشق بغداد "
    "الرياض القاهرة الدوحة المنتخب الدوري النادي اللاعب المدرب المباراة البطولة الهدف الملعب الجمهور "
    "المعرض الكتاب الثقافة الفن المسرح السينما المهرجان الجائزة الشاعر الرواية التراث المتحف الآثار "
    "المطار الرحلات السياحة الفندق الميناء الطريق الجسر القطار الحافلات السيارات المرور الحادث "
    "مشروع خطة برنامج تقرير دراسة بيان مؤتمر اجتماع لقاء حوار قرار إجراءات تدابير إصلاحات مبادرة "
    "جديد كبير صغير أول أخير عدد نسبة ارتفاع انخفاض زيادة تراجع نمو استقرار أزمة تحديات فرص دعم "
    "تعاون شراكة تطوير تحسين توسيع إطلاق افتتاح تنفيذ متابعة تقييم مراجعة إعداد تقديم عرض بحث "
)
WORDS = _WORDS.split()


def _weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) ** 0.6 for rank in range(count)]


class Corpus:
    """Seeded Arabic text: titles of 7-11 words, bodies of sentences to 2-4 KB (UTF-8)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.cum = list(_cumulative(_weights(len(WORDS))))

    def words(self, k: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self.cum, k=k)

    def title(self) -> str:
        words = self.words(self.rng.randint(7, 11))
        if self.rng.random() < 0.25:
            words.insert(self.rng.randint(0, 2), COMMON_WORD)
        if self.rng.random() < 0.2:
            words.append(str(self.rng.randint(2, 5000)))
        return " ".join(words)

    def body(self) -> str:
        target = self.rng.randint(2048, 4096)
        rng = self.rng
        k = target // 9  # about 11 UTF-8 bytes a word with its space: a little over target
        start = rng.randrange(len(_stream()) - k)
        words = _stream()[start:start + k]  # a window of one long weighted draw: cheap, same word frequencies
        cut = 0
        while cut < len(words):
            cut += rng.randint(8, 18)
            if cut <= len(words):
                if rng.random() < 0.002:
                    words[cut - 1] += " " + rng.choice(RARE_WORDS)
                words[cut - 1] += "."
        text = " ".join(words)
        return text.encode("utf-8")[:target].decode("utf-8", "ignore").rsplit(" ", 1)[0] + "."


_STREAM: list[str] = []


def _stream() -> list[str]:
    if not _STREAM:
        _STREAM.extend(random.Random(12345).choices(WORDS, cum_weights=list(_cumulative(_weights(len(WORDS)))),
                                                    k=1_000_000))
    return _STREAM


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def source_rows(now: datetime) -> list[dict[str, Any]]:
    return [{"name": f"src-{i:03d}", "url": f"https://src{i:03d}.example/rss", "kind": "feed", "interval": 900,
             "origin": "runtime", "enabled": True, "state": "ok", "consecutive_failures": 0,
             "next_due_at": now + timedelta(seconds=60 + i * 7), "created_at": now - timedelta(days=730),
             "last_success_at": now - timedelta(minutes=i % 15), "last_polled_at": now - timedelta(minutes=i % 15)}
            for i in range(SOURCES)]


def _data(a: Any) -> dict[str, Any]:
    """Article.to_dict without dataclasses.asdict's deep copies (checked equal on each chunk's first rows)."""
    from workers.core.models import SCHEMA_VERSION

    return {"schema_version": SCHEMA_VERSION, "url": a.url, "canonical_url": a.canonical_url, "source": a.source,
            "title": a.title, "body": a.body, "site_name": a.site_name, "subtitle": None, "summary": None,
            "authors": list(a.authors), "tags": list(a.tags), "published_at": a.published_at.isoformat(),
            "updated_at": None, "fetched_at": a.fetched_at.isoformat(), "language": "ar", "original_source": None,
            "image": None, "related": [], "claimed_canonical_url": None, "content_hash": a.content_hash,
            "cluster_id": a.cluster_id, "duplicate_of": a.duplicate_of, "same_story": [], "revision": 1,
            "id": a.id}


def article_chunk(job: tuple[int, int, int]) -> list[tuple[dict[str, Any], str]]:
    """Articles start..start+count-1 as (articles row, url) pairs, from their own seed; a fifth of them in
    clusters of 2-4 (copies published up to six hours apart in other outlets, lightly edited)."""
    from workers.adapters.search_index import tsvector_text
    from workers.core.models import Article
    from workers.core.search_terms import document_terms

    start, count, seed = job
    corpus = Corpus(seed * 1_000_003 + start)
    rng = corpus.rng
    span = (T_END - T_START).total_seconds()
    clustered_goal = count // 5
    clustered = 0
    n = start
    out: list[tuple[dict[str, Any], str]] = []
    while n < start + count:
        size = 1
        left = start + count - n
        if clustered < clustered_goal and rng.random() < 0.25:
            size = max(1, min(rng.randint(2, 4), left, clustered_goal - clustered))
        base_at = T_START + timedelta(seconds=rng.random() * span)
        title, body = corpus.title(), corpus.body()
        members = []
        for m in range(size):
            src = rng.randrange(SOURCES)
            url = f"https://src{src:03d}.example/news/{n + m}-{hashlib.blake2s(str(n + m).encode()).hexdigest()[:8]}"
            published = base_at + timedelta(seconds=rng.randint(0, 6 * 3600)) if m else base_at
            member_body = body if m == 0 else body[:-rng.randint(5, 40)] + " " + " ".join(corpus.words(3)) + "."
            member_title = title if m == 0 or rng.random() < 0.5 else " ".join(title.split()[:-1])
            fetched = published + timedelta(seconds=rng.randint(30, 1800))
            members.append(Article(url=url, canonical_url=url, source=f"src-{src:03d}", title=member_title,
                                   body=member_body, site_name=f"src{src:03d}", published_at=published,
                                   fetched_at=fetched,
                                   authors=[" ".join(corpus.words(2))] if rng.random() < .5 else [],
                                   tags=corpus.words(rng.randint(0, 4)), language="ar"))
        if size > 1:
            # the store's rules: cluster_id is the first stored member's id, never changed; every member but
            # the earliest-published one (workers/core/clusters.py) points at it in duplicate_of
            first_stored = min(members, key=lambda a: (a.fetched_at, a.id))
            head = min(members, key=lambda a: (a.published_at, a.fetched_at, a.id))
            for a in members:
                a.cluster_id = first_stored.id
                a.duplicate_of = None if a is head else head.id
            clustered += size
        else:
            members[0].cluster_id = members[0].id
        for a in members:
            data = _data(a)
            if len(out) < 3:
                assert data == a.to_dict(), "Article.to_dict has changed: update _data"
            terms = document_terms(a.title, a.body)  # the search index's (SQLite: FTS5; PostgreSQL: tsvector)
            row = {"id": a.id, "url": a.url, "canonical_url": a.canonical_url, "source": a.source,
                   "title": a.title, "content_hash": a.content_hash, "cluster_id": a.cluster_id,
                   "duplicate_of": a.duplicate_of, "revision": 1, "published_at": a.published_at,
                   "fetched_at": a.fetched_at, "stored_at": a.fetched_at, "changed_at": a.fetched_at,
                   "search": tsvector_text(terms), "_terms": terms, "data": data}
            out.append((row, a.url))
        n += size
    return out


def article_rows(total: int, seed: int = 1) -> Iterator[list[tuple[dict[str, Any], str]]]:
    """Batches of BATCH articles, made on every core while the caller inserts the previous ones."""
    import multiprocessing

    jobs = [(start, min(BATCH, total - start), seed) for start in range(0, total, BATCH)]
    if len(jobs) < 4:
        yield from map(article_chunk, jobs)
        return
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        yield from pool.imap(article_chunk, jobs, chunksize=1)


def deep_cursor(store: Any) -> str:
    """The cursor a client paging by cursor holds about halfway down (untimed): the newest row stored before the
    middle of the archive's two years, found by one index seek. Stored times are spread evenly over them, so
    this is about N/2 rows deep; finding the row exactly N/2 deep by OFFSET read half the index (and, before a
    VACUUM, half the table at random: minutes at 10M)."""
    from sqlalchemy import select

    from workers.adapters import schema as t
    from workers.core.cursor import Cursor, encode

    a = t.articles.c
    middle = T_START + (T_END - T_START) / 2
    with store.engine.connect() as conn:
        at, article_id = conn.execute(select(a.stored_at, a.id).where(a.stored_at <= middle)
                                      .order_by(a.stored_at.desc(), a.id).limit(1)).one()
    return encode(Cursor("stored", at, article_id))


def fill(url: str, total: int, quiet: bool = False) -> float:
    """Migrate the store at url, then bulk-load 500 sources and `total` articles; returns seconds taken."""
    from sqlalchemy import insert

    from workers.adapters import schema as t
    from workers.adapters import search_index, summaries
    from workers.adapters.store import Store
    from workers.core.urls import url_key

    started = time.perf_counter()
    store = Store.from_url(url)
    store.migrate()
    if store.count_articles() or store.list_sources():
        raise SystemExit(f"{url}: the store already has articles or sources; fill an empty one")
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(insert(t.sources), source_rows(now))
    done = 0
    postgres = store.engine.dialect.name == "postgresql"
    copy = postgres and store.engine.dialect.driver == "psycopg"
    if postgres:  # the search index is built once after the load: far quicker than row by row
        with store.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP INDEX {search_index.PG_INDEX}")
    for batch in article_rows(total):
        terms = [(row["id"], row.pop("_terms")) for row, _ in batch]
        if not postgres:  # SQLite: the FTS5 table holds the terms, the row's search column stays NULL
            for row, _ in batch:
                row["search"] = None
        urls = [{"url_hash": url_key(u), "url": u, "article_id": row["id"]} for row, u in batch]
        events = [{"kind": "published", "article_id": row["id"], "revision": 1, "at": row["stored_at"]}
                  for row, _ in batch]
        with store.engine.begin() as conn:
            if copy:
                cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                for table, rows in ((t.articles, [row for row, _ in batch]), (t.article_urls, urls),
                                    (t.events, events)):
                    _copy(cursor, table, rows)
                cursor.close()
            else:
                conn.execute(insert(t.articles), [row for row, _ in batch])
                conn.execute(insert(t.article_urls), urls)
                conn.execute(insert(t.events), events)
            if not postgres:
                search_index.add_terms(conn, terms)
        done += len(batch)
        if not quiet and (done % 100_000 < len(batch)):
            print(f"  {done:>10,} articles  {time.perf_counter() - started:6.1f} s", file=sys.stderr, flush=True)
    with store.engine.begin() as conn:
        if postgres:
            conn.exec_driver_sql("SET maintenance_work_mem = '256MB'")
            conn.exec_driver_sql(search_index.pg_index_ddl(concurrently=False))
        summaries.backfill(conn)  # the read summaries, by migration 0007's own INSERT ... SELECT
        conn.exec_driver_sql("ANALYZE")
    store.engine.dispose()
    return time.perf_counter() - started


def _copy(cursor: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into table (psycopg 3); JSON columns as the store's engine writes them (schema.dumps_json)."""
    from sqlalchemy import JSON

    from workers.adapters.schema import dumps_json

    names = list(rows[0])
    is_json = [isinstance(table.c[n].type, JSON) for n in names]
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as out:
        for row in rows:
            out.write_row([dumps_json(row[n]) if j else row[n] for n, j in zip(names, is_json, strict=True)])


# --- measuring ---------------------------------------------------------------------------------------


def quantile(ordered: list[float], q: float) -> float:
    """The sample at quantile q of samples already sorted (nearest rank)."""
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pct(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), quantile(ordered, 0.95)


def new_article(corpus: Corpus, link: str) -> Any:
    """A new article of src-007 at link, heading its own cluster (as a first publish leaves it)."""
    from workers.core.models import Article

    now = datetime.now(UTC)
    article = Article(url=link, canonical_url=link, source="src-007", title=corpus.title(), body=corpus.body(),
                      published_at=now, fetched_at=now)
    article.cluster_id = article.id
    return article


def timeit(fn: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return pct(samples)


def stored_bytes(url: str, total: int) -> float:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / total
    engine = create_engine(url)
    with engine.connect() as conn:  # the whole database: every table, index and summary the store keeps
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    return float(size) / total


def measure(url: str, repeat: int, work: Path) -> dict[str, tuple[float, float]]:
    import warnings

    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient
    from sqlalchemy import delete, text, update

    from bench.dedupe_speed import make_items
    from config.settings import reset_settings
    from console.api import MAX_OFFSET, create_app
    from scheduler.tick import tick
    from workers.adapters import schema as t
    from workers.adapters.dedupe_store import StoreDedupeIndex
    from workers.core.models import Article
    from workers.runtime import get_runtime, reset_runtime

    env = {"AKHBAR_STORE_URL": url, "AKHBAR_DATA_DIR": str(work / "data"), "AKHBAR_LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    os.environ.pop("AKHBAR_BROKER_URL", None)
    reset_settings()
    reset_runtime()
    rt = get_runtime()
    store = rt.store
    out: dict[str, tuple[float, float]] = {}

    corpus = Corpus(99)
    fresh = iter(range(10**9))
    run_tag = f"{time.time_ns():x}"

    def fresh_article() -> Article:
        # a run of its own: --measure may time a store twice
        return new_article(corpus, f"https://src007.example/bench/{run_tag}/{next(fresh)}")

    def publish_new() -> None:
        a = fresh_article()
        assert store.publish(a, [a.url]).status == "published"

    out["publish a new article"] = timeit(publish_new, repeat * 2)
    same = fresh_article()
    store.publish(same, [same.url])

    def publish_same() -> None:
        copy = Article.from_dict(same.to_dict())
        assert store.publish(copy, [copy.url]).status == "unchanged"

    out["publish an unchanged article"] = timeit(publish_same, repeat * 2)

    with store.engine.connect() as conn:
        cluster = conn.execute(text("SELECT cluster_id FROM articles WHERE duplicate_of IS NOT NULL "
                                    "ORDER BY id LIMIT 1")).scalar_one()
    client = TestClient(create_app(rt))
    since = (T_END - timedelta(days=7)).isoformat()
    deep = deep_cursor(store)
    reads: dict[str, tuple[str, dict[str, str | int]]] = {
        "/api/articles": ("/api/articles", {}),
        "/api/articles?source=": ("/api/articles", {"source": "src-123"}),
        "/api/articles?cluster=": ("/api/articles", {"cluster": cluster}),
        "/api/articles?since= (last week)": ("/api/articles", {"since": since}),
        "/api/articles?q= one common word": ("/api/articles", {"q": COMMON_WORD}),
        "/api/articles?q= two rare words": ("/api/articles", {"q": f"{RARE_WORDS[0]} {RARE_WORDS[1]}"}),
        "/api/articles?offset=10000 (the deepest the API takes)": ("/api/articles", {"offset": MAX_OFFSET}),
        "/api/articles?cursor= (page at N/2)": ("/api/articles", {"cursor": deep}),
        "/api/clusters": ("/api/clusters", {}),
        "/api/status": ("/api/status", {}),
        "/api/sources": ("/api/sources", {}),
        "/metrics": ("/metrics", {}),
    }
    for name, (path, params) in reads.items():
        def get(path: str = path, params: dict[str, str | int] = params) -> None:
            response = client.get(path, params=params)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        out[name] = timeit(get, repeat)

    akhbar = str(ROOT / ".venv" / "bin" / "akhbar")
    cli_env = {**os.environ, **env}
    for name, argv in (("akhbar status --json", [akhbar, "status", "--json"]),
                       ("akhbar articles --format clusters", [akhbar, "articles", "--format", "clusters"])):
        def run(argv: list[str] = argv) -> None:
            subprocess.run(argv, env=cli_env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out[name + " (whole command)"] = timeit(run, max(3, repeat // 4))

    due = [f"src-{i:03d}" for i in range(0, SOURCES, 25)]  # 20 due sources per tick

    def make_due() -> None:
        with store.engine.begin() as conn:  # only these due: on a loaded machine others come due by the tick
            conn.execute(update(t.sources).values(next_due_at=datetime.now(UTC) + timedelta(days=1)))
            conn.execute(update(t.sources).where(t.sources.c.name.in_(due))
                         .values(next_due_at=datetime.now(UTC) - timedelta(seconds=1)))
            conn.execute(delete(t.jobs))

    tick_samples = []
    for i in range(max(5, repeat // 2) + 1):
        make_due()
        started = time.perf_counter()
        queued = tick(rt)
        if i:
            tick_samples.append((time.perf_counter() - started) * 1000)
        assert len(queued) == len(due), queued
    out[f"scheduler tick ({len(due)} due)"] = pct(tick_samples)

    index = StoreDedupeIndex(store.engine, window_days=7, scope="bench-scale")
    index.create_tables()
    items = make_items(200 + repeat * 10, 11, tag="scale")
    for item in items[:100]:
        index.assign(item)
    samples = []
    for item in items[100:]:
        started = time.perf_counter()
        index.assign(item)
        samples.append((time.perf_counter() - started) * 1000)
    out["dedupe index assign (store-backed)"] = pct(samples)
    client.close()
    store.engine.dispose()
    reset_runtime()
    return out


# --- stores ------------------------------------------------------------------------------------------


def pg_url(dbname: str) -> str:
    return PG_BASE.rsplit("/", 1)[0] + "/" + dbname


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_BASE.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(statement)


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cpus{mem}, load {load}"


def run_sizes(sizes: list[tuple[str, int]], repeat: int, keep: bool) -> int:
    work = Path(tempfile.mkdtemp(prefix="akhbar-scale-"))
    results: dict[tuple[str, int], dict[str, tuple[float, float]]] = {}
    extra: dict[tuple[str, int], str] = {}
    print(f"store scale: {machine()}; p50 / p95 in ms over {repeat} requests (CLI: whole commands)", flush=True)
    try:
        for kind, n in sizes:
            if kind == "pg":
                dbname = f"akhbar_scale_{n}"
                pg_admin(f"DROP DATABASE IF EXISTS {dbname}")
                pg_admin(f"CREATE DATABASE {dbname}")
                url = pg_url(dbname)
            else:
                url = f"sqlite:///{work}/scale_{n}.db"
            try:
                seconds = fill(url, n, quiet=n < 100_000)
                per = stored_bytes(url, n)
                extra[(kind, n)] = f"fill {seconds:.1f} s, {per:,.0f} B/article"
                print(f"{kind} {n:,}: {extra[(kind, n)]}", flush=True)
                results[(kind, n)] = measure(url, repeat, work)
            finally:
                if kind == "pg" and not keep:
                    from sqlalchemy.orm import close_all_sessions
                    close_all_sessions()
                    pg_admin(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
                elif kind == "pg":
                    print(f"kept {url}", flush=True)
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results, extra)
    return 0


def measure_existing(url: str, repeat: int) -> int:
    """Time the reads over a store filled before (`--fill`, or a real archive): it is only read and published to."""
    from workers.adapters.store import Store

    store = Store.from_url(url)
    started = time.perf_counter()
    store.migrate()  # an archive filled at an older revision is brought to the newest first, and timed
    migrated = time.perf_counter() - started
    n = store.count_articles()
    store.engine.dispose()
    kind = "pg" if url.startswith("postgresql") else "sqlite"
    print(f"store scale: {machine()}; p50 / p95 in ms over {repeat} requests (CLI: whole commands)", flush=True)
    extra = {(kind, n): f"migrate {migrated:.1f} s, {stored_bytes(url, n):,.0f} B/article"}
    print(f"{kind} {n:,}: {extra[(kind, n)]}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="akhbar-scale-"))
    try:
        print_table({(kind, n): measure(url, repeat, work)}, extra)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def prune_half(url: str, batch_size: int) -> int:
    """Delete the older half of a filled store (stored before the middle of its two years) with akhbar's Pruner
    while a thread publishes a new article every 20 ms, as a running pipeline would; print the whole prune, its
    batches' p50/p95/longest (each one transaction) and the publishes' latency meanwhile. Destructive."""
    import threading

    from sqlalchemy import func, select

    from workers.adapters import schema as t
    from workers.adapters import summaries
    from workers.adapters.prune import Pruner
    from workers.adapters.store import Store
    from workers.core.models import Article

    store = Store.from_url(url)
    store.migrate()
    count = select(func.count()).select_from(t.articles)
    with store.engine.begin() as conn:
        before = conn.execute(count).scalar_one()
        if before and not conn.execute(select(func.count()).select_from(t.source_stats)).scalar_one():
            summaries.backfill(conn)  # a bulk fill leaves the read summaries empty: a prune keeps them too
    batches: list[float] = []
    published: list[float] = []
    stop = threading.Event()

    def publish() -> None:
        corpus = Corpus(7)
        while not stop.is_set():
            n = len(published)
            article = Article(url=f"https://bench-prune.example/{n}", canonical_url=f"https://bench-prune.example/{n}",
                              source="src-001", title=corpus.title(), body=corpus.body())
            started = time.perf_counter()
            store.publish(article)
            published.append((time.perf_counter() - started) * 1000)
            stop.wait(0.02)

    publisher = threading.Thread(target=publish)
    publisher.start()
    try:
        tally = Pruner(store, batch_size=batch_size).run(T_START + (T_END - T_START) / 2,
                                                         lambda batch, _: batches.append(batch.seconds * 1000))
    finally:
        stop.set()
        publisher.join()
    with store.engine.connect() as conn:
        after = conn.execute(count).scalar_one()
    store.engine.dispose()
    p50, p95 = pct(batches or [0.0])
    q50, q95 = pct(published or [0.0])
    print(f"prune: {machine()}; {url.split('://')[0]} {before:,} articles -> {after:,}: {tally.deleted:,} deleted "
          f"in {tally.seconds:.1f} s, {tally.batches} batches of {batch_size}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
          f"longest {max(batches or [0.0]):.0f} ms; {tally.clusters_touched} clusters lost members, "
          f"{tally.heads_moved} heads moved, {tally.bytes_freed / 1e6:.0f} MB of rows; {len(published)} publishes "
          f"meanwhile: p50 {q50:.1f} ms, p95 {q95:.1f} ms, longest {max(published or [0.0]):.0f} ms")
    return 0


def print_table(results: dict[tuple[str, int], dict[str, tuple[float, float]]],
                extra: dict[tuple[str, int], str]) -> None:
    columns = list(results)
    label = {"pg": "PostgreSQL", "sqlite": "SQLite"}
    head = ["operation"] + [f"{label[k]} {n:,} p50 / p95" for k, n in columns]
    names: list[str] = []
    for figures in results.values():
        names += [name for name in figures if name not in names]
    print()
    print("| " + " | ".join(head) + " |")
    print("| " + " | ".join("---" for _ in head) + " |")
    for name in names:
        cells = [name]
        for key in columns:
            figures = results[key]
            if name not in figures:
                cells.append("")
                continue
            p50, p95 = figures[name]
            cell = f"{p50:,.1f} / {p95:,.1f}"
            base = next(((k, m) for k, m in columns if k == key[0] and m == 10_000 and m != key[1]), None)
            if base and base in results and name in results[base]:
                cell += f" (×{p95 / max(results[base][name][1], 1e-6):.1f})"
            cells.append(cell)
        print("| " + " | ".join(cells) + " |")
    print("| bytes stored per article | " + " | ".join(extra[k].split(", ")[1] for k in columns) + " |")
    print("| bulk fill (or migration of an existing store) | "
          + " | ".join(extra[k].split(", ")[0] for k in columns) + " |")


def publishes(url: str, count: int) -> int:
    """Publish `count` new articles to a filled PostgreSQL store: p50 / p95 / p99 / max ms, and per index the
    blocks each publish read from outside PostgreSQL's buffers (pg_statio_user_indexes; its counters reach
    the view within a second)."""
    from sqlalchemy import text

    from workers.adapters.store import Store

    store = Store.from_url(url)
    # each read is a transaction of its own, so it sees the counters as they are (not a snapshot kept from before)
    blocks = text("SELECT indexrelname AS name, idx_blks_read AS n FROM pg_statio_user_indexes")

    def read() -> dict[str, int]:
        with store.engine.connect() as conn:
            return {row.name: row.n or 0 for row in conn.execute(blocks)}

    corpus, tag = Corpus(time.time_ns() % 2**31), f"{time.time_ns():x}"

    def publish(i: int) -> float:
        a = new_article(corpus, f"https://src007.example/publishes/{tag}/{i}")
        started = time.perf_counter()
        assert store.publish(a, [a.url]).status == "published"
        return (time.perf_counter() - started) * 1000

    publish(-1)  # the connection and the statement, once
    time.sleep(1.5)
    before = read()
    samples = sorted(publish(i) for i in range(count))
    time.sleep(1.5)
    after = read()
    store.engine.dispose()
    print(f"publish a new article x{count}: p50 {quantile(samples, 0.5):.2f}  p95 {quantile(samples, 0.95):.2f}  "
          f"p99 {quantile(samples, 0.99):.2f}  max {samples[-1]:.2f} ms")
    for name in sorted(after, key=lambda k: before.get(k, 0) - after[k]):
        if after[name] > before.get(name, 0):
            print(f"  {name:36} {(after[name] - before.get(name, 0)) / count:6.2f} blocks read per publish")
    return 0


def explain(url: str) -> int:
    """Print the plan of every hot read the API, CLI and metrics send, captured from the store's own SQL with its
    own parameters and run once (PostgreSQL: EXPLAIN ANALYZE, so each plan ends with its execution time;
    SQLite: EXPLAIN QUERY PLAN). Read-only."""
    from sqlalchemy import event

    from workers.adapters.store import Store

    store = Store.from_url(url)
    postgres = store.dialect == "postgresql"
    now = datetime.now(UTC)
    # a real archive may have no source listed or no cluster yet: those pages are then planned for a name none has
    source = next((row["name"] for row in store.list_sources()), "none")
    cluster = next((row["cluster_id"] for row in store.clusters(1)), "none")
    _, following = store.articles_page(limit=100)
    hot: dict[str, Callable[[], Any]] = {
        "/api/articles (first page)": lambda: store.articles_page(limit=100),
        "/api/articles?cursor= (next page)": lambda: store.articles_page(limit=100, cursor=following),
        "/api/articles?source=": lambda: store.articles_page(limit=100, source=source),
        "/api/articles?since= (last week)": lambda: store.articles_page(limit=100, since=T_END - timedelta(days=7)),
        "/api/articles?cluster=": lambda: store.articles_page(limit=100, cluster=cluster),
        "/api/articles?q= one common word (best match first)": lambda: store.articles_page(
            limit=100, q=COMMON_WORD, sort="relevance"),
        "/api/articles?q= one common word (newest first)": lambda: store.articles_page(limit=100, q=COMMON_WORD),
        "/api/articles?q= two rare words": lambda: store.articles_page(limit=100, q=" ".join(RARE_WORDS[:2])),
        "/api/clusters": lambda: store.clusters(100),
        "/api/sources: articles per source": store.source_article_counts,
        "/api/status: articles per source, last 24 h": lambda: store.source_article_counts(
            now - timedelta(hours=24)),
        "count of articles": store.count_articles,
        "events after an id": lambda: store.events_since(max(0, store.last_event_id() - 500), limit=100),
    }
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        # (the same-story links of a page's articles: a primary-key lookup per page, left out for brevity)
        if (statement.lstrip().upper().startswith(("SELECT", "WITH"))
                and "pg_advisory" not in statement and "same_story_links" not in statement):
            statements.append((statement, parameters))

    prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
    print(f"plans of the hot reads: {url.rsplit('/', 1)[-1]}, {store.count_articles():,} articles")
    for name, call in hot.items():
        statements.clear()
        event.listen(store.engine, "before_cursor_execute", keep)
        try:
            call()
        finally:
            event.remove(store.engine, "before_cursor_execute", keep)
        with store.engine.connect() as conn:
            for statement, parameters in statements:
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                plan = "\n".join(str(r[0] if postgres else r[-1]) for r in rows)
                print(f"\n-- {name}\n{plan}")
    store.engine.dispose()
    return 0


def parse_sizes(text: str) -> list[tuple[str, int]]:
    out = []
    for part in text.split(","):
        kind, _, n = part.strip().partition(":")
        if kind not in ("pg", "sqlite") or not n:
            raise SystemExit(f"--sizes: {part!r} is not pg:N or sqlite:N")
        out.append((kind, int(float(n))))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fill", type=int, help="only fill --store-url with this many articles, then exit")
    ap.add_argument("--store-url", help="the store --fill fills (its schema is migrated first)")
    ap.add_argument("--sizes", default="sqlite:10000,pg:10000",
                    help="comma-separated pg:N / sqlite:N (e.g. add pg:1000000,sqlite:1000000,pg:10000000)")
    ap.add_argument("--repeat", type=int, default=20, help="requests per figure")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases and SQLite files")
    ap.add_argument("--measure", metavar="URL", help="time an existing store (filled before with --fill), "
                    "migrating it to the newest schema first (the migration is timed too)")
    ap.add_argument("--prune", metavar="URL", help="delete the older half of a store filled before with --fill "
                    "(akhbar's Pruner, --batch-size per transaction) while publishing; destructive")
    ap.add_argument("--explain", metavar="URL", help="print the plans of the hot reads on a filled store")
    ap.add_argument("--publishes", metavar="URL", help="publish --repeat new articles to a filled PostgreSQL "
                    "store: p50/p95/p99/max and the blocks each read per index")
    ap.add_argument("--batch-size", type=int, default=100, help="--prune: articles per transaction (as akhbar prune)")
    args = ap.parse_args()
    if args.explain:
        return explain(args.explain)
    if args.publishes:
        return publishes(args.publishes, args.repeat)
    if args.prune:
        return prune_half(args.prune, args.batch_size)
    if args.measure:
        return measure_existing(args.measure, args.repeat)
    if args.fill is not None:
        if not args.store_url:
            ap.error("--fill needs --store-url")
        seconds = fill(args.store_url, args.fill)
        print(f"filled {args.fill:,} articles in {seconds:.1f} s "
              f"({stored_bytes(args.store_url, args.fill):,.0f} B/article)")
        return 0
    return run_sizes(parse_sizes(args.sizes), args.repeat, args.keep)


if __name__ == "__main__":
    sys.exit(main())
