"""Shared by the dashboard's browser tests: a store with something on every page, pages opened at a size,
axe-core run under the strict CSP, screenshots."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from demo.content import STORIES, WATER_WIRE
from workers.core.clock import utcnow
from workers.core.models import Article

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
PAGES = ["overview", "sources", "articles", "failures"]
LONG_URL = ("https://news.example.org/ar/politics/2026/12/04/"
            "%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86-%D8%AE%D8%B7%D8%A9-%D9%84%D9%84%D9%85%D9%8A%D8%A7%D9%87"
            "?utm_source=feed&utm_medium=rss&ref=front-page-top-stories")
ARABIC = re.compile("[\u0600-\u06ff]")


def seed(rt: Any, base: str) -> None:
    """Articles (one cluster of two), a source in backoff, two failures, a live worker, finished jobs."""
    now = utcnow()
    for i, story in enumerate(STORIES):
        url = f"{base}/news/{story.slug}"
        rt.store.publish(Article(url=url, canonical_url=url, source="demo-rss" if i % 2 else "demo-atom",
                                 title=story.title, body="\n\n".join(story.paragraphs), subtitle=story.subtitle,
                                 tags=story.tags, published_at=now - timedelta(minutes=7 * i + 3),
                                 cluster_id="cluster-water" if story.paragraphs[:3] == WATER_WIRE[:3]
                                 else None))
    rt.store.update_source("demo-atom", state="backoff", consecutive_failures=3,
                           last_error={"kind": "http_status", "status": 503, "message": "الخدمة غير متاحة مؤقتًا",
                                       "url": LONG_URL, "at": (now - timedelta(minutes=4)).isoformat()})
    for attempts, url in ((6, LONG_URL), (5, f"{base}/news/missing-page")):
        rt.store.add_failure(task="akhbar.fetch_page", args={"url": url, "source": "demo-rss"},
                             error={"kind": "timeout", "message": "read timed out after 15 s", "url": url},
                             attempts=attempts)
    rt.store.heartbeat("worker-1@host.pages.1", hostname="host", pid=4242, queues="manual,pages", active=1,
                       processed=57, started_at=now - timedelta(hours=2),
                       current={"task": "akhbar.fetch_page", "url": LONG_URL, "source": "demo-rss",
                                "queue": "pages", "since": (now - timedelta(seconds=12)).isoformat()})
    for i in range(9):
        key = f"job-{i}"
        rt.store.ledger_enqueue(key, kind="page", queue="pages", source="demo-rss", url=f"{base}/p/{i}", args={},
                                stale_after=timedelta(minutes=15))
        rt.store.ledger_update(key, "done" if i % 4 else "failed")


def polls(page: Any) -> int:
    return int(page.evaluate("() => window.akhbar ? window.akhbar.polls : 0"))


def wait_polls(page: Any, more: int = 1, timeout: float = 15_000) -> None:
    """Wait until `more` further refreshes have completed (a function, not an expression: the CSP forbids eval)."""
    page.wait_for_function("(n) => window.akhbar && window.akhbar.polls >= n", arg=polls(page) + more,
                           timeout=timeout)


READY = {
    "overview": "#workers-table tbody tr, #summary-cards .card",
    "sources": '#sources-table tr[data-source="demo-rss"]',
    "articles": "#articles-list .article",
    "failures": "#failures-table tr[data-failure]",
}


def open_page(browser: Any, base: str, name: str, size: dict[str, int], storage: dict[str, str] | None = None,
              errors: list[str] | None = None) -> Any:
    """A new page at this size on one of the dashboard's pages, rendered from at least one poll."""
    context = browser.new_context(viewport=size)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(f"{msg.text} {msg.location.get('url', '')}")
                if msg.type == "error" else None)
    page.goto(f"{base}/#{name}")
    if storage:  # the choices an operator made earlier in this browser, then the page as it opens with them
        page.evaluate("(items) => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }",
                      storage)
        page.reload()
    page.wait_for_selector(READY[name])
    wait_polls(page)
    return page


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core (from the axe-playwright-python wheel, no network) on the page as shown: its violations."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)  # by the DevTools protocol: the page's CSP does not apply to it
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
             "targets": [n["target"] for n in v["nodes"]][:3], "help": v["help"]} for v in results["violations"]]


def screens_dir() -> Path:
    """Where screenshots go: DASHBOARD_SCREENS, else tests/artifacts/screens."""
    path = Path(os.environ.get("DASHBOARD_SCREENS") or Path(__file__).resolve().parents[1] / "artifacts" / "screens")
    path.mkdir(parents=True, exist_ok=True)
    return path
