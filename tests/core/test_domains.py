"""Who owns a URL: registrable domains (public-suffix aware), and exact host:port where there is none."""

from __future__ import annotations

import pytest

from workers.core.domains import same_site, site_of


@pytest.mark.parametrize(("url", "site"), [
    ("https://www.example.com/a", "example.com"),
    ("https://m.example.com/a", "example.com"),
    ("https://EXAMPLE.com./a", "example.com"),  # case and a trailing dot are the same name
    ("https://news.bbc.co.uk/x", "bbc.co.uk"),  # a multi-label public suffix
    ("https://alice.blogspot.com/p", "alice.blogspot.com"),  # a private suffix: each blog its own owner
    ("https://bob.github.io/p", "bob.github.io"),
    ("https://user:pw@www.example.com:8443/a", "example.com"),  # userinfo and port never change the owner
    ("http://127.0.0.1:8765/a", "127.0.0.1:8765"),  # an IP literal: the exact host and port
    ("http://127.0.0.1/a", "127.0.0.1:80"),
    ("https://127.0.0.1/a", "127.0.0.1:443"),
    ("http://[::1]:8000/a", "[::1]:8000"),
    ("http://localhost:8000/a", "localhost:8000"),  # no public suffix: the exact host and port
    ("http://intranet/a", "intranet:80"),
    ("https://xn--mgbh0fb.xn--wgbh1c/a", "xn--mgbh0fb.xn--wgbh1c"),
    ("https://www.مثال.مصر/a", "xn--mgbh0fb.xn--wgbh1c"),  # an IDN compares as its punycode
    ("javascript:alert(1)", None),
    ("data:text/html,x", None),
    ("file:///etc/passwd", None),
    ("/relative/path", None),
    ("http://[broken/", None),
    ("", None),
])
def test_site_of(url: str, site: str | None) -> None:
    assert site_of(url) == site


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://www.example.com/a", "https://m.example.com/b", True),  # sibling subdomains, one owner
    ("http://example.com/a", "https://www.example.com/b", True),
    ("https://example.com/a", "https://example.org/a", False),
    ("https://example.com/a", "https://example.com.evil.net/a", False),
    ("https://evilexample.com/a", "https://example.com/a", False),
    ("https://alice.blogspot.com/a", "https://bob.blogspot.com/a", False),  # shared suffix, two owners
    ("https://alice.github.io/a", "https://bob.github.io/a", False),
    ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a", False),  # two servers on one address
    ("http://127.0.0.1:8001/a", "http://127.0.0.2:8001/a", False),
    ("http://localhost:8001/a", "http://127.0.0.1:8001/a", False),
    ("http://127.0.0.1:8001/a", "http://127.0.0.1:8001/b", True),
    ("http://127.0.0.1:8001@127.0.0.2:8001/a", "http://127.0.0.1:8001/a", False),  # userinfo is not the host
    ("javascript:alert(1)", "javascript:alert(1)", False),  # no owner is never the same owner
    ("file:///a", "file:///a", False),
])
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same
    assert same_site(b, a) is same
