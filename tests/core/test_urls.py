"""URL canonicalisation and vetting."""

from __future__ import annotations

import pytest

from workers.core.urls import canonicalize, host_of, is_fetchable


@pytest.mark.parametrize(("raw", "canonical"), [
    ("HTTPS://News.Example.COM:443/a?utm_source=x&utm_medium=rss#top", "https://news.example.com/a"),
    ("https://example.com/a?b=2&a=1&fbclid=zz&gclid=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/ar/أخبار/1", "https://example.com/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"),
    ("https://example.com/ar/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/1", "https://example.com/ar/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"),
    ("http://example.com:80", "http://example.com/"),
    ("http://127.0.0.1:8765/news/x", "http://127.0.0.1:8765/news/x"),
])
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical


@pytest.mark.parametrize(("url", "ok"), [
    ("https://example.com/a", True), ("http://example.com", True), ("javascript:alert(1)", False),
    ("file:///etc/passwd", False), ("data:text/html,x", False), ("/relative/path", False), ("https://", False),
])
def test_is_fetchable(url: str, ok: bool) -> None:
    assert is_fetchable(url) is ok


def test_host_of_keeps_port() -> None:
    assert host_of("http://127.0.0.1:8765/x") == "127.0.0.1:8765"
    assert host_of("https://Example.com/x") == "example.com"
