"""The dashboard in headless Chromium against hostile stored text and a framing page: every field that shows
stored text is direction-isolated, and no other page can frame the dashboard (a framed Disable is a click away)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import update

from tests.console.conftest import TOKEN, api_server, configure

pytestmark = [pytest.mark.browser, pytest.mark.integration]
RLO, RLI, RLM, PDF = "\u202e", "\u2067", "\u200f", "\u202c"
# One value per field, each with an unterminated override or isolate: isolated, it reorders only itself.
HOSTILE = {
    "title": f"{RLO}elttit kcatta \u0639\u0627\u062c\u0644",
    "subtitle": f"{RLI}subtitle \u0645\u0648\u062c\u0632",
    "tag1": f"{RLO}1gat",
    "tag2": f"\u0648\u0633\u0645 {RLM}tag2{RLO}",
    "original_source": f"{RLO}ycnega",
    "article_source": f"{RLO}ecruos-elcitra",
    "source_name": f"evil{RLO}-source",
    "source_url": f"http://evil.example/{RLO}lru",
    "reason": f"{RLO}nosaer elbisiv {PDF}",
    "failure_source": f"{RLO}eruliaf-ecruos",
    "failure_url": f"http://evil.example/{RLO}f",
    "failure_kind": f"{RLO}dnik",
    "failure_message": f"{RLO}egassem rorre",
    "worker_name": f"{RLO}rekrow",
    "worker_queues": f"pages{RLO}",
    "worker_url": f"http://evil.example/{RLO}w",
}
# Which planted values each page must show, so a page that rendered nothing cannot pass.
PAGES = {
    "articles": {"title", "subtitle", "tag1", "tag2", "original_source", "article_source"},
    "sources": {"source_name", "source_url", "reason"},
    "failures": {"failure_source", "failure_url", "failure_kind", "failure_message"},
    "overview": {"worker_name", "worker_queues", "worker_url"},
}
# For every text node carrying a bidi control: the nearest element around it that isolates direction.
ISOLATORS = """() => {
  const controls = /[\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c]/;
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!controls.test(node.textContent)) continue;
    let el = node.parentElement;
    while (el && !(el.tagName === 'BDI' || (el.getAttribute('dir') || '').toLowerCase() === 'auto')) {
      el = el.parentElement;
    }
    found.push({text: node.textContent, isolated: el ? el.textContent : null});
  }
  return found;
}"""


@pytest.fixture
def console_env(akhbar_env: dict[str, str]) -> dict[str, str]:
    """The demo site's sources, embedded broker and SQLite, an API token (as tests/console has it)."""
    return {**akhbar_env, "AKHBAR_API_TOKEN": TOKEN}


def plant_hostile_text(rt: Any) -> None:
    """Store hostile text in every field the dashboard shows, written past any cleaning the store may do."""
    from workers.adapters import schema as t
    from workers.core.models import Article, Source

    h = HOSTILE
    article = Article(url="http://evil.example/a", canonical_url="http://evil.example/a", source="demo-rss",
                      title="placeholder", body="\u0646\u0635 " * 20, published_at=datetime.now(UTC))
    rt.store.publish(article)
    data = {**article.to_dict(), "title": h["title"], "subtitle": h["subtitle"], "tags": [h["tag1"], h["tag2"]],
            "original_source": h["original_source"], "source": h["article_source"]}
    rt.store.add_source(Source(name="planted", url="http://evil.example/feed"))
    rt.store.set_source_enabled("planted", False, "placeholder")
    failure = rt.store.add_failure(task="akhbar.fetch_page", args={"url": "http://x.example/", "source": "x"},
                                   error={"kind": "timeout", "message": "placeholder"}, attempts=6)
    now = datetime.now(UTC)
    rt.store.heartbeat("placeholder", hostname="h", pid=1, queues="pages", active=1, processed=3, started_at=now,
                       current={"task": "akhbar.fetch_page", "queue": "pages", "source": "x", "url": h["worker_url"],
                                "since": now.isoformat()})  # every key a worker writes (workers/process.py)
    with rt.store.engine.begin() as conn:
        conn.execute(update(t.articles).where(t.articles.c.id == article.id)
                     .values(title=h["title"], source=h["article_source"], data=data))
        conn.execute(update(t.sources).where(t.sources.c.name == "planted")
                     .values(name=h["source_name"], url=h["source_url"], disabled_reason=h["reason"]))
        conn.execute(update(t.failures).where(t.failures.c.id == failure)
                     .values(source=h["failure_source"], url=h["failure_url"], error_kind=h["failure_kind"],
                             message=h["failure_message"]))
        conn.execute(update(t.workers).where(t.workers.c.name == "placeholder")
                     .values(name=h["worker_name"], queues=h["worker_queues"]))


def test_every_stored_field_is_direction_isolated(browser, console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure(console_env, monkeypatch)
    plant_hostile_text(rt)
    errors: list[str] = []
    with api_server(rt) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # the page must work under its own CSP: a blocked script, style or image is logged as a console error
        page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
        ready = {"articles": "#articles-list .article", "sources": "#sources-table tr[data-source]",
                 "failures": "#failures-table tr[data-failure]", "overview": "#workers-table tbody tr td bdi"}
        for name, wanted in PAGES.items():
            page.goto(f"{base}/#{name}")
            page.wait_for_selector(ready[name])
            found = page.evaluate(ISOLATORS)
            values = {HOSTILE[k] for k in wanted}
            unisolated = [f["text"] for f in found if f["isolated"] is None]
            assert unisolated == [], (name, unisolated)
            # each isolating element holds exactly one stored value: nothing else shares its direction
            strays = [f["isolated"] for f in found if f["isolated"].strip() not in set(HOSTILE.values())]
            assert strays == [], (name, strays)
            assert values <= {f["isolated"].strip() for f in found}, (name, values)
    assert errors == []


@contextlib.contextmanager
def framing_page(target: str) -> Iterator[str]:
    """Another origin on the same host (another loopback port) whose page frames the dashboard."""
    html = f'<!DOCTYPE html><html><body><iframe id="f" src="{target}/#sources" width="1200" height="800">' \
           "</iframe></body></html>"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_another_page_cannot_frame_the_dashboard(browser, console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure(console_env, monkeypatch)
    with api_server(rt) as base, framing_page(base) as framer:
        page = browser.new_page()
        page.goto(framer)
        page.wait_for_function("() => document.querySelector('#f') !== null")
        page.wait_for_timeout(2000)  # long enough for the dashboard to load and render its sources table
        frames = [f for f in page.frames if f != page.main_frame]
        assert len(frames) == 1
        frame = frames[0]
        rendered = frame.evaluate("() => document.querySelectorAll('#sources-table tr[data-source]').length")
        assert rendered == 0, f"the dashboard rendered inside another origin's frame ({frame.url})"
        assert not frame.query_selector('button[data-action="disable"]')
    assert rt.store.get_source("demo-rss")["enabled"] is True
