"""The API's limits against a real uvicorn server on loopback: the token before the body, bodies capped before
they are read, docs closed with reads, trusted hosts, security headers, and no hostile input reaching a 500."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from console.dashboard import STATIC
from tests.console.conftest import TOKEN, api_server, configure

AUTH = {"Authorization": f"Bearer {TOKEN}"}
BIG = 50 * 1024 * 1024  # far above the cap: a server that read it all would not answer within the timeout
MAX_INT64 = 2**63 - 1
MAX_OFFSET = 10_000  # console.api.MAX_OFFSET, written out: the test states the contract


@pytest.fixture
def console_env(akhbar_env: dict[str, str]) -> dict[str, str]:
    """The demo site's sources, embedded broker and SQLite, an API token (as tests/console has it)."""
    return {**akhbar_env, "AKHBAR_API_TOKEN": TOKEN}


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store_env(request: pytest.FixtureRequest, console_env: dict[str, str]) -> dict[str, str]:
    """The console environment on each store: NUL bytes and 64-bit overflows are PostgreSQL's to refuse."""
    if request.param == "sqlite":
        return console_env
    return {**console_env, "AKHBAR_STORE_URL": request.getfixturevalue("pg_url")}


@pytest.fixture
def api(console_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    rt = configure(console_env, monkeypatch)
    with api_server(rt) as base:
        yield base
    rt.store.engine.dispose()


def raw_request(base: str, head: str, body: bytes = b"", *, chunks: Iterator[bytes] = iter(()),
                timeout: float = 5.0) -> tuple[int, bytes]:
    """Send a request head and part of a body over a raw socket; the status and what came back.

    The body may be far shorter than the Content-Length announced: a server that waited to read it all would
    not answer before the timeout, and the socket read fails the test.
    """
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while we were still sending: what we want
        received = b""
        started = time.monotonic()
        while not complete(received):
            assert time.monotonic() - started < timeout, "no answer: the server is still reading the body"
            data = sock.recv(65536)
            if not data:
                break
            received += data
    status = int(received.split(b" ", 2)[1])
    return status, received


def complete(received: bytes) -> bool:
    """True once the answer's head and as much body as its Content-Length names have arrived."""
    head, sep, body = received.partition(b"\r\n\r\n")
    if not sep:
        return False
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return len(body) >= (int(length.group(1)) if length else 0)


def head_for(base: str, path: str, *, length: int | None = None, chunked: bool = False, token: bool = False) -> str:
    host = urlsplit(base).netloc
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    if token:
        lines.append(f"Authorization: Bearer {TOKEN}")
    return "\n".join(lines) + "\n"


def chunked(total: int, size: int = 4096) -> Iterator[bytes]:
    """A chunked JSON-ish body of `total` bytes, never terminated (the server must not wait for the end)."""
    sent = 0
    while sent < total:
        yield f"{size:x}\r\n".encode() + b" " * size + b"\r\n"
        sent += size


def test_a_huge_body_without_the_token_gets_401_before_it_is_read(api: str) -> None:
    started = time.monotonic()
    status, raw = raw_request(api, head_for(api, "/api/refetch", length=BIG), b"{" + b" " * 65536)
    assert status == 401 and b'"detail"' in raw
    assert time.monotonic() - started < 3


def test_a_small_body_without_the_token_gets_401_and_the_connection_stays_usable(api: str) -> None:
    """The announced small body is read before the 401, so the answer is not lost to a reset and the client's
    keep-alive connection carries its next request (a huge or chunked one still gets its 401 unread, above)."""
    body = b'{"url": "https://example.org/x"}'
    head = (head_for(api, "/api/refetch", length=len(body)).replace("\n", "\r\n") + "\r\n").encode()
    parts = urlsplit(api)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        for _ in range(2):
            sock.sendall(head + body)
            received = b""
            while not complete(received):
                data = sock.recv(65536)
                assert data, f"the server closed the connection after {received[:200]!r}"
                received += data
            assert received.startswith(b"HTTP/1.1 401") and b'"detail"' in received
            assert not re.search(rb"(?im)^connection:\s*close", received), received


def test_a_huge_body_with_the_token_gets_413_before_it_is_read(api: str) -> None:
    status, raw = raw_request(api, head_for(api, "/api/refetch", length=BIG, token=True), b"{" + b" " * 65536)
    assert status == 413 and b'"detail"' in raw


def test_a_chunked_body_past_the_cap_gets_413_while_it_streams(api: str) -> None:
    status, raw = raw_request(api, head_for(api, "/api/refetch", chunked=True, token=True),
                              chunks=chunked(256 * 1024))
    assert status == 413 and b'"detail"' in raw
    status, _ = raw_request(api, head_for(api, "/api/refetch", chunked=True), chunks=chunked(256 * 1024))
    assert status == 401


def test_a_body_under_the_cap_still_works(api: str, console_env: dict[str, str]) -> None:
    body = b'{"source": "demo-rss", "pad": "' + b"x" * 8000 + b'"}'
    response = httpx.post(api + "/api/refetch", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 202, response.text


def test_deeply_nested_json_without_the_token_is_401_and_with_it_a_4xx(api: str) -> None:
    nested = "[" * 6000 + "]" * 6000
    for path in ("/api/refetch", "/api/sources/demo-rss/disable"):
        response = httpx.post(api + path, content=nested, headers={"Content-Type": "application/json"})
        assert response.status_code == 401, (path, response.text)
        response = httpx.post(api + path, content=nested, headers={**AUTH, "Content-Type": "application/json"})
        assert 400 <= response.status_code < 500 and "detail" in response.json(), (path, response.text)


@pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
def test_docs_need_the_token_when_reads_are_closed(console_env, monkeypatch, path: str) -> None:  # type: ignore[no-untyped-def]
    rt = configure({**console_env, "AKHBAR_API_READ_OPEN": "false"}, monkeypatch)
    with api_server(rt) as base:
        response = httpx.get(base + path)
        assert response.status_code == 401 and "detail" in response.json()
        assert httpx.get(base + path, headers=AUTH).status_code == 200


def test_docs_stay_open_with_reads_open(api: str) -> None:
    assert httpx.get(api + "/openapi.json").status_code == 200
    assert httpx.get(api + "/docs").status_code == 200


def test_trusted_hosts_refuse_another_host_header_with_json(console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure({**console_env, "AKHBAR_API_TRUSTED_HOSTS": "127.0.0.1, akhbar.example"}, monkeypatch)
    with api_server(rt) as base:
        assert httpx.get(base + "/api/sources").status_code == 200
        assert httpx.get(base + "/api/sources", headers={"Host": "akhbar.example"}).status_code == 200
        refused = httpx.get(base + "/api/sources", headers={"Host": "evil.example"})
        assert refused.status_code == 400 and "detail" in refused.json()
        assert httpx.post(base + "/api/refetch", json={"source": "demo-rss"},
                          headers={**AUTH, "Host": "evil.example"}).status_code == 400


def test_without_trusted_hosts_any_host_header_is_served(api: str) -> None:
    assert httpx.get(api + "/api/sources", headers={"Host": "whatever.example"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/api/sources", "/nope", "/docs",
                                  "/docs/assets/swagger-ui-bundle.js", "/openapi.json"])
def test_every_answer_carries_the_security_headers(api: str, path: str) -> None:
    headers = httpx.get(api + path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    # the docs too: Swagger UI comes from local files and is started by a script file, nothing inline
    assert re.search(r"script-src 'self'(;|$)", csp) and re.search(r"style-src 'self'(;|$)", csp)
    assert "default-src 'self'" in csp


def test_the_dashboard_has_no_inline_script_or_style() -> None:
    """CSP allows scripts and styles from our own files only, so the page must not need any inline ones."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)
    assert not re.search(r"\sstyle\s*=", html, re.I)
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", script) and not re.search(r"\son[a-z]+\s*=\s*[\"']", script)


HOSTILE = [
    ("POST", "/api/failures/99999999999999999999/retry", None),
    ("DELETE", "/api/failures/99999999999999999999", None),
    ("POST", f"/api/failures/{2**63}/retry", None),
    ("POST", "/api/failures/-1/retry", None),
    ("GET", f"/api/articles?offset={2**63}", None),
    ("GET", "/api/articles/ab%00cd", None),
    ("GET", "/api/articles?q=a%00b", None),
    ("GET", "/api/articles?source=demo%00rss", None),
    ("GET", "/api/articles?cluster=%01", None),
    ("POST", "/api/sources/demo%00rss/disable", None),
    ("POST", "/api/refetch", {"url": "http://example.com:99999/news"}),
    ("POST", "/api/refetch", {"url": "http://example.com:-1/news"}),
    ("POST", "/api/refetch", {"url": "http://[::1/news"}),
    ("POST", "/api/refetch", {"source": "demo\u0000rss"}),
    ("POST", "/api/refetch", {"url": "http://example.com/a\u0000b"}),
    ("POST", "/api/refetch", {"url": "http://example.com/" + "a" * 10000}),
    ("POST", "/api/sources/demo-rss/disable", {"reason": "stop\u0000now"}),
    ("POST", "/api/sources/demo-rss/disable", {"reason": "x" * 5000}),
    # 300 words is 7.5 kB once percent-encoded: under uvicorn's 16 kB request head, so the app's own limit
    # answers (a longer head is the protocol's to refuse: test_a_request_head_over_the_server_limit_is_refused)
    ("GET", "/api/articles?q=" + "+".join(["كلمة"] * 300), None),
    ("GET", "/api/articles?q=" + "x" * 3000, None),
    ("GET", "/api/articles?since=99999-01-01", None),
    ("GET", "/api/articles/" + "a" * 2000, None),
    ("GET", "/nope", None),
    ("GET", "/static/../config/settings.py", None),
    ("GET", "/api/refetch", None),
    ("PUT", "/api/sources", None),
]


@pytest.mark.parametrize(("method", "path", "body"), HOSTILE)
def test_hostile_input_is_a_4xx_with_a_json_detail(any_store_env, monkeypatch, method: str, path: str,  # type: ignore[no-untyped-def]
                                                    body: dict | None) -> None:
    rt = configure(any_store_env, monkeypatch)
    try:
        with api_server(rt) as base:
            response = httpx.request(method, base + path, json=body, headers=AUTH)
            assert 400 <= response.status_code < 500, (response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/json")
            assert "detail" in response.json()
            assert httpx.get(base + "/api/sources").status_code == 200  # still serving
    finally:
        rt.store.engine.dispose()


def test_a_request_head_over_the_server_limit_is_refused_and_serving_goes_on(api: str) -> None:
    """A 75 kB query string is a 4xx and the server keeps answering. Which layer refuses it depends on how the
    bytes arrive: h11 refuses a head still incomplete past 16 kB (plain text), one that came in a single read
    reaches the app's own limit (JSON)."""
    path = "/api/articles?q=" + "+".join(["%D9%83%D9%84%D9%85%D8%A9"] * 3000)
    status, _ = raw_request(api, f"GET {path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert 400 <= status < 500
    assert httpx.get(api + "/api/sources").status_code == 200


@pytest.mark.parametrize(("path", "raw"), [
    ("/api/refetch", rb'{"source": "\ud800"}'),
    ("/api/refetch", rb'{"url": "http://example.com/\udfff"}'),
    ("/api/sources/demo-rss/disable", rb'{"reason": "stop \ud83d"}'),
    ("/api/sources/demo-rss/disable", b'{"reason": "stop \xff"}'),
])
def test_lone_surrogates_and_bad_utf8_in_a_body_are_a_4xx(any_store_env, monkeypatch, path: str,  # type: ignore[no-untyped-def]
                                                          raw: bytes) -> None:
    rt = configure(any_store_env, monkeypatch)
    try:
        with api_server(rt) as base:
            response = httpx.post(base + path, content=raw, headers={**AUTH, "Content-Type": "application/json"})
            assert 400 <= response.status_code < 500 and "detail" in response.json(), response.text
    finally:
        rt.store.engine.dispose()


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_since_whose_utc_instant_overflows_is_clamped(api: str, since: str) -> None:
    """A valid RFC 3339 date-time past either end of the calendar in UTC: every row is after (before) it."""
    response = httpx.get(api + "/api/articles", params={"since": since})
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("since", ["0.5", "1700000000", "2026-03-18", "yesterday", "2026-03-18T25:00:00Z"])
def test_a_since_that_is_not_a_date_time_is_a_422(api: str, since: str) -> None:
    """pydantic's lax datetime reads numbers as Unix times; the contract says RFC 3339 date-time."""
    response = httpx.get(api + "/api/articles", params={"since": since})
    assert response.status_code == 422, response.text
    body = response.json()
    assert "since" in body["detail"] and body["errors"][0]["loc"] == ["query", "since"]


def test_the_largest_id_and_offset_are_answered_and_a_deeper_offset_points_at_the_cursor(api: str) -> None:
    assert httpx.post(api + f"/api/failures/{MAX_INT64}/retry", headers=AUTH).status_code == 404
    assert httpx.get(api + f"/api/articles?offset={MAX_OFFSET}").json() == []
    # every skipped row is read: a deep offset would hold a database connection for seconds on an archive
    for deep in (MAX_OFFSET + 1, MAX_INT64):
        response = httpx.get(api + f"/api/articles?offset={deep}")
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith("query.offset: at most 10,000: page deeper with cursor")


def test_a_bad_port_in_a_refetch_url_says_so(api: str) -> None:
    response = httpx.post(api + "/api/refetch", json={"url": "http://example.com:99999/news"}, headers=AUTH)
    assert response.status_code == 422 and "port" in response.json()["detail"]


def test_an_unexpected_error_is_a_json_500_without_internals(console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure(console_env, monkeypatch)

    def broken(limit: int = 200) -> list:
        raise RuntimeError("secret internals /etc/akhbar")

    monkeypatch.setattr(rt.store, "list_failures", broken)
    with api_server(rt) as base:
        response = httpx.get(base + "/api/failures")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}
    assert response.headers["x-frame-options"] == "DENY"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_akhbar_refetch_with_a_bad_port_prints_one_line(console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.cli import app

    configure(console_env, monkeypatch)
    result = CliRunner().invoke(app, ["refetch", "http://example.com:99999/news"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "port" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
