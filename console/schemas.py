"""The HTTP API's contract: request and response models mirroring the JSON it sends (DESIGN.md's article
JSON, `status --json`), one error body, and which statuses each kind of call can answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

MAX_NAME = 200
MAX_URL = 2048
MAX_REASON = 500
# C0 controls and DEL, and lone surrogates (JSON's "\ud800" decodes to one, which no store can encode)
NOT_PRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
# The same rule as a JSON-schema pattern, so clients and generated tests know it too.
PRINTABLE_PATTERN = r"^[^\u0000-\u001f\u007f]*$"
HOST_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
# What a re-fetch accepts: http(s), a DNS host name, a port 1-65535, then anything printable
HTTP_URL_PATTERN = (rf"^[Hh][Tt][Tt][Pp][Ss]?://{HOST_LABEL}(\.{HOST_LABEL})*\.?(:{PORT})?"
                    r"([/?#][^\u0000-\u001f\u007f]*)?$")
HTTP_URL = re.compile(HTTP_URL_PATTERN)
# RFC 3339 date-time; an offset-less time is read as UTC
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


def _printable(value: str | None) -> str | None:
    """Refuse control characters (PostgreSQL cannot store NUL; none belongs in a URL, name or reason)."""
    if value is not None and NOT_PRINTABLE.search(value):
        raise ValueError("control characters and lone surrogates are not allowed")
    return value


Printable = AfterValidator(_printable)
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


def parse_since(value: str) -> datetime:
    """A strict RFC 3339 date-time as a UTC instant (numbers and bare dates are refused, unlike pydantic's
    lax datetime); an instant past either end of the calendar is clamped to it, since every row is within."""
    if not DATE_TIME.fullmatch(value):
        raise ValueError("'since' must be an RFC 3339 date-time, e.g. 2026-03-18T09:30:00+03:00")
    try:
        when = datetime.fromisoformat(value.upper().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise ValueError("'since' is not a valid date-time") from None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is a valid date-time whose UTC instant is not
        return datetime.min.replace(tzinfo=UTC) if when.year == 1 else datetime.max.replace(tzinfo=UTC)


# --- errors ------------------------------------------------------------------------------------------


class ErrorItem(BaseModel):
    """One invalid part of a request."""

    loc: list[str | int] = Field(description="where: body, query, path or header, then the field")
    msg: str
    type: str


class Error(BaseModel):
    """Every error answer, from the guard (400, 401, 413, 500, 503) and the routes alike."""

    detail: str = Field(description="what went wrong, in words")
    errors: list[ErrorItem] | SkipJsonSchema[None] = Field(
        None, description="422 from validation only: each invalid part of the request")


BEARER_HEADERS = {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}}
ERRORS: dict[int, dict[str, Any]] = {
    400: {"description": "refused by the guard: a Host not in AKHBAR_API_TRUSTED_HOSTS, control characters in "
                         "the path or query, an invalid Content-Length"},
    401: {"description": "no valid `Authorization: Bearer` token (mutating calls always; read calls when "
                         "AKHBAR_API_READ_OPEN is false)", "headers": BEARER_HEADERS},
    404: {"description": "no such item"},
    413: {"description": "request body over AKHBAR_API_MAX_BODY_BYTES (refused while it streams)"},
    422: {"description": "invalid parameters or body"},
    500: {"description": "internal error (details are in the server's log, never in the answer)"},
    503: {"description": "the store or broker is unavailable; retry after the seconds given",
          "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}}},
}


def errors(*statuses: int, by_reference: bool = False) -> dict[int | str, dict[str, Any]]:
    """The `responses` entries for these statuses (and the guard's 400, 500 and 503), each with the one error body.

    by_reference: for a route whose own answer is not JSON (FastAPI would file a model under the route's media
    type); the Error schema is registered by the other routes.
    """
    body: dict[str, Any] = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}} \
        if by_reference else {"model": Error}
    return {status: {**ERRORS[status], **body} for status in sorted({400, 500, 503, *statuses})}


def links(**spec: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links from a list answer's first item to operations on it: one `param="/field"` (a JSON pointer
    into the item), then `name=operationId` for each linked operation."""
    (param, pointer), *targets = spec.items()
    return {200: {"links": {name: {"operationId": operation, "parameters": {param: f"$response.body#/0{pointer}"}}
                            for name, operation in targets}}}


# --- requests ----------------------------------------------------------------------------------------


def _http_url(value: str) -> str:
    """HTTP_URL_PATTERN, refused in words an operator can act on."""
    if HTTP_URL.fullmatch(value):
        return value
    if not re.match(r"(?i)https?://", value):
        raise ValueError("only http(s) URLs can be re-fetched")
    try:
        port = urlsplit(value).port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError("invalid port in URL (must be 1-65535)")
    raise ValueError("the host must be a DNS name or IPv4 address (letters, digits, hyphens, dots)")


def _schema(**extra: Any) -> Callable[[dict[str, Any]], None]:
    """A field's JSON schema with these keys and without its `default` (an absent key is not a null)."""

    def edit(schema: dict[str, Any]) -> None:
        schema.pop("default", None)
        schema.update(extra)

    return edit


def _absent(**constraints: Any) -> Any:
    """A field that may be left out (then None) but, when given, must be a string: no null in the schema."""
    return Field(None, **constraints)


class RefetchRequest(BaseModel):
    """Exactly one of a page URL (http or https) or a source name; other keys are ignored."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["url"]}, {"required": ["source"]}]})

    # The patterns are checked by the validators (with messages in words) and published in the schema.
    url: Annotated[str, Printable, AfterValidator(_http_url)] = _absent(
        min_length=8, max_length=MAX_URL, description="a page to fetch again",
        json_schema_extra=_schema(pattern=HTTP_URL_PATTERN))
    source: Annotated[str, Printable] = _absent(
        min_length=1, max_length=MAX_NAME, description="a configured source to poll now",
        json_schema_extra=_schema(pattern=PRINTABLE_PATTERN))

    @model_validator(mode="before")
    @classmethod
    def exactly_one(cls, data: Any) -> Any:
        if isinstance(data, dict):
            given = [key for key in ("url", "source") if key in data]
            if len(given) != 1:
                raise ValueError("give exactly one of 'url' or 'source'")
        return data


class DisableRequest(BaseModel):
    reason: Annotated[str, Printable] = Field(default="disabled by operator", max_length=MAX_REASON,
                                              json_schema_extra={"pattern": PRINTABLE_PATTERN})


# --- articles (DESIGN.md, "Article") -----------------------------------------------------------------


class RelatedLink(BaseModel):
    title: str
    url: str


class Highlight(BaseModel):
    """A matched word in a snippet's text: [start, end) in Unicode code points (not UTF-16 units)."""

    start: int
    end: int


class Snippet(BaseModel):
    """An excerpt around a search's best match, as plain text (never HTML: a client escapes it) with where
    the matched words are; "…" marks where it was cut."""

    text: str
    highlights: list[Highlight]


class Article(BaseModel):
    """One stored article, schema version 1; `body` is left out of lists asked for with brief=true."""

    schema_version: Literal[1]
    url: str
    canonical_url: str
    source: str
    title: str
    body: str | SkipJsonSchema[None] = Field(None, description="left out with brief=true")
    site_name: str | None
    subtitle: str | None
    summary: str | None
    authors: list[str]
    tags: list[str]
    published_at: Timestamp | None
    updated_at: Timestamp | None
    fetched_at: Timestamp | None
    language: str
    original_source: str | None
    image: str | None
    related: list[RelatedLink]
    claimed_canonical_url: str | None = Field(description="a canonical URL the page declared on another site")
    content_hash: str
    cluster_id: str | None
    duplicate_of: str | None
    same_story: list[str]
    revision: int
    id: str
    snippet: Snippet | SkipJsonSchema[None] = Field(None, description="search results (q) only: where it matched")


class Cluster(BaseModel):
    cluster_id: str
    members: int
    first_at: Timestamp
    last_at: Timestamp
    title: str
    sources: list[str]
    article_ids: list[str]


# --- fleet -------------------------------------------------------------------------------------------


class ErrorRecord(BaseModel):
    """An error or note kept in a source's health record (stored as JSON: a key may be missing, others added)."""

    model_config = ConfigDict(extra="allow")

    kind: str | None = None
    message: str | None = None
    url: str | None = None
    status: int | None = None
    at: Timestamp | None = None


class Source(BaseModel):
    name: str
    url: str
    kind: Literal["feed", "sitemap", "page"]
    origin: str = Field(description="where the source came from: the sources file or an operator")
    state: Literal["ok", "backoff", "disabled"]
    disabled_reason: str | None
    last_success_at: Timestamp | None
    last_polled_at: Timestamp | None
    next_due_at: Timestamp | None
    interval: int = Field(description="seconds between polls now (adaptive)")
    consecutive_failures: int
    articles: int
    articles_24h: int
    last_error: ErrorRecord | None
    recent_errors: list[ErrorRecord]


class CurrentJob(BaseModel):
    """The job a worker process reported running (stored as JSON: a key may be missing, others added)."""

    model_config = ConfigDict(extra="allow")

    task: str | None = None
    queue: str | None = None
    source: str | None = None
    url: str | None = None
    since: Timestamp | None = None


class Worker(BaseModel):
    name: str
    active: int
    processed: int
    queues: str
    pid: int
    hostname: str
    last_seen: Timestamp | None
    started_at: Timestamp | None
    current: CurrentJob | None


class QueueDetail(BaseModel):
    outstanding: int = Field(description="jobs from before they are sent until they finish")
    in_broker: int | None = Field(description="the broker's own list length; null when it cannot be read")
    running: int
    retrying: int
    oldest_age_seconds: float | None


class Unacked(BaseModel):
    count: int = Field(description="Redis only (key `_unacked`): messages held by workers, not yet acknowledged")


class Throughput(BaseModel):
    window_minutes: int
    since: Timestamp
    per_minute: dict[str, list[int]] = Field(description="done, failed, published, updated: oldest minute first")
    jobs_last_5m: int
    jobs_per_minute: float
    articles_last_hour: int


class Queues(BaseModel):
    queues: dict[str, int]
    details: dict[str, QueueDetail | Unacked]
    throughput: Throughput


class Status(BaseModel):
    """What `akhbar status --json` prints."""

    queues: dict[str, int]
    queue_details: dict[str, QueueDetail | Unacked]
    workers: list[Worker]
    sources: list[Source]
    throughput: Throughput
    articles_total: int
    failures: int
    mode: Literal["embedded", "redis", "broker"]
    at: Timestamp


class Failure(BaseModel):
    """A dead letter: a job that exhausted its retries, with its arguments and error."""

    id: int
    task: str
    args: dict[str, Any]
    source: str | None
    url: str | None
    error_kind: str
    message: str
    status: int | None
    attempts: int
    at: Timestamp


# --- action results ----------------------------------------------------------------------------------


class QueuedSource(BaseModel):
    queued: Literal["source"]
    source: str
    queue: Literal["manual"]


class QueuedUrl(BaseModel):
    queued: Literal["url"]
    url: str = Field(description="the canonical URL queued")
    queue: Literal["manual"]


class Retried(BaseModel):
    retried: int
    queue: Literal["manual"]


class Dropped(BaseModel):
    dropped: int


class SourceEnabled(BaseModel):
    source: str
    enabled: bool
