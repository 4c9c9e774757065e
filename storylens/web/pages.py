"""The web pages of stories, entities and events: server-rendered HTML (Jinja2 templates in
storylens/web/templates) that works without JavaScript; the local static files in
storylens/web/static only help. (The article pages and the ingest page have modules of their
own.) The router ends with the site's own 404 page for any other path: it goes last.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ..errors import NotFoundError, UsageError
from ..extract.events import TYPES
from ..model import StoryFilter
from ..read.attention import attention_chart, attention_view, entity_timeline
from ..read.compute import all_events, event_outlets
from ..read.facets import story_facets
from ..read.since import developments_since
from ..read.stored import story_view_json
from ..read.storypage import PAGE_FORMAT, decode_page, story_page_parts, with_evidence
from ..read.views import VIEW_FORMAT, entity_detail, event_view, story_list
from .browse import active_filters, facet_panel
from .deps import StoreDep, ViewCache
from .render import blank, error_page, link, not_found, page_number, pagination, render

router = APIRouter(include_in_schema=False)

STORIES_PER_PAGE = 20
ENTITIES_PER_PAGE = 50
EVENTS_PER_PAGE = 50
# The PLOVER event types (CAMEO2PLOVER-2021), for the events page's filter.
EVENT_TYPES = TYPES


# --- stories ----------------------------------------------------------------------------------


ARTICLE_HITS = 20  # the articles a search lists above the stories: as many as the API's


def _article_hits(store: StoreDep, query: str, advanced: bool) -> list[dict[str, Any]]:
    """The articles a search finds (the API's /api/search for the same text), each with the
    pieces of its snippet and whether each is a matched word."""
    return [
        {**hit.as_dict(), "parts": hit.snippet_parts()}
        for hit in store.search_hits(query, ARTICLE_HITS, advanced=advanced)
    ]


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    to: str | None = None,
    page: str | None = None,
    advanced: bool = False,
    language: str | None = None,
    event_type: str | None = None,
) -> HTMLResponse:
    date_from = blank(request.query_params.get("from"))
    filters = {
        "q": blank(q),
        "from": date_from,
        "to": blank(to),
        "outlet": blank(outlet),
        "entity": blank(entity),
        "language": blank(language),
        "event_type": blank(event_type),
    }
    if advanced:
        filters["advanced"] = "true"
    number = page_number(page)
    context: dict[str, Any] = {
        "nav": "stories", "filters": filters, "stories": [], "articles": [], "error": None,
        "advanced": advanced, "feed": link("/stories.atom", filters), "facets": [],
        "coverage": link("/coverage", filters),
        "active": active_filters("/", filters), "csv": link("/api/stories.csv", filters),
        "event_types": EVENT_TYPES,
    }
    status = 200
    # A bad query or filter is said on the page (400); a busy or damaged database is the
    # site's 503 page (web.boundary).
    try:
        chosen = StoryFilter(
            filters["q"], filters["outlet"], filters["entity"], filters["from"],
            filters["to"], advanced, filters["language"], filters["event_type"],
        )
        found = story_list(
            store, chosen, limit=STORIES_PER_PAGE, offset=(number - 1) * STORIES_PER_PAGE
        )
        facets = story_facets(store, chosen)
        context["facets"] = facet_panel("/", filters, facets)
        names = {e["value"]: e["name"] for e in facets["entity"]}
        context["active"] = active_filters("/", filters, names)
        if filters["q"] and number == 1:
            context["articles"] = _article_hits(store, filters["q"], advanced)
        context["stories"] = found["stories"]
        context["pages"] = pagination("/", filters, number, found["total"], STORIES_PER_PAGE)
    except NotFoundError as error:
        context["error"] = str(error)
    except UsageError as error:
        context["error"] = str(error)
        status = 400
    return render(request, "stories.html.j2", context, status)


# --- one story --------------------------------------------------------------------------------


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(
    request: Request, story_id: str, store: StoreDep, page: str | None = None,
    since: str | None = None,
) -> Response:
    """The story page (``page``: of its articles, for a story of more than fit on one),
    rendered once per version of the story (ViewCache) from the story's view (stored by the
    ingest, or computed when it is not up to date); ``since``: its developments only those
    after a date (read.since; an unreadable one said on the page, 400). Async, and on the
    event loop while it only looks up; a thread for rendering."""
    number = page_number(page)
    since = blank(since)
    try:
        version = store.story_version(story_id)
    except NotFoundError as error:
        return not_found(request, error)
    cache: ViewCache = request.app.state.views
    key = ("page-story", story_id, version, number, since)
    body = cache.get(key)
    status = 200
    if body is None:
        stored = (
            store.stored_story_page(story_id, VIEW_FORMAT, PAGE_FORMAT)
            if number == 1 and since is None else None
        )
        if stored is not None:  # as the ingest rendered it: only the page around it now
            rendered = _shell(request, decode_page(stored))
        else:
            try:
                rendered, status = await run_in_threadpool(
                    _render_story, request, store, story_id, number, since
                )
            except NotFoundError as error:  # a page past the story's last
                return not_found(request, error)
        if status == 200:
            cache.put(key, rendered)
        body = rendered
    return HTMLResponse(body, status_code=status)


def _render_story(
    request: Request, store: StoreDep, story_id: str, number: int, since: str | None
) -> tuple[bytes, int]:
    """A story page rendered now from the story's view, its developments those after
    ``since`` when given; with the status: 400 when ``since`` cannot be read (the page then
    says why, and shows every development)."""
    view = json.loads(story_view_json(store, story_id)[1])
    if since is None:
        return _shell(request, story_page_parts(view, number)), 200
    try:
        chosen = developments_since(view, since)
    except UsageError as error:
        return _shell(request, story_page_parts(view, number, str(error))), 400
    return _shell(request, story_page_parts(chosen, number)), 200


def _shell(request: Request, parts: dict[str, str]) -> bytes:
    """A story page from its parts (see storypage.story_page_parts): the site's header,
    navigation and footer around them."""
    # the content was rendered (and escaped) by the story's template; the title is text
    context = {"title": parts["title"], "content": Markup(parts["content"])}
    return bytes(render(request, "story.html.j2", context).body)


# --- entities ---------------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, store: StoreDep, q: str | None = None, page: str | None = None
) -> HTMLResponse:
    query = blank(q)
    number = page_number(page)
    # one more than a page, to know whether there is a next one
    found = store.entities(
        limit=ENTITIES_PER_PAGE + 1, offset=(number - 1) * ENTITIES_PER_PAGE, query=query
    )
    params = {"q": query}
    context = {
        "nav": "entities",
        "q": query,
        "entities": found[:ENTITIES_PER_PAGE],
        "prev": link("/entities", {**params, "page": number - 1}) if number > 1 else None,
        "next": (
            link("/entities", {**params, "page": number + 1})
            if len(found) > ENTITIES_PER_PAGE
            else None
        ),
        "page": number,
        "csv": link("/api/entities.csv", {"search": query}),
    }
    return render(request, "entities.html.j2", context)


@router.get("/entities/{name_or_id}", response_class=HTMLResponse)
def entity_page(request: Request, name_or_id: str, store: StoreDep) -> HTMLResponse:
    try:
        entity = entity_detail(store, name_or_id)
    except NotFoundError as error:
        return not_found(request, error)
    except UsageError as error:  # a name several entities share: list them
        context = {
            "nav": "entities",
            "q": name_or_id,
            "entities": store.entities(limit=ENTITIES_PER_PAGE, query=name_or_id),
            "notice": str(error),
            "page": 1,
            "csv": link("/api/entities.csv", {"search": name_or_id}),
        }
        return render(request, "entities.html.j2", context)
    return render(
        request,
        "entity.html.j2",
        {
            "nav": "entities",
            "entity": entity,
            "events": with_evidence(entity["events"]),
            "titles": {s["id"]: s["title"] for s in entity["stories"]},
            **_entity_attention(store, entity),
        },
    )


def _entity_attention(store: StoreDep, entity: dict[str, Any]) -> dict[str, Any]:
    """The entity page's attention over time: its articles per day by outlet, charted, and
    its stories and events day by day (see _entity_attention.html.j2)."""
    attention = attention_view(store, "entity", entity["id"], label=entity["name"])
    return {
        "attention": attention,
        "attention_chart": attention_chart(attention, "attention-chart"),
        "timeline": entity_timeline(entity),
    }


# --- events -----------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    store: StoreDep,
    story: str | None = None,
    type: str | None = None,  # noqa: A002 - the query parameter's name
    page: str | None = None,
) -> HTMLResponse:
    story_id = blank(story)
    kind = (blank(type) or "").upper() or None
    number = page_number(page)
    context: dict[str, Any] = {
        "nav": "events",
        "story_id": story_id,
        "type": kind,
        "types": EVENT_TYPES,
        "events": [],
        "story": None,
        "csv": link("/api/events.csv", {"story": story_id, "type": kind}),
    }
    try:
        events = all_events(store, story_id)
        if story_id:
            context["story"] = store.story(story_id)
    except NotFoundError as error:
        context["error"] = str(error)
        return render(request, "events.html.j2", context, 404)
    if kind:
        events = [e for e in events if e.type == kind]
    start = (number - 1) * EVENTS_PER_PAGE
    shown = events[start : start + EVENTS_PER_PAGE]
    outlets = event_outlets(store, shown)
    titles: dict[str, str | None] = {}
    for event in shown:
        if event.story_id and event.story_id not in titles:
            titles[event.story_id] = store.story(event.story_id).title
    context["events"] = with_evidence([event_view(e, outlets) for e in shown])
    context["titles"] = titles
    context["pages"] = pagination(
        "/events", {"story": story_id, "type": kind}, number, len(events), EVENTS_PER_PAGE
    )
    return render(request, "events.html.j2", context)


# --- anything else ----------------------------------------------------------------------------


@router.get("/{path:path}", response_class=HTMLResponse)
def unknown_page(request: Request, path: str) -> HTMLResponse:
    """A page that does not exist: the site's own 404 page (under /api/, the API's JSON
    error shape). Registered last, after every other page."""
    if path == "api" or path.startswith("api/"):
        raise HTTPException(404, f"no endpoint at /{path}")
    return error_page(request, 404, "Not found", f"There is no page at /{path}.")
