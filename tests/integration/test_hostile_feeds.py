"""Feeds that fight back: the shared hostile corpus (and a few bombs of our own) polled through the real
refresh_source over loopback. No uncaught exception, bounded memory, a clear health message each, and
the healthy source beside them unaffected."""

from __future__ import annotations

import re
import resource
from pathlib import Path

import pytest

from tests.integration.fetch_runtime import add_source, make_runtime, page_jobs
from tests.loopback import LoopbackSite, Reply, endless, gzip_bomb, rss
from workers.runtime import Runtime
from workers.services import refresh_source

HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.MULTILINE)
KNOWN_KINDS = {"parse", "too_large", "content_type", "content_encoding", "timeout", "fetch"}


def hostile_files(corpus: Path) -> list[Path]:
    root = corpus / "feeds" / "hostile"
    return sorted(p for p in root.rglob("*.xml"))


def served(path: Path) -> Reply:
    """The file's bytes with its `Header:` lines as HTTP headers (the feedparser suite's convention)."""
    body = path.read_bytes()
    headers = {name.decode(): value.decode("latin-1") for name, value in HEADER.findall(body)}
    headers.setdefault("Content-type", "application/xml")
    return Reply(200, headers, body)


def feed_shaped_bomb(references: int = 2000) -> bytes:
    """The README's gap: RSS whose description expands one 100 KB entity thousands of times."""
    entity = "x" * 100_000
    refs = "&big;" * references
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{entity}">]><rss version="2.0"><channel>'
            f"<title>t</title><item><title>bomb</title><link>http://example.invalid/a</link>"
            f"<description>{refs}</description></item></channel></rss>").encode()


@pytest.fixture
def rt(tmp_path: Path, redis_url: str, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    return make_runtime(tmp_path, redis_url, [site.host_port], monkeypatch, max_body_bytes=2 * 1024 * 1024)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_every_hostile_feed_is_survived_with_a_clear_health_record(corpus: Path, rt: Runtime,
                                                                  site: LoopbackSite) -> None:
    files = hostile_files(corpus)
    assert len(files) >= 45
    names: dict[str, str] = {}
    for index, path in enumerate(files):
        route = f"/hostile/{index}.xml"
        site.route(route, served(path))
        names[f"h{index:02d}"] = str(path.relative_to(corpus))
        add_source(rt, f"h{index:02d}", site.base + route)
    extra = {
        "x-feed-bomb": Reply(200, {"Content-Type": "application/rss+xml"}, feed_shaped_bomb()),
        "x-gzip-bomb": Reply(200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
                             gzip_bomb(500)),
        "x-endless": lambda _h: Reply(200, {"Content-Type": "application/rss+xml"}, endless()),
        "x-script-links": Reply(200, {"Content-Type": "application/rss+xml"}, rss([
            ("javascript:alert(document.cookie)", "<script>alert(1)</script>عاجل"),
            ("JaVaScRiPt:alert(2)", "<img src=x onerror=alert(3)>"),
            (f"{site.base}/news/ok", '<b>عنوان</b> <a href="javascript:x">رابط</a>')])),
    }
    for name, reply in extra.items():
        site.route(f"/{name}", reply)
        add_source(rt, name, f"{site.base}/{name}")
        names[name] = name
    site.route("/healthy", Reply(200, {"Content-Type": "application/rss+xml"},
                                 rss([(f"{site.base}/healthy/1", "خبر سليم")])))
    add_source(rt, "healthy", f"{site.base}/healthy")

    before = _rss_mib()
    outcomes = {name: refresh_source(rt, name) for name in names}  # an uncaught exception fails the test here
    grown = _rss_mib() - before
    assert grown < 100, f"peak memory grew by {grown:.0f} MiB"

    healthy = refresh_source(rt, "healthy")
    assert healthy.result == "ok" and healthy.queued == 1
    assert rt.store.get_source("healthy")["state"] == "ok"

    for name, outcome in outcomes.items():
        row = rt.store.get_source(name)
        assert outcome.result in ("ok", "failed"), (names[name], outcome)
        if outcome.result == "failed":
            error = row["last_error"]
            assert error["kind"] in KNOWN_KINDS and len(error["message"]) > 10, (names[name], error)
            assert row["state"] == "backoff" and row["consecutive_failures"] == 1
    for name in ("x-feed-bomb", *[n for n, f in names.items() if "defusedxml" in f]):
        error = rt.store.get_source(name)["last_error"]
        assert error["kind"] == "parse" and "entit" in error["message"], (names[name], error)
    assert rt.store.get_source("x-gzip-bomb")["last_error"]["kind"] == "too_large"
    assert rt.store.get_source("x-endless")["last_error"]["kind"] == "too_large"

    for job in page_jobs(rt):
        assert job["url"].startswith(("http://", "https://")), job["url"]
        title = job["args"]["title"] or ""
        assert not re.search(r"<\s*[a-z/!]", title, re.IGNORECASE), (job["source"], title)
        assert "javascript:" not in job["url"].lower()
    scripted = [j for j in page_jobs(rt) if j["source"] == "x-script-links"]
    assert [j["url"] for j in scripted] == [f"{site.base}/news/ok"]
    assert scripted[0]["args"]["title"] == "عنوان رابط"
    skipped = rt.store.get_source("x-script-links")["recent_errors"]
    assert sum(1 for n in skipped if n["kind"] == "item_skipped") == 2
