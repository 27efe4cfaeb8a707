"""Hypothesis strategies for fuzzing the pure core: random bytes, generated tag soup, and real pages
and feeds mutated (bytes flipped, cut, spliced, nested deep, encodings lied about)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = "https://news.example"


@cache
def page_seeds() -> tuple[bytes, ...]:
    from demo.content import STORIES
    from demo.site import RENDER

    seeds = [render(story, BASE).encode("utf-8") for story in STORIES for _, render in [RENDER[story.template]]]
    seeds += [p.read_bytes() for p in sorted(FIXTURES.rglob("*.html"))]
    return tuple(seeds)


@cache
def feed_seeds() -> tuple[bytes, ...]:
    from demo.content import STORIES
    from demo.site import render_atom, render_rss

    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://news.example/a/1</loc>'
               '<news:news><news:publication_date>2026-11-15T10:30:00+02:00</news:publication_date>'
               '<news:title>عنوان</news:title></news:news></url></urlset>')
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             '<sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>')
    return (render_rss(BASE, STORIES).encode(), render_atom(BASE, STORIES).encode(), sitemap.encode(),
            index.encode())


TAGS = ["html", "head", "body", "meta", "title", "article", "div", "p", "h1", "h2", "span", "a", "script",
        "style", "time", "figure", "figcaption", "br", "ul", "li", "table", "td", "noscript", "iframe", "svg",
        "rss", "channel", "item", "link", "guid", "pubDate", "feed", "entry", "updated", "urlset", "url", "loc"]
ATTRS = ["class", "id", "href", "content", "property", "name", "datetime", "rel", "charset", "itemprop", "lang",
         "dir", "src", "type", "http-equiv"]
TEXT = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩0123456789"
                                              " .,:;-/<>&\"'=\n\t\u200f\u200e\ufeff\x00")), max_size=60)
VALUES = st.one_of(TEXT, st.sampled_from(["canonical", "og:url", "og:title", "article:published_time",
                                          "2026-11-15T10:30:00+02:00", "application/ld+json", "utf-8",
                                          "windows-1256", "x-bogus", "http://", "javascript:x", "//[::1]/",
                                          "https://news.example/a?utm_source=x", "{", "1e999", "9" * 40]))


@st.composite
def tag_soup(draw: st.DrawFn, depth: int = 0) -> str:
    """Random, often malformed, markup: unclosed and misnested tags, odd attributes, JSON-LD scraps."""
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 9))
        if kind <= 3 and depth < 6:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(f' {draw(st.sampled_from(ATTRS))}="{draw(VALUES)}"' for _ in range(draw(st.integers(0, 3))))
            inner = draw(tag_soup(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", "", f"</{draw(st.sampled_from(TAGS))}>"]))
            parts.append(f"<{tag}{attrs}>{inner}{close}")
        elif kind == 4:
            parts.append('<script type="application/ld+json">' + draw(st.sampled_from([
                '{"@type":"NewsArticle","headline":', '[{"@graph":[{"@type":"NewsArticle","datePublished":"x"}]}]',
                '{"@type":"NewsArticle","headline":"عنوان","author":{"name":null},"datePublished":12}',
                '{"@type":["NewsArticle"],"keywords":{"a":1},"image":[[[]]]}', "null", "1" * 50])) + "</script>")
        elif kind == 5:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&#0;",
                                               "&#x110000;", "&amp", "<?xml version='1.0' encoding='bogus'?>",
                                               "<!ENTITY x 'y'>", "&nbsp;" * 5, "\x00", "\r\n"])))
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    """A real document with a handful of byte-level and structural mutations."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 8))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == 0 and data:  # flip bytes
            for i in range(at, min(len(data), at + draw(st.integers(1, 16)))):
                data[i] = draw(st.integers(0, 255))
        elif op == 1:  # cut the document short
            del data[at:]
        elif op == 2:  # delete a slice
            del data[at:at + draw(st.integers(1, 500))]
        elif op == 3:  # splice in generated markup
            data[at:at] = draw(tag_soup()).encode("utf-8", "surrogatepass")
        elif op == 4:  # duplicate a slice many times (deep nesting, long runs)
            chunk = bytes(data[at:at + draw(st.integers(1, 80))])
            data[at:at] = chunk * draw(st.integers(2, 200))
        elif op == 5:  # nest deep
            tag = draw(st.sampled_from(["div", "p", "span", "item", "a", "table"])).encode()
            n = draw(st.integers(10, 3000))
            data[at:at] = (b"<" + tag + b">") * n
        elif op == 6:  # re-encode, or lie about the encoding
            encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "cp1256", "iso-8859-6", "latin-1"]))
            data = bytearray(bytes(data).decode("utf-8", "replace").encode(encoding, "replace"))
        elif op == 7:  # a byte-order mark or a NUL somewhere
            data[at:at] = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xc0\x80", b"\xed\xa0\x80"]))
        else:  # swap two slices
            other = draw(st.integers(0, max(0, len(data) - 1)))
            a, b = sorted((at, other))
            data = data[:a] + data[b:] + data[a:b]
    return bytes(data)


HEADERS = st.one_of(st.just({}), st.fixed_dictionaries({"content-type": st.sampled_from([
    "text/html; charset=utf-8", "text/html; charset=windows-1256", "text/html; charset=bogus-42",
    "text/html; charset=", "application/rss+xml", "application/xml; charset=utf-16", "text/plain"])}))


def html_inputs() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=4000), tag_soup().map(lambda s: s.encode("utf-8", "surrogatepass")),
                     mutated(page_seeds()), mutated(page_seeds()))


def feed_inputs() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=4000), tag_soup().map(lambda s: s.encode("utf-8", "surrogatepass")),
                     mutated(feed_seeds()), mutated(feed_seeds()))


URLS = st.sampled_from([f"{BASE}/news/a-1", "https://news.example/", "http://[::1]:99999/x",
                        "https://news.example/%E0%A4%A", "https://news.example/a?utm_source=x#frag"])
