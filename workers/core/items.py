"""Link vetting that feeds, sitemaps and section pages share: raw item links in, canonical fetchable items out."""

from __future__ import annotations

from workers.core.models import FeedItem
from workers.core.urls import canonicalize, is_fetchable, resolve


def collect_items(candidates: list[tuple[str, FeedItem]],
                  base_url: str) -> tuple[list[FeedItem], list[tuple[str, str]]]:
    """Resolve, vet and canonicalise item links; refused ones are returned as (url, reason)."""
    items: list[FeedItem] = []
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw, item in candidates:
        absolute = resolve(base_url, raw) if raw else ""
        if not absolute or not is_fetchable(absolute):
            skipped.append((raw[:300], "not an http(s) link"))
            continue
        try:
            url = canonicalize(absolute)
        except ValueError:
            skipped.append((raw[:300], "malformed URL"))
            continue
        if url in seen:
            continue
        seen.add(url)
        items.append(FeedItem(url=url, title=item.title, published_at=item.published_at, summary=item.summary))
    return items, skipped
