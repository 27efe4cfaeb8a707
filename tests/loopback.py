"""A small threaded HTTP server on loopback for fetcher tests and benchmarks: routes, a request log, a
count of requests in flight, and the hostile bodies (gzip bomb, endless, slow) that limits must stop."""

from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Reply:
    """What a route answers: status, headers, and a body given whole or as chunks (streamed)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    delay: float = 0.0  # seconds before the status line: a server slower than the timeout


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


Route = Callable[["Handler"], Reply]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection, so an endless body ends with the socket

    def log_message(self, *_: object) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        site: LoopbackSite = self.server.site  # type: ignore[attr-defined]
        site.sent_bytes += sum(len(line) for line in getattr(self, "_headers_buffer", []))  # wire bytes too
        super().end_headers()

    def do_GET(self) -> None:
        site: LoopbackSite = self.server.site  # type: ignore[attr-defined]
        site.enter(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
        try:
            route = site.routes.get(self.path.split("?")[0]) or site.routes.get("*")
            reply = route(self) if route else Reply(404, {"Content-Type": "text/plain"}, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            body = reply.body
            if isinstance(body, bytes) and "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            chunks = [body] if isinstance(body, bytes) else body
            for chunk in chunks:
                site.sent_bytes += len(chunk)
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass  # the client hung up on a body it refused: that is the point
        finally:
            site.leave()


class LoopbackSite:
    """ThreadingHTTPServer on 127.0.0.1 (or TLS) with a route table; `requests` logs every request."""

    def __init__(self, routes: dict[str, Route] | None = None, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Seen] = []
        self.sent_bytes = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.server.site = self  # type: ignore[attr-defined]
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.host_port = f"{host}:{self.server.server_address[1]}"
        self.base = f"{'https' if tls else 'http'}://{self.host_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LoopbackSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def enter(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def route(self, path: str, reply: Reply | Route) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _h, r=reply: r)


def conditional(body: bytes, etag: str = '"v1"', content_type: str = "application/rss+xml",
                last_modified: str = "Mon, 01 Jan 2024 00:00:00 GMT", extra: dict[str, str] | None = None) -> Route:
    """A feed that answers 304 to a matching If-None-Match or If-Modified-Since."""
    def answer(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == etag or handler.headers.get("If-Modified-Since") == last_modified:
            return Reply(304, {"ETag": etag})
        return Reply(200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": last_modified,
                           **(extra or {})}, body)
    return answer


_BOMBS: dict[int, bytes] = {}


def gzip_bomb(decompressed_mib: int) -> bytes:
    """A gzip stream of zeros: about 1 KiB on the wire per MiB it inflates to."""
    if decompressed_mib not in _BOMBS:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b"\0" * (1024 * 1024)
        _BOMBS[decompressed_mib] = b"".join(
            [packer.compress(block) for _ in range(decompressed_mib)] + [packer.flush()])
    return _BOMBS[decompressed_mib]


def endless(chunk: bytes = b"<rss>" + b"x" * 65531, limit_bytes: int = 8 * 1024**3) -> Iterable[bytes]:
    """A body that does not end (until the client hangs up, or a safety limit of its own)."""
    sent = 0
    while sent < limit_bytes:
        sent += len(chunk)
        yield chunk


def drip(every: float = 0.2) -> Iterable[bytes]:
    """One byte at a time, each well within a read timeout, never finishing."""
    for _ in range(100_000):
        time.sleep(every)
        yield b"x"


def rss(items: list[tuple[str, str]], *, title: str = "feed", ttl: int | None = None,
        dates: list[str] | None = None, summary: str = "") -> bytes:
    """A small RSS 2.0 document of (link, title) items."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
             f'<link>http://example.invalid/</link><description>d</description>']
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    for index, (link, item_title) in enumerate(items):
        date = f"<pubDate>{dates[index]}</pubDate>" if dates else ""
        text = f"<description>{escape(summary)}</description>" if summary else ""
        parts.append(f"<item><title>{escape(item_title)}</title><link>{escape(link)}</link>{date}{text}</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")
