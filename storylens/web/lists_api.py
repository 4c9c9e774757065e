"""The API's lists beside those of api: the article list (``GET /api/articles``) with its
facets, the attribution list (``GET /api/attributions``), and every list as a CSV download
(``/api/stories.csv``, ``articles.csv``, ``entities.csv``, ``attributions.csv``,
``events.csv``) with the same filters as the list, the columns of read.lists.LIST_COLUMNS.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..model import StoryFilter
from ..read.export import csv_text
from ..read.facets import article_filter, article_list
from ..read.lists import (
    LIST_COLUMNS,
    MAX_EXPORT_ROWS,
    article_rows,
    entity_rows,
    event_rows,
    story_rows,
)
from .api import ADVANCED, ERRORS, MAX_OFFSET
from .deps import StoreDep

router = APIRouter(prefix="/api", tags=["api"])

Q = Annotated[str | None, Query(description="Words or quoted phrases the articles' titles or "
                                "texts hold (all of them).")]
Outlet = Annotated[str | None, Query(description="An outlet (exact, any case).")]
Language = Annotated[str | None, Query(description="A language (ISO 639-1 code: en, ru, pt "
                                       "...).")]
From = Annotated[str | None, Query(alias="from", description="YYYY-MM-DD, UTC: on or after "
                                   "this day.")]
To = Annotated[str | None, Query(alias="to", description="YYYY-MM-DD, UTC: on or before "
                                 "this day.")]
Story = Annotated[str | None, Query(description="Only this story's.")]
Advanced = Annotated[bool, Query(description=ADVANCED)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Rows = Annotated[int, Query(ge=1, le=MAX_EXPORT_ROWS, description="At most this many rows.")]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV with a header line"}, **ERRORS,
}


def _csv(kind: str, rows: list[dict[str, Any]]) -> Response:
    """A list's rows as a CSV download named after the list."""
    return Response(
        csv_text(LIST_COLUMNS[kind], rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="storylens-{kind}.csv"'},
    )


@router.get("/articles", responses=ERRORS)
def api_articles(
    store: StoreDep, request: Request, q: Q = None, outlet: Outlet = None,
    language: Language = None, date_from: From = None, date_to: To = None,
    story: Story = None, advanced: Advanced = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0,
    facets: Annotated[bool, Query(description="Also count the articles kept by outlet, "
                                  "language and date (the top 10 of each).")] = False,
) -> JSONResponse:
    """Articles, newest first, each with its story, outlet, title, date, language, URL,
    dateline place and wire agency; filters combine. ``total`` counts every match."""
    filters = article_filter(q, outlet, language, date_from, date_to, story, advanced)
    return JSONResponse(
        article_list(store, filters, limit=limit, offset=offset, facets=facets)
    )


@router.get("/attributions", responses=ERRORS)
def api_attributions(
    store: StoreDep, story: Story = None,
    speaker: Annotated[str | None, Query(description="Only this speaker's (exact name).")]
    = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Offset = 0,
) -> JSONResponse:
    """Attributions (quotes and reported speech, with their speakers), those of the newest
    articles first, each with its article, story, outlet and date."""
    rows = store.attribution_rows(story_id=story, speaker=speaker, limit=limit, offset=offset)
    return JSONResponse({"attributions": rows, "limit": limit, "offset": offset})


@router.get("/stories.csv", response_class=Response, responses=CSV_RESPONSE)
async def csv_stories(
    store: StoreDep, q: Q = None, outlet: Outlet = None,
    entity: Annotated[str | None, Query(description="An entity id, name or written form.")]
    = None,
    date_from: From = None, date_to: To = None, language: Language = None,
    event_type: Annotated[str | None, Query(description="A PLOVER event type.")] = None,
    advanced: Advanced = False, limit: Rows = 1000, offset: Offset = 0,
) -> Response:
    """The stories ``/api/stories`` lists for the same filters, newest first, as CSV."""
    filters = StoryFilter(q, outlet, entity, date_from, date_to, advanced, language, event_type)
    rows = await run_in_threadpool(
        lambda: story_rows(store, filters, limit=limit, offset=offset)
    )
    return _csv("stories", rows)


@router.get("/articles.csv", response_class=Response, responses=CSV_RESPONSE)
def csv_articles(
    store: StoreDep, q: Q = None, outlet: Outlet = None, language: Language = None,
    date_from: From = None, date_to: To = None, story: Story = None,
    advanced: Advanced = False, limit: Rows = 1000, offset: Offset = 0,
) -> Response:
    """The articles ``/api/articles`` lists for the same filters, newest first, as CSV."""
    filters = article_filter(q, outlet, language, date_from, date_to, story, advanced)
    return _csv("articles", article_rows(store, filters, limit=limit, offset=offset))


@router.get("/entities.csv", response_class=Response, responses=CSV_RESPONSE)
def csv_entities(
    store: StoreDep,
    search: Annotated[str | None, Query(description="Only names or written forms containing "
                                        "this text (any case).")] = None,
    limit: Rows = 1000, offset: Offset = 0,
) -> Response:
    """Entities, those in the most articles first, as CSV."""
    return _csv("entities", entity_rows(store, search or None, limit=limit, offset=offset))


@router.get("/attributions.csv", response_class=Response, responses=CSV_RESPONSE)
def csv_attributions(
    store: StoreDep, story: Story = None,
    speaker: Annotated[str | None, Query(description="Only this speaker's (exact name).")]
    = None,
    limit: Rows = 1000, offset: Offset = 0,
) -> Response:
    """Attributions, those of the newest articles first, as CSV."""
    rows = store.attribution_rows(story_id=story, speaker=speaker, limit=limit, offset=offset)
    return _csv("attributions", rows)


@router.get("/events.csv", response_class=Response, responses=CSV_RESPONSE)
def csv_events(
    store: StoreDep, story: Story = None,
    type: Annotated[str | None, Query(description="Only this PLOVER type.")] = None,  # noqa: A002
    limit: Rows = MAX_EXPORT_ROWS,
) -> Response:
    """Events counted once per story, by date, GDELT-like (as ``storylens export events``),
    as CSV."""
    return _csv("events", event_rows(store, story, type, limit=limit))
