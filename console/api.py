"""The HTTP API (FastAPI) and the dashboard's files: fleet status, articles, and operator actions behind a token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Response, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BeforeValidator

from console import schemas as s
from console import status as status_views
from console.dashboard import STATIC
from console.docs import DOCS_PATH, mount_docs
from console.guard import TOKEN_HELP, GuardMiddleware, bearer_ok
from console.rows import row_dicts
from workers.core.errors import AkhbarError
from workers.core.models import Article
from workers.core.search_terms import SearchQuery, SearchQueryError, article_snippet, parse_query
from workers.runtime import Runtime

MAX_INT64 = 2**63 - 1  # the stores' integer columns and OFFSET are signed 64-bit: past it they fail, not refuse
# An offset is paid row by row (offset=500,000 took 1.3 s of a PostgreSQL connection on a 1M archive): deeper pages
# are read by cursor, which costs what the first page does. A search by relevance (no cursor) pages this deep.
MAX_OFFSET = 10_000
MAX_Q_CHARS = 256
MAX_Q_WORDS = 12  # as workers.core.search_terms.MAX_QUERY_TERMS: every word is one more index lookup
# Python's str.split() whitespace, less the control characters the guard refuses anyway
SPACE = r"[ \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
WORD = r"[^\u0000-\u0020\u007f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
SEARCH_HELP = f"search with at most {MAX_Q_WORDS} words and no control characters"
Q_PATTERN = f"^{SPACE}*({WORD}({SPACE}+{WORD}){{0,{MAX_Q_WORDS - 1}}})?{SPACE}*$"


def _since(value: object) -> object:
    return s.parse_since(value) if isinstance(value, str) else value


def _message(error: Any) -> str:
    """pydantic's message, in words where it would quote a long pattern."""
    if error.get("type") == "string_pattern_mismatch":
        field = str(error.get("loc", ("",))[-1])
        return SEARCH_HELP if field == "q" else f"'{field}' is not in the form the API schema gives (its pattern)"
    if error.get("type") == "less_than_equal" and tuple(error.get("loc", ())) == ("query", "offset"):
        return f"at most {MAX_OFFSET:,}: page deeper with cursor (each page names the next in X-Next-Cursor)"
    return str(error.get("msg", ""))


def _encodable(value: object) -> object:
    """Strings made safe to encode as UTF-8 (a lone surrogate becomes '?'); other values as they are."""
    return value.encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else value


Name = Annotated[str, Path(max_length=s.MAX_NAME, pattern=s.PRINTABLE_PATTERN)]
FailureId = Annotated[int, Path(ge=1, le=MAX_INT64)]
Since = Annotated[datetime | None, BeforeValidator(_since),
                  Query(description="stored or published at or after this instant (RFC 3339; without an "
                                    "offset, UTC)")]
Search = Annotated[str | None, Query(max_length=MAX_Q_CHARS, pattern=Q_PATTERN,
                                     description=f"up to {MAX_Q_WORDS} words, all matched, Arabic ones in any "
                                                 "inflection (light stemming); \"quoted words\" as a phrase")]
Filter = Annotated[str | None, Query(max_length=s.MAX_NAME, pattern=s.PRINTABLE_PATTERN)]
PageCursor = Annotated[str | None, Query(
    max_length=256, pattern=r"^[A-Za-z0-9_-]+$",
    description="the next page: the opaque X-Next-Cursor (or Link rel=next) of the previous page's response; "
                "each page then reads from the index where the last one ended, however deep")]
OFFSET_HELP = (f"rows to skip, at most {MAX_OFFSET:,}; kept for compatibility (every skipped row is read): "
               "page with cursor instead")
# Best match first is what a search is for; newest first is the other thing a newsroom asks of one.
Order = Annotated[Literal["relevance", "time"] | None,
                  Query(description="with q: relevance (the default: best match first) or time (newest first)")]


# operationIds (FastAPI's, from the function names) that list answers link to, so clients and stateful tests
# can follow a listed item to its actions
ARTICLE = "article_api_articles__article_id__get"
DISABLE = "disable_api_sources__name__disable_post"
ENABLE = "enable_api_sources__name__enable_post"
RETRY = "retry_api_failures__failure_id__retry_post"
DROP = "drop_api_failures__failure_id__delete"


def _page(rt: Runtime, cursor: str | None, offset: int, **kw: Any) -> tuple[list[Article], str | None]:
    """A page by keyset cursor; 422 for a cursor the listing did not make, or one given with an offset."""
    from workers.core.cursor import CursorError

    if cursor is not None and offset:
        raise HTTPException(422, "give cursor or offset, not both: a cursor already says where the page starts")
    try:
        return rt.articles.page(cursor=cursor, **kw)
    except CursorError as exc:
        raise HTTPException(422, str(exc)) from None


def _brief(article: dict[str, Any]) -> dict[str, Any]:
    """An article without its body, for lists (the dashboard polls them)."""
    return {k: v for k, v in article.items() if k != "body"}


def _result(article: Article, brief: bool, query: SearchQuery | None) -> dict[str, Any]:
    """An article of a list; a search result also carries its snippet (cut here, from the page only)."""
    out = _brief(article.to_dict()) if brief else article.to_dict()
    if query is not None:
        found = article_snippet(article.title, article.body, query.all_terms)
        out["snippet"] = {"text": found.text, "highlights": [{"start": a, "end": b} for a, b in found.highlights]}
    return out


def create_app(rt: Runtime) -> FastAPI:
    """The API over one runtime; every handler is a thin call into status, store, scheduler or replay."""
    app = FastAPI(title="akhbar", version="0.1.0", docs_url=None, redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None,
                  description="Arabic news ingestion: the operator API. Mutating calls need "
                              "`Authorization: Bearer $AKHBAR_API_TOKEN` (the Authorize button); read calls too "
                              "when AKHBAR_API_READ_OPEN is false. Every error answer is one shape: "
                              "`{\"detail\": \"…\"}`, plus `errors` (each invalid part) on a 422 from validation.")
    token = rt.settings.api_token
    read_open = rt.settings.api_read_open
    openapi_url = app.openapi_url or "/openapi.json"
    # Checked again in front of every route, where the body has not been read yet (GuardMiddleware).
    app.add_middleware(GuardMiddleware, token=token, read_open=read_open, max_body=rt.settings.api_max_body_bytes,
                       trusted_hosts=rt.settings.api_trusted_hosts, docs_paths=[DOCS_PATH, openapi_url])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 saying where and what, without echoing the input: it may be huge, or not even encodable."""
        items = [{"loc": [_encodable(p) for p in e.get("loc", ())], "msg": _encodable(_message(e)),
                  "type": e.get("type", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(str(p) for p in i['loc'])}: {i['msg']}" for i in items) or "invalid request"
        return JSONResponse({"detail": detail, "errors": items}, status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        """A safety net: the shape every other answer has, and nothing of the exception (it is in the log)."""
        return JSONResponse({"detail": "internal error"}, status_code=500)

    bearer = HTTPBearer(auto_error=False, scheme_name="bearer",
                        description="AKHBAR_API_TOKEN (`Authorization: Bearer <token>`)")

    def require_token(request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
        """Mutating calls need the bearer token; with no token configured they are refused outright."""
        if not bearer_ok(request.headers.get("authorization"), token):
            raise HTTPException(401, TOKEN_HELP, headers={"WWW-Authenticate": "Bearer"})

    def require_read(request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
        if not bearer_ok(request.headers.get("authorization"), token):
            raise HTTPException(401, f"read calls need the token too (AKHBAR_API_READ_OPEN is false): {TOKEN_HELP}",
                                headers={"WWW-Authenticate": "Bearer"})

    # With reads open, read calls declare no security (they never answer 401); closed, they need the bearer too.
    read = [] if read_open else [Depends(require_read)]
    write = [Depends(require_token)]
    auth = () if read_open else (401,)
    _read_routes(app, rt, read, auth)
    _write_routes(app, rt, write)
    _failure_routes(app, rt, write)

    @app.get("/metrics", dependencies=read, response_class=PlainTextResponse, tags=["fleet"],
             responses=s.errors(*auth, by_reference=True))
    def metrics() -> PlainTextResponse:
        """Prometheus metrics for the whole fleet (text exposition format)."""
        from console.metrics import render_metrics

        body, content_type = render_metrics(rt)
        return PlainTextResponse(body, media_type=content_type)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    mount_docs(app, openapi_url)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _read_routes(app: FastAPI, rt: Runtime, read: list[Any], auth: tuple[int, ...]) -> None:
    """The read calls: fleet, sources, articles, clusters, failures."""

    # response_model_exclude_unset: what a model leaves optional (JSON records) is sent as stored, never filled in
    @app.get("/api/status", dependencies=read, tags=["fleet"], response_model=s.Status,
             response_model_exclude_unset=True, responses=s.errors(*auth))
    def full_status() -> Any:
        """What `akhbar status --json` prints."""
        return status_views.collect_status(rt)

    @app.get("/api/sources", dependencies=read, tags=["sources"], response_model=list[s.Source],
             response_model_exclude_unset=True,
             responses={**s.errors(*auth), **s.links(name="/name", disable=DISABLE, enable=ENABLE)})
    def sources() -> Any:
        """Every source with its health."""
        return status_views.sources_status(rt)

    @app.get("/api/queues", dependencies=read, tags=["fleet"], response_model=s.Queues, responses=s.errors(*auth))
    def queues() -> Any:
        """Depth per queue, its parts, and throughput."""
        depths, details = status_views.queues_status(rt)
        return {"queues": depths, "details": details, "throughput": status_views.throughput(rt)}

    @app.get("/api/workers", dependencies=read, tags=["fleet"], response_model=list[s.Worker],
             response_model_exclude_unset=True, responses=s.errors(*auth))
    def workers() -> Any:
        """Worker processes online, with the job each is running."""
        return status_views.workers_status(rt)

    @app.get("/api/articles", dependencies=read, tags=["articles"], response_model=list[s.Article],
             response_model_exclude_unset=True,
             responses={**s.errors(*auth, 422), **s.links(article_id="/id", article=ARTICLE)})
    def articles(request: Request, response: Response, source: Filter = None, cluster: Filter = None,
                 since: Since = None, q: Search = None, limit: int = Query(100, ge=1, le=1000),
                 offset: int = Query(0, ge=0, le=MAX_OFFSET, description=OFFSET_HELP),
                 brief: bool = Query(False, description="leave out the body"), order: Order = None,
                 cursor: PageCursor = None) -> Any:
        """Stored articles, newest first; with `q`, best match first (or newest first with order=time), each
        with a snippet."""
        q = q if q and q.strip() else None  # only spaces: no search (as the schema's pattern allows)
        try:
            query = parse_query(q) if q else None
        except SearchQueryError:
            # a search of only marks or punctuation is valid by the schema and has nothing to find
            return []
        sort = "relevance" if query and order != "time" else "stored"
        if cursor is not None or (offset == 0 and sort == "stored"):
            rows, following = _page(rt, cursor, offset, source=source, cluster=cluster, since=since, q=q,
                                    limit=limit, sort=sort)
            if following:  # the body stays the list DESIGN.md gives; the next page is named in headers
                response.headers["X-Next-Cursor"] = following
                response.headers["Link"] = f'<{request.url.include_query_params(cursor=following)}>; rel="next"'
        else:
            rows = rt.articles.find(source=source, cluster=cluster, since=since, q=q, limit=limit, offset=offset,
                                    sort=sort)
        return [_result(a, brief, query) for a in rows]

    @app.get("/api/articles/{article_id}", dependencies=read, tags=["articles"], response_model=s.Article,
             response_model_exclude={"snippet"}, responses=s.errors(*auth, 404, 422))
    def article(article_id: Name) -> Any:
        """One stored article."""
        found = rt.articles.get(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found.to_dict()

    @app.get("/api/clusters", dependencies=read, tags=["articles"], response_model=list[s.Cluster],
             responses=s.errors(*auth, 422))
    def clusters(limit: int = Query(100, ge=1, le=1000)) -> Any:
        """Near-duplicate clusters, newest first."""
        return jsonable_encoder(row_dicts(rt.articles.clusters(limit=limit)))

    @app.get("/api/failures", dependencies=read, tags=["failures"], response_model=list[s.Failure],
             responses={**s.errors(*auth, 422), **s.links(failure_id="/id", retry=RETRY, drop=DROP)})
    def failures(limit: int = Query(200, ge=1, le=10000)) -> Any:
        """Dead letters: jobs that exhausted their retries, newest first."""
        from config.redact import redact_value

        # job URLs and error texts may carry a password
        return jsonable_encoder(redact_value(row_dicts(rt.ledger.failures(limit))))


def _write_routes(app: FastAPI, rt: Runtime, write: list[Any]) -> None:
    """The operator's actions, each behind the bearer token."""

    @app.get("/api/auth", dependencies=write, status_code=204, tags=["fleet"], response_class=Response,
             responses=s.errors(401))
    def check_token() -> Response:
        """204 when the bearer token is right (the dashboard checks a pasted token with it)."""
        return Response(status_code=204)

    @app.post("/api/refetch", dependencies=write, status_code=202, tags=["actions"],
              response_model=s.QueuedSource | s.QueuedUrl, responses=s.errors(401, 404, 413, 422))
    def refetch(body: s.RefetchRequest) -> Any:
        """Queue a manual re-fetch of a page URL or a whole source on the manual lane (404: no such source)."""
        from scheduler.refetch import refetch_source, refetch_url

        try:
            if body.source is not None:
                refetch_source(rt, body.source)
                return {"queued": "source", "source": body.source, "queue": "manual"}
            return {"queued": "url", "url": refetch_url(rt, body.url or ""), "queue": "manual"}
        except AkhbarError as exc:
            raise HTTPException(404 if exc.kind == "config" else 422, exc.message) from None

    @app.post("/api/sources/{name}/disable", dependencies=write, tags=["sources"], response_model=s.SourceEnabled,
              responses=s.errors(401, 404, 413, 422))
    def disable(name: Name, body: s.DisableRequest | None = None) -> Any:
        """Stop polling a source; the running scheduler sees it at its next tick."""
        if not rt.sources.set_enabled(name, False, (body or s.DisableRequest()).reason):
            raise HTTPException(404, f"no source named {name!r}")
        return {"source": name, "enabled": False}

    @app.post("/api/sources/{name}/enable", dependencies=write, tags=["sources"], response_model=s.SourceEnabled,
              responses=s.errors(401, 404, 413, 422))
    def enable(name: Name) -> Any:
        """Poll a source again; it is due at once."""
        if not rt.sources.set_enabled(name, True):
            raise HTTPException(404, f"no source named {name!r}")
        return {"source": name, "enabled": True}


def _failure_routes(app: FastAPI, rt: Runtime, write: list[Any]) -> None:
    """Retry or drop a dead letter, behind the bearer token."""

    @app.post("/api/failures/{failure_id}/retry", dependencies=write, status_code=202, tags=["failures"],
              response_model=s.Retried, responses=s.errors(401, 404, 413, 422))
    def retry(failure_id: FailureId) -> Any:
        """Queue a dead letter again on the manual lane; the record goes once it is queued."""
        from console.replay import retry_failure

        if not retry_failure(rt, failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"retried": failure_id, "queue": "manual"}

    @app.delete("/api/failures/{failure_id}", dependencies=write, tags=["failures"], response_model=s.Dropped,
                responses=s.errors(401, 404, 413, 422))
    def drop(failure_id: FailureId) -> Any:
        """Forget a dead letter without retrying it."""
        if not rt.ledger.drop_failure(failure_id):
            raise HTTPException(404, f"no failure with id {failure_id}")
        return {"dropped": failure_id}
