"""Canonical form of a URL found in a page, and which URL is an article's identity (DESIGN.md, Article `id`)."""

from __future__ import annotations

from typing import NamedTuple

from workers.core.domains import same_site
from workers.core.urls import canonicalize, is_fetchable, resolve


def canonicalize_url(url: str, base: str = "") -> str:
    """Resolve url against base and canonicalise it as feed items are (tracking params, fragment dropped)."""
    url = (url or "").strip()
    if base:
        url = resolve(base, url)
    try:
        return canonicalize(url)
    except ValueError:  # a mangled href stays as written rather than failing the page
        return url


def http_url(url: str | None, base: str = "") -> str | None:
    """url resolved against base and canonicalised when it is an absolute http(s) URL with a host, else None.

    For every URL field that is stored (canonical, image, related links, claims): javascript:, data:,
    file: and mangled hrefs never reach the store, where a dashboard would render them as links.
    """
    url = (url or "").strip()
    if not url:
        return None
    try:
        absolute = resolve(base, url) if base else url
        canonical = canonicalize(absolute)
    except ValueError:  # urljoin/urlsplit refuse a broken netloc such as "http://[::1"
        return None
    return canonical if is_fetchable(canonical) else None


class Identity(NamedTuple):
    """canonical_url: the URL the article's id derives from; claimed_canonical_url: another owner's URL the
    page declared as its canonical, kept as a duplicate signal only."""

    canonical_url: str
    claimed_canonical_url: str | None


def article_identity(page_url: str, *declared: str | None) -> Identity:
    """Which URL names this article: the first usable declared canonical (rel=canonical, then og:url) when it
    is on the fetched page's own site (registrable domain), else the page's own final URL.

    A page may name any URL of its own site as canonical (www. and m. pages of one outlet are one article),
    but never another site's article as itself: that would let it take over the other site's row and stop
    the real page being fetched. A cross-site declaration is returned as a claim instead.
    """
    own = http_url(page_url) or canonicalize_url(page_url)  # file: pages of `akhbar extract` keep their URI
    for candidate in declared:
        url = http_url(candidate, page_url)
        if url is None:
            continue  # unusable (not http(s), mangled, empty): the next declaration or the page decides
        if same_site(url, page_url):
            return Identity(url, None)
        return Identity(own, url if url != own else None)
    return Identity(own, None)
