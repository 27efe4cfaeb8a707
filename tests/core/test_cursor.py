"""Keyset cursors (workers/core/cursor.py): what encode makes decodes back; anything else is refused clearly."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from workers.core.cursor import MAX_CHARS, Cursor, CursorError, decode, encode

AT = datetime(2026, 12, 5, 2, 30, 1, 123456, tzinfo=UTC)


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("cursor", [
    Cursor("stored", AT, "ab12" * 6),
    Cursor("published", AT, "0f" * 12, AT - timedelta(days=3)),
    Cursor("published", AT, "0f" * 12, None),
    Cursor("published", AT, "0f" * 12, datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=3)))),
])
def test_round_trip(cursor: Cursor) -> None:
    text = encode(cursor)
    assert len(text) < 160 and "=" not in text
    assert decode(text, cursor.sort) == cursor


@pytest.mark.parametrize("text, says", [
    ("", "opaque value"),
    ("x" * (MAX_CHARS + 1), "at most"),
    ("not base64!", "base64url"),
    ("%00", "base64url"),
    ("\u0661\u0662", "base64url"),
    ("A", "does not decode"),
    (base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="), "does not decode"),
    (_b64({"sort": "stored"}), "unknown shape"),
    (_b64([]), "unknown shape"),
    (_b64(["newest", AT.isoformat(), "ab"]), "unknown shape"),
    (_b64(["published", None, AT.isoformat(), "ab"]), "sort=published, not sort=stored"),
    (_b64(["stored", AT.isoformat()]), "wrong number"),
    (_b64(["stored", AT.isoformat(), "ab", "cd"]), "wrong number"),
    (_b64(["stored", "yesterday", "ab"]), "bad time"),
    (_b64(["stored", None, "ab"]), "bad time"),
    (_b64(["stored", 1733365800, "ab"]), "bad time"),
    (_b64(["stored", "2026-12-05T02:30:01", "ab"]), "without offset"),
    (_b64(["stored", "9" * 100, "ab"]), "bad time"),
    (_b64(["stored", AT.isoformat(), "' OR 1=1 --"]), "bad article id"),
    (_b64(["stored", AT.isoformat(), 42]), "bad article id"),
    (_b64(["stored", AT.isoformat(), "AB12"]), "bad article id"),
])
def test_hostile_cursors_are_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(CursorError, match=says):
        decode(text, "stored")


def test_a_cursor_error_is_a_value_error() -> None:  # callers that map ValueError to 422 cover it
    assert issubclass(CursorError, ValueError)
