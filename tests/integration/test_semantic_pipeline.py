"""ingest_page with the semantic stage (AKHBAR_SEMANTIC=1, real model, loopback site, SQLite and PostgreSQL):
two outlets' headlines in other words are linked in same_story, and stay in clusters of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.fetch_runtime import make_runtime
from tests.loopback import LoopbackSite, Reply
from tests.semantic_support import needs_semantic_extra
from tests.texts import FIRE, WEATHER
from workers.runtime import Runtime
from workers.services import ingest_page

HTML = "text/html; charset=utf-8"
HOT = "الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف"
HOT_TOO = "الكويت الأشد حرارة عالميا خلال الصيف الحالي"
OTHER = "حريق ضخم في مستودع للأخشاب بالمنطقة الصناعية"
HEAT = ("سجلت محطات الرصد في الكويت خلال الأيام الماضية درجات حرارة تجاوزت الخمسين، لتكون الأعلى بين مدن العالم "
        "في هذا الموسم، ودعت وزارة الصحة السكان إلى تجنب التعرض للشمس في ساعات الظهيرة وشرب كميات كافية من الماء.")


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in (text, "فقرة ختامية تكمل نص الخبر هنا بتفاصيل إضافية."))
    return (f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2026-03-01T09:00:00+03:00"></head>'
            f"<body><article><h1>{title}</h1><div class=\"article-body\">{paragraphs}</div></article>"
            "</body></html>").encode()


@pytest.fixture(params=["sqlite", "postgresql"])
def rt(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str, site: LoopbackSite,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    needs_semantic_extra()
    store_url = (f"sqlite:///{tmp_path / 'akhbar.db'}" if request.param == "sqlite"
                 else request.getfixturevalue("pg_url"))
    runtime = make_runtime(tmp_path, redis_url, [site.host_port], monkeypatch, store_url=store_url,
                           semantic=True, semantic_window_hours=24 * 365 * 5)
    yield runtime
    runtime.store.engine.dispose()


def test_paraphrased_headlines_are_linked_not_clustered(rt: Runtime, site: LoopbackSite) -> None:
    # bodies written apart (no shared copy), so the lexical stage keeps them in two clusters
    site.route("/a.html", Reply(200, {"Content-Type": HTML}, page(HOT, WEATHER)))
    site.route("/b.html", Reply(200, {"Content-Type": HTML}, page(HOT_TOO, HEAT)))
    site.route("/c.html", Reply(200, {"Content-Type": HTML}, page(OTHER, FIRE)))
    a = ingest_page(rt, f"{site.base}/a.html", "one").article
    c = ingest_page(rt, f"{site.base}/c.html", "two").article
    b = ingest_page(rt, f"{site.base}/b.html", "three").article
    stored = {x.id: x for x in rt.store.list_articles()}
    assert stored[b.id].cluster_id != stored[a.id].cluster_id
    assert b.same_story == [a.id]
    assert stored[a.id].same_story == [b.id] and stored[b.id].same_story == [a.id]
    assert stored[c.id].same_story == []
    assert all(x.duplicate_of is None for x in stored.values())
    # a redelivered job embeds nothing again and keeps the links
    assert ingest_page(rt, f"{site.base}/b.html", "three").result == "unchanged"
    assert rt.store.get_article(b.id).same_story == [a.id]


def test_the_stage_is_off_by_default(tmp_path: Path, redis_url: str, site: LoopbackSite,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = make_runtime(tmp_path, redis_url, [site.host_port], monkeypatch)
    assert runtime.settings.semantic is False and runtime.semantic is None
    site.route("/a.html", Reply(200, {"Content-Type": HTML}, page(HOT, WEATHER)))
    assert ingest_page(runtime, f"{site.base}/a.html", "one").article.same_story == []
    runtime.store.engine.dispose()
