"""Atom feeds (read.atom) at stable URLs: each alert's (``/alerts/{name}.atom``), the story
list's with its filters (``/stories.atom?q=…&outlet=…``, the filters of ``/``) and each
entity's (``/entities/{id}.atom``). Links are absolute, from the request's base URL. The
router goes before the pages' (whose ``/entities/{name}`` would take the entity feed's path).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import NotFoundError, UsageError
from ..model import StoryFilter
from ..read.atom import ATOM_TYPE, Feed, FeedEntry, atom_feed
from ..read.views import story_list
from ..store import Alert, AlertEntry
from .deps import StoreDep
from .render import blank, error_page, link, not_found

router = APIRouter(include_in_schema=False)

# The stories a story list's or an entity's feed holds (the newest).
FEED_STORIES = 50
# The entries an alert's feed holds (the newest).
FEED_ENTRIES = 100


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _urn(*parts: object) -> str:
    """A stable id (a URI) for what the parts name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "storylens:" + ":".join(map(str, parts))).urn


def _atom(body: bytes) -> Response:
    return Response(body, media_type=ATOM_TYPE)


def alert_entry(base: str, alert: Alert, entry: AlertEntry) -> FeedEntry:
    """An alert's entry as a feed entry: its id stable per alert, story and size."""
    return FeedEntry(
        id=_urn("alert", alert.name, alert.created_at, entry.story_id, entry.size),
        title=entry.title or entry.story_id, link=f"{base}/stories/{entry.story_id}",
        updated=entry.matched_at, outlets=entry.outlets, articles=entry.size,
    )


def _story_entries(base: str, stories: list[dict[str, Any]]) -> list[FeedEntry]:
    """The stories of a list as feed entries: an entry per story and size, dated by the
    story's latest article."""
    return [
        FeedEntry(
            id=_urn("story", s["id"], s["article_count"]), title=s["title"] or s["id"],
            link=f"{base}/stories/{s['id']}", updated=s["last_published"] or "",
            outlets=tuple(s["outlets"]), articles=s["article_count"],
        )
        for s in stories
    ]


@router.get("/alerts/{name}.atom")
def alert_feed(request: Request, name: str, store: StoreDep) -> Response:
    """An alert's feed: its entries, newest first."""
    try:
        alert = store.alert(name)
    except NotFoundError as error:
        return not_found(request, error)
    base = _base(request)
    feed = Feed(
        id=_urn("alert", alert.name, alert.created_at), title=f"storylens alert: {alert.name}",
        self_url=f"{base}/alerts/{alert.name}.atom", page_url=f"{base}/alerts#alert-{alert.name}",
    )
    entries = store.alert_entries(alert, FEED_ENTRIES)
    return _atom(atom_feed(feed, [alert_entry(base, alert, e) for e in entries]))


@router.get("/stories.atom")
def stories_feed(
    request: Request, store: StoreDep, q: str | None = None, outlet: str | None = None,
    entity: str | None = None, to: str | None = None, advanced: bool = False,
    language: str | None = None, event_type: str | None = None,
) -> Response:
    """The story list's feed, with the filters of the list (``/``): its newest stories."""
    params = {"q": blank(q), "from": blank(request.query_params.get("from")), "to": blank(to),
              "outlet": blank(outlet), "entity": blank(entity),
              "advanced": "true" if advanced else None, "language": blank(language),
              "event_type": blank(event_type)}
    try:
        found = story_list(store, StoryFilter(
            params["q"], params["outlet"], params["entity"], params["from"], params["to"],
            advanced, params["language"], params["event_type"],
        ), limit=FEED_STORIES)
    except NotFoundError as error:
        return not_found(request, error)
    except UsageError as error:
        return error_page(request, 400, "Bad filter", str(error))
    base = _base(request)
    said = ", ".join(f"{k} {v}" for k, v in params.items() if v and k != "advanced")
    feed = Feed(
        id=_urn("stories", *sorted((k, v) for k, v in params.items() if v)),
        title=f"storylens stories{': ' + said if said else ''}",
        self_url=base + link("/stories.atom", params), page_url=base + link("/", params),
    )
    return _atom(atom_feed(feed, _story_entries(base, found["stories"])))


@router.get("/entities/{name_or_id}.atom")
def entity_feed(request: Request, name_or_id: str, store: StoreDep) -> Response:
    """An entity's feed: the newest stories that mention it."""
    try:
        entity = store.entity(name_or_id)
        found = story_list(store, StoryFilter(entity=entity.id), limit=FEED_STORIES)
    except NotFoundError as error:
        return not_found(request, error)
    except UsageError as error:  # a name several entities share
        return error_page(request, 400, "Which entity?", str(error))
    base = _base(request)
    feed = Feed(
        id=_urn("entity", entity.id), title=f"storylens stories mentioning {entity.name}",
        self_url=f"{base}/entities/{entity.id}.atom", page_url=f"{base}/entities/{entity.id}",
    )
    return _atom(atom_feed(feed, _story_entries(base, found["stories"])))
