"""Attention over time on the web: the page ``/attention`` (a chart of the articles per period
about a search, an entity, an outlet or a story, stacked by outlet, with the numbers as a
table), its CSV (``/attention.csv``) and its JSON (``GET /api/attention``). What is counted
is named by exactly one of ``q``, ``entity``, ``outlet`` or ``story``; the counts come from
the store's indexes (read.attention)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import NotFoundError, UsageError
from ..read.attention import (
    TOP_OUTLETS,
    attention_chart,
    attention_csv,
    attention_view,
    one_selection,
)
from .deps import StoreDep
from .render import blank, link, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"])

# The query parameter naming each kind of selection.
PARAMETERS = {"q": "query", "entity": "entity", "outlet": "outlet", "story": "story"}
OUTLETS_HELP = (f"Outlets stacked by name, those with the most articles first (1-{TOP_OUTLETS}); "
                "the rest are summed as 'Other outlets'.")
Q = Annotated[str | None, Query(description="Words or quoted phrases the articles hold "
                                "(as /api/search reads them).")]
ENTITY = Annotated[str | None, Query(description="An entity id, name or written form.")]
OUTLET = Annotated[str | None, Query(description="An outlet's name (any case).")]
STORY = Annotated[str | None, Query(description="A story id.")]
ADVANCED = Annotated[bool, Query(description="Read q as an SQLite FTS5 query.")]
OUTLETS = Annotated[int, Query(ge=1, le=TOP_OUTLETS, description=OUTLETS_HELP)]


def _view(
    store: StoreDep, params: dict[str, str | None], advanced: bool, outlets: int
) -> dict[str, Any]:
    """The attention view of the one selection the parameters give."""
    kind, value = one_selection({name: (PARAMETERS[name], v) for name, v in params.items()})
    return attention_view(store, kind, value, advanced=advanced, top=outlets)


@api_router.get("/attention", responses={400: {"description": "none or several of q, entity, "
                                               "outlet, story; a bad query"},
                                         404: {"description": "no such story or entity"}})
def api_attention(
    store: StoreDep, q: Q = None, entity: ENTITY = None, outlet: OUTLET = None,
    story: STORY = None, advanced: ADVANCED = False, outlets: OUTLETS = TOP_OUTLETS,
) -> JSONResponse:
    """Articles per hour, day or week (``unit``; hours for a span under three days of timed
    articles, weeks beyond two years) about one of a search (``q``), an entity, an outlet or
    a story, stacked by outlet: ``periods`` (UTC), ``series`` (``outlet``, ``kind``: outlet,
    unnamed or other, ``counts`` per period, ``total``), ``totals`` per period, ``total``
    and ``undated``. Every period from the first to the last is listed, zeros included."""
    params = {"q": q, "entity": entity, "outlet": outlet, "story": story}
    return JSONResponse(_view(store, params, advanced, outlets))


@router.get("/attention.csv")
def attention_csv_file(
    store: StoreDep, q: str | None = None, entity: str | None = None,
    outlet: str | None = None, story: str | None = None, advanced: bool = False,
    outlets: OUTLETS = TOP_OUTLETS,
) -> Response:
    """The counts of /attention as CSV (a row per period, a column per outlet, the total),
    downloaded as a file named after what is counted."""
    params = {"q": q, "entity": entity, "outlet": outlet, "story": story}
    view = _view(store, params, advanced, outlets)
    slug = re.sub(r"[^a-z0-9]+", "-", view["value"].casefold()).strip("-")[:60] or "all"
    name = f"attention-{view['kind']}-{slug}-per-{view['unit']}.csv"
    return Response(
        attention_csv(view), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/attention", response_class=HTMLResponse)
def attention_page(
    request: Request, store: StoreDep, q: str | None = None, entity: str | None = None,
    outlet: str | None = None, story: str | None = None, advanced: bool = False,
    outlets: OUTLETS = TOP_OUTLETS,
) -> HTMLResponse:
    """The chart and its table for what is asked; with nothing asked, the form alone. A
    bad or ambiguous request is said on the page (400), an unknown story or entity is 404."""
    params = {"q": q, "entity": entity, "outlet": outlet, "story": story}
    context: dict[str, Any] = {
        "nav": "attention", "params": {k: blank(v) or "" for k, v in params.items()},
        "advanced": advanced, "view": None, "error": None,
    }
    if not any(blank(v) for v in params.values()):
        return render(request, "attention.html.j2", context)
    status = 200
    try:
        view = _view(store, params, advanced, outlets)
    except UsageError as error:
        context["error"], status = str(error), 400
    except NotFoundError as error:
        context["error"], status = str(error), 404
    else:
        query = {**params, "advanced": "true" if advanced else None,
                 "outlets": outlets if outlets != TOP_OUTLETS else None}
        context.update(
            view=view, chart=attention_chart(view, "attention-chart"),
            csv=link("/attention.csv", query), json=link("/api/attention", query),
        )
    return render(request, "attention.html.j2", context, status)
