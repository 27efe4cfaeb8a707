"""What the API checks before any route runs: host, control characters, the token, body size; security headers
on every answer; and whether the API may listen on an address at all."""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import sys
from collections.abc import Iterable
from urllib.parse import unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workers.adapters.outages import is_outage

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MIN_TOKEN_CHARS = 16
TOKEN_HELP = "a valid 'Authorization: Bearer <AKHBAR_API_TOKEN>' header is required"
# C0 controls and DEL: PostgreSQL refuses NUL in text, and none has a place in a path, a query or a name.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# The dashboard and /docs (Swagger UI from local files, started by a script file) need nothing but this
# server's files; no page may frame them (a framed Disable button is a click away).
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer")]


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being read."""


def bearer_ok(authorization: str | None, token: str | None) -> bool:
    """True when the header carries the configured token; never true when no token is configured."""
    if not token or not authorization or not authorization.startswith("Bearer "):
        return False
    return hmac.compare_digest(authorization[len("Bearer "):].encode(), token.encode())


def host_allowed(host_header: str, trusted: Iterable[str]) -> bool:
    """The Host header's name against `name`, `*.domain` or `*` patterns (Starlette's TrustedHostMiddleware's)."""
    name = host_header.strip().lower()
    name = name[1:].split("]", 1)[0] if name.startswith("[") else name.rsplit(":", 1)[0] if name.count(":") == 1 \
        else name
    for pattern in trusted:
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses; a hostname is not resolved, so it counts as public."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def bind_refusal(host: str, token: str | None) -> str | None:
    """Why the API must not listen on host with this token, or None: off loopback it needs a real token."""
    if is_loopback(host) or (token and len(token.strip()) >= MIN_TOKEN_CHARS):
        return None
    return (f"refusing to listen on {host!r}: off loopback the API needs AKHBAR_API_TOKEN set to at least "
            f"{MIN_TOKEN_CHARS} characters (e.g. `export AKHBAR_API_TOKEN=$(openssl rand -hex 16)`)")


def refuse_insecure_bind(host: str, token: str | None) -> None:
    """Exit 2 with one line on stderr when bind_refusal objects; before anything listens."""
    refusal = bind_refusal(host, token)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        raise SystemExit(2)


class GuardMiddleware:
    """Pure ASGI, so it runs before FastAPI reads or parses a body: a route's dependencies come too late."""

    def __init__(self, app: ASGIApp, *, token: str | None, read_open: bool, max_body: int,
                 trusted_hosts: list[str], docs_paths: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.read_open = read_open
        self.max_body = max_body
        self.trusted_hosts = trusted_hosts
        self.docs_paths = frozenset(p for p in docs_paths if p)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                taken = {k.lower() for k, _ in message.get("headers", [])}
                ours = [(b"content-security-policy", STRICT_CSP.encode()), *HEADERS]
                extra = [(k, v) for k, v in ours if k not in taken]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            status, detail, extra_headers = refusal
            if extra_headers.get("connection") == "close" and status == 401 and self.small_body(scope):
                # A small announced body is read before the answer, so the connection stays usable: closing with it
                # unread makes the kernel reset the connection, and a client can lose the 401 it was sent.
                try:
                    await self.read_body(scope, receive)
                    extra_headers = {k: v for k, v in extra_headers.items() if k != "connection"}
                except BodyTooLarge:  # it sent more than it announced: close after all
                    pass
            await json_answer(send_secured, status, detail, extra_headers)
            return
        try:
            body = await self.read_body(scope, receive)
        except BodyTooLarge:
            await json_answer(send_secured, 413, f"request body over {self.max_body} bytes", {"connection": "close"})
            return
        try:
            await self.app(scope, replay(body, receive), send_secured)
        except Exception as exc:
            # answered here, so the 500 carries the headers too; re-raised so the server still logs it
            if not started and is_outage(exc):  # the store or Redis away or full ("too many clients"): not a bug
                await json_answer(send_secured, 503, "the store or broker is unavailable; retry later",
                                  {"retry-after": "5"})
            elif not started:
                await json_answer(send_secured, 500, "internal error", {})
            raise

    def refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        """The first check the request fails, as (status, detail, headers); None when it passes them all."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.trusted_hosts and not host_allowed(headers.get("host", ""), self.trusted_hosts):
            return 400, "invalid Host header", {}
        query = unquote(scope.get("query_string", b"").decode("latin-1").replace("+", " "), errors="replace")
        if CONTROL.search(scope["path"]) or CONTROL.search(query):
            return 400, "control characters are not allowed in the path or query", {}
        challenge = {"www-authenticate": "Bearer"}
        if scope["method"] in MUTATING and not bearer_ok(headers.get("authorization"), self.token):
            # closing keeps the unread body off the connection: the next request must not start inside it
            return 401, TOKEN_HELP, {**challenge, "connection": "close"}
        if scope["path"] in self.docs_paths and not self.read_open \
                and not bearer_ok(headers.get("authorization"), self.token):
            return 401, f"the API docs need the token too (AKHBAR_API_READ_OPEN is false): {TOKEN_HELP}", challenge
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "invalid Content-Length", {"connection": "close"}
            if int(length) > self.max_body:
                return 413, f"request body over {self.max_body} bytes", {"connection": "close"}
        return None

    def small_body(self, scope: Scope) -> bool:
        """The request announces a body length within the cap (a chunked or larger one is never read unasked)."""
        lengths = [v for k, v in scope["headers"] if k.lower() == b"content-length"]
        return len(lengths) == 1 and lengths[0].isdigit() and int(lengths[0]) <= self.max_body

    async def read_body(self, scope: Scope, receive: Receive) -> bytes:
        """The whole body, counted as it streams (a chunked body announces no length), refused past the cap."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then waits on the real one (for disconnects)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def json_answer(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    """A `{"detail": ...}` answer: the API's one error shape (console/schemas.py, Error)."""
    payload = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
           *[(k.encode(), v.encode()) for k, v in headers.items()]]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
