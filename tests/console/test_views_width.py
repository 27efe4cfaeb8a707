"""The terminal tables at any width: no line wider than the terminal, no id, date or URL split across lines."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from rich.console import Console

from console.views import articles_table, clusters_table, failures_table
from workers.core.models import Article
from workers.core.rows import ClusterRow

NOW = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
LONG_URL = "https://www.example-news-site.com/ar/news/2026/12/04/a-very-long-article-slug-1234567890.html"


def _articles() -> list[Article]:
    out = []
    for i, (title, tags, original) in enumerate([
        ("الأرصاد تتوقع أمطاراً غزيرة على المناطق الشمالية حتى نهاية الأسبوع المقبل", ["طقس", "أمطار غزيرة"], None),
        ("مهرجان القراءة السنوي يستقبل أكثر من 50000 زائر في أسبوعه الأول", ["ثقافة", "كتب", "مهرجانات", "شباب"],
         "وكالة الأنباء الرسمية"),
        ("Breaking: قمة اقتصادية في 2026-12-04 بمشاركة 12 دولة", [], "رويترز"),
    ]):
        url = f"https://news.example/{i}"
        article = Article(url=url, canonical_url=url, source=["demo-rss", "a-long-source-name-here", "wire"][i],
                          title=title, body="نص", tags=tags, original_source=original,
                          published_at=NOW - timedelta(hours=i * 7))
        out.append(article)
    out[2].duplicate_of = out[0].id
    return out


def _render(renderable: object, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [60, 72, 80, 88, 95, 100, 110, 120, 140, 180])
@pytest.mark.parametrize("bidi", [True, False])
def test_articles_table_fits_and_splits_no_token(width: int, bidi: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from console import cells

    monkeypatch.setattr(cells, "_terminal_bidi", bidi)
    articles = _articles()
    lines = _render(articles_table(articles), width)
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    for a in articles:
        published = a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else ""
        assert any(a.id[:8] in line and published in line for line in lines), (width, "\n".join(lines))
    if any(line.startswith("┃") and "dup of" in line for line in lines):  # the copy's row names its head's shown id
        assert any(articles[2].id[:8] in line and line.count(articles[0].id[:8]) == 1 for line in lines)
    else:
        assert width < 80
    if width >= 140:
        assert not any(line.startswith("hidden at this width") for line in lines)


def test_clusters_and_failures_fit_80_columns_with_urls_whole_or_ellipsised() -> None:
    clusters = [ClusterRow(cluster_id="ab" * 16, members=3, first_at=NOW, last_at=NOW,
                           title="تشغيل محطة جديدة لتحلية المياه تخدم ثلاث بلدات ساحلية",
                           sources=["demo-atom", "demo-rss", "a-long-source-name-here"], article_ids=[])]
    failures = [{"id": 12, "at": NOW.isoformat(), "source": "demo-rss", "url": LONG_URL, "error_kind": "http_status",
                 "message": f"503 Service Unavailable while fetching {LONG_URL}", "attempts": 5}]
    for renderable in (clusters_table(clusters), failures_table(failures)):
        lines = _render(renderable, 80)
        assert all(cell_len(line) <= 80 for line in lines), "\n".join(lines)
        for line in lines:  # a piece of the URL on a line is always its start: never a middle carried over
            for cell in line.split("│"):
                if any(part in cell for part in ("example-news", "/ar/news", "article-slug", "567890.html")):
                    assert "https://www.example" in cell, line
