"""`akhbar sources add URL` discovers the feeds a homepage advertises (run as the real CLI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import LoopbackSite, Reply, rss

HOME = b"""<!doctype html><html lang="ar"><head><title>home</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://feeds.example.invalid/atom">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="stylesheet" href="/s.css"></head><body><a href="/news/1">x</a></body></html>"""


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite().start()
    server.route("/", Reply(200, {"Content-Type": "text/html; charset=utf-8"}, HOME))
    server.route("/bare", Reply(200, {"Content-Type": "text/html"}, b"<html><body>no feeds</body></html>"))
    server.route("/rss.xml", Reply(200, {"Content-Type": "application/rss+xml"}, rss([])))
    server.route("/robots.txt", Reply(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n"))
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path: Path, site: LoopbackSite) -> dict[str, str]:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    values = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    values.update({"AKHBAR_SOURCES": str(sources), "AKHBAR_STORE_URL": f"sqlite:///{tmp_path / 'a.db'}",
                   "AKHBAR_DATA_DIR": str(tmp_path / "data"), "AKHBAR_ALLOW_HOSTS": site.host_port,
                   "AKHBAR_LOG_LEVEL": "WARNING"})
    return values


def akhbar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "console", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def test_homepage_feeds_are_discovered_and_added(env: dict[str, str], site: LoopbackSite) -> None:
    result = akhbar(env, "sources", "add", f"{site.base}/", "--name", "home")
    assert result.returncode == 0, result.stdout + result.stderr
    listed = json.loads(akhbar(env, "sources", "list", "--json").stdout)
    assert sorted(r["url"] for r in listed) == [f"{site.base}/rss.xml", "https://feeds.example.invalid/atom"]
    assert sorted(r["name"] for r in listed) == ["home-1", "home-2"]
    assert all(r["origin"] == "runtime" and r["kind"] == "feed" for r in listed)
    assert "/robots.txt" not in site.paths()  # the operator's own request: robots does not gate it


def test_a_feed_url_is_added_as_it_is(env: dict[str, str], site: LoopbackSite) -> None:
    assert akhbar(env, "sources", "add", f"{site.base}/rss.xml", "--name", "direct").returncode == 0
    listed = json.loads(akhbar(env, "sources", "list", "--json").stdout)
    assert [(r["name"], r["url"]) for r in listed] == [("direct", f"{site.base}/rss.xml")]


def test_a_page_without_feeds_and_a_refused_address_fail_clearly(env: dict[str, str], site: LoopbackSite) -> None:
    bare = akhbar(env, "sources", "add", f"{site.base}/bare")
    assert bare.returncode != 0 and "advertises no RSS or Atom feed" in bare.stdout + bare.stderr
    refused = akhbar(env, "sources", "add", "http://127.0.0.2:9/")
    assert refused.returncode != 0 and "refused" in refused.stdout + refused.stderr
    assert json.loads(akhbar(env, "sources", "list", "--json").stdout) == []
