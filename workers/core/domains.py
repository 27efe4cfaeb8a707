"""Who owns a URL: its registrable domain (public-suffix aware), or its exact host and port where there is none.

Two URLs are one owner's when they share a registrable domain: www.example.com and m.example.com are, but
alice.blogspot.com and bob.blogspot.com are not (blogspot.com is on the public suffix list, so each blog is
its own registrable domain). The list is the one publicsuffixlist bundles: no network, loaded once.
"""

from __future__ import annotations

import ipaddress
from functools import cache, lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_DEFAULT_PORTS = {"http": 80, "https": 443}


@cache
def _psl() -> PublicSuffixList:
    """The bundled public suffix list, parsed on first use only (about 10k rules; not at import)."""
    return PublicSuffixList()


@lru_cache(maxsize=4096)  # one outlet's few hosts, again for every link of every page: the idna codec is slow
def _ascii_host(host: str) -> str:
    """One spelling per host name: lower case, no trailing dot, IDN labels as punycode."""
    host = host.lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label the idna codec refuses (too long, odd characters) stays as written
        return host


@lru_cache(maxsize=4096)
def _registrable(host: str) -> str | None:
    return _psl().privatesuffix(host)


def site_of(url: str) -> str | None:
    """The owner key of an http(s) URL: its registrable domain, or `host:port` for an IP literal or a
    name with no public suffix (localhost, single labels); None for anything else (no owner)."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:  # mangled netloc or port
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = _ascii_host(parts.hostname)  # .hostname has dropped any userinfo: `A@B` is host B
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    # privatesuffix('127.0.0.1') would be '0.1' and 'localhost' has none: such hosts are not under any
    # registry's delegation, so only the exact host and port (two servers, two owners) name an owner.
    registrable = None if address is not None else _registrable(host)
    if registrable:
        # a domain's owner holds every port on it, so the port is not part of the key here
        return registrable
    shown = f"[{host}]" if address is not None and address.version == 6 else host
    return f"{shown}:{port or _DEFAULT_PORTS[scheme]}"


def same_site(a: str, b: str) -> bool:
    """True when both URLs have an owner and it is the same one."""
    owner = site_of(a)
    return owner is not None and owner == site_of(b)
