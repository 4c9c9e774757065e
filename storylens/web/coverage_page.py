"""Coverage (read.coverage): who covered which of a set of stories, and each outlet's
blindspots, as a page (``/coverage``, with the story list's filters or an alert), as CSV
(``/coverage.csv``, or ``/coverage?format=csv``) and as JSON (``/api/coverage``). The
routers go before the pages' (whose last route is the 404 page).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import NotFoundError, UsageError
from ..model import StoryFilter
from ..read.coverage import (
    MAX_OUTLETS,
    MAX_STORIES,
    OUTLETS_SHOWN,
    STORIES_SHOWN,
    CoverageLimits,
    coverage,
    coverage_csv,
)
from .api import ADVANCED, ERRORS
from .deps import ConfigDep, StoreDep
from .render import blank, link, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"])

# The filters of the page, its CSV and its links, as their query parameters are named.
FILTERS = ("q", "from", "to", "outlet", "entity", "language", "alert")
SIZES = ("stories", "outlets", "min_outlets")


def _number(value: str | None, name: str, default: int) -> int:
    """A whole number a form field gives, or the default when it is blank; a UsageError
    (400) for anything else."""
    text = blank(value)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit():
        raise UsageError(f"{name} must be a whole number, not {text[:30]!r}")
    return int(text)


def _asked(request: Request, config: ConfigDep) -> dict[str, Any]:
    """The filters and sizes a page or CSV request asks for (blanks dropped)."""
    params = request.query_params
    asked: dict[str, Any] = {name: blank(params.get(name)) for name in (*FILTERS, *SIZES)}
    if params.get("advanced") == "true":
        asked["advanced"] = "true"
    asked["defaults"] = CoverageLimits(min_outlets=config.options.blindspot_min_outlets)
    return asked


def _view(store: StoreDep, asked: dict[str, Any]) -> dict[str, Any]:
    """The coverage view of what a page or CSV request asks for."""
    defaults: CoverageLimits = asked["defaults"]
    limits = CoverageLimits(
        _number(asked["stories"], "stories", defaults.stories),
        _number(asked["outlets"], "outlets", defaults.outlets),
        _number(asked["min_outlets"], "min_outlets", defaults.min_outlets),
    )
    filters = StoryFilter(
        asked["q"], asked["outlet"], asked["entity"], asked["from"], asked["to"],
        asked.get("advanced") == "true", asked["language"],
    )
    return coverage(store, filters, limits, asked["alert"])


def _csv(view: dict[str, Any]) -> Response:
    """A coverage matrix as a CSV download."""
    return Response(
        coverage_csv(view), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="coverage.csv"'},
    )


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, store: StoreDep, config: ConfigDep) -> Response:
    """The matrix of the stories the filters select and their outlets, each outlet's
    blindspots, and links to the same as CSV and JSON (``format=csv``: the CSV itself)."""
    asked = _asked(request, config)
    if request.query_params.get("format") == "csv":
        return _csv(_view(store, asked))
    params = {k: v for k, v in asked.items() if k != "defaults"}
    filters = {k: v for k, v in params.items() if k in FILTERS or k == "advanced"}
    context: dict[str, Any] = {
        "nav": "coverage", "asked": params, "view": None, "error": None,
        "defaults": asked["defaults"], "max_stories": MAX_STORIES, "max_outlets": MAX_OUTLETS,
        "csv": link("/coverage.csv", params), "json": link("/api/coverage", params),
        "stories_link": None if params["alert"] else link("/", filters),
        "filtered": any(filters.values()),
    }
    status = 200
    try:
        context["view"] = _view(store, asked)
    except NotFoundError as error:
        context["error"], status = str(error), 404
    except UsageError as error:
        context["error"], status = str(error), 400
    return render(request, "coverage.html.j2", context, status)


@router.get("/coverage.csv")
def coverage_csv_download(request: Request, store: StoreDep, config: ConfigDep) -> Response:
    """The coverage page's matrix as CSV: one row per story, one column per outlet."""
    return _csv(_view(store, _asked(request, config)))


@api_router.get("/coverage", responses=ERRORS)
def api_coverage(
    store: StoreDep,
    config: ConfigDep,
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
    language: Annotated[str | None, Query(description="A language (ISO 639-1 code) one of "
                                          "the articles is in.")] = None,
    advanced: Annotated[bool, Query(description=ADVANCED)] = False,
    alert: Annotated[str | None, Query(description="An alert's name: its query, entity and "
                                       "outlet (dates and a language may be added).")] = None,
    stories: Annotated[int, Query(ge=1, le=MAX_STORIES, description="The biggest stories "
                                  "shown.")] = STORIES_SHOWN,
    outlets: Annotated[int, Query(ge=1, le=MAX_OUTLETS, description="The outlets shown "
                                  "(those covering the most stories).")] = OUTLETS_SHOWN,
    min_outlets: Annotated[int | None, Query(ge=1, description="Other outlets that must "
                                             "cover a story for it to be a blindspot "
                                             "(default: blindspot_min_outlets).")] = None,
    format: Annotated[str | None, Query(description="csv: the matrix as CSV.")]  # noqa: A002
    = None,
) -> Response:
    """Coverage of the stories the filters (or an alert) select: the biggest stories (rows,
    with their article ``counts`` per outlet of ``outlets``, in that order, and ``copies``,
    how many of those are wire copies), the outlets covering the most of them, and each
    outlet's blindspots (stories it did not cover that at least ``min_outlets`` other
    outlets did). ``stories_total`` counts every story matching."""
    limits = CoverageLimits(
        stories, outlets,
        config.options.blindspot_min_outlets if min_outlets is None else min_outlets,
    )
    filters = StoryFilter(q, outlet, entity, date_from, date_to, advanced, language)
    view = coverage(store, filters, limits, alert)
    if format == "csv":
        return _csv(view)
    return JSONResponse(view)
