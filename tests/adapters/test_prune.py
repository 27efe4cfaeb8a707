"""Retention in the store (SQLite and PostgreSQL): old articles go with every row that names them, clusters keep
a live head, --keep-metadata keeps rows without bodies, batches commit apart, a dry run changes nothing."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, or_, select, update

from workers.adapters import schema as t
from workers.adapters import summaries
from workers.adapters.dedupe_store import StoreDedupeIndex, dedupe_items, dedupe_keys
from workers.adapters.prune import Pruner
from workers.adapters.search_index import search_docs
from workers.adapters.store import Store
from workers.core.clock import utcnow
from workers.core.clusters import Member, choose_head
from workers.core.dedupe import DedupeItem
from workers.core.models import Article

BODY = "أعلنت وزارة المياه بدء التشغيل التجريبي لمحطة جديدة لتحلية مياه البحر تنتج ثلاثين ألف متر مكعب يومياً"


def article(name: str, *, title: str | None = None, body: str | None = None, cluster: str | None = None,
            published_days_ago: float | None = None, claims: str | None = None) -> Article:
    url = f"https://{name}.example/news/1"
    made = Article(url=url, canonical_url=url, source=name, title=title or f"خبر {name}",
                   body=body or f"{BODY} {name}", summary=f"ملخص {name}", subtitle="عنوان فرعي",
                   published_at=None if published_days_ago is None else utcnow() - timedelta(days=published_days_ago),
                   claimed_canonical_url=claims)
    made.cluster_id = cluster or made.id  # as the pipeline gives it: the first member's id
    made.duplicate_of = None if made.cluster_id == made.id else made.cluster_id
    return made


def put(store: Store, made: Article, stored_days_ago: float = 0) -> Article:
    """Publish, settle its cluster as the pipeline does, and date the row's stored_at back."""
    store.publish(made, urls=[f"{made.url}?utm=feed"])
    if made.cluster_id:
        store.settle_head(made.cluster_id)
    with store.engine.begin() as conn:
        conn.execute(update(t.articles).where(t.articles.c.id == made.id)
                     .values(stored_at=utcnow() - timedelta(days=stored_days_ago)))
        summaries.backfill(conn)  # the summaries as if it had been stored then
    return made


def cutoff(days: float = 90) -> Any:
    return utcnow() - timedelta(days=days)


def ids(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(t.articles.c.id)).scalars())


def dangling(store: Store) -> dict[str, int]:
    """Rows naming an article that is not there (every table retention must keep in step), by table."""
    live = select(t.articles.c.id)
    checks = {
        "urls": select(func.count()).select_from(t.article_urls).where(t.article_urls.c.article_id.not_in(live)),
        "claims": select(func.count()).select_from(t.article_claims)
        .where(t.article_claims.c.article_id.not_in(live)),
        "embeddings": select(func.count()).select_from(t.article_embeddings)
        .where(t.article_embeddings.c.article_id.not_in(live)),
        "links": select(func.count()).select_from(t.same_story_links).where(or_(
            t.same_story_links.c.article_id.not_in(live), t.same_story_links.c.other_id.not_in(live))),
        "dedupe_items": select(func.count()).select_from(dedupe_items).where(dedupe_items.c.article_id.not_in(live)),
        "dedupe_keys": select(func.count()).select_from(dedupe_keys)
        .where(dedupe_keys.c.seq.not_in(select(dedupe_items.c.seq))),
        "duplicate_of": select(func.count()).select_from(t.articles).where(
            t.articles.c.duplicate_of.is_not(None), t.articles.c.duplicate_of.not_in(live)),
    }
    if store.dialect == "sqlite":  # PostgreSQL's search vector is on the row itself
        checks["search_docs"] = (select(func.count()).select_from(search_docs)
                                 .where(search_docs.c.article_id.not_in(live)))
    with store.engine.connect() as conn:
        found = {name: n for name, query in checks.items() if (n := conn.execute(query).scalar_one())}
        if summaries.kept(conn) != summaries.recount(conn):  # counts per source and cluster, as a recount gives
            found["summaries"] = 1
        return found


def heads_as_the_rule_says(store: Store) -> list[str]:
    """Clusters whose pointers differ from choose_head over their members (empty: every cluster is settled)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.id, t.articles.c.cluster_id, t.articles.c.duplicate_of,
                                   t.articles.c.published_at, t.articles.c.stored_at)
                            .where(t.articles.c.cluster_id.is_not(None))).all()
        listed = dict(conn.execute(select(t.clusters.c.cluster_id, t.clusters.c.head_id)).all())  # the summary
    by_cluster: dict[str, list[Any]] = {}
    for row in rows:
        by_cluster.setdefault(row.cluster_id, []).append(row)
    wrong = []
    for cluster_id, members in by_cluster.items():
        head = choose_head(Member(r.id, r.published_at, r.stored_at) for r in members)
        if any(r.duplicate_of != (None if r.id == head else head) for r in members) or listed.get(cluster_id) != head:
            wrong.append(cluster_id)
    return wrong


def test_pruning_removes_exactly_the_articles_stored_before_the_cutoff(store) -> None:  # type: ignore[no-untyped-def]
    old = [put(store, article(f"old{i}", published_days_ago=1), stored_days_ago=91 + i) for i in range(3)]
    # the page's own date does not count (a site controls it): a 1990 claim stored today stays
    new = [put(store, article(f"new{i}", published_days_ago=[12000, None, 100][i]), stored_days_ago=89)
           for i in range(3)]
    tally = Pruner(store, batch_size=2).run(cutoff())
    assert ids(store) == {a.id for a in new}
    assert (tally.deleted, tally.stripped, tally.skipped_busy, tally.batches) == (3, 0, 0, 2)
    assert tally.bytes_freed > 3 * len(BODY)
    assert store.get_article(old[0].id) is None and store.article_id_for_url(old[0].url) is None
    assert {a.id for a in store.list_articles(q="المياه")} == {a.id for a in new}  # search forgot them
    assert store.known_urls([old[0].url + "?utm=feed"]) == set()
    assert dangling(store) == {}
    assert Pruner(store).run(cutoff()).deleted == 0  # nothing left to do


def test_no_row_names_a_pruned_article(store) -> None:  # type: ignore[no-untyped-def]
    index = StoreDedupeIndex(store.engine, window_days=7)
    old = put(store, article("old", claims="https://elsewhere.example/orig"), stored_days_ago=100)
    new = put(store, article("new"))
    index.assign(DedupeItem(article_id=old.id, source="old", title=old.title, body=old.body, at=utcnow()))
    with store.engine.begin() as conn:
        conn.execute(t.article_embeddings.insert(), [
            {"article_id": a.id, "model": "m", "at": utcnow(), "vector": b"\0" * 8} for a in (old, new)])
        conn.execute(t.same_story_links.insert(), [{"article_id": old.id, "other_id": new.id, "score": 0.9},
                                                   {"article_id": new.id, "other_id": old.id, "score": 0.9}])
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dedupe_keys)).scalar_one() > 0
        assert conn.execute(select(func.count()).select_from(t.article_claims)).scalar_one() == 1

    assert Pruner(store).run(cutoff()).deleted == 1
    assert dangling(store) == {} and ids(store) == {new.id}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dedupe_keys)).scalar_one() == 0
        assert conn.execute(select(t.article_embeddings.c.article_id)).scalars().all() == [new.id]
    assert store.get_article(new.id).same_story == []
    assert store.first_claimant(["https://elsewhere.example/orig"], exclude_id="x") is None
    # the index no longer offers the pruned article: a copy of it starts its own cluster
    copy = index.assign(DedupeItem(article_id="copy", source="other", title=old.title, body=old.body, at=utcnow()))
    assert copy.cluster_id == "copy" and copy.duplicate_of is None


@pytest.mark.parametrize("batch_size", [500, 1])  # 1: the old head goes, then the head after it: counted once
def test_a_cluster_whose_head_is_pruned_gets_the_next_earliest_survivor(store, batch_size: int) -> None:  # type: ignore[no-untyped-def]
    head = put(store, article("first", published_days_ago=120), stored_days_ago=120)
    cluster = head.id
    also_old = put(store, article("second", cluster=cluster, published_days_ago=110), stored_days_ago=110)
    later = put(store, article("third", cluster=cluster, published_days_ago=30), stored_days_ago=30)
    next_earliest = put(store, article("fourth", cluster=cluster, published_days_ago=60), stored_days_ago=2)
    assert store.get_article(also_old.id).duplicate_of == head.id

    tally = Pruner(store, batch_size=batch_size).run(cutoff())
    assert (tally.deleted, tally.clusters_touched, tally.heads_moved) == (2, 1, 1)
    members = {a.id: a for a in store.list_articles(cluster=cluster, limit=10)}
    assert set(members) == {later.id, next_earliest.id}
    assert {a.cluster_id for a in members.values()} == {cluster}  # cluster_id never changes
    assert members[next_earliest.id].duplicate_of is None and members[later.id].duplicate_of == next_earliest.id
    assert dangling(store) == {} and heads_as_the_rule_says(store) == []
    assert [c["members"] for c in store.clusters()] == [2]


def test_a_wholly_old_cluster_goes_whole_and_a_member_loss_keeps_the_head(store) -> None:  # type: ignore[no-untyped-def]
    gone = put(store, article("g1", published_days_ago=200), stored_days_ago=200)
    put(store, article("g2", cluster=gone.id, published_days_ago=199), stored_days_ago=199)
    kept = put(store, article("k1", published_days_ago=10), stored_days_ago=10)
    put(store, article("k2", cluster=kept.id, published_days_ago=20), stored_days_ago=95)  # the head, old
    tail = put(store, article("k3", cluster=kept.id, published_days_ago=5), stored_days_ago=100)  # a member, old
    assert store.get_article(tail.id).duplicate_of != kept.id  # k2 heads (published earliest)
    tally = Pruner(store).run(cutoff())
    assert tally.deleted == 4 and (tally.clusters_touched, tally.heads_moved) == (1, 1)
    assert ids(store) == {kept.id} and store.get_article(kept.id).duplicate_of is None
    assert dangling(store) == {}


def test_keep_metadata_keeps_rows_without_bodies(store) -> None:  # type: ignore[no-untyped-def]
    old = put(store, article("old", title="افتتاح محطة التحلية", body="نص يذكر البرتقال والزيتون"),
              stored_days_ago=100)
    new = put(store, article("new", body="نص آخر يذكر البرتقال"))
    before = store.get_article(old.id)
    tally = Pruner(store, keep_metadata=True).run(cutoff())
    assert (tally.stripped, tally.deleted) == (1, 0) and tally.bytes_freed > 0
    after = store.get_article(old.id)
    assert after is not None and ids(store) == {old.id, new.id}
    assert (after.body, after.summary, after.subtitle, after.related) == ("", None, None, [])
    for field in ("id", "url", "canonical_url", "title", "source", "published_at", "fetched_at", "cluster_id",
                  "duplicate_of", "content_hash", "revision"):
        assert getattr(after, field) == getattr(before, field), field
    assert store.article_id_for_url(old.url) == old.id  # still "seen": not fetched again
    # found by its title only, no longer by its text
    assert [a.id for a in store.list_articles(q="البرتقال")] == [new.id]
    assert [a.id for a in store.list_articles(q="محطة التحلية")] == [old.id]
    assert Pruner(store, keep_metadata=True).run(cutoff()).stripped == 0  # a second run has nothing to do
    assert dangling(store) == {}


def test_a_dry_run_says_what_a_run_does_and_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    head = put(store, article("a", published_days_ago=100), stored_days_ago=100)
    put(store, article("b", cluster=head.id, published_days_ago=50), stored_days_ago=50)
    put(store, article("c", published_days_ago=95), stored_days_ago=95)

    def snapshot() -> list[Any]:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(t.articles).order_by(t.articles.c.id))]

    before = snapshot()
    plan = Pruner(store).plan(cutoff())
    strip_plan = Pruner(store, keep_metadata=True).plan(cutoff())
    assert snapshot() == before
    assert plan.dry_run and (plan.deleted, plan.clusters_touched, plan.heads_moved) == (2, 1, 1)
    assert strip_plan.stripped == 2 and strip_plan.deleted == 0
    done = Pruner(store).run(cutoff())
    assert (done.deleted, done.clusters_touched, done.heads_moved) == (2, 1, 1)
    assert done.bytes_freed == plan.bytes_freed


def test_batches_commit_one_by_one(store) -> None:  # type: ignore[no-untyped-def]
    """Between two batches another connection sees the first's deletes and can write (a publish goes through)."""
    for i in range(6):
        put(store, article(f"old{i}"), stored_days_ago=100 + i)
    other = Store.from_url(str(store.engine.url.render_as_string(hide_password=False)))
    seen: list[int] = []

    def between(batch: Any, total: Any) -> None:
        seen.append(other.count_articles())
        other.publish(article(f"between{total.batches}"))  # this thread holds no lock now, or this would hang

    try:
        tally = Pruner(store, batch_size=2).run(cutoff(), between)
    finally:
        other.engine.dispose()
    assert tally.batches == 3 and tally.deleted == 6
    assert seen == [4, 3, 2]  # 6 old: each batch's 2 gone, one written after each
    assert len(ids(store)) == 3  # the three written between batches, none pruned (stored now)


def test_pruning_while_workers_publish_into_the_same_clusters_leaves_them_consistent(store) -> None:  # type: ignore[no-untyped-def]
    """Threads publish new members (some published earlier than every member: new heads), re-publish old ones
    and settle heads as the pipeline does, each on its own connection, while a prune in small batches deletes
    the old members of the same clusters. Afterwards every cluster is settled by the head rule and nothing
    names a deleted article; a second prune finds only what a publish held locked the first time."""
    rng = random.Random(15)
    clusters: list[str] = []
    old: list[Article] = []
    for c in range(12):
        first = put(store, article(f"c{c}m0", published_days_ago=150), stored_days_ago=150)
        clusters.append(first.id)
        old.append(first)
        for m in range(1, 5):
            old.append(put(store, article(f"c{c}m{m}", cluster=first.id, published_days_ago=rng.uniform(91, 140)),
                           stored_days_ago=rng.uniform(91, 140)))
        put(store, article(f"c{c}new", cluster=first.id, published_days_ago=rng.uniform(1, 80)), stored_days_ago=1)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def publisher(n: int) -> None:
        local = random.Random(n)
        try:
            start.wait()
            for i in range(25):
                cluster = local.choice(clusters)
                if i % 5 == 4:  # a re-fetch of an old member (it may be gone already: then it is stored anew)
                    again = local.choice(old)
                    store.publish(again)
                    store.settle_head(again.cluster_id or again.id)
                    continue
                made = article(f"p{n}x{i}", cluster=cluster, published_days_ago=local.choice([400, 30, 2]))
                store.publish(made)
                store.settle_head(cluster)
        except BaseException as exc:  # the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=publisher, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    start.wait()
    first_run = Pruner(store, batch_size=3).run(cutoff())
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert first_run.deleted > 0 and first_run.heads_moved > 0
    Pruner(store, batch_size=3).run(cutoff())  # whatever a publish held locked the first time
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.articles)
                            .where(t.articles.c.stored_at < cutoff())).scalar_one() == 0
    assert dangling(store) == {}
    assert heads_as_the_rule_says(store) == []
    assert {a.cluster_id for a in store.list_articles(limit=1000)} <= set(clusters)


def test_postgres_skips_a_row_a_publish_holds_and_the_next_run_takes_it(pg_url: str) -> None:
    """A row locked by another transaction (a publish re-fetching it) is not waited for: left for the next run."""
    from config.settings import Settings

    store = Store.from_url(Settings(store_url=pg_url).sqlalchemy_store_url)
    store.migrate()
    try:
        held = put(store, article("held"), stored_days_ago=100)
        free = put(store, article("free"), stored_days_ago=100)
        result: list[Any] = []
        with store.engine.connect() as other, other.begin():
            other.execute(select(t.articles.c.id).where(t.articles.c.id == held.id).with_for_update())
            pruning = threading.Thread(target=lambda: result.append(Pruner(store).run(cutoff())), daemon=True)
            pruning.start()
            pruning.join(30)  # a prune waiting for the lock would still be running (the lock is held till here)
            assert not pruning.is_alive() and (result[0].deleted, result[0].skipped_busy) == (1, 1)
        assert ids(store) == {held.id} and free.id not in ids(store)
        assert Pruner(store).run(cutoff()).deleted == 1 and ids(store) == set()
        assert dangling(store) == {}
    finally:
        store.engine.dispose()
