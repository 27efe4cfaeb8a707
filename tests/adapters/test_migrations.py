"""Migrations a live archive survives (issue 15, item 6): a store filled at revision 0005 (plain SQL, as that
revision's code wrote it: JSON with \\uXXXX escapes, a search_text column) is upgraded to HEAD through the
store's own migrate() on SQLite and PostgreSQL, and reads back whole through the Store API: articles equal,
the cluster of three listed right, an Arabic word found by search, URLs, claims, events, the job ledger,
dead letters and source errors as they were. Then: migrating again changes nothing, the last revision goes
down and up again, and HEAD (the cheap at-start check) is Alembic's own head.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from workers.adapters.migrate import HEAD, alembic_config, stored_revision
from workers.adapters.store import Store
from workers.core.arabic import normalize_arabic
from workers.core.models import Article
from workers.core.urls import url_key

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
CLAIMED = "https://elsewhere.example/original"
BODY = ("أعلنت وزارة الزراعة اليوم عن خطة جديدة لدعم المزارعين في مواجهة موجة الجفاف التي ضربت البلاد هذا "
        "الموسم، وقال الوزير إن الحكومة خصصت ميزانية إضافية لحفر الآبار. ")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def _alembic(engine: sa.Engine, action: str, revision: str) -> None:
    """command.upgrade/downgrade to a revision, on a connection as migrate.upgrade hands it over."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            getattr(command, action)(alembic_config(engine, conn), revision)
            conn.commit()
    else:
        with engine.begin() as conn:
            getattr(command, action)(alembic_config(engine, conn), revision)


def _articles() -> list[Article]:
    """A cluster of three (as settle_head leaves it) and two single articles, one with hostile text."""
    out = []
    for i, (source, minutes) in enumerate([("src-a", 0), ("src-b", 20), ("src-c", -30)]):
        url = f"https://{source}.example/news/drought-{i}"
        out.append(Article(url=url, canonical_url=url, source=source, title=f"خطة لمواجهة الجفاف في الريف {i}",
                           body=BODY * (3 + i), site_name=source, published_at=T0 + timedelta(minutes=minutes),
                           fetched_at=T0 + timedelta(minutes=40 + i), authors=["مراسل الزراعة"],
                           tags=["زراعة", "مياه"], language="ar"))
    first = out[0]
    head = min(out, key=lambda a: a.published_at or T0)
    for a in out:
        a.cluster_id, a.duplicate_of = first.id, (None if a is head else head.id)
    for j, (title, body) in enumerate([("القمة الاقتصادية تختتم أعمالها في الدوحة", "قالت مصادر إن القمة 😀 اتفقت.\n"
                                        "جدول: ١٢٣ ٤٫٥ 10²"),
                                       ("نتائج الدوري الممتاز", "فاز النادي\x00 بهدفين")]):
        url = f"https://src-d.example/other/{j}"
        a = Article(url=url, canonical_url=url, source="src-d", title=title, body=body, site_name="src-d",
                    published_at=None if j else T0 - timedelta(days=1), fetched_at=T0 + timedelta(hours=j + 1),
                    language="ar")
        a.cluster_id = a.id
        out.append(a)
    return out


def _at(engine: sa.Engine, value: datetime) -> Any:
    """A datetime as revision 0005's UTCDateTime wrote it (SQLite: naive UTC text)."""
    if engine.dialect.name == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _fill_at_0005(engine: sa.Engine, articles: list[Article]) -> dict[str, Any]:
    """Rows as the 0005-era code wrote them, in plain SQL; returns what the checks compare with."""
    pg = engine.dialect.name == "postgresql"
    js = "CAST({} AS json)" if pg else "{}"

    def dumps(value: Any) -> str:
        return json.dumps(value)  # ensure_ascii: every Arabic letter a \uXXXX escape, as 0005 stored it

    last_error = {"kind": "http", "message": "الخادم لا يستجيب", "status": 503, "at": "2026-11-01T08:00:00+00:00"}
    recent = [last_error, {"kind": "timeout", "message": "انتهت المهلة", "status": None, "seconds": 12.5}]
    job_args = {"url": "https://src-a.example/news/x", "source": "src-a", "hint": "صفحة", "depth": [1, [2, 3]]}
    failure_args = {"url": "https://src-b.example/bad", "source": "src-b", "ratio": 0.1, "big": 10**20,
                    "nested": [[1, "٢"], {"k": None, "ok": True}], "note": "رابط معطوب"}
    with engine.begin() as conn:
        for name in ("src-a", "src-b", "src-c", "src-d"):
            conn.execute(sa.text(
                "INSERT INTO sources (name, url, kind, interval, origin, enabled, state, next_due_at, "
                "consecutive_failures, last_error, recent_errors, created_at) VALUES (:name, :url, 'feed', 900, "
                f"'file', :enabled, 'ok', :due, 0, {js.format(':last_error')}, {js.format(':recent')}, :created)"),
                {"name": name, "url": f"https://{name}.example/rss", "enabled": True, "due": _at(engine, T0),
                 "created": _at(engine, T0 - timedelta(days=30)),
                 "last_error": dumps(last_error) if name == "src-a" else None,
                 "recent": dumps(recent) if name == "src-a" else None})
        for n, a in enumerate(articles):
            stored = T0 + timedelta(minutes=40 + n)
            conn.execute(sa.text(
                "INSERT INTO articles (id, url, canonical_url, source, title, content_hash, cluster_id, duplicate_of, "
                "revision, published_at, fetched_at, stored_at, changed_at, search_text, data) VALUES (:id, :url, "
                ":url, :source, :title, :hash, :cluster, :dup, 1, :published, :fetched, :stored, :stored, :search, "
                f"{js.format(':data')})"),
                {"id": a.id, "url": a.url, "source": a.source, "title": a.title, "hash": a.content_hash,
                 "cluster": a.cluster_id, "dup": a.duplicate_of,
                 "published": _at(engine, a.published_at) if a.published_at else None,
                 "fetched": _at(engine, a.fetched_at or T0), "stored": _at(engine, stored),
                 "search": normalize_arabic(f"{a.title} {a.body[:4000]}"), "data": dumps(a.to_dict())})
            conn.execute(sa.text("INSERT INTO article_urls (url_hash, url, article_id) VALUES (:h, :u, :id)"),
                         {"h": url_key(a.url), "u": a.url, "id": a.id})
            conn.execute(sa.text("INSERT INTO events (kind, article_id, revision, at) "
                                 "VALUES ('published', :id, 1, :at)"), {"id": a.id, "at": _at(engine, stored)})
        conn.execute(sa.text("INSERT INTO article_claims (url_hash, article_id, url) VALUES (:h, :id, :u)"),
                     {"h": url_key(CLAIMED), "id": articles[1].id, "u": CLAIMED})
        for k, state in enumerate(["queued", "queued", "retrying", "done"]):
            conn.execute(sa.text(
                "INSERT INTO jobs (key, kind, queue, source, url, state, attempts, enqueued_at, updated_at, "
                f"last_error, args) VALUES (:key, 'page', 'pages', 'src-a', :url, :state, :attempts, :at, :at, "
                f"{js.format(':err')}, {js.format(':args')})"),
                {"key": f"page:{k}", "url": f"https://src-a.example/news/{k}", "state": state, "attempts": k,
                 "at": _at(engine, T0 + timedelta(minutes=k)),
                 "err": dumps(last_error) if state == "retrying" else None, "args": dumps(job_args)})
        conn.execute(sa.text(
            "INSERT INTO failures (task, args, source, url, error_kind, message, status, attempts, at) VALUES "
            f"('fetch_page', {js.format(':args')}, 'src-b', :url, 'http', 'غير موجود', 404, 5, :at)"),
            {"args": dumps(failure_args), "url": failure_args["url"], "at": _at(engine, T0)})
    return {"last_error": last_error, "recent": recent, "job_args": job_args, "failure_args": failure_args}


def _expected(article: Article) -> dict[str, Any]:
    """The article as the store gives it back: a NUL in the body is stored as U+FFFD (JSONB refuses \\u0000)."""
    data = article.to_dict()
    data["body"] = data["body"].replace("\x00", "\ufffd")
    return data


def _check_reads(store: Store, articles: list[Article], given: dict[str, Any]) -> None:
    for a in articles:
        back = store.get_article(a.id)
        assert back is not None and back.to_dict() == _expected(a), a.title
    assert {x.id for x in store.list_articles(limit=50)} == {a.id for a in articles}
    assert store.count_articles() == len(articles)

    cluster = articles[0].cluster_id
    assert cluster is not None
    assert {x.id for x in store.list_articles(cluster=cluster)} == {a.id for a in articles[:3]}
    groups = {g["cluster_id"]: g for g in store.clusters()}
    assert len(groups) == 3  # the cluster of three and the two single articles
    three = groups[cluster]
    head = next(a for a in articles[:3] if a.duplicate_of is None)
    assert (three["members"], three["sources"], three["title"]) == (3, ["src-a", "src-b", "src-c"], head.title)
    assert sorted(three["article_ids"]) == sorted(a.id for a in articles[:3])
    assert store.source_article_counts() == {"src-a": 1, "src-b": 1, "src-c": 1, "src-d": 2}

    # search by an Arabic word, in another form than the text's (attached و and ال)
    assert {x.id for x in store.list_articles(q="والدوحة")} == {articles[3].id}
    assert {x.id for x in store.list_articles(q="الجفاف")} == {a.id for a in articles[:3]}

    assert store.article_id_for_url(articles[2].url) == articles[2].id
    claimant = store.first_claimant([CLAIMED], exclude_id="x")
    assert claimant is not None and claimant["id"] == articles[1].id
    assert [(e["kind"], e["article_id"]) for e in store.events_since(0)] == [("published", a.id) for a in articles]

    source = store.get_source("src-a")
    assert source is not None
    assert (source["last_error"], source["recent_errors"]) == (given["last_error"], given["recent"])
    assert store.ledger_counts() == {"pages": {"queued": 2, "retrying": 1}}
    stale = store.ledger_stale(T0 + timedelta(days=1))
    assert {j["key"] for j in stale} == {"page:0", "page:1", "page:2"}
    assert all(j["args"] == given["job_args"] for j in stale)
    assert next(j for j in stale if j["state"] == "retrying")["last_error"] == given["last_error"]
    (failure,) = store.list_failures()
    assert failure["args"] == given["failure_args"] and failure["message"] == "غير موجود"


def _raw_data(store: Store, article_id: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(sa.text("SELECT CAST(data AS TEXT) FROM articles WHERE id = :id"),
                            {"id": article_id}).scalar_one()


def _data_type(store: Store) -> str:
    """PostgreSQL: the one type of every JSON column (data, source errors, job and failure args, workers)."""
    with store.engine.connect() as conn:
        (kind,) = set(conn.execute(sa.text(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name IN ('data', 'last_error', 'recent_errors', 'args', 'current')")).scalars())
    return str(kind)


def _search_index_options(store: Store) -> list[str]:
    """The GIN search index's storage parameters, as PostgreSQL keeps them."""
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT reloptions FROM pg_class WHERE relname = 'ix_articles_search' "
                                         "AND pg_table_is_visible(oid)")).scalar_one())


def _migration_lock_holders(store: Store) -> int:
    """How many of this engine's pooled sessions hold the migration's advisory lock (other processes testing
    on the same server may hold it for their own schemas: only ours count)."""
    with contextlib.ExitStack() as stack:
        conns = [stack.enter_context(store.engine.connect()) for _ in range(6)]  # every pooled one, and more
        pids = [c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() for c in conns]
        return int(conns[0].execute(sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 727274 "
            "AND pid = ANY(:pids)"), {"pids": pids}).scalar_one())


def test_a_store_filled_at_0005_upgrades_to_head_and_reads_back_whole(store_url: str) -> None:
    store = Store.from_url(store_url)
    try:
        _alembic(store.engine, "upgrade", "0005")
        articles = _articles()
        given = _fill_at_0005(store.engine, articles)
        assert "\\u0627" in _raw_data(store, articles[0].id)  # 0005's escapes (ا)

        store.migrate()  # what every service does at start
        assert stored_revision(store.engine) == HEAD
        _check_reads(store, articles, given)
        raw = _raw_data(store, articles[0].id)
        assert "الجفاف" in raw and "\\u06" not in raw  # UTF-8 now, not escapes
        if store.dialect == "postgresql":
            assert _data_type(store) == "jsonb"
            assert _migration_lock_holders(store) == 0  # the migration lock is given back

        # migrating again is a no-op: the same revision, the same rows, also through Alembic itself
        store.migrate()
        _alembic(store.engine, "upgrade", "head")
        assert stored_revision(store.engine) == HEAD
        _check_reads(store, articles, given)

        # the last revisions down and up again: 0009 (the search index's storage parameters), 0008 (JSONB)
        if store.dialect == "postgresql":
            assert _search_index_options(store) == ["fastupdate=on", "gin_pending_list_limit=256"]
        _alembic(store.engine, "downgrade", "0008")
        if store.dialect == "postgresql":
            assert _search_index_options(store) == ["fastupdate=off"]
        _alembic(store.engine, "downgrade", "0007")
        assert stored_revision(store.engine) != HEAD
        if store.dialect == "sqlite":
            assert "\\u0627" in _raw_data(store, articles[0].id)  # escaped again, as 0007 wrote it
        else:
            assert _data_type(store) == "json"
        store.migrate()
        assert stored_revision(store.engine) == HEAD
        _check_reads(store, articles, given)

        # and the store takes new writes after it all
        new = Article(url="https://src-d.example/other/9", canonical_url="https://src-d.example/other/9",
                      source="src-d", title="خبر جديد بعد الترقية", body="نص الخبر\x00 الجديد", fetched_at=T0,
                      language="ar")
        assert store.publish(new).status == "published"
        back = store.get_article(new.id)
        assert back is not None and back.body == "نص الخبر الجديد"  # a NUL is dropped at the boundary
    finally:
        store.engine.dispose()


def test_head_is_alembics_own_head() -> None:
    # migrate.upgrade skips Alembic for a store at HEAD: HEAD must name the newest migration
    script = ScriptDirectory.from_config(alembic_config(sa.create_engine("sqlite://")))
    assert script.get_current_head() == HEAD
