"""Sitemaps: urlset, sitemap index and Google News sitemaps (gzip already undone by the fetcher)."""

from __future__ import annotations

import gzip
import re
import zlib
from datetime import datetime

from dateutil import parser as dateparser
from lxml import etree

from workers.core.errors import ParseError
from workers.core.items import collect_items
from workers.core.models import FeedItem, ParsedFeed

_ROOT = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)\b")


def maybe_gunzip(body: bytes, limit: int = 50 * 1024 * 1024) -> bytes:
    """A .xml.gz sitemap served without Content-Encoding arrives compressed: open it, within a limit."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=__import__("io").BytesIO(body)) as handle:
            data = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt: a bad document, not a crash
        raise ParseError(f"the gzip sitemap is corrupt or cut short ({type(exc).__name__})") from None
    if len(data) > limit:
        raise ParseError("the gzip sitemap expands past the size limit")
    return data


def looks_like_sitemap(body: bytes) -> bool:
    body = maybe_gunzip(body)
    return bool(_ROOT.search(body[:4096]))


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = dateparser.isoparse(text.strip())
    except (ValueError, OverflowError):
        return None
    return value if value.tzinfo else None


def parse_sitemap(body: bytes, base_url: str = "") -> ParsedFeed:
    """urlset → items (with news:title and news:publication_date when given); index → child sitemaps."""
    body = maybe_gunzip(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"sitemap is not XML: {exc}") from None
    if root is None:
        raise ParseError("sitemap is empty")
    # not etree.QName: a recovered document can carry a prefixed tag with no namespace ("news:title")
    tag = str(root.tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    if tag == "sitemapindex":
        children = [loc.text.strip() for loc in root.iter("{*}loc") if loc.text]
        return ParsedFeed(items=[], child_sitemaps=children[:1000])
    candidates = []
    for node in root.iter("{*}url"):
        loc = node.find("{*}loc")
        if loc is None or not loc.text:
            continue
        title = node.find(".//{*}news/{*}title")
        published = node.find(".//{*}news/{*}publication_date")
        lastmod = node.find("{*}lastmod")
        when = _date(published.text if published is not None else None) or _date(
            lastmod.text if lastmod is not None else None)
        candidates.append((loc.text.strip(), FeedItem(
            url=loc.text.strip(), title=(title.text or "").strip() or None if title is not None else None,
            published_at=when)))
    items, skipped = collect_items(candidates, base_url)
    return ParsedFeed(items=items, skipped=skipped)
