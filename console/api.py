"""The HTTP API (FastAPI): what `status --json` shows, the articles, and manual re-fetch behind a token."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel

from console import status as status_views
from workers.core.errors import AkhbarError
from workers.runtime import Runtime


class RefetchRequest(BaseModel):
    url: str | None = None
    source: str | None = None


def create_app(rt: Runtime) -> FastAPI:
    app = FastAPI(title="akhbar", version="0.1.0", description="Arabic news ingestion: operator API")
    token = rt.settings.api_token

    def bearer_ok(authorization: str | None) -> bool:
        if not token or not authorization or not authorization.startswith("Bearer "):
            return False
        return hmac.compare_digest(authorization[len("Bearer "):].encode(), token.encode())

    def require_token(authorization: str | None = Header(None)) -> None:
        """Mutating calls need the bearer token; with no token configured they are refused outright."""
        if not bearer_ok(authorization):
            raise HTTPException(401, "a valid 'Authorization: Bearer <AKHBAR_API_TOKEN>' header is required",
                                headers={"WWW-Authenticate": "Bearer"})

    def require_read(authorization: str | None = Header(None)) -> None:
        if not rt.settings.api_read_open and not bearer_ok(authorization):
            raise HTTPException(401, "read calls need the bearer token (AKHBAR_API_READ_OPEN is false)",
                                headers={"WWW-Authenticate": "Bearer"})

    read = [Depends(require_read)]

    @app.get("/api/status", dependencies=read)
    def full_status() -> dict[str, Any]:
        return status_views.collect_status(rt)

    @app.get("/api/sources", dependencies=read)
    def sources() -> list[dict[str, Any]]:
        return status_views.sources_status(rt)

    @app.get("/api/queues", dependencies=read)
    def queues() -> dict[str, Any]:
        depths, details = status_views.queues_status(rt)
        return {"queues": depths, "details": details, "throughput": status_views.throughput(rt)}

    @app.get("/api/workers", dependencies=read)
    def workers() -> list[dict[str, Any]]:
        return status_views.workers_status(rt)

    @app.get("/api/articles", dependencies=read)
    def articles(source: str | None = None, cluster: str | None = None, since: datetime | None = None,
                 q: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        rows = rt.store.list_articles(source=source, cluster=cluster, since=since, q=q,
                                      limit=min(limit, 1000), offset=offset)
        return [a.to_dict() for a in rows]

    @app.get("/api/articles/{article_id}", dependencies=read)
    def article(article_id: str) -> dict[str, Any]:
        found = rt.store.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found.to_dict()

    @app.get("/api/clusters", dependencies=read)
    def clusters(limit: int = 100) -> list[dict[str, Any]]:
        return rt.store.clusters(limit=min(limit, 1000))

    @app.get("/api/failures", dependencies=read)
    def failures(limit: int = 200) -> list[dict[str, Any]]:
        return rt.store.list_failures(limit)

    @app.post("/api/refetch", dependencies=[Depends(require_token)], status_code=202)
    def refetch(body: RefetchRequest) -> dict[str, Any]:
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

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        from console.metrics import render_metrics

        body, content_type = render_metrics(rt)
        return PlainTextResponse(body, media_type=content_type)

    @app.get("/", response_class=HTMLResponse)
    def dashboard() -> HTMLResponse:
        from console.dashboard import render_dashboard

        return HTMLResponse(render_dashboard())

    return app
