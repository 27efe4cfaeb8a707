"""The one place a URL's password is masked before it is shown: banners, logs, errors, status, the API."""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "***"
# scheme://userinfo@ where userinfo holds a ':'; the authority runs to the last '@' before any '/', so a
# password with an unescaped '@' in it (redis://:p@ss@host) is masked whole, as urlsplit would read it
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#@:'\"<>]*):([^\s/?#'\"<>]*)@")
_STORE_SCHEMES = ("sqlite", "postgres", "postgresql", "mysql")


def mask_url(url: str | None) -> str:
    """A store or broker URL fit to print: the password replaced by the library's own helper."""
    if not url:
        return url or ""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    # imported here: every `akhbar` command imports this module, and most never print a URL
    from sqlalchemy.exc import ArgumentError

    try:
        if scheme in _STORE_SCHEMES:
            from sqlalchemy.engine import make_url

            shown = make_url(url).render_as_string(hide_password=True)  # keeps the query (search_path…)
        else:
            from kombu.utils.url import maybe_sanitize_url

            shown = maybe_sanitize_url(url, mask=MASK)  # what Celery prints for a broker
    except (ArgumentError, ValueError, TypeError):
        shown = url
    return redact(shown)  # the helpers read 'p@ss@host' as password 'p': mask what they left


def redact(text: str) -> str:
    """Free text (an error message, a log line, a source URL) with every URL password masked."""
    if "://" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group(1)}{m.group(2)}:{MASK}@", text)


def redact_value(value: Any) -> Any:
    """A JSON-like value (status, a source row, a dead letter) with every string redacted, at any depth."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    return value


class RedactingFormatter(logging.Formatter):
    """Wraps a formatter so nothing it renders (message, fields, traceback) carries a URL password."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record))
