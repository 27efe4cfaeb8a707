"""Full-text search in the store, on SQLite (FTS5) and PostgreSQL (tsvector + GIN): stemming, ranking,
filters with q, revisions, remove/reindex for prune, hostile queries, and the GIN index in the plan."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import bindparam, func, select, text, update

from workers.adapters import schema as t
from workers.adapters import search_index
from workers.core.clock import utcnow
from workers.core.models import Article
from workers.core.search_terms import SearchQueryError


def article(n: int, title: str, body: str, source: str = "demo") -> Article:
    url = f"https://news.example/a/{n}"
    return Article(url=url, canonical_url=url, source=source, title=title, body=body, published_at=utcnow())


def titles(store, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.title for a in store.list_articles(**kw)]


def test_inflected_forms_find_each_other(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "جولة جديدة", "استؤنفت والمفاوضات بين الطرفين في الدوحة."))
    store.publish(article(2, "المدرسة", "افتتح الوزير مدرستها الجديدة بالمدرسة القديمة."))
    store.publish(article(3, "لبن", "ارتفاع أسعار اللبن والحليب."))
    assert titles(store, q="مفاوضات") == ["جولة جديدة"]
    assert titles(store, q="للمفاوضات") == ["جولة جديدة"]
    assert titles(store, q="المدارس") == []  # a broken plural is another word: light stemming
    assert titles(store, q="مدرسة") == ["المدرسة"]
    assert titles(store, q="لبنان") == []  # Lebanon is not milk
    assert titles(store, q="إطلاق") == []
    assert titles(store, q="مفاوضات مدرسة") == []  # words are ANDed


def test_phrases_keep_word_order(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "أ", "قال وزير الخارجية إن الاجتماع انتهى."))
    store.publish(article(2, "ب", "الخارجية نفت ما قاله الوزير."))
    assert titles(store, q='"وزير الخارجية"') == ["أ"]
    assert sorted(titles(store, q="وزير الخارجية")) == ["أ", "ب"]


def test_relevance_or_time_order(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "مرة", "اقتصاد " + "كلام عام " * 80))
    store.publish(article(2, "كثيرا", "الاقتصاد والاقتصاد واقتصادي اقتصادية " * 5))
    store.publish(article(3, "أحدث", "كلام عن الاقتصاد " + "وكلام آخر " * 60))
    assert titles(store, q="اقتصاد", sort="relevance")[0] == "كثيرا"
    assert titles(store, q="اقتصاد") == ["أحدث", "كثيرا", "مرة"]  # time stored, newest first


def test_filters_combine_with_q(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "أ", "انتخابات بلدية", source="one"))
    store.publish(article(2, "ب", "الانتخابات التشريعية", source="two"))
    assert titles(store, q="انتخابات", source="two") == ["ب"]
    assert titles(store, q="انتخابات", since=utcnow() + timedelta(hours=1)) == []
    assert len(titles(store, q="انتخابات", limit=1, sort="relevance")) == 1
    assert titles(store, q="انتخابات", cluster="none") == []


def test_a_revision_replaces_the_entry(store) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "خبر", "زلزال في المدينة"))
    assert store.publish(article(1, "خبر", "فيضانات في المدينة")).status == "updated"
    assert titles(store, q="زلزال") == []
    assert titles(store, q="فيضانات") == ["خبر"]
    assert store.publish(article(1, "خبر", "فيضانات في المدينة")).status == "unchanged"
    assert titles(store, q="فيضان") == ["خبر"]


def test_remove_then_delete_and_reindex_after_a_strip(store) -> None:  # type: ignore[no-untyped-def]
    one = store.publish(article(1, "عاصفة", "أمطار غزيرة")).article
    two = store.publish(article(2, "حريق", "غابات الجبل")).article
    with store.engine.begin() as conn:
        search_index.remove(conn, [one.id])
        conn.execute(t.articles.delete().where(t.articles.c.id == one.id))
        # strip a body as prune --keep-metadata does: change the row, then reindex it
        data = {**two.to_dict(), "body": ""}
        conn.execute(update(t.articles).where(t.articles.c.id == bindparam("row_id")).values(data=bindparam("d")),
                     [{"row_id": two.id, "d": data}])
        search_index.reindex(conn, [two.id])
    assert titles(store, q="امطار") == []
    assert titles(store, q="غابات") == []  # the body's words are gone
    assert titles(store, q="حريق") == ["حريق"]  # the title is still searchable
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(search_index.search_docs)).scalar() == 1


def test_reindex_after_remove_leaves_exact_entries(store) -> None:  # type: ignore[no-untyped-def]
    stored = store.publish(article(1, "قمة", "قمة الرياض الاقتصادية")).article
    with store.engine.begin() as conn:
        search_index.remove(conn, [stored.id])
        search_index.reindex(conn, [stored.id])
        search_index.reindex(conn, [stored.id, "no-such-id"])
        search_index.remove(conn, [])
    assert titles(store, q="رياض") == ["قمة"]
    if store.dialect == "sqlite":  # FTS5 agrees with itself: no posting was deleted with the wrong terms
        with store.engine.connect() as conn:
            conn.exec_driver_sql("INSERT INTO article_search(article_search, rank) VALUES ('integrity-check', 0)")


@pytest.mark.parametrize("hostile", [
    'NEAR(a b) OR c*', '"unclosed', "a -b", "col:value", "'); DROP TABLE articles; --", "a & !b | c <-> d",
    "a:* & b:A", "x\\y", "(((a)))", "^اقتصاد*", "اقتصاد OR", "AND", "NOT اقتصاد",
])
def test_hostile_queries_are_plain_words(store, hostile: str) -> None:  # type: ignore[no-untyped-def]
    store.publish(article(1, "أ", "اقتصاد"))
    found = store.list_articles(q=hostile)
    assert found == [] or [a.title for a in found] == ["أ"]
    assert store.count_articles() == 1


@pytest.mark.parametrize("empty", ["ًٌٍ", "***", '""', "؟!"])
def test_nothing_to_look_for_is_refused(store, empty: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SearchQueryError):
        store.list_articles(q=empty)


def test_explain_uses_the_gin_index(pg_url: str) -> None:
    from config.settings import Settings
    from workers.adapters.store import Store

    store = Store.from_url(Settings(store_url=pg_url).sqlalchemy_store_url)
    store.migrate()
    words = ["اقتصاد", "سياسة", "رياضة", "طقس", "صحة", "تعليم", "نفط", "زراعة"]
    with store.engine.begin() as conn:  # 20k rows in bulk, each with a vector: enough for the planner to care
        conn.execute(text(
            "INSERT INTO articles (id, url, canonical_url, source, title, content_hash, revision, stored_at, "
            "changed_at, data, search) SELECT 'x' || g, 'u' || g, 'u' || g, 's', 't', 'h', 1, now(), now(), "
            "CAST(:data AS json), "
            "to_tsvector('simple', :common || ' ' || (CAST(:words AS text[]))[1 + g % 8] || ' w' || g) "
            "FROM generate_series(1, 20000) AS g"), {"common": "خبر", "words": words,
                                                       "data": json.dumps(article(0, "t", "b").to_dict())})
        conn.execute(text("ANALYZE articles"))
    query = store.list_articles  # the query list_articles runs, compiled with its parameters
    from workers.core.search_terms import parse_query

    base = select(t.articles.c.data).order_by(t.articles.c.stored_at.desc(), t.articles.c.id)
    for q in ("w123", "w77 نفط"):
        stmt = search_index.match(base, parse_query(q), "postgresql", True,
                                  [t.articles.c.stored_at.desc(), t.articles.c.id]).limit(100)
        with store.engine.connect() as conn:
            plan = "\n".join(conn.execute(text("EXPLAIN " + str(stmt.compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True})))).scalars())
        assert "ix_articles_search" in plan, plan
    assert [a.title for a in query(q="w123")] == ["t"]
    store.engine.dispose()


def test_bulk_vectors_equal_postgresql_own(pg_url: str) -> None:
    """bench/store_scale.py COPYs tsvector_text(terms): it must be what to_tsvector('simple', terms) makes."""
    from sqlalchemy import create_engine

    from workers.core.search_terms import document_terms

    body = ("قال الوزير إن المفاوضات مستمرة، وإن الحكومة تدرس 12 مقترحا O'Brien back\\slash. " * 40
            + " ".join(f"كلمة{i}" for i in range(300)))
    terms = document_terms("عنوان الخبر", body)
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        same = conn.execute(text("SELECT CAST(:mine AS tsvector) = to_tsvector('simple', :terms)"),
                            {"mine": search_index.tsvector_text(terms), "terms": terms}).scalar()
    engine.dispose()
    assert same


def test_add_many_indexes_like_publish(store) -> None:  # type: ignore[no-untyped-def]
    stored = [store.publish(article(n, f"عنوان {n}", body)).article
              for n, body in enumerate(["المفاوضات في القاهرة", "الانتخابات البلدية"])]
    with store.engine.begin() as conn:  # as the migration's backfill does: drop, then index in bulk
        search_index.remove(conn, [a.id for a in stored])
        search_index.add_many(conn, [(a.id, a.title, a.body) for a in stored])
    assert titles(store, q="مفاوضات") == ["عنوان 0"]
    assert titles(store, q="انتخابي") == ["عنوان 1"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0006_backfills_and_drops_search_text(request, backend: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import inspect

    from config.settings import Settings
    from workers.adapters import migrate
    from workers.adapters.store import Store

    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    store = Store.from_url(Settings(store_url=url).sqlalchemy_store_url)
    with store.engine.connect() as conn:  # the store as 0005 left it, with rows the LIKE search filled
        command.upgrade(migrate.alembic_config(store.engine, conn), "0005")
        conn.commit()
        for n, body in enumerate(["والمفاوضات مستمرة", "الطقس حار"] * 1501):  # more than one batch
            data = article(n, f"خبر {n}", body).to_dict()
            conn.execute(text("INSERT INTO articles (id, url, canonical_url, source, title, content_hash, "
                              "revision, stored_at, changed_at, search_text, data) VALUES (:id, :u, :u, 's', "
                              ":title, 'h', 1, :at, :at, 'x', :data)"),
                         {"id": data["id"], "u": data["url"], "title": data["title"], "at": utcnow(),
                          "data": json.dumps(data)})
        conn.commit()
    store.migrate()
    assert "search_text" not in {c["name"] for c in inspect(store.engine).get_columns("articles")}
    assert len(store.list_articles(q="مفاوضات", limit=2000)) == 1501
    assert titles(store, q="خبر 7") == ["خبر 7"]
    store.publish(article(99_999, "جديد", "المفاوضات"))
    assert len(store.list_articles(q="مفاوضات", limit=2000)) == 1502
    store.engine.dispose()


def test_relevance_ranks_the_newest_candidates(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_index, "RANK_CANDIDATES", 2)
    store.publish(article(1, "قديم", "نفط نفط نفط نفط"))
    store.publish(article(2, "وسط", "نفط وغاز"))
    store.publish(article(3, "أحدث", "النفط والنفط"))
    store.publish(article(4, "غير", "غاز"))
    assert titles(store, q="نفط", sort="relevance") == ["أحدث", "وسط"]  # the oldest is past the candidates
    assert titles(store, q="نفط", sort="relevance", source="demo", limit=1) == ["أحدث"]
    assert titles(store, q="نفط") == ["أحدث", "وسط", "قديم"]  # by time: every match
