"""The HTTP API (FastAPI) and the dashboard's files: fleet status, articles, and operator actions behind a token."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from fastapi.responses import FileResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from console import status as status_views
from console.dashboard import STATIC
from workers.core.errors import AkhbarError
from workers.runtime import Runtime

TOKEN_HELP = "a valid 'Authorization: Bearer <AKHBAR_API_TOKEN>' header is required"


class RefetchRequest(BaseModel):
    """Exactly one of a page URL or a source name."""

    url: str | None = None
    source: str | None = None


class DisableRequest(BaseModel):
    reason: str = "disabled by operator"


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

    def bearer_ok(authorization: str | None) -> bool:
        if not token or not authorization or not authorization.startswith("Bearer "):
            return False
        return hmac.compare_digest(authorization[len("Bearer "):].encode(), token.encode())

    def require_token(authorization: str | None = Header(None)) -> None:
        """Mutating calls need the bearer token; with no token configured they are refused outright."""
        if not bearer_ok(authorization):
            raise HTTPException(401, TOKEN_HELP, headers={"WWW-Authenticate": "Bearer"})

    def require_read(authorization: str | None = Header(None)) -> None:
        if not rt.settings.api_read_open and not bearer_ok(authorization):
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
    def articles(source: str | None = None, cluster: str | None = None, since: datetime | None = None,
                 q: str | None = Query(None, description="words, matched on normalised Arabic"),
                 limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
                 brief: bool = Query(False, description="leave out the body")) -> list[dict[str, Any]]:
        """Stored articles, newest first."""
        rows = rt.store.list_articles(source=source, cluster=cluster, since=since, q=q, limit=limit, offset=offset)
        return [_brief(a.to_dict()) if brief else a.to_dict() for a in rows]

    @app.get("/api/articles/{article_id}", dependencies=read, tags=["articles"])
    def article(article_id: str) -> dict[str, Any]:
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
        return rt.store.list_failures(limit)

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
    def retry(failure_id: int) -> dict[str, Any]:
        """Queue a dead letter again on the manual lane; the record goes once it is queued."""
        from console.replay import retry_failure

        if not retry_failure(rt, failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"retried": failure_id, "queue": "manual"}

    @app.delete("/api/failures/{failure_id}", dependencies=write, tags=["failures"])
    def drop(failure_id: int) -> dict[str, Any]:
        """Forget a dead letter without retrying it."""
        if not rt.store.drop_failure(failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"dropped": failure_id}

    @app.post("/api/sources/{name}/disable", dependencies=write, tags=["sources"])
    def disable(name: str, body: DisableRequest | None = None) -> dict[str, Any]:
        """Stop polling a source; the running scheduler sees it at its next tick."""
        if not rt.store.set_source_enabled(name, False, (body or DisableRequest()).reason):
            raise HTTPException(404, f"no source named {name!r}")
        return {"source": name, "enabled": False}

    @app.post("/api/sources/{name}/enable", dependencies=write, tags=["sources"])
    def enable(name: str) -> dict[str, Any]:
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
