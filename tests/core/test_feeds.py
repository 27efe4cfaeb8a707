"""Feed parsing: RSS, Atom, sitemaps; hostile input refused or read leniently, never trusted."""

from __future__ import annotations

import pytest

from workers.core.errors import ParseError
from workers.core.feeds import parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>موقع</title><ttl>30</ttl>
<item><title>خبر &lt;b&gt;أول&lt;/b&gt;</title><link>https://news.example/a/1?utm_source=rss</link>
<pubDate>Sun, 15 Nov 2026 10:30:00 +0200</pubDate></item>
<item><title>رابط خبيث</title><link>javascript:alert(1)</link></item>
<item><title>نسخة مكررة</title><link>https://news.example/a/1?utm_medium=x</link></item>
<item><title>نسبي</title><link>/a/2</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>أتوم</title>
<entry><title>مدخل</title><link rel="alternate" href="https://news.example/e/1"/><id>urn:x</id>
<updated>2026-11-15T10:00:00+03:00</updated></entry></feed>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/s/1</loc><news:news><news:publication_date>2026-11-15T08:00:00+02:00</news:publication_date>
<news:title>عنوان من خريطة الموقع</news:title></news:news></url>
<url><loc>file:///etc/passwd</loc></url></urlset>"""

INDEX = """<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""


def test_rss_items_are_canonical_text_and_vetted() -> None:
    feed = parse_feed(RSS.encode(), {}, "https://news.example/rss")
    assert [i.url for i in feed.items] == ["https://news.example/a/1", "https://news.example/a/2"]
    assert feed.items[0].title == "خبر أول"  # markup in a title is stored as text
    assert feed.items[0].published_at is not None and feed.items[0].published_at.hour == 8
    assert feed.ttl_seconds == 1800
    assert any("javascript" in url for url, _ in feed.skipped)


def test_atom() -> None:
    feed = parse_feed(ATOM.encode(), {"Content-Type": "application/atom+xml"}, "https://news.example/atom")
    assert feed.items[0].url == "https://news.example/e/1" and feed.title == "أتوم"


def test_google_news_sitemap() -> None:
    feed = parse_feed(SITEMAP.encode(), {}, "https://news.example/sitemap.xml")
    assert [i.url for i in feed.items] == ["https://news.example/s/1"]
    assert feed.items[0].title == "عنوان من خريطة الموقع"
    assert feed.items[0].published_at is not None and feed.items[0].published_at.utcoffset().seconds == 7200
    assert feed.skipped


def test_gzipped_sitemap_and_index() -> None:
    import gzip

    feed = parse_feed(gzip.compress(SITEMAP.encode()), {}, "https://news.example/sitemap.xml.gz")
    assert len(feed.items) == 1
    index = parse_feed(INDEX.encode(), {}, "https://news.example/sitemap_index.xml")
    assert index.child_sitemaps == ["https://news.example/sitemap-1.xml"]


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><rss>&lol2;</rss>',
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "x" [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss>&e;</rss>',
])
def test_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(ParseError, match="entit"):
        parse_feed(body, {}, "https://x.example/")


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body>not a feed</body></html>", b"\x00\xff\xfe garbage"])
def test_non_feeds_raise_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, {}, "https://x.example/")


def test_real_feeds_from_the_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((corpus / "feeds" / "real").glob("*.xml")):
        feed = parse_feed(path.read_bytes(), {}, "https://example.com/")
        assert feed.items, path.name
        assert all(i.url.startswith("http") for i in feed.items)
