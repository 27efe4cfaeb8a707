"""Feed and sitemap parsing: bytes and headers in, a ParsedFeed out. No fetching, ever."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
from bs4 import BeautifulSoup

from workers.core.errors import ParseError
from workers.core.items import collect_items
from workers.core.models import FeedItem, ParsedFeed
from workers.core.sitemaps import looks_like_sitemap, parse_sitemap

# An internal entity declaration is how billion-laughs and quadratic-blowup bombs work; real news
# feeds never need one, and feedparser's loose parser would expand it to hundreds of megabytes.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SYSTEM_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*\bSYSTEM\b[^>\[]*\[", re.IGNORECASE)


def check_xml_safety(body: bytes) -> None:
    """Refuse XML that declares entities (expansion bombs, external entities) before any parser sees it."""
    head = body[:65536]
    if _ENTITY_DECL.search(head) or _SYSTEM_DOCTYPE.search(head):
        raise ParseError("the document declares XML entities (a possible entity-expansion bomb); refused")


# A character reference past U+10FFFF (or with hundreds of digits) makes feedparser's chr() raise.
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _defuse_charrefs(body: bytes) -> bytes:
    """Character references no code point answers to become U+FFFD, as an HTML parser would read them."""
    def fix(m: re.Match[bytes]) -> bytes:
        hex_digits, dec_digits = m.group(1), m.group(2)
        digits = (hex_digits or dec_digits).lstrip(b"0")
        if len(digits) > 7:
            return b"&#xFFFD;"
        value = int(digits or b"0", 16 if hex_digits else 10)
        return m.group(0) if 0 < value <= 0x10FFFF else b"&#xFFFD;"

    return _CHARREF.sub(fix, body) if b"&#" in body else body


def text_of(value: str | None) -> str | None:
    """Feed titles may carry markup or entities; store them as plain text only."""
    if not value:
        return None
    if "<" in value or "&" in value:
        value = BeautifulSoup(value, "lxml").get_text(" ")
    value = " ".join(value.split())
    return value or None


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]  # a time.struct_time
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, base_url: str = "") -> ParsedFeed:
    """RSS, Atom or a sitemap (detected) → ParsedFeed. Raises ParseError when nothing usable is found."""
    if not body.strip():
        raise ParseError("the feed is empty")
    check_xml_safety(body)
    if looks_like_sitemap(body):
        return parse_sitemap(body, base_url)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    # Content-Location would let a hostile feed re-base its own links; we know the real URL.
    headers.pop("content-location", None)
    try:
        parsed = feedparser.parse(_defuse_charrefs(body), response_headers=headers or None, sanitize_html=True,
                                  resolve_relative_uris=True)
    except (ValueError, OverflowError) as exc:  # what the byte-level defusing cannot reach (UTF-16 bodies)
        raise ParseError(f"not a readable feed ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise ParseError(f"not an RSS or Atom feed ({type(reason).__name__}: {reason})" if reason
                         else "not an RSS or Atom feed")
    candidates = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            link = next((x.get("href", "") for x in entry.get("links", []) if x.get("href")), "")
        if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
            link = entry["id"]
        candidates.append((link, FeedItem(url=link, title=text_of(entry.get("title")),
                                          published_at=_entry_date(entry),
                                          summary=text_of(entry.get("summary")))))
    items, skipped = collect_items(candidates, base_url)
    ttl = None
    raw_ttl = parsed.feed.get("ttl")
    if raw_ttl and str(raw_ttl).strip().isdigit():
        ttl = int(str(raw_ttl).strip()) * 60
    warning = None
    if parsed.get("bozo"):
        bozo = parsed.get("bozo_exception")
        warning = f"feed is not well-formed ({type(bozo).__name__}: {str(bozo)[:200]}); read leniently"
    return ParsedFeed(items=items, title=text_of(parsed.feed.get("title")), ttl_seconds=ttl,
                      skipped=skipped, warning=warning)
