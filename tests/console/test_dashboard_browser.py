"""The dashboard in headless Chromium: sources table, a re-fetch button, the article arriving, a replayed failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.content import STORIES
from tests.console.conftest import TOKEN, api_server, celery_worker, configure

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def articles_page(browser, base: str, count: int, errors: list[str], height: int = 1000):  # type: ignore[no-untyped-def]
    """The dashboard's Articles page once it shows `count` articles; the page's script errors go to `errors`."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/#articles")
    page.wait_for_function("(n) => document.querySelectorAll('#articles-list .article').length == n", arg=count)
    return page


def test_dashboard_refetch_button_brings_the_article(browser, console_env, demo_site, monkeypatch,  # type: ignore[no-untyped-def]
                                                      artifacts: Path) -> None:
    rt = configure(console_env, monkeypatch)
    good = demo_site.base + "/news/school-meals"
    rt.store.add_failure(task="akhbar.fetch_page", args={"url": good, "source": "demo-atom"},
                         error={"kind": "timeout", "message": "read timed out", "url": good}, attempts=6)
    errors: list[str] = []
    with api_server(rt) as base, celery_worker(console_env):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/#sources")
        page.wait_for_selector('#sources-table tr[data-source="demo-rss"]')
        assert page.locator("#sources-table tbody tr").count() == 2
        # buttons without the token say so instead of failing silently
        page.click('button[data-action="refetch-source"][data-source="demo-rss"]')
        page.wait_for_selector("#toast.show.bad")
        assert rt.store.ledger_counts() == {}
        page.locator("#settings").evaluate("(el) => { el.open = true; }")  # the token is pasted under Settings
        page.fill("#token-input", TOKEN)
        page.click("#token-form button[type=submit]")
        page.wait_for_selector('#token-state[data-state="saved"]')
        assert page.evaluate("localStorage.getItem('akhbar.token')") == TOKEN
        page.click('button[data-action="refetch-source"][data-source="demo-rss"]')
        page.wait_for_selector("#toast.show:not(.bad)")

        page.click('nav a[data-page="articles"]')
        rss_titles = [s.title for s in STORIES if "rss" in s.feeds]
        page.wait_for_function("(n) => document.querySelectorAll('#articles-list .article').length >= n",
                               arg=len(rss_titles), timeout=120_000)
        shown = page.locator("#articles-list .article .title").all_inner_texts()
        assert sorted(shown) == sorted(rss_titles)
        text = page.locator("#articles-list .article .text").first
        assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "ar"

        # the other feed: the syndicated copy joins its original's cluster, shown grouped
        page.click('nav a[data-page="sources"]')
        page.click('button[data-action="refetch-source"][data-source="demo-atom"]')
        page.click('nav a[data-page="failures"]')
        page.wait_for_selector('#failures-table tr[data-failure] button[data-action="retry"]')
        page.click('#failures-table button[data-action="retry"]')
        page.wait_for_selector("#failures-table td.empty")
        page.click('nav a[data-page="articles"]')
        page.wait_for_function("() => document.querySelectorAll('#articles-list .article').length >= 6",
                               timeout=120_000)
        page.wait_for_selector("#articles-list .cluster.multi")
        assert page.locator("#articles-list .cluster.multi .article").count() == 2
        page.screenshot(path=str(artifacts / "dashboard-articles.png"), full_page=True)
        page.click('nav a[data-page="overview"]')
        page.wait_for_function("() => Number(document.querySelector('#workers-count').dataset.count) > 0")
        page.screenshot(path=str(artifacts / "dashboard-overview.png"), full_page=True)
        page.click('nav a[data-page="sources"]')
        page.click('#sources-table th[data-sort="articles"]')
        page.screenshot(path=str(artifacts / "dashboard-sources.png"), full_page=True)
    assert errors == []
    assert rt.store.count_articles() == len(STORIES)


def test_dashboard_search_shows_escaped_highlighted_snippets(browser, console_env, demo_site,  # type: ignore[no-untyped-def]
                                                             monkeypatch, artifacts: Path) -> None:
    from workers.core.clock import utcnow
    from workers.core.models import Article

    rt = configure(console_env, monkeypatch)
    hostile = ('مقدمة. <img src=x onerror="window.pwned=1"> <b>والمفاوضات</b> مستمرة '
               '<script>window.pwned=2</script> بين الطرفين حول للمفاوضات')
    for n, (title, body) in enumerate([("خبر المفاوضات", hostile), ("خبر آخر", "الطقس حار اليوم")]):
        url = f"https://news.example/search/{n}"
        rt.store.publish(Article(url=url, canonical_url=url, source="demo-rss", title=title, body=body,
                                 published_at=utcnow()))
    errors: list[str] = []
    with api_server(rt) as base:
        page = articles_page(browser, base, 2, errors)
        assert page.locator("#articles-list .snippet").count() == 0  # no search, no snippet
        page.fill("#article-q", "مفاوضات")
        page.click("#article-filter button[type=submit]")
        page.wait_for_selector("#articles-list .snippet mark")
        assert page.locator("#articles-list .article").count() == 1
        assert page.locator("#articles-list .snippet mark").all_inner_texts() == ["والمفاوضات", "للمفاوضات"]
        snippet = page.locator("#articles-list .snippet").inner_text()
        assert "<img src=x" in snippet and "<b>" in snippet and "<script>" in snippet  # shown, not run
        assert page.locator("#articles-list img, #articles-list script, #articles-list .snippet b").count() == 0
        assert page.evaluate("() => window.pwned") is None
        page.screenshot(path=str(artifacts / "dashboard-search.png"), full_page=True)
    assert errors == []


def test_dashboard_shows_same_story_links_and_brings_one_into_view(browser, console_env, demo_site,  # type: ignore[no-untyped-def]
                                                                    monkeypatch, artifacts: Path) -> None:
    """The semantic stage's links are a hint beside an article, never a cluster: the linked headline on the page
    is a link that brings that article into view; an unlinked article shows no hint."""
    from datetime import timedelta

    from tests.semantic_support import FakeEmbedder
    from workers.adapters.semantic_index import SemanticIndex
    from workers.core.clock import utcnow
    from workers.core.models import Article

    rt = configure(console_env, monkeypatch)
    hot, hot_too, other = ("الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف",
                           "الكويت الأشد حرارة عالميا خلال الصيف الحالي", "الهلال يفوز على النصر في الدوري")
    index = SemanticIndex(rt.store.engine, FakeEmbedder({hot: (1, 0.01, 0), hot_too: (1, 0, 0.01), other: (0, 0, 1)}),
                          window=timedelta(hours=48))
    articles = []
    for n, title in enumerate([hot, other, hot_too]):
        url = f"https://news{n}.example/story"
        article = Article(url=url, canonical_url=url, source="demo-rss", title=title, body=f"نص الخبر {n}.",
                          published_at=utcnow() - timedelta(minutes=30 - n))
        article.cluster_id = article.id
        rt.store.publish(article)
        index.link(article)
        articles.append(article)
    errors: list[str] = []
    with api_server(rt) as base:
        page = articles_page(browser, base, 3, errors, height=500)
        assert page.locator("#articles-list .cluster.multi").count() == 0  # links are no cluster
        hint = page.locator(f'#articles-list .article[data-id="{articles[2].id}"] .same-story')
        assert hint.get_attribute("data-count") == "1"
        assert hint.locator("a.goto").inner_text() == hot
        assert page.locator(f'#articles-list .article[data-id="{articles[1].id}"] .same-story').count() == 0
        hint.locator("a.goto").click()
        target = page.locator(f'#articles-list .article[data-id="{articles[0].id}"]')
        page.wait_for_selector(f'#articles-list .article.flash[data-id="{articles[0].id}"]')
        assert target.is_visible() and page.evaluate("location.hash") == "#articles"
        page.screenshot(path=str(artifacts / "dashboard-same-story.png"), full_page=False)
    assert errors == []
