"""The HTTP side: one FastAPI application serving the JSON API under ``/api/`` and the web
pages (storylens/web/pages.py, Jinja templates and local static files in storylens/web/).

The database is opened per request (SQLite in WAL mode lets readers run beside the one
writer, so pages stay fast while an ingest runs). Every error leaves as one JSON shape,
``{"error": {"status": 404, "code": "not-found", "message": "..."}}``; storylens' own
errors are translated here, at the boundary. Writing (``POST /api/articles``, the ingest
page) needs the write token the server was started with; without one the server is
read-only.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import os
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._util import LRUCache
from ..errors import NotFoundError, StorylensError, UsageError
from ..ingest.parse import parse_json
from ..model import Assignment, Draft, Reject
from ..options import Options
from ..pipeline import Ingestor, IngestSummary, Unit, feed
from ..read.views import (
    all_events,
    article_detail,
    entity_detail,
    entity_view,
    event_mention_view,
    event_outlets,
    event_view,
    mention_view,
    refresh_story_views,
    story_list,
    story_view_json,
)
from ..store.facade import Store

WEB = Path(__file__).parent
# Pages load only what the server itself serves: no inline script, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class ServerConfig:
    """What a running server needs: the database, the write token (None: read-only), the
    largest request body accepted, and the pipeline options for ingesting."""

    db: Path
    write_token: str | None = None
    max_body_mb: float = 20.0
    options: Options = Options()


# The environment variable that hands a ServerConfig to server worker processes.
SERVE_CONFIG_ENV = "STORYLENS_SERVE_CONFIG"


def config_to_json(config: ServerConfig) -> str:
    return json.dumps({
        "db": str(config.db), "write_token": config.write_token,
        "max_body_mb": config.max_body_mb, "options": dataclasses.asdict(config.options),
    })


def config_from_json(text: str) -> ServerConfig:
    data = json.loads(text)
    return ServerConfig(
        db=Path(data["db"]), write_token=data["write_token"], max_body_mb=data["max_body_mb"],
        options=Options(**data["options"]),
    )


def app_from_environment() -> FastAPI:
    """The application for a server worker process (``storylens serve --workers N``): its
    configuration comes in the environment (SERVE_CONFIG_ENV)."""
    text = os.environ.get(SERVE_CONFIG_ENV)
    if not text:
        raise UsageError(f"no server configuration in ${SERVE_CONFIG_ENV}")
    return create_app(config_from_json(text))


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def _status_of(error: StorylensError) -> tuple[int, str]:
    if isinstance(error, NotFoundError):
        return 404, "not-found"
    if isinstance(error, UsageError):
        return 400, "bad-request"
    return 500, "storylens-error"


_CODES = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 413: "too-large", 422: "invalid", 500: "server-error",
}


SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)


class SecurityHeaders:
    """ASGI middleware (lighter than a BaseHTTPMiddleware): the security headers on every
    response that does not set its own, and 413 at once for a declared body over the limit."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            response = JSONResponse(
                error_body(
                    413, "too-large", f"request bodies are limited to {self.max_body} bytes"
                ),
                status_code=413,
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def create_app(config: ServerConfig) -> FastAPI:
    """The application for one database. Pages and API share the store dependency."""
    from . import pages  # imported here: pages imports this module's helpers

    app = FastAPI(
        title="storylens",
        summary="News stories across outlets: quotes, facts, entities and events.",
        docs_url="/docs",
        openapi_url="/api/openapi.json",
    )
    app.state.config = config
    app.state.stores = StorePool(config.db)
    app.state.views = ViewCache()
    # The story view's comparison uses scikit-learn, imported lazily elsewhere: here, at
    # start-up, so that the first story page does not wait seconds for it.
    import sklearn.feature_extraction.text  # noqa: F401

    app.add_middleware(SecurityHeaders, max_body=body_limit(config))

    @app.exception_handler(StorylensError)
    async def storylens_error(request: Request, error: StorylensError) -> JSONResponse:
        status, code = _status_of(error)
        return JSONResponse(error_body(status, code, str(error)), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        status = error.status_code
        return JSONResponse(
            error_body(status, _CODES.get(status, "error"), str(error.detail)),
            status_code=status,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # the outermost layer answers this one: the headers are added here
        return JSONResponse(
            error_body(500, "server-error", "internal server error"), status_code=500,
            headers=dict(SECURITY_HEADERS),
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid"
        return JSONResponse(error_body(422, "invalid", message), status_code=422)

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(router)
    app.include_router(pages.router)
    return app


def get_config(request: Request) -> ServerConfig:
    config: ServerConfig = request.app.state.config
    return config


class ViewCache(LRUCache[bytes]):
    """What the server computed for a story (its JSON, its page), kept under a key that
    includes the story's version (Store.story_version), so an ingest that changes a story
    makes its old entries unreachable and an old story stays cached while others grow. A
    bounded LRU (by the bytes it holds), shared by the request threads."""

    def __init__(self, keep_bytes: int = 128 * 1024 * 1024) -> None:
        super().__init__(keep_bytes, weigh=len)


class StorePool:
    """Open connections to the server's database, lent to one request at a time and kept
    for the next: opening one costs more than most reads (SQLite reads the write-ahead log's
    index on a connection's first statement, and waits for it while an ingest writes)."""

    def __init__(self, db: Path, keep: int = 32) -> None:
        self.db = db
        self.keep = keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return Store(self.db, create=False)  # it must exist: serving never creates one

    def release(self, store: Store) -> None:
        store.rollback_open()  # a failed write: leave nothing open for the next
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


async def get_store(request: Request) -> AsyncIterator[Store]:
    """A connection to the database for one request, from the application's pool. (Async:
    lending one takes no time, and spares the request two trips to the thread pool.)"""
    pool: StorePool = request.app.state.stores
    store = pool.acquire()
    try:
        yield store
    finally:
        pool.release(store)


def require_token(request: Request, config: ServerConfig = Depends(get_config)) -> None:  # noqa: B008
    """Refuse a write without the server's token (401), or on a read-only server (403)."""
    if config.write_token is None:
        raise HTTPException(403, "this server is read-only: start it with --write-token")
    given = request.headers.get("authorization", "")
    token = given.removeprefix("Bearer ").strip() or request.headers.get("x-storylens-token", "")
    if not token or not hmac.compare_digest(token, config.write_token):
        raise HTTPException(
            401, "a valid write token is required", headers={"WWW-Authenticate": "Bearer"}
        )


def body_limit(config: ServerConfig) -> int:
    return int(config.max_body_mb * 1024 * 1024)


async def read_body(request: Request, config: ServerConfig) -> bytes:
    """The request body, read up to the server's limit: 413 as soon as it grows past it (the
    middleware refuses a too large Content-Length at once; this catches chunked bodies)."""
    limit = body_limit(config)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"request bodies are limited to {limit} bytes")
    return bytes(body)


# One writer at a time in this server (SQLite takes one anyway; this keeps requests in line
# instead of failing on a busy database).
WRITE_LOCK = threading.Lock()


@dataclass
class IngestResult:
    """What one ingest through the server did: the pipeline's summary, and where each new
    article went."""

    summary: IngestSummary
    assignments: list[Assignment]
    duplicate_ids: list[str]

    def as_dict(self) -> dict[str, Any]:
        view = self.summary.as_dict()
        view["articles"] = [
            {"id": m.article_id, "story_id": m.story_id, "new_story": m.new_story,
             "wire_copy_of": m.wire_copy_of}
            for m in self.assignments
        ]
        view["duplicate_ids"] = self.duplicate_ids
        view["new_story_ids"] = list(
            dict.fromkeys(m.story_id for m in self.assignments if m.new_story)
        )
        view["story_ids"] = list(dict.fromkeys(m.story_id for m in self.assignments))
        return view


def ingest_drafts(config: ServerConfig, items: list[Draft | Reject]) -> IngestResult:
    """Run the real pipeline (clean, group, extract, store) on drafts, in this process, with
    the server's options; one writer at a time. Blocking: call it from a worker thread."""
    with WRITE_LOCK, Store(config.db, create=False) as store:
        started = time.perf_counter()
        ingestor = Ingestor(store, config.options, record=True, views=refresh_story_views)
        units: list[Unit] = [(item, True) for item in items]
        summary = feed(units, ingestor, parallel=False)
        summary.inputs = len(items)
        summary.seconds = time.perf_counter() - started
    stored = {m.article_id for m in ingestor.assignments}
    duplicates = list(dict.fromkeys(i for i in ingestor.met if i not in stored))
    return IngestResult(summary, ingestor.assignments, duplicates)


def records_to_drafts(body: bytes) -> list[Draft | Reject]:
    """The drafts of a POSTed body: a JSON object or a list of objects shaped as the JSON
    Lines ingest input (``text`` or ``body``; ``title``, ``url``, ``outlet`` or ``source``,
    ``published`` or ``date``, ``id``). A record that cannot be an article is a Reject; a
    body that is not JSON at all is a UsageError (400)."""
    try:
        text = body.decode("utf-8")
        records = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"the body is not JSON: {error}") from None
    if not isinstance(records, dict | list):
        raise UsageError("the body must be a JSON object or a list of objects")
    if isinstance(records, list) and not records:
        raise UsageError("the body holds no records")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # one compact document: parse_json then reads it as one object or one list
    return parse_json(f"POST /api/articles {stamp}", json.dumps(records, ensure_ascii=False))


# -- the JSON API --------------------------------------------------------------------------------

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(get_store)]
ConfigDep = Annotated[ServerConfig, Depends(get_config)]
# Every error is {"error": {"status": N, "code": "...", "message": "..."}}.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad request (a bad query, date or ambiguous name)"},
    404: {"description": "no such record"},
    422: {"description": "an invalid parameter"},
}


@router.get("/stories", responses=ERRORS)
async def api_stories(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Full-text query (SQLite FTS5) over the "
                                   "articles' titles and texts.")] = None,
    outlet: Annotated[str | None, Query(description="An outlet (exact, any case).")] = None,
    entity: Annotated[str | None, Query(description="An entity id, name or written form.")]
    = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD: stories "
                                           "with an article on or after this day (UTC).")]
    = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD: stories with "
                                         "an article on or before this day (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    """Stories, newest first (by their latest article), with their number of outlets, wire
    copies and top entities; filters combine. ``total`` counts every match."""

    def listing() -> dict[str, Any]:
        return story_list(
            store, query=q, outlet=outlet, entity=entity, date_from=date_from,
            date_to=date_to, limit=limit, offset=offset,
        )

    # On the event loop: the list comes from indexes and caches that follow the database
    # (Store.story_page), in well under a millisecond once a filter was met; a thread costs
    # more than that (and, under load, waits for the interpreter lock). Resolving an entity
    # name may scan the mentions: that goes to a thread.
    found = listing() if entity is None else await run_in_threadpool(listing)
    return JSONResponse(found)


@router.get("/stories/{story_id}", responses=ERRORS)
async def api_story(request: Request, store: StoreDep, story_id: str) -> Response:
    """One story: the same JSON as ``storylens story ID --json`` (articles, attributions,
    quotes, facts, exclusives, entities, events)."""
    # Async, and on the event loop while it only looks up (a version, a cached view: well
    # under a millisecond); a thread for reading the stored view or computing one.
    cache: ViewCache = request.app.state.views
    key = ("api-story", story_id, store.story_version(story_id))
    body = cache.get(key)
    if body is None:
        version, computed = await run_in_threadpool(story_view_json, store, story_id)
        cache.put(("api-story", story_id, version), computed)
        body = computed
    return Response(body, media_type="application/json")


@router.get("/articles/{article_id}", responses=ERRORS)
def api_article(store: StoreDep, article_id: str) -> JSONResponse:
    """One article: metadata, cleaned text, sentences, what cleaning removed, its story, its
    attributions, entity mentions and event mentions (offsets into ``text``)."""
    view = article_detail(store, article_id)
    view["entities"] = [
        mention_view(m) for m in store.mentions([article_id]).get(article_id, [])
    ]
    view["events"] = [
        event_mention_view(m) for m in store.event_mentions([article_id]).get(article_id, [])
    ]
    view["raw_url"] = f"/api/articles/{article_id}/raw"
    return JSONResponse(view)


@router.get(
    "/articles/{article_id}/raw",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, **ERRORS},
)
def api_article_raw(store: StoreDep, article_id: str) -> PlainTextResponse:
    """The article's raw input (the HTML page, the JSON record ...) as plain text: never
    rendered."""
    raw = store.article(article_id).raw
    return PlainTextResponse(
        raw,
        media_type="text/plain; charset=utf-8",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Content-Disposition": "inline",
        },
    )


@router.get("/search", responses=ERRORS)
def api_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, description="Full-text query (SQLite FTS5).")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    """Articles whose title or text match, best first, with their story ids."""
    hits = [
        {"id": i, "title": t, "story_id": store.article_story(i)}
        for i, t in store.search(q, limit)
    ]
    return JSONResponse({"query": q, "articles": hits})


@router.get("/entities", responses=ERRORS)
def api_entities(
    store: StoreDep,
    search: Annotated[str | None, Query(description="Only names or written forms containing "
                                        "this text (any case).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    """Entities, those mentioned in the most articles first, then by name."""
    found = store.entities(limit=limit, offset=offset, query=search or None)
    return JSONResponse(
        {"entities": [entity_view(e) for e in found], "limit": limit, "offset": offset}
    )


@router.get("/entities/{name_or_id}", responses=ERRORS)
def api_entity(store: StoreDep, name_or_id: str) -> JSONResponse:
    """One entity (by id, else name, else written form; 400 naming the candidates when a
    name is shared): its names, its stories over time and its events."""
    return JSONResponse(entity_detail(store, name_or_id))


@router.get("/events", responses=ERRORS)
def api_events(
    store: StoreDep,
    story: Annotated[str | None, Query(description="Only this story's events.")] = None,
) -> JSONResponse:
    """Events counted once per story, by date, each with every report of it."""
    found = all_events(store, story)
    outlets = event_outlets(store, found)
    return JSONResponse({"events": [event_view(e, outlets) for e in found]})


@router.post(
    "/articles",
    dependencies=[Depends(require_token)],
    responses={
        401: {"description": "no or a wrong write token"},
        403: {"description": "the server is read-only"},
        413: {"description": "the body is over the server's limit"},
        **ERRORS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {
                "description": "One record or a list of records, as the JSON Lines input of "
                "'storylens ingest': text (or body), title, url, outlet (or source), "
                "published (or date), id.",
                "anyOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}],
            }}},
        }
    },
)
async def api_post_articles(request: Request, config: ConfigDep) -> JSONResponse:
    """Ingest articles (token required: ``Authorization: Bearer TOKEN``): the records go
    through the whole pipeline into the database. Returns the summary: stored, duplicates,
    rejected (with reasons), each stored article's story, and the new stories' ids."""
    items = records_to_drafts(await read_body(request, config))
    result = await run_in_threadpool(ingest_drafts, config, items)
    return JSONResponse(result.as_dict())
