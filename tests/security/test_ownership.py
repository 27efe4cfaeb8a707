"""Finding (High): a page on host B declaring `rel=canonical` to host A's article took over A's row, and
when B came first A's real page was never fetched. A page never names another site's article as itself.

Two loopback "sites": A on 127.0.0.1 and B on 127.0.0.2, each with its own feed, through the real services
(refresh_source, ingest_page), the real fetcher and a real store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integration.fetch_runtime import add_source, make_runtime, page_jobs
from tests.loopback import LoopbackSite, Reply, rss
from tests.texts import FIRE, WEATHER
from workers.core.extract import extract_article
from workers.core.models import Article, article_id
from workers.runtime import Runtime
from workers.services import ingest_page, refresh_source

TITLE_A = "حريق ضخم في مستودع للأخشاب بالمنطقة الصناعية"
TITLE_B = "نسخة منقولة تدعي أنها الخبر الأصلي عن الطقس"
HTML = "text/html; charset=utf-8"


def page(title: str, text: str, canonical: str | None, og_url: str | None = None, extra: str = "") -> bytes:
    """A small Arabic article page with the given canonical and og:url declarations."""
    head = f'<link rel="canonical" href="{canonical}">' if canonical is not None else ""
    head += f'<meta property="og:url" content="{og_url}">' if og_url is not None else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in (text, text.replace("،", " و"), "فقرة ختامية تكمل نص الخبر هنا."))
    return (f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><article><h1>{title}</h1><div class=\"article-body\">{paragraphs}</div>{extra}</article>"
            "</body></html>").encode()


@pytest.fixture
def site_b() -> Iterator[LoopbackSite]:
    """A second site on its own loopback address, so A and B are two hosts, not two paths."""
    server = LoopbackSite(host="127.0.0.2").start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def rt(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str, site: LoopbackSite, site_b: LoopbackSite,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    """The pipeline's runtime on the given store, allowed to reach exactly the two loopback sites."""
    store_url = (f"sqlite:///{tmp_path / 'akhbar.db'}" if request.param == "sqlite"
                 else request.getfixturevalue("pg_url"))
    runtime = make_runtime(tmp_path, redis_url, [site.host_port, site_b.host_port], monkeypatch,
                           store_url=store_url)
    yield runtime
    runtime.store.engine.dispose()


def serve_pair(site: LoopbackSite, site_b: LoopbackSite) -> tuple[str, str]:
    """A's real article and B's page claiming to be it (rel=canonical and og:url both name A)."""
    url_a, url_b = f"{site.base}/v/1.html", f"{site_b.base}/copy/1.html"
    site.route("/v/1.html", Reply(200, {"Content-Type": HTML}, page(TITLE_A, FIRE, url_a)))
    site.route("/rss", Reply(200, {"Content-Type": "application/rss+xml"}, rss([(url_a, TITLE_A)])))
    site_b.route("/copy/1.html", Reply(200, {"Content-Type": HTML}, page(TITLE_B, WEATHER, url_a, url_a)))
    site_b.route("/rss", Reply(200, {"Content-Type": "application/rss+xml"}, rss([(url_b, TITLE_B)])))
    return url_a, url_b


def poll_and_ingest(rt: Runtime, source: str, url: str) -> None:
    """The source's poll must queue the page (nothing stored under its URL yet), then the page job runs."""
    outcome = refresh_source(rt, source)
    assert outcome.result == "ok" and outcome.queued == 1, f"{source}'s page was not queued: {outcome}"
    assert url in {job["url"] for job in page_jobs(rt)}
    ingest_page(rt, url, source)


def rows_by_url(rt: Runtime) -> dict[str, Article]:
    """The stored articles by their final URL."""
    return {a.url: a for a in rt.store.list_articles(limit=10)}


@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_a_foreign_canonical_never_takes_over_or_hides_the_real_article(
        rt: Runtime, site: LoopbackSite, site_b: LoopbackSite, order: str) -> None:
    url_a, url_b = serve_pair(site, site_b)
    add_source(rt, "a", f"{site.base}/rss")
    add_source(rt, "b", f"{site_b.base}/rss")
    steps = [("a", url_a), ("b", url_b)]
    for source, url in steps if order == "a_first" else reversed(steps):
        poll_and_ingest(rt, source, url)

    assert "/v/1.html" in site.paths(), "A's real page was never fetched"
    rows = rows_by_url(rt)
    assert set(rows) == {url_a, url_b}, "both URLs are stored as rows of their own"
    a, b = rows[url_a], rows[url_b]
    assert (a.source, a.title, a.revision, a.canonical_url) == ("a", TITLE_A, 1, url_a)
    assert a.id == article_id(url_a) and a.claimed_canonical_url is None
    assert (b.source, b.title, b.canonical_url) == ("b", TITLE_B, url_b)
    assert b.id == article_id(url_b) and b.claimed_canonical_url == url_a
    # the claim is a duplicate signal: B sits in A's cluster, whichever page came first
    assert a.cluster_id and a.cluster_id == b.cluster_id
    # and A, the original by B's own words, is the head in either order: a hostile copy is never A's original
    assert b.duplicate_of == a.id and a.duplicate_of is None
    # the claimed URL is A's, in the seen set: B's row owns only its own URLs
    assert rt.store.article_id_for_url(url_a) == a.id
    assert rt.store.article_id_for_url(url_b) == b.id
    assert len(rt.store.events_since(0)) == 2  # two publishes, no "updated" of A by B


def test_a_sibling_subdomain_canonical_is_the_same_owner() -> None:
    """www. and m. of one registrable domain: the m. page's canonical names the www. article, one row."""
    body = page(TITLE_A, FIRE, "https://www.akhbar-example.com/v/1.html")
    article = extract_article(body, "https://m.akhbar-example.com/v/1.html")
    assert article.canonical_url == "https://www.akhbar-example.com/v/1.html"
    assert article.id == article_id("https://www.akhbar-example.com/v/1.html")
    assert article.claimed_canonical_url is None


@pytest.mark.parametrize(("page_url", "declared"), [
    ("https://alice.blogspot.com/2024/01/x.html", "https://bob.blogspot.com/2024/01/x.html"),
    ("https://alice.github.io/x.html", "https://bob.github.io/x.html"),
    ("https://copycat.example.org/x.html", "https://www.akhbar-example.com/v/1.html"),
    ("https://copycat.example.org/x.html", "https://copycat.example.org@www.akhbar-example.com/v/1.html"),
])
def test_another_owner_is_only_claimed(page_url: str, declared: str) -> None:
    """A shared public suffix is not a shared owner; userinfo does not disguise the host."""
    article = extract_article(page(TITLE_B, WEATHER, declared, declared), page_url)
    assert article.canonical_url == page_url and article.id == article_id(page_url)
    assert article.claimed_canonical_url == declared.replace("copycat.example.org@", "")


@pytest.mark.parametrize("declared", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
                                      "http://[::1", "https://", "vbscript:x", "  "])
def test_unusable_canonical_falls_back_to_the_page(declared: str) -> None:
    url = "https://www.akhbar-example.com/v/1.html"
    article = extract_article(page(TITLE_A, FIRE, declared, declared), url)
    assert article.canonical_url == url and article.id == article_id(url)
    assert article.claimed_canonical_url is None


def test_relative_canonical_and_userinfo() -> None:
    url = "https://www.akhbar-example.com/v/1.html?utm_source=feed"
    relative = extract_article(page(TITLE_A, FIRE, "/v/1-slug.html"), url)
    assert relative.canonical_url == "https://www.akhbar-example.com/v/1-slug.html"
    userinfo = extract_article(page(TITLE_A, FIRE, "https://user:pw@www.akhbar-example.com/v/1.html"), url)
    assert userinfo.canonical_url == "https://www.akhbar-example.com/v/1.html"
    assert "pw" not in json.dumps(userinfo.to_dict())


def test_every_stored_url_field_is_http() -> None:
    """canonical_url, url, image, related[].url and any claim: javascript:, data:, file: never get through."""
    related = ('<section class="related-posts"><h2>مقالات ذات صلة</h2><ul>'
               '<li><a href="javascript:alert(1)">خبر أول عن الميزانية العامة للدولة</a></li>'
               '<li><a href="data:text/html,x">خبر ثان عن المداخيل الجبائية الجديدة</a></li>'
               '<li><a href="file:///etc/passwd">خبر ثالث عن الموازنة المعدلة هذا العام</a></li>'
               '<li><a href="/v/2.html">خبر رابع عن البرلمان والمصادقة على القانون</a></li></ul></section>')
    body = page(TITLE_A, FIRE, "javascript:alert(1)", "data:text/html,x", extra=related)
    body = body.replace(b"</head>", b'<meta property="og:image" content="javascript:alert(1)"></head>')
    article = extract_article(body, "https://www.akhbar-example.com/v/1.html")
    urls = [article.url, article.canonical_url, article.image, article.claimed_canonical_url,
            *(r.url for r in article.related)]
    assert all(u is None or u.startswith(("http://", "https://")) for u in urls), urls
    assert [r.url for r in article.related] == ["https://www.akhbar-example.com/v/2.html"]
    data_image = page(TITLE_A, FIRE, None).replace(b"</head>", b'<meta property="og:image" content="data:image/png;'
                                                                b'base64,AAAA"></head>')
    assert extract_article(data_image, "https://www.akhbar-example.com/v/1.html").image is None


def test_an_update_never_changes_the_rows_source(store) -> None:  # type: ignore[no-untyped-def]
    """Whatever reaches a stored article again (another source, a re-fetch), its first source stays."""
    url = "https://www.akhbar-example.com/v/1.html"
    first = Article(url=url, canonical_url=url, source="a", title=TITLE_A, body=FIRE)
    assert store.publish(first).status == "published"
    again = Article(url=url, canonical_url=url, source="b", title=TITLE_A, body=FIRE + " تحديث.")
    assert store.publish(again).status == "updated"
    stored = store.get_article(first.id)
    assert stored.revision == 2 and stored.source == "a"
    assert store.list_articles(source="a")[0].id == first.id and store.list_articles(source="b") == []


def test_akhbar_extract_follows_the_rule(tmp_path: Path) -> None:
    """`akhbar extract PATH --url URL` prints the id and URLs the pipeline would store."""
    saved = tmp_path / "b.html"
    saved.write_bytes(page(TITLE_B, WEATHER, "https://www.akhbar-example.com/v/1.html"))
    url = "https://copycat.example.org/copy/1.html"
    result = subprocess.run([sys.executable, "-m", "console", "extract", str(saved), "--url", url],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == article_id(url) and data["canonical_url"] == url
    assert data["claimed_canonical_url"] == "https://www.akhbar-example.com/v/1.html"
