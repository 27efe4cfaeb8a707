"""Named errors, typed by what happens next: retry, back off, give up on the item, or fix the config.

    AkhbarError                 recorded against a source; `kind` is what operators see (stored: keep stable)
    ├── ConfigError             the operator fixes the sources file or settings
    ├── FetchError              a fetch failed; which branch says whether trying again can help
    │   ├── TransientFetchError     retry with backoff (timeout, reset, 5xx, 429, a busy or cooling host)
    │   └── PermanentFetchError     no retry: the item is dead-lettered (4xx, refused target, too large, ...)
    ├── ParseError / ExtractError   no retry: the bytes hold no feed or article
    └── InternalError           a bug met on one item: dead-lettered for replay once fixed, never retried

`workers/core/retry.py` turns these into the worker's next step.
"""

from __future__ import annotations


class AkhbarError(Exception):
    """Base of every error akhbar records against a source. `kind` is the short name operators see."""

    kind = "error"

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status

    def to_record(self) -> dict[str, object]:
        return {"kind": self.kind, "message": self.message, "url": self.url, "status": self.status}


class ConfigError(AkhbarError):
    """The sources file or settings are invalid; the operator must fix them."""

    kind = "config"


class FetchError(AkhbarError):
    """A fetch failed. Raised as one of its two branches: TransientFetchError or PermanentFetchError."""

    kind = "fetch"


class PermanentFetchError(FetchError):
    """A fetch failed in a way a retry will not fix (4xx, refused target, too large, corrupt body)."""


class TransientFetchError(FetchError):
    """A fetch failed in a way a retry may fix: timeout, reset, 5xx, 429. `retry_after` in seconds."""

    kind = "transient"

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class TimeoutFetchError(TransientFetchError):
    kind = "timeout"


class HTTPStatusFetchError(PermanentFetchError):
    """A non-retryable HTTP status (404, 403, ...)."""

    kind = "http_status"


class GoneError(PermanentFetchError):
    """410 Gone: the source is disabled with this reason."""

    kind = "gone"


class BlockedURLError(PermanentFetchError):
    """Refused before any request: bad scheme, private address, robots.txt."""

    kind = "blocked"


class RobotsDisallowedError(BlockedURLError):
    kind = "robots"


class TooLargeError(PermanentFetchError):
    """The body passed the size limit (counted on decompressed bytes)."""

    kind = "too_large"


class RedirectError(PermanentFetchError):
    """Too many redirects or a redirect loop."""

    kind = "redirect"


class ContentTypeError(PermanentFetchError):
    kind = "content_type"


class ParseError(AkhbarError):
    """The bytes could not be read as a feed, sitemap or page."""

    kind = "parse"


class ExtractError(ParseError):
    """The page has no article to extract."""

    kind = "extract"


class HostCooldownError(TransientFetchError):
    """The host asked everyone to wait (429/503 with Retry-After); not this source's failure."""

    kind = "host_cooldown"


class HostBusyError(TransientFetchError):
    """Every per-host slot stayed taken for the whole wait; the job comes back later."""

    kind = "host_busy"


class ContentEncodingError(ContentTypeError):
    """A Content-Encoding akhbar did not ask for and cannot decode within its limits."""

    kind = "content_encoding"


class InternalError(AkhbarError):
    """An unexpected exception on one item (a bug): kept as a dead letter to replay once fixed, never retried."""

    kind = "internal"

    @classmethod
    def wrap(cls, exc: BaseException, *, url: str | None = None) -> InternalError:
        return cls(f"internal error: {type(exc).__name__}: {exc}", url=url)
