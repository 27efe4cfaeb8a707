"""Retention's pure parts: how old is "old" (`--older-than 90d`), what a kept-metadata row keeps, the tally.

Age is measured on `stored_at`, the one time akhbar sets itself: `published_at` is whatever a page claims
(a hostile site can date its pages 2099 to be kept forever, or 1990; undated pages have none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

MAX_AGE_DAYS = 36_500  # a hundred years: anything longer is a typo, and overflows a datetime soon after
_AGE = re.compile(r"\s*([0-9]{1,9})\s*([mhdw])\s*", re.IGNORECASE)
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}

# Article JSON fields that carry the page's text (DESIGN.md, "Article"), and what each becomes when stripped.
# Kept: id, URLs, source, site_name, title, authors, tags, dates, language, original_source, image, the
# content hash (a re-fetch of the same text stays "unchanged" and is not stored again), cluster fields.
STRIPPED_FIELDS: dict[str, Any] = {"body": "", "subtitle": None, "summary": None, "related": []}


class AgeError(ValueError):
    """An --older-than value that is not a positive age such as 90d."""


def parse_age(text: str) -> timedelta:
    """'90d', '12h', '2w', '30m' → timedelta; AgeError (one line, naming the value) otherwise."""
    match = _AGE.fullmatch(text)
    if not match:
        raise AgeError(f"{text!r} is not an age such as 90d, 12h, 2w or 30m (a whole number and a unit)")
    minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2).lower()]
    if minutes <= 0:
        raise AgeError(f"{text!r}: the age must be more than zero (0 would prune what was stored just now)")
    if minutes > MAX_AGE_DAYS * 24 * 60:
        raise AgeError(f"{text!r}: at most {MAX_AGE_DAYS}d")
    return timedelta(minutes=minutes)


def strip_body(data: dict[str, Any]) -> dict[str, Any]:
    """The article JSON without its text fields; every other field as it was (a copy)."""
    return {**data, **{k: v for k, v in STRIPPED_FIELDS.items() if k in data}}


def is_stripped(data: dict[str, Any]) -> bool:
    """Whether the article JSON holds none of the text strip_body removes."""
    return all(data.get(k) in (v, None) for k, v in STRIPPED_FIELDS.items())


@dataclass(slots=True)
class PruneTally:
    """What a prune did (or, dry run, would do), summed over its batches."""

    deleted: int = 0
    stripped: int = 0
    skipped_busy: int = 0  # rows a publish held locked at the time: left for the next run
    clusters_touched: int = 0  # clusters that lost members (or bodies) and still have members
    heads_moved: int = 0
    bytes_freed: int = 0  # article JSON and search text, as the rows held them (the file shrinks on VACUUM)
    batches: int = 0
    seconds: float = 0.0
    longest_batch_seconds: float = 0.0
    dry_run: bool = False

    def add(self, batch: PruneTally) -> None:
        """Fold one batch's tally into this one."""
        for name in ("deleted", "stripped", "skipped_busy", "clusters_touched", "heads_moved", "bytes_freed"):
            setattr(self, name, getattr(self, name) + getattr(batch, name))
        self.batches += 1
        self.seconds += batch.seconds
        self.longest_batch_seconds = max(self.longest_batch_seconds, batch.seconds)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "deleted": self.deleted, "stripped": self.stripped,
                "skipped_busy": self.skipped_busy, "clusters_touched": self.clusters_touched,
                "heads_moved": self.heads_moved, "bytes_freed": self.bytes_freed, "batches": self.batches,
                "seconds": round(self.seconds, 3), "longest_batch_seconds": round(self.longest_batch_seconds, 4)}
