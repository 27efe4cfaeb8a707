"""mask_url and redact: the one place a URL's password is hidden before it is shown."""

from __future__ import annotations

import json
import logging

import pytest

from config.redact import RedactingFormatter, mask_url, redact
from workers.logs import JSONFormatter


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://postgres:pw@127.0.0.1:5432/test?options=-csearch_path%3Dx",
     "postgresql://postgres:***@127.0.0.1:5432/test?options=-csearch_path%3Dx"),
    ("postgresql+psycopg://u:p@ss@db/x", "postgresql+psycopg://u:***@db/x"),
    ("redis://:pw@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    ("redis://:p@ss@h:1/0", "redis://:***@h:1/0"),
    ("rediss://user:pw@h/0", "rediss://user:***@h/0"),
    ("sqlite:////tmp/akhbar.db", "sqlite:////tmp/akhbar.db"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("", ""),
])
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_redact_free_text() -> None:
    text = 'Error connecting to redis://:sec@h:1/0; feed "http://a:b@x.example/rss" failed; mailto:x@y.example'
    assert redact(text) == 'Error connecting to redis://:***@h:1/0; feed "http://a:***@x.example/rss" failed; ' \
                           'mailto:x@y.example'
    assert redact("http://user@h/no-password") == "http://user@h/no-password"


def test_log_lines_plain_and_json_are_redacted() -> None:
    record = logging.LogRecord("akhbar", logging.INFO, __file__, 1, "fetch %s", ("http://u:secret@h/rss",), None)
    record.fields = {"url": "http://u:secret@h/rss"}
    for inner in (logging.Formatter("%(message)s"), JSONFormatter()):
        line = RedactingFormatter(inner).format(record)
        assert "secret" not in line and "u:***@h" in line
    assert json.loads(RedactingFormatter(JSONFormatter()).format(record))["url"] == "http://u:***@h/rss"
