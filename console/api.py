"""The HTTP API (FastAPI) and the dashboard's files: fleet status, articles, and operator actions behind a token."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator, BaseModel, Field

from console import status as status_views
from console.dashboard import STATIC
from console.guard import CONTROL, TOKEN_HELP, GuardMiddleware, bearer_ok
from workers.core.errors import AkhbarError
from workers.runtime import Runtime

MAX_INT64 = 2**63 - 1  # the stores' integer columns and OFFSET are signed 64-bit: past it they fail, not refuse
MAX_NAME = 200
MAX_Q_CHARS = 256
MAX_Q_WORDS = 12  # every word is one more LIKE over the whole table
SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(value: str | None) -> str | None:
    """Refuse control characters (PostgreSQL cannot store NUL; none belongs in a URL, name or reason).

    Lone surrogates too: JSON's "\\ud800" decodes to one, which no store can encode.
    """
    if value is not None and (CONTROL.search(value) or SURROGATE.search(value)):
        raise ValueError("control characters and lone surrogates are not allowed")
    return value


def _encodable(value: object) -> object:
    """Strings made safe to encode as UTF-8 (a lone surrogate becomes '?'); other values as they are."""
    return value.encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else value


Printable = AfterValidator(_printable)
FailureId = Annotated[int, Path(ge=1, le=MAX_INT64)]
SourceName = Annotated[str, Path(max_length=MAX_NAME)]


class RefetchRequest(BaseModel):
    """Exactly one of a page URL or a source name."""

    url: Annotated[str | None, Field(max_length=2048), Printable] = None
    source: Annotated[str | None, Field(max_length=MAX_NAME), Printable] = None


class DisableRequest(BaseModel):
    reason: Annotated[str, Field(max_length=500), Printable] = "disabled by operator"


def _brief(article: dict[str, Any]) -> dict[str, Any]:
    """An article without its body, for lists (the dashboard polls them)."""
    return {k: v for k, v in article.items() if k != "body"}


def create_app(rt: Runtime) -> FastAPI:
    """The API over one runtime; every handler is a thin call into status, store, scheduler or replay."""
    app = FastAPI(title="akhbar", version="0.1.0",
                  description="Arabic news ingestion: the operator API. Mutating calls need "
                              "`Authorization: Bearer $AKHBAR_API_TOKEN`; read calls too when "
                              "AKHBAR_API_READ_OPEN is false.")
    token = rt.settings.api_token
    # Checked again in front of every route, where the body has not been read yet (GuardMiddleware).
    app.add_middleware(GuardMiddleware, token=token, read_open=rt.settings.api_read_open,
                       max_body=rt.settings.api_max_body_bytes, trusted_hosts=rt.settings.api_trusted_hosts,
                       docs_paths=[app.docs_url or "", app.redoc_url or "", app.openapi_url or "",
                                   app.swagger_ui_oauth2_redirect_url or ""])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 saying where and what, without echoing the input: it may be huge, or not even encodable."""
        errors = [{"type": e.get("type"), "loc": [_encodable(p) for p in e.get("loc", ())],
                   "msg": _encodable(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        """A safety net: the shape every other answer has, and nothing of the exception (it is in the log)."""
        return JSONResponse({"detail": "internal error"}, status_code=500)

    def require_token(authorization: str | None = Header(None)) -> None:
        """Mutating calls need the bearer token; with no token configured they are refused outright."""
        if not bearer_ok(authorization, token):
            raise HTTPException(401, TOKEN_HELP, headers={"WWW-Authenticate": "Bearer"})

    def require_read(authorization: str | None = Header(None)) -> None:
        if not rt.settings.api_read_open and not bearer_ok(authorization, token):
            raise HTTPException(401, f"read calls need the token too (AKHBAR_API_READ_OPEN is false): {TOKEN_HELP}",
                                headers={"WWW-Authenticate": "Bearer"})

    read, write = [Depends(require_read)], [Depends(require_token)]

    @app.get("/api/status", dependencies=read, tags=["fleet"])
    def full_status() -> dict[str, Any]:
        """What `akhbar status --json` prints."""
        return status_views.collect_status(rt)

    @app.get("/api/sources", dependencies=read, tags=["sources"])
    def sources() -> list[dict[str, Any]]:
        """Every source with its health."""
        return status_views.sources_status(rt)

    @app.get("/api/queues", dependencies=read, tags=["fleet"])
    def queues() -> dict[str, Any]:
        """Depth per queue, its parts, and throughput."""
        depths, details = status_views.queues_status(rt)
        return {"queues": depths, "details": details, "throughput": status_views.throughput(rt)}

    @app.get("/api/workers", dependencies=read, tags=["fleet"])
    def workers() -> list[dict[str, Any]]:
        """Worker processes online, with the job each is running."""
        return status_views.workers_status(rt)

    @app.get("/api/articles", dependencies=read, tags=["articles"])
    def articles(source: str | None = Query(None, max_length=MAX_NAME),
                 cluster: str | None = Query(None, max_length=MAX_NAME), since: datetime | None = None,
                 q: str | None = Query(None, max_length=MAX_Q_CHARS,
                                       description=f"up to {MAX_Q_WORDS} words, matched on normalised Arabic"),
                 limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_INT64),
                 brief: bool = Query(False, description="leave out the body")) -> list[dict[str, Any]]:
        """Stored articles, newest first."""
        if q and len(q.split()) > MAX_Q_WORDS:
            raise HTTPException(422, f"search with at most {MAX_Q_WORDS} words")
        if since is not None:
            try:  # 0001-01-01+14:00 is a valid datetime whose UTC instant is not
                since = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
            except OverflowError:
                raise HTTPException(422, "'since' is out of range") from None
        rows = rt.store.list_articles(source=source, cluster=cluster, since=since, q=q, limit=limit, offset=offset)
        return [_brief(a.to_dict()) if brief else a.to_dict() for a in rows]

    @app.get("/api/articles/{article_id}", dependencies=read, tags=["articles"])
    def article(article_id: Annotated[str, Path(max_length=MAX_NAME)]) -> dict[str, Any]:
        """One stored article."""
        found = rt.store.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found.to_dict()

    @app.get("/api/clusters", dependencies=read, tags=["articles"])
    def clusters(limit: int = Query(100, ge=1, le=1000)) -> list[dict[str, Any]]:
        """Near-duplicate clusters, newest first."""
        return rt.store.clusters(limit=limit)

    @app.get("/api/failures", dependencies=read, tags=["failures"])
    def failures(limit: int = Query(200, ge=1, le=10000)) -> list[dict[str, Any]]:
        """Dead letters: jobs that exhausted their retries, newest first."""
        from config.redact import redact_value

        return redact_value(rt.store.list_failures(limit))  # job URLs and error texts may carry a password

    @app.get("/api/auth", dependencies=write, status_code=204, tags=["fleet"])
    def check_token() -> Response:
        """204 when the bearer token is right (the dashboard checks a pasted token with it)."""
        return Response(status_code=204)

    @app.post("/api/refetch", dependencies=write, status_code=202, tags=["actions"])
    def refetch(body: RefetchRequest) -> dict[str, Any]:
        """Queue a manual re-fetch of a page URL or a whole source on the manual lane."""
        from scheduler.refetch import refetch_source, refetch_url

        if bool(body.url) == bool(body.source):
            raise HTTPException(422, "give exactly one of 'url' or 'source'")
        try:
            if body.source:
                refetch_source(rt, body.source)
                return {"queued": "source", "source": body.source, "queue": "manual"}
            return {"queued": "url", "url": refetch_url(rt, body.url or ""), "queue": "manual"}
        except AkhbarError as exc:
            raise HTTPException(404 if exc.kind == "config" else 422, exc.message) from None

    @app.post("/api/failures/{failure_id}/retry", dependencies=write, status_code=202, tags=["failures"])
    def retry(failure_id: FailureId) -> dict[str, Any]:
        """Queue a dead letter again on the manual lane; the record goes once it is queued."""
        from console.replay import retry_failure

        if not retry_failure(rt, failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"retried": failure_id, "queue": "manual"}

    @app.delete("/api/failures/{failure_id}", dependencies=write, tags=["failures"])
    def drop(failure_id: FailureId) -> dict[str, Any]:
        """Forget a dead letter without retrying it."""
        if not rt.store.drop_failure(failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"dropped": failure_id}

    @app.post("/api/sources/{name}/disable", dependencies=write, tags=["sources"])
    def disable(name: SourceName, body: DisableRequest | None = None) -> dict[str, Any]:
        """Stop polling a source; the running scheduler sees it at its next tick."""
        if not rt.store.set_source_enabled(name, False, (body or DisableRequest()).reason):
            raise HTTPException(404, f"no source named {name!r}")
        return {"source": name, "enabled": False}

    @app.post("/api/sources/{name}/enable", dependencies=write, tags=["sources"])
    def enable(name: SourceName) -> dict[str, Any]:
        """Poll a source again; it is due at once."""
        if not rt.store.set_source_enabled(name, True):
            raise HTTPException(404, f"no source named {name!r}")
        return {"source": name, "enabled": True}

    @app.get("/metrics", dependencies=read, response_class=PlainTextResponse, tags=["fleet"])
    def metrics() -> PlainTextResponse:
        """Prometheus metrics for the whole fleet."""
        from console.metrics import render_metrics

        body, content_type = render_metrics(rt)
        return PlainTextResponse(body, media_type=content_type)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
