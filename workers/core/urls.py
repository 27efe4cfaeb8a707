"""URL canonicalisation: one spelling per article URL, so two feeds linking it yield one job and one row."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

ALLOWED_SCHEMES = ("http", "https")
# Tracking parameters newsrooms and social networks append; they never select different content.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"ocid|cmpid|ref_src|ref_url|spm|s_cid|at_medium|at_campaign|xtor|ito|__twitter_impression|amp)$",
    re.IGNORECASE,
)


def is_fetchable(url: str) -> bool:
    """True for absolute http(s) URLs with a host; false for file:, javascript:, data: and the like."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def resolve(base: str, link: str) -> str:
    """An href as found in a page or feed, made absolute against the document URL."""
    return urljoin(base, link.strip())


@lru_cache(maxsize=8192)  # a page names its own URL three times (URL, canonical, og:url); a site's links recur
def canonicalize(url: str) -> str:
    """Tracking parameters and fragment dropped, host lower-cased, default port and encoding normalised."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    query = "&".join(
        pair for pair in parts.query.split("&")
        if pair and not TRACKING.match(pair.split("=", 1)[0])
    )
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        netloc = f"{host}:{parts.port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" + (f":{parts.port}" if parts.port else "")
    path = parts.path or "/"
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
    # w3lib sorts the query and normalises percent-encoding (Arabic slugs arrive both raw and encoded).
    return canonicalize_url(rebuilt, keep_fragments=False)


def host_of(url: str) -> str:
    """host[:port] of a URL, lower-cased: the unit of politeness and of the allow-list."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def url_key(url: str) -> str:
    """The fixed-length key of a URL (sha256 hex): job idempotency keys and the seen-URL index use it."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()
