"""Which URL is an article's identity: its declared canonical only when the page's own site declares it."""

from __future__ import annotations

import pytest

from workers.core.extract.canonical import Identity, article_identity, http_url

PAGE = "https://www.example.com/news/1?utm_source=x"
OWN = "https://www.example.com/news/1"


@pytest.mark.parametrize(("page", "declared", "identity"), [
    (PAGE, [], Identity(OWN, None)),
    (PAGE, [None, None], Identity(OWN, None)),
    (PAGE, ["https://www.example.com/news/1?id=1"], Identity("https://www.example.com/news/1?id=1", None)),
    (PAGE, ["/news/1-slug"], Identity("https://www.example.com/news/1-slug", None)),  # relative: resolved
    (PAGE, ["https://m.example.com/n/1"], Identity("https://m.example.com/n/1", None)),  # sibling subdomain
    (PAGE, ["http://example.com/n/1#top"], Identity("http://example.com/n/1", None)),
    # another site's article is only claimed: the row keeps its own URL as its key
    (PAGE, ["https://victim.example.org/v/1.html"], Identity(OWN, "https://victim.example.org/v/1.html")),
    (PAGE, ["https://example.com.evil.net/v/1"], Identity(OWN, "https://example.com.evil.net/v/1")),
    (PAGE, ["//victim.example.org/v/1"], Identity(OWN, "https://victim.example.org/v/1")),  # scheme-relative
    (PAGE, ["https://victim.example.org/v/1", "https://www.example.com/n/og"],  # rel=canonical outranks og:url
     Identity(OWN, "https://victim.example.org/v/1")),
    ("https://alice.blogspot.com/p/1", ["https://bob.blogspot.com/p/1"],
     Identity("https://alice.blogspot.com/p/1", "https://bob.blogspot.com/p/1")),
    ("https://alice.github.io/p/1", ["https://alice.github.io/p/2"], Identity("https://alice.github.io/p/2", None)),
    ("http://127.0.0.2:8002/copy", ["http://127.0.0.1:8001/v/1.html"],
     Identity("http://127.0.0.2:8002/copy", "http://127.0.0.1:8001/v/1.html")),
    ("http://127.0.0.1:8002/copy", ["http://127.0.0.1:8001/v/1.html"],
     Identity("http://127.0.0.1:8002/copy", "http://127.0.0.1:8001/v/1.html")),
    ("http://127.0.0.1:8001/a", ["http://127.0.0.1:8001/b"], Identity("http://127.0.0.1:8001/b", None)),
    # userinfo never reaches a stored URL, and never disguises the host
    (PAGE, ["https://user:pw@www.example.com/n/1"], Identity("https://www.example.com/n/1", None)),
    (PAGE, ["https://www.example.com@victim.example.org/v/1"], Identity(OWN, "https://victim.example.org/v/1")),
    # not an http(s) URL, or mangled: ignored, the next declaration (og:url) or the page's own URL decides
    (PAGE, ["javascript:alert(1)"], Identity(OWN, None)),
    (PAGE, ["data:text/html,<b>x</b>", "https://www.example.com/n/og"], Identity("https://www.example.com/n/og", None)),
    (PAGE, ["file:///etc/passwd"], Identity(OWN, None)),
    (PAGE, ["http://[::1"], Identity(OWN, None)),
    (PAGE, ["https://"], Identity(OWN, None)),
    (PAGE, ["  "], Identity(OWN, None)),
    (PAGE, [OWN], Identity(OWN, None)),
])
def test_article_identity(page: str, declared: list[str | None], identity: Identity) -> None:
    assert article_identity(page, *declared) == identity


def test_a_saved_page_without_a_web_address_only_claims() -> None:
    """`akhbar extract` of several files gives file: page URLs: no site, so no canonical is its own."""
    assert article_identity("file:///tmp/p.html", "https://example.com/n/1") == Identity(
        "file:///tmp/p.html", "https://example.com/n/1")


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("/img/a.jpg", "https://example.com/n/1", "https://example.com/img/a.jpg"),
    ("https://cdn.example.net/a.jpg?utm_source=x", "", "https://cdn.example.net/a.jpg"),
    ("javascript:alert(1)", "https://example.com/", None),
    ("JaVaScRiPt:alert(1)", "https://example.com/", None),
    ("data:image/png;base64,AAAA", "https://example.com/", None),
    ("file:///etc/passwd", "https://example.com/", None),
    ("http://[::1", "https://example.com/", None),
    ("", "https://example.com/", None),
    (None, "https://example.com/", None),
])
def test_http_url(url: str | None, base: str, expected: str | None) -> None:
    assert http_url(url, base) == expected
