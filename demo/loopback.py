"""The one loopback HTTP server of the project: the demo site, the tests and the benchmarks all serve through it.

A route table (path → a `Reply`, or a function of the request that returns one; `*` catches the rest), a request
log, a count of requests in flight, bytes sent, optional TLS, and the misbehaviour a fetcher must survive: a late
status line, a body streamed in chunks (or never ending), a connection reset before or during the body.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Reply:
    """What a route answers: status, headers, and a body given whole or as chunks (streamed)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    delay: float = 0.0  # seconds before the status line: a server slower than the timeout
    reset: bool = False  # end with a TCP reset after the body sent (status 0: before any response at all)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


Route = Callable[["Handler"], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: LoopbackSite


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def setup(self) -> None:
        # HTTP/1.0 (the default): one request per connection, so an endless body ends with the socket
        self.protocol_version = self.server.site.protocol
        super().setup()

    def log_message(self, *_: object) -> None:  # quiet
        pass

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # a client that reset a kept-alive connection
            self.close_connection = True

    def end_headers(self) -> None:
        site = self.server.site
        site.sent_bytes += sum(len(line) for line in getattr(self, "_headers_buffer", []))  # wire bytes too
        super().end_headers()

    def do_GET(self) -> None:
        site = self.server.site
        site.enter(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
        self._counted = True
        try:
            route = site.routes.get(self.path.split("?")[0]) or site.routes.get("*")
            reply = route(self) if route else Reply(404, {"Content-Type": "text/plain"}, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status:
                self._send(reply)
            if reply.reset:
                self._reset()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True  # the client hung up on a body it refused: that is the point
        finally:
            self._uncount()

    def _uncount(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            self.server.site.leave()

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        body = reply.body
        if isinstance(body, bytes) and "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            # A whole body is out of flight before its bytes can reach the client: a client that has read it
            # lets the next request in (a host gate), and a count taken down only after the write raced that
            # request (a third "in flight" that never overlapped). Streamed bodies stay counted to their end.
            self._uncount()
        self.end_headers()
        chunks = [body] if isinstance(body, bytes) else body
        for chunk in chunks:
            self.server.site.sent_bytes += len(chunk)
            self.wfile.write(chunk)
            self.wfile.flush()

    def _reset(self) -> None:
        """SO_LINGER 0, then close: the peer gets a RST, not a FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class LoopbackSite:
    """ThreadingHTTPServer on 127.0.0.1 (or TLS) with a route table; `requests` logs every request."""

    def __init__(self, routes: dict[str, Route] | None = None, host: str = "127.0.0.1", port: int = 0,
                 tls: ssl.SSLContext | None = None, protocol: str = "HTTP/1.0") -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.protocol = protocol  # "HTTP/1.1": kept-alive connections (every body then needs its length)
        self.requests: list[Seen] = []
        self.sent_bytes = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = _Server((host, port), Handler)
        self.server.site = self
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.host_port = f"{host}:{self.server.server_address[1]}"
        self.base = f"{'https' if tls else 'http'}://{self.host_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Self:
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
        """Answer path (`*`: any path without a route of its own) with reply, or with what reply(handler) returns."""
        if isinstance(reply, Reply):
            fixed = reply
            self.routes[path] = lambda _handler: fixed
        else:
            self.routes[path] = reply


def tagged(handler: Handler, data: bytes, headers: dict[str, str]) -> Reply:
    """200 with an ETag made from the body, or 304 when the request's If-None-Match already holds it."""
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
    if handler.headers.get("If-None-Match") == etag:
        return Reply(304, {"ETag": etag})
    return Reply(200, {**headers, "ETag": etag}, data)
