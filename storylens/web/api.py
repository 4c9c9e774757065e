"""The JSON API under ``/api/``: stories, articles, entities and events read from the
database, and ``POST /api/articles`` for ingesting (with the server's write token; without
one the server is read-only). Every error leaves as one JSON shape (see web.boundary).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from ..model import StoryFilter
from ..read.compute import all_events, event_outlets
from ..read.facets import cached_story_facets, story_facets
from ..read.since import developments_since, parse_since
from ..read.stored import story_view_json
from ..read.views import (
    article_detail,
    entity_detail,
    entity_view,
    event_mention_view,
    event_view,
    mention_view,
    story_list,
)
from .deps import ConfigDep, StoreDep, ViewCache, read_body, require_token
from .ingest import ingest_body
from .render import public_source

router = APIRouter(prefix="/api", tags=["api"])
# Every error is {"error": {"status": N, "code": "...", "message": "..."}}.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad request (a bad query, date or ambiguous name)"},
    404: {"description": "no such record"},
    422: {"description": "an invalid parameter"},
    503: {"description": "the database is busy with a write: try again after Retry-After"},
}
ADVANCED = ("Read q as an SQLite FTS5 query (AND, OR, NOT, NEAR, prefix*, column filters): "
            "its syntax errors are a 400.")
# The largest offset into a list: SQLite's largest integer.
MAX_OFFSET = 2**63 - 1


@router.get("/stories", responses=ERRORS)
async def api_stories(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Words or quoted phrases the articles' titles "
                                   "or texts hold (all of them).")] = None,
    outlet: Annotated[str | None, Query(description="An outlet (exact, any case).")] = None,
    entity: Annotated[str | None, Query(description="An entity id, name or written form.")]
    = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD: stories "
                                           "with an article on or after this day (UTC).")]
    = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD: stories with "
                                         "an article on or before this day (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    advanced: Annotated[bool, Query(description=ADVANCED)] = False,
    language: Annotated[str | None, Query(description="A language (ISO 639-1 code: en, ru, "
                                          "pt ...) one of the articles is in.")] = None,
    event_type: Annotated[str | None, Query(description="A PLOVER event type (AGREE, "
                                            "PROTEST ...) one of the articles reports.")]
    = None,
    facets: Annotated[bool, Query(description="Also count the stories kept by outlet, "
                                  "language, entity, event type and date (the top 10 of "
                                  "each).")] = False,
) -> JSONResponse:
    """Stories, newest first (by their latest article), with their number of outlets, wire
    copies and top entities; filters combine. ``total`` counts every match; with
    ``facets``, ``facets`` counts them by value."""
    filters = StoryFilter(q, outlet, entity, date_from, date_to, advanced, language, event_type)

    def listing() -> dict[str, Any]:
        found = story_list(store, filters, limit=limit, offset=offset)
        if facets:
            found["facets"] = story_facets(store, filters)
        return found

    # On the event loop: the list comes from indexes and caches that follow the database
    # (Store.story_page), in well under a millisecond once a filter was met; a thread costs
    # more than that (and, under load, waits for the interpreter lock). Resolving an entity
    # name may scan the mentions: that goes to a thread.
    # Facets are counted from indexes once per filter and database state (then kept), but
    # their first count reads many index rows: a thread too, unless they are counted.
    quick = entity is None and (not facets or cached_story_facets(store, filters) is not None)
    found = listing() if quick else await run_in_threadpool(listing)
    return JSONResponse(found)


@router.get("/stories/{story_id}", responses=ERRORS)
async def api_story(
    request: Request, store: StoreDep, story_id: str, since: str | None = None
) -> Response:
    """One story: the same JSON as ``storylens story ID --json`` (articles, attributions,
    quotes, facts, exclusives, the summary with its citations, developments, entities,
    events); ``since`` (a date YYYY-MM-DD, or an ISO 8601 time) keeps the developments
    published since then, as ``story ID --since`` does, and says so (``since``); an
    unreadable one is a 400."""
    # Async, and on the event loop while it only looks up (a version, a cached view: well
    # under a millisecond); a thread for reading the stored view or computing one.
    if since is not None and since.strip():
        parse_since(since)  # UsageError: 400
    cache: ViewCache = request.app.state.views
    key = ("api-story", story_id, store.story_version(story_id))
    body = cache.get(key)
    if body is None:
        version, computed = await run_in_threadpool(story_view_json, store, story_id)
        cache.put(("api-story", story_id, version), computed)
        body = computed
    if since is not None and since.strip():
        return JSONResponse(developments_since(json.loads(body), since))
    return Response(body, media_type="application/json")


@router.get("/articles/{article_id}", responses=ERRORS)
def api_article(store: StoreDep, article_id: str) -> JSONResponse:
    """One article: metadata, cleaned text, sentences, what cleaning removed, its story, its
    attributions, entity mentions and event mentions (offsets into ``text``)."""
    view = article_detail(store, article_id)
    view["source"] = public_source(view["source"])
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
    q: Annotated[str, Query(min_length=1, description="Words or quoted phrases the articles' "
                            "titles or texts hold (all of them).")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    advanced: Annotated[bool, Query(description=ADVANCED)] = False,
) -> JSONResponse:
    """Articles whose title or text match, best first, each with its story, outlet, date and
    a snippet (``highlights``: the [start, end) offsets of the matched words in it)."""
    hits = [hit.as_dict() for hit in store.search_hits(q, limit, advanced=advanced)]
    return JSONResponse({"query": q, "articles": hits})


@router.get("/entities", responses=ERRORS)
def api_entities(
    store: StoreDep,
    search: Annotated[str | None, Query(description="Only names or written forms containing "
                                        "this text (any case).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
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
    """Ingest articles (token required: ``Authorization: Bearer TOKEN``, plain
    ``Authorization: TOKEN`` or ``X-Storylens-Token: TOKEN``): the records go through the
    whole pipeline into the database. Returns the summary: stored, duplicates,
    rejected (with reasons), each stored article's story, and the new stories' ids. A body
    stored whole before (the same bytes) is not parsed again: its records count as
    duplicates (``known_inputs`` 1), their ids unlisted."""
    result = await run_in_threadpool(ingest_body, config, await read_body(request, config))
    return JSONResponse(result.as_dict())
