"""The Fetcher against a real loopback server: conditional GET, redirects, limits, SSRF guard, TLS."""

from __future__ import annotations

import ssl
import subprocess
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import LoopbackSite, Reply, conditional, drip, endless, gzip_bomb
from workers.adapters.http import Fetcher, FetchLimits
from workers.adapters.politeness import FileHostGate
from workers.core.errors import (
    BlockedURLError,
    ContentEncodingError,
    ContentTypeError,
    GoneError,
    HostCooldownError,
    RedirectError,
    TimeoutFetchError,
    TooLargeError,
    TransientFetchError,
)

LIMITS = FetchLimits(connect_timeout=2, read_timeout=1.0, total_timeout=2.5, max_body_bytes=1024 * 1024,
                     max_redirects=3)


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite().start()
    yield server
    server.stop()


def make_fetcher(site: LoopbackSite, tmp_path: Path | None = None, **kw: object) -> Fetcher:
    gate = FileHostGate(tmp_path / "gate", concurrency=2, delay=0, max_wait=1.0, lease=30) if tmp_path else None
    return Fetcher(user_agent="akhbar-test/1", limits=kw.pop("limits", LIMITS),  # type: ignore[arg-type]
                   allow_hosts=[site.host_port], gate=gate, **kw)  # type: ignore[arg-type]


def test_conditional_get_sends_validators_and_gets_304(site: LoopbackSite) -> None:
    site.route("/feed", conditional(b"<rss/>", etag='"abc"'))
    fetcher = make_fetcher(site)
    first = fetcher.fetch(f"{site.base}/feed", accept="feed")
    assert first.status == 200 and first.etag == '"abc"' and first.last_modified
    second = fetcher.fetch(f"{site.base}/feed", etag=first.etag, last_modified=first.last_modified, accept="feed")
    assert second.not_modified and second.body == b""
    assert site.requests[1].headers["if-none-match"] == '"abc"'
    assert site.requests[1].headers["if-modified-since"] == first.last_modified
    assert site.requests[0].headers["user-agent"] == "akhbar-test/1"


def test_redirect_chain_is_followed_and_recorded(site: LoopbackSite) -> None:
    for hop in range(3):
        site.route(f"/r{hop}", Reply(302, {"Location": f"/r{hop + 1}"}))
    site.route("/r3", Reply(200, {"Content-Type": "text/html"}, b"<html>ok</html>"))
    result = make_fetcher(site).fetch(f"{site.base}/r0")
    assert result.url == f"{site.base}/r3" and result.body == b"<html>ok</html>"
    assert result.redirects == tuple(f"{site.base}/r{i}" for i in range(3))


def test_redirect_loop_and_too_many_redirects(site: LoopbackSite) -> None:
    site.route("/a", Reply(301, {"Location": "/b"}))
    site.route("/b", Reply(301, {"Location": "/a"}))
    with pytest.raises(RedirectError, match="loop"):
        make_fetcher(site).fetch(f"{site.base}/a")
    for hop in range(6):
        site.route(f"/n{hop}", Reply(302, {"Location": f"/n{hop + 1}"}))
    with pytest.raises(RedirectError, match="more than 3"):
        make_fetcher(site).fetch(f"{site.base}/n0")
    assert "/n4" not in site.paths()


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/x", "http://[::1]:{port}/x", "file:///etc/passwd",
                                    "http://2130706433:{port}/x"])
def test_every_redirect_hop_is_checked_again(site: LoopbackSite, target: str) -> None:
    port = site.host_port.rsplit(":", 1)[1]
    site.route("/jump", Reply(302, {"Location": target.format(port=port)}))
    with pytest.raises(BlockedURLError):
        make_fetcher(site).fetch(f"{site.base}/jump")


@pytest.mark.parametrize("url", ["http://127.0.0.2:9/", "http://[::1]:9/", "file:///etc/passwd",
                                 "javascript:alert(1)", "ftp://127.0.0.1/x", "http://0x7f.1:9/"])
def test_refused_targets_are_never_requested(site: LoopbackSite, url: str) -> None:
    with pytest.raises(BlockedURLError):
        make_fetcher(site).fetch(url)


def test_a_server_slower_than_the_timeout(site: LoopbackSite) -> None:
    site.route("/slow", Reply(200, {"Content-Type": "text/html"}, b"late", delay=3))
    started = time.monotonic()
    with pytest.raises(TimeoutFetchError):
        make_fetcher(site).fetch(f"{site.base}/slow")
    assert time.monotonic() - started < 2.0


def test_a_dripping_body_hits_the_total_timeout(site: LoopbackSite) -> None:
    site.route("/drip", lambda _h: Reply(200, {"Content-Type": "text/html"}, drip(0.2)))
    started = time.monotonic()
    with pytest.raises(TimeoutFetchError):
        make_fetcher(site).fetch(f"{site.base}/drip")
    assert time.monotonic() - started < LIMITS.total_timeout + LIMITS.read_timeout + 0.5


def test_gzip_bomb_is_cut_at_the_limit_with_bounded_memory(site: LoopbackSite) -> None:
    bomb = gzip_bomb(200)  # ~200 KiB on the wire, 200 MiB inflated
    site.route("/bomb", Reply(200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}, bomb))
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="decompressed"):
            make_fetcher(site).fetch(f"{site.base}/bomb", accept="feed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * LIMITS.max_body_bytes, peak


def test_endless_body_is_cut_at_the_limit(site: LoopbackSite) -> None:
    site.route("/endless", lambda _h: Reply(200, {"Content-Type": "text/html"}, endless()))
    with pytest.raises(TooLargeError):
        make_fetcher(site).fetch(f"{site.base}/endless")
    assert site.sent_bytes < 64 * LIMITS.max_body_bytes


def test_declared_length_over_the_limit_is_refused_before_reading(site: LoopbackSite) -> None:
    site.route("/big", lambda _h: Reply(200, {"Content-Type": "text/html", "Content-Length": str(10**9)},
                                        endless()))
    with pytest.raises(TooLargeError, match="1000000000 bytes"):
        make_fetcher(site).fetch(f"{site.base}/big")


def test_wrong_content_type_and_unasked_encoding(site: LoopbackSite) -> None:
    site.route("/img", Reply(200, {"Content-Type": "image/png"}, b"\x89PNG"))
    site.route("/br", Reply(200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x0b\x00"))
    site.route("/gz2", Reply(200, {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"}, b"x"))
    fetcher = make_fetcher(site)
    with pytest.raises(ContentTypeError, match="image/png"):
        fetcher.fetch(f"{site.base}/img")
    for path in ("/br", "/gz2"):
        with pytest.raises(ContentEncodingError):
            fetcher.fetch(f"{site.base}{path}")


def test_status_errors_are_typed(site: LoopbackSite) -> None:
    site.route("/gone", Reply(410))
    site.route("/busy", Reply(503, {"Retry-After": "120"}))
    fetcher = make_fetcher(site)
    with pytest.raises(GoneError):
        fetcher.fetch(f"{site.base}/gone")
    with pytest.raises(TransientFetchError) as info:
        fetcher.fetch(f"{site.base}/busy")
    assert info.value.status == 503 and info.value.retry_after == 120


def test_retry_after_cools_the_whole_host_down(site: LoopbackSite, tmp_path: Path) -> None:
    site.route("/limited", Reply(429, {"Retry-After": "30"}))
    site.route("/other", Reply(200, {"Content-Type": "text/html"}, b"<html/>"))
    fetcher = make_fetcher(site, tmp_path)
    with pytest.raises(TransientFetchError):
        fetcher.fetch(f"{site.base}/limited")
    # another worker (its own Fetcher, the same shared gate directory) respects it too
    other = make_fetcher(site, tmp_path)
    with pytest.raises(HostCooldownError) as info:
        other.fetch(f"{site.base}/other", accept="page")
    assert 25 < (info.value.retry_after or 0) <= 30
    assert "/other" not in site.paths()


def test_decoded_headers_do_not_claim_an_encoding(site: LoopbackSite) -> None:
    import gzip

    site.route("/gz", Reply(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                            gzip.compress(b"<html>hello</html>")))
    result = make_fetcher(site).fetch(f"{site.base}/gz")
    assert result.body == b"<html>hello</html>" and "content-encoding" not in result.headers


# --- TLS: the socket goes to the pinned address, the certificate is checked against the host name ---

def _cert(tmp_path: Path, name: str) -> tuple[Path, Path]:
    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize(("cert_name", "ok"), [("localhost", True), ("other.test", False)])
def test_https_verifies_the_certificate_against_the_host_name(tmp_path: Path, cert_name: str, ok: bool) -> None:
    cert, key = _cert(tmp_path, cert_name)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    site = LoopbackSite({"/": lambda _h: Reply(200, {"Content-Type": "text/html"}, b"<html>tls</html>")},
                        tls=server_ctx).start()
    try:
        client_ctx = ssl.create_default_context(cafile=str(cert))
        port = site.host_port.rsplit(":", 1)[1]
        fetcher = Fetcher(user_agent="akhbar-test/1", limits=LIMITS, allow_hosts=["localhost"], verify=client_ctx)
        url = f"https://localhost:{port}/"
        if ok:
            # connected to 127.0.0.1 (a certificate with no IP in it): only SNI/hostname checking passes
            assert fetcher.fetch(url).body == b"<html>tls</html>"
        else:
            with pytest.raises(TransientFetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
                fetcher.fetch(url)
    finally:
        site.stop()
