"""The lists a researcher exports (stories, articles, entities, attributions, events): the
columns of each and its rows, the same for the API's CSV routes and ``storylens export``.
The CSV itself is written by export.write_csv."""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..extract.events import TYPES
from ..model import ArticleFilter, StoryFilter
from ..store import ARTICLE_ROW, ATTRIBUTION_ROW, Store
from .compute import all_events
from .export import EXPORT_COLUMNS, export_rows
from .views import entity_view, story_list

# The most rows one export gives (the API's and the command's ``limit``).
MAX_EXPORT_ROWS = 100_000

# The columns of each list's export, in order.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": (
        "id", "title", "first_published", "last_published", "article_count", "outlet_count",
        "outlets", "unnamed_articles", "wire_copies", "languages", "top_entities",
    ),
    "articles": ARTICLE_ROW,
    "entities": (
        "id", "name", "kind", "code", "sector", "articles", "mentions", "titles", "aliases",
    ),
    "attributions": ATTRIBUTION_ROW,
    "events": EXPORT_COLUMNS,
}


def story_rows(
    store: Store, filters: StoryFilter, *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """The stories ``filters`` keeps, newest first, as rows of LIST_COLUMNS["stories"]
    (``top_entities``: the names of the five most mentioned)."""
    found = story_list(store, filters, limit=limit, offset=offset)["stories"]
    return [
        item | {"top_entities": [e["name"] for e in item["top_entities"]]} for item in found
    ]


def article_rows(
    store: Store, filters: ArticleFilter, *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """The articles ``filters`` keeps, newest first (LIST_COLUMNS["articles"])."""
    return store.article_rows(filters, limit=limit, offset=offset)[0]


def entity_rows(
    store: Store, search: str | None, *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """Entities, those in the most articles first (LIST_COLUMNS["entities"]); ``search``
    keeps those with a name or written form containing it (any case)."""
    return [entity_view(e) for e in store.entities(limit=limit, offset=offset, query=search)]


def event_rows(
    store: Store, story_id: str | None, event_type: str | None, *, limit: int
) -> list[dict[str, Any]]:
    """Events counted once per story, by date (LIST_COLUMNS["events"], GDELT-like: see
    export.export_rows); ``story_id`` one story's, ``event_type`` (any case) one PLOVER
    type's. UsageError for an unknown type."""
    wanted = event_type.strip().upper() if event_type and event_type.strip() else None
    if wanted and wanted not in TYPES:
        raise UsageError(f"unknown event type {event_type!r}: one of {', '.join(TYPES)}")
    events = [e for e in all_events(store, story_id) if not wanted or e.type == wanted]
    return export_rows(events[:limit])
