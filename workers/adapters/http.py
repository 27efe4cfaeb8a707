"""HTTP fetching with httpx: SSRF guard pinned to the checked address, limits, redirects, conditional GET."""

from __future__ import annotations

import socket
import ssl
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from config.settings import Settings, setting_default
from workers.adapters.politeness import HostGate, build_gate
from workers.adapters.robots import MAX_ROBOTS_BYTES, RobotsEntry, RobotsPolicy, build_robots
from workers.core.errors import (
    BlockedURLError,
    ContentEncodingError,
    ContentTypeError,
    FetchError,
    GoneError,
    HostBusyError,
    HostCooldownError,
    HTTPStatusFetchError,
    PermanentFetchError,
    RedirectError,
    TimeoutFetchError,
    TooLargeError,
    TransientFetchError,
)
from workers.core.models import FetchResult
from workers.core.netguard import address_refusal, host_allowed
from workers.core.schedule import parse_retry_after
from workers.core.urls import host_of

FEED_TYPES = ("xml", "rss", "atom", "text/plain", "octet-stream", "gzip")
PAGE_TYPES = ("html", "xhtml", "text/plain", "octet-stream")


def _setting_default(name: str) -> Any:
    return setting_default(name)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Time and size limits of one fetch. The defaults are the settings' own, written once in config/settings.py."""

    connect_timeout: float = _setting_default("connect_timeout")
    read_timeout: float = _setting_default("read_timeout")
    total_timeout: float = _setting_default("total_timeout")
    max_body_bytes: int = _setting_default("max_body_bytes")
    max_redirects: int = _setting_default("max_redirects")

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout,
                   total_timeout=settings.total_timeout, max_body_bytes=settings.max_body_bytes,
                   max_redirects=settings.max_redirects)


class Fetcher:
    """One client per process, built from settings; `fetch` returns a FetchResult or raises a FetchError."""

    def __init__(self, *, user_agent: str, limits: FetchLimits, allow_hosts: list[str] | None = None,
                 transport: httpx.BaseTransport | None = None, gate: HostGate | None = None,
                 robots: RobotsPolicy | None = None, verify: ssl.SSLContext | str | bool = True) -> None:
        self.limits = limits
        self.allow_hosts = allow_hosts or []
        self.gate = gate
        self.robots = robots
        timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
        # verify stays on: the TLS handshake is checked against the URL's host name (sent as SNI and
        # used as server_hostname by httpcore) even though the socket goes to the pinned address.
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport, verify=verify,
                                   headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def resolve_checked(self, url: str) -> tuple[str, str]:
        """(host, address to connect to) after the SSRF policy; raises BlockedURLError."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedURLError(f"only http and https URLs are fetched, not {parts.scheme or 'this'}:",
                                  url=url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise TransientFetchError(f"cannot resolve {host}: {exc}", url=url) from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # IPv4/IPv6: the address is text
        if host_allowed(host, parts.port, self.allow_hosts):
            return host, addresses[0]
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise BlockedURLError(f"refused {host}: {reason} (not in AKHBAR_ALLOW_HOSTS)", url=url)
        return host, addresses[0]

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str = "page", obey_robots: bool | None = None, max_bytes: int | None = None) -> FetchResult:
        """GET url, following redirects one checked hop at a time.

        robots.txt is obeyed for pages (the default for accept="page"); the feeds, sitemaps and section
        pages an operator configured are fetched regardless, but still under the per-host limits.
        """
        obey = (accept == "page") if obey_robots is None else obey_robots
        started = time.monotonic()
        deadline = started + self.limits.total_timeout
        chain: list[str] = []
        current = url
        while True:
            if current in chain:
                raise RedirectError(f"redirect loop: {' → '.join([*chain, current])}", url=url)
            chain.append(current)
            response_status, headers, body = self._hop(current, etag, last_modified, accept, deadline, obey,
                                                       max_bytes or self.limits.max_body_bytes)
            if response_status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise HTTPStatusFetchError(f"redirect {response_status} without Location", url=current,
                                               status=response_status)
                if len(chain) > self.limits.max_redirects:
                    raise RedirectError(f"more than {self.limits.max_redirects} redirects", url=url)
                current = urljoin(current, location)
                continue
            return FetchResult(url=current, status=response_status, headers=headers, body=body,
                               elapsed=time.monotonic() - started, redirects=tuple(chain[:-1]))

    def _hop(self, url: str, etag: str | None, last_modified: str | None, accept: str, deadline: float,
             obey: bool, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        """One request: SSRF check, robots (never a request to a disallowed URL), a host slot, the GET."""
        host, address = self.resolve_checked(url)
        delay = 0.0
        if self.robots is not None:
            delay = self.robots.check(url, self._fetch_robots) if obey else self.robots.cached_delay(url)
        slot = self.gate.slot(host_of(url), delay=delay, url=url) if self.gate is not None else nullcontext()
        with slot:
            return self._one_request(url, host, address, etag, last_modified, accept, deadline, max_bytes)

    def _fetch_robots(self, robots_url: str) -> RobotsEntry:
        """robots.txt by RFC 9309: 4xx means allow all; 5xx or unreachable means disallow, for a while."""
        try:
            result = self.fetch(robots_url, accept="robots", obey_robots=False, max_bytes=MAX_ROBOTS_BYTES)
        except (HostCooldownError, HostBusyError, BlockedURLError):
            raise  # about the host, not its robots.txt: nothing to cache
        except TransientFetchError as exc:
            return RobotsEntry("unavailable", note=exc.message)
        except TooLargeError:
            return RobotsEntry("unavailable", note="robots.txt is over 500 KiB")
        except FetchError as exc:  # 4xx, too many redirects, odd type: RFC 9309 treats it as no rules
            return RobotsEntry("allow_all", note=exc.message)
        return RobotsEntry("ok", body=result.body.decode("utf-8", "replace"))

    def _one_request(self, url: str, host: str, address: str, etag: str | None, last_modified: str | None,
                     accept: str, deadline: float, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        # Connect to the very address that passed the check (no DNS-rebinding window).
        literal = f"[{address}]" if ":" in address else address
        netloc = literal + (f":{parts.port}" if parts.port else "")
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        headers["Accept"] = ("application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9, */*;q=0.5"
                             if accept == "feed" else "text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutFetchError(f"took longer than {self.limits.total_timeout:g}s in total", url=url)
        # No single read may outlast the total budget (a server dripping a byte at a time).
        timeout = httpx.Timeout(min(self.limits.read_timeout, remaining),
                                connect=min(self.limits.connect_timeout, remaining))
        request = self.client.build_request("GET", pinned, headers=headers, extensions=extensions, timeout=timeout)
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise TimeoutFetchError(f"timed out connecting or reading ({type(exc).__name__})", url=url) from None
        except httpx.HTTPError as exc:
            raise TransientFetchError(f"connection failed: {type(exc).__name__}: {exc}", url=url) from None
        try:
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            status = response.status_code
            if status in (301, 302, 303, 307, 308, 304):
                return status, resp_headers, b""
            if status in (429, 503) and self.gate is not None:
                wait = parse_retry_after(resp_headers.get("retry-after"), time.time())
                if wait:  # the whole host asked for a pause: every worker and every source honours it
                    self.gate.cooldown(host_of(url), wait)
            self._raise_for_status(status, resp_headers, url)
            self._check_type(resp_headers.get("content-type", ""), accept, url)
            body = self._read_limited(response, url, deadline, max_bytes)
            # the body is decoded here; parsers must not try to decode it again
            for name in ("content-encoding", "content-length", "transfer-encoding"):
                resp_headers.pop(name, None)
            return status, resp_headers, body
        finally:
            response.close()

    def _raise_for_status(self, status: int, headers: dict[str, str], url: str) -> None:
        if status < 400:
            return
        retry_after = parse_retry_after(headers.get("retry-after"), time.time())
        if status == 410:
            raise GoneError("410 Gone: the publisher removed this URL", url=url, status=status)
        if status in (429, 500, 502, 503, 504, 408, 425) or status >= 520:
            raise TransientFetchError(f"HTTP {status}", url=url, status=status, retry_after=retry_after)
        raise HTTPStatusFetchError(f"HTTP {status}", url=url, status=status)

    def _check_type(self, content_type: str, accept: str, url: str) -> None:
        if not content_type or accept == "robots":
            return
        allowed = (*FEED_TYPES, "html") if accept == "feed" else (*PAGE_TYPES, "xml")
        if not any(token in content_type.lower() for token in allowed):
            raise ContentTypeError(f"unexpected content type {content_type!r}", url=url)

    def _read_limited(self, response: httpx.Response, url: str, deadline: float, limit: int) -> bytes:
        """Read the body counting decompressed bytes, so a gzip bomb stops at the limit, not in memory."""
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit and not response.headers.get(
                "content-encoding"):
            raise TooLargeError(f"body of {int(declared)} bytes is over the {limit}-byte limit", url=url)
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in _decoded_chunks(response):
                total += len(chunk)
                if total > limit:
                    raise TooLargeError(f"body passed the {limit}-byte limit (decompressed)", url=url)
                if time.monotonic() > deadline:
                    raise TimeoutFetchError(f"took longer than {self.limits.total_timeout:g}s in total",
                                            url=url)
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise TimeoutFetchError("timed out reading the body", url=url) from None
        except httpx.HTTPError as exc:
            raise TransientFetchError(f"connection broke while reading: {type(exc).__name__}", url=url) from None
        except zlib.error as exc:
            raise PermanentFetchError(f"corrupt compressed body: {exc}", url=url) from None
        return b"".join(chunks)


def _decoded_chunks(response: httpx.Response, step: int = 65536) -> Iterator[bytes]:
    """Raw bytes decompressed here with a bounded output per step (httpx would inflate a whole chunk)."""
    encoding = response.headers.get("content-encoding", "").lower().strip()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        # We asked for gzip or deflate only; stacked codings ("gzip, gzip") or brotli we cannot bound.
        raise ContentEncodingError(f"unsupported Content-Encoding {encoding!r}", url=str(response.url))
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 47  # 32 + 15: zlib detects gzip or zlib framing itself
        inflater = zlib.decompressobj(wbits)
        for raw in response.iter_raw():  # as received: a chunk size would make httpx buffer (and hide a drip)
            data = inflater.decompress(raw, step)
            yield data
            while inflater.unconsumed_tail:
                yield inflater.decompress(inflater.unconsumed_tail, step)
        yield inflater.flush()
    else:
        yield from response.iter_raw()


@contextmanager
def open_fetcher(settings: Any, redis_client: Any | None = None) -> Iterator[Fetcher]:
    """A fetcher for one block of work, closed afterwards."""
    fetcher = build_fetcher(settings, redis_client)
    try:
        yield fetcher
    finally:
        fetcher.close()


def build_fetcher(settings: Any, redis_client: Any | None = None) -> Fetcher:
    """The process's fetcher with its politeness: Redis-backed when the fleet shares Redis, else files."""
    limits = FetchLimits.from_settings(settings)
    robots = build_robots(settings, redis_client) if settings.respect_robots else None
    return Fetcher(user_agent=settings.user_agent, limits=limits, allow_hosts=settings.allow_hosts,
                   gate=build_gate(settings, redis_client), robots=robots)
