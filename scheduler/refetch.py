"""Manual re-fetch: an operator's request goes on the manual lane, ahead of routine work."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from workers.core.errors import BlockedURLError, ConfigError
from workers.core.urls import canonicalize, is_fetchable
from workers.queueing import enqueue_page, enqueue_source
from workers.runtime import Runtime


def refetch_source(rt: Runtime, name: str) -> None:
    if rt.sources.get(name) is None:
        raise ConfigError(f"no source named {name!r}")
    enqueue_source(rt, name, manual=True)


def refetch_url(rt: Runtime, url: str, source: str | None = None) -> str:
    """Queue one page; its source is the stored article's, or the one given, or 'manual'."""
    if not is_fetchable(url):
        raise BlockedURLError(f"only http(s) URLs can be re-fetched: {url!r}", url=url)
    if re.search(r"[\x00-\x1f\x7f]", url):
        raise BlockedURLError(f"control characters in the URL: {url!r}", url=url)
    try:
        port = urlsplit(url.strip()).port  # raises for a port past 65535 or not a number
    except ValueError:
        port = 0
    if port == 0:
        raise BlockedURLError(f"invalid port in URL (must be 1-65535): {url!r}", url=url)
    try:
        canonical = canonicalize(url)
    except (ValueError, UnicodeError):  # e.g. a host name IDNA cannot encode
        raise BlockedURLError(f"not a valid URL: {url!r}", url=url) from None
    if source is None:
        article_id = rt.articles.id_for_url(canonical)
        article = rt.articles.get(article_id) if article_id else None
        source = article.source if article else "manual"
    enqueue_page(rt, canonical, source, manual=True)
    return canonical
