"""Manual re-fetch: an operator's request goes on the manual lane, ahead of routine work."""

from __future__ import annotations

from workers.core.errors import BlockedURLError, ConfigError
from workers.core.urls import canonicalize, is_fetchable
from workers.queueing import enqueue_page, enqueue_source
from workers.runtime import Runtime


def refetch_source(rt: Runtime, name: str) -> None:
    if rt.store.get_source(name) is None:
        raise ConfigError(f"no source named {name!r}")
    enqueue_source(rt, name, manual=True)


def refetch_url(rt: Runtime, url: str, source: str | None = None) -> str:
    """Queue one page; its source is the stored article's, or the one given, or 'manual'."""
    if not is_fetchable(url):
        raise BlockedURLError(f"only http(s) URLs can be re-fetched: {url!r}", url=url)
    canonical = canonicalize(url)
    if source is None:
        article_id = rt.store.article_id_for_url(canonical)
        article = rt.store.get_article(article_id) if article_id else None
        source = article.source if article else "manual"
    enqueue_page(rt, canonical, source, manual=True)
    return canonical
