"""Opaque keyset cursors for the article listing: where the last page ended, in the listing's own order.

A cursor is base64url (no padding) of a small JSON list: ["stored", stored_at, id] or
["published", published_at or null, stored_at, id]. A client treats it as opaque and sends it back; the
store reads the next page from the index from that key on, so a deep page costs what the first one does,
and rows published between two requests never shift a page (no duplicates, no gaps). Anything sent back
is hostile input: decode() accepts exactly what encode() makes, or raises CursorError with a clear message.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime

MAX_CHARS = 256  # a real cursor is under 160 characters
SORTS = ("stored", "published")
_ID = re.compile(r"[0-9a-f]{1,64}")  # article ids are hex digests
_B64 = re.compile(r"[A-Za-z0-9_-]+")


class CursorError(ValueError):
    """A cursor that this listing did not make (or made for another sort order)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key of the last row of a page: the next page starts after it."""

    sort: str
    stored_at: datetime
    id: str
    published_at: datetime | None = None


def encode(cursor: Cursor) -> str:
    key: list[str | None] = [cursor.stored_at.isoformat(), cursor.id]
    if cursor.sort == "published":
        key.insert(0, cursor.published_at.isoformat() if cursor.published_at else None)
    raw = json.dumps([cursor.sort, *key], separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(text: str, sort: str) -> Cursor:
    """The cursor `text` for a listing in `sort` order; CursorError saying what is wrong otherwise."""
    if not text or len(text) > MAX_CHARS or not _B64.fullmatch(text):
        raise CursorError(f"cursor must be the opaque value a previous page returned (base64url, at most "
                          f"{MAX_CHARS} characters)")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CursorError("cursor is not one this listing returned (it does not decode)") from None
    if not isinstance(value, list) or not value or value[0] not in SORTS:
        raise CursorError("cursor is not one this listing returned (unknown shape)")
    if value[0] != sort:
        raise CursorError(f"cursor was made for sort={value[0]}, not sort={sort}: start again without it")
    parts = value[1:]
    if len(parts) != (3 if sort == "published" else 2):
        raise CursorError("cursor is not one this listing returned (wrong number of parts)")
    published = _instant(parts.pop(0), nullable=True) if sort == "published" else None
    stored, article_id = _instant(parts[0], nullable=False), parts[1]
    if not isinstance(article_id, str) or not _ID.fullmatch(article_id):
        raise CursorError("cursor is not one this listing returned (bad article id)")
    assert stored is not None
    return Cursor(sort, stored, article_id, published)


def _instant(value: object, *, nullable: bool) -> datetime | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise CursorError("cursor is not one this listing returned (bad time)")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CursorError("cursor is not one this listing returned (bad time)") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise CursorError("cursor is not one this listing returned (time without offset)")
    return at
