"""What fetcher tests and benchmarks serve from the loopback server (`demo/loopback.py`, re-exported here):
conditional feeds, small RSS documents, and the hostile bodies (gzip bomb, endless, slow) that limits must stop."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from xml.sax.saxutils import escape

from demo.loopback import Handler, LoopbackSite, Reply, Route, Seen

__all__ = ["Handler", "LoopbackSite", "Reply", "Route", "Seen", "conditional", "drip", "endless", "gzip_bomb",
           "rss"]


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
