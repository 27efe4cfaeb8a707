"""Canonical form of a page URL: resolved, tracking parameters and fragment dropped, host lower-cased."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Parameters that identify a campaign or a click, never the article.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|ref_src|"
                       r"spm|cmpid|ocid|at_medium|at_campaign|xtor|ito|__twitter_impression|amp)$", re.I)


def canonicalize_url(url: str, base: str = "") -> str:
    """Resolve url against base and drop what does not name the article (tracking params, fragment)."""
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(safe_url_string(url))
    except ValueError:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query, safe="/:"), ""))
