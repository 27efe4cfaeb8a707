"""Section and home pages (source kind `page`): discover the article links they carry, by pattern."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from workers.core.items import collect_items
from workers.core.models import FeedItem, ParsedFeed
from workers.core.urls import host_of, resolve

# Without a configured pattern, an article URL usually carries a long numeric id or a dated path.
DEFAULT_PATTERN = r"/(?:\d{4}/\d{1,2}/\d{1,2}/|(?:news|story|article|akhbar)s?/)|\d{5,}"


def discover_links(html: str, base_url: str, pattern: str | None = None, limit: int = 300) -> ParsedFeed:
    """Links on the same host whose URL matches the pattern, with their anchor text as title."""
    regex = re.compile(pattern or DEFAULT_PATTERN)
    soup = BeautifulSoup(html, "lxml")
    host = host_of(base_url)
    candidates = []
    for anchor in soup.find_all("a", href=True):
        href = resolve(base_url, _attr(anchor, "href") or "")
        if host_of(href) != host or not regex.search(href):
            continue
        title = " ".join(anchor.get_text(" ").split()) or None
        candidates.append((href, FeedItem(url=href, title=title)))
        if len(candidates) >= limit:
            break
    items, skipped = collect_items(candidates, base_url)
    return ParsedFeed(items=items, skipped=skipped)


def discover_feeds(html: str, base_url: str) -> list[tuple[str, str | None]]:
    """Feeds a homepage advertises with <link rel=alternate type=rss/atom>: (url, title)."""
    soup = BeautifulSoup(html, "lxml")
    found: list[tuple[str, str | None]] = []
    for link in soup.find_all("link", href=True):
        rel = " ".join(link.get("rel") or []).lower()
        kind = (_attr(link, "type") or "").lower()
        if "alternate" in rel and ("rss" in kind or "atom" in kind or kind.endswith("xml")):
            url = resolve(base_url, _attr(link, "href") or "")
            if url not in [u for u, _ in found]:
                found.append((url, _attr(link, "title")))
    return found


def _attr(tag: Tag, name: str) -> str | None:
    """A single-valued attribute's text (bs4 types every attribute as possibly a list of values)."""
    value = tag.get(name)
    return value if isinstance(value, str) else None
