"""The values that flow through the pipeline: feed items, fetched responses and the Article schema."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class RelatedLink:
    title: str
    url: str


@dataclass(slots=True)
class Article:
    """One article in schema version 1 (DESIGN.md, "Article")."""

    url: str
    canonical_url: str
    source: str
    title: str
    body: str
    site_name: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str = "ar"
    original_source: str | None = None
    image: str | None = None
    related: list[RelatedLink] = field(default_factory=list)
    # Schema extension: the canonical URL the page declared when it is on another site (registrable
    # domain). Never the row's key nor one of its URLs; only a duplicate signal (DESIGN.md, `id`).
    claimed_canonical_url: str | None = None
    content_hash: str = ""
    cluster_id: str | None = None
    duplicate_of: str | None = None
    # Schema extension (optional semantic stage, AKHBAR_SEMANTIC): ids of articles that likely report the same
    # story in other words; a reader's hint, never part of a cluster (cluster_id/duplicate_of stay lexical).
    same_story: list[str] = field(default_factory=list)
    revision: int = 1
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.canonical_url or self.url)
        if not self.content_hash:
            self.content_hash = content_hash(self.body)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ISO 8601 dates, related links as objects, schema_version first."""
        data = asdict(self)
        for key in ("published_at", "updated_at", "fetched_at"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        data["related"] = [{"title": r.title, "url": r.url} for r in self.related]
        return {"schema_version": SCHEMA_VERSION, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("published_at", "updated_at", "fetched_at"):
            if isinstance(values.get(key), str):
                values[key] = datetime.fromisoformat(values[key])
        values["related"] = [RelatedLink(r["title"], r["url"]) for r in values.get("related") or []]
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed or sitemap, before its page is fetched."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed or sitemap said: its items, and hints for when to poll it again."""

    items: list[FeedItem]
    title: str | None = None
    ttl_seconds: int | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) refused items
    warning: str | None = None  # a recoverable problem (feedparser's bozo) worth showing an operator
    child_sitemaps: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A completed HTTP exchange: the final URL after redirects, status, headers and body bytes."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float = 0.0
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(frozen=True, slots=True)
class Source:
    """A configured source: where to poll, how, and how often at most."""

    name: str
    url: str
    kind: str = "feed"  # feed | sitemap | page
    interval: int = 900  # seconds
    timezone: str | None = None
    enabled: bool = True
    link_pattern: str | None = None  # kind=page: regex an article link must match
    max_interval: int | None = None
    origin: str = "file"  # file | runtime


def article_id(canonical_url: str) -> str:
    """Stable id from the canonical URL, so every worker derives the same key for the same article."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:24]


def content_hash(body: str) -> str:
    """Hash of the body with white space folded, so re-wrapping alone is not a new revision."""
    normalised = " ".join(body.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
