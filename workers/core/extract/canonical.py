"""Canonical form of a URL found in a page: resolved against the page, then the project's one canonical form."""

from __future__ import annotations

from workers.core.urls import canonicalize, resolve


def canonicalize_url(url: str, base: str = "") -> str:
    """Resolve url against base and canonicalise it as feed items are (tracking params, fragment dropped)."""
    url = (url or "").strip()
    if base:
        url = resolve(base, url)
    try:
        return canonicalize(url)
    except ValueError:  # a mangled href stays as written rather than failing the page
        return url
