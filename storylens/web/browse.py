"""Faceted browsing on the pages: the facet lists beside a list (each value a link adding
its filter to the current ones, with its count), the active filters (each with a link
removing it), and the article list page (``/articles``), filtered and faceted as the story
list is.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import NotFoundError, UsageError
from ..read.facets import article_filter, article_list
from .deps import StoreDep
from .render import blank, link, page_number, pagination, render

router = APIRouter(include_in_schema=False)

ARTICLES_PER_PAGE = 50

# Each facet: its heading, and the query parameter its value sets.
FACET_NAMES = {
    "outlet": ("Outlet", "outlet"),
    "language": ("Language", "language"),
    "entity": ("Entity", "entity"),
    "event_type": ("Event type", "event_type"),
    "date": ("Date", "from"),
}
# The active filters' names, by query parameter.
FILTER_NAMES = {
    "q": "Search", "outlet": "Outlet", "language": "Language", "entity": "Entity",
    "event_type": "Event type", "from": "From", "to": "To", "story": "Story",
}


def facet_panel(
    path: str, params: dict[str, Any], facets: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The facets as the page lists them: for each, its name and values, each value with
    its label, count, whether it is the active filter, and a link to the list with its
    filter added to ``params`` (or, when active, removed), back at page 1."""
    panel = []
    for kind, values in facets.items():
        title, key = FACET_NAMES[kind]
        items = []
        for value in values:
            if kind == "date":
                chosen = {"from": value["from"], "to": value["to"]}
                active = all(params.get(k) == v for k, v in chosen.items())
                label = value["value"]
            else:
                chosen = {key: value["value"]}
                active = str(params.get(key) or "").casefold() == value["value"].casefold()
                label = value.get("name") or value["value"]
            target = {k: v for k, v in params.items() if k not in chosen} if active else {
                **params, **chosen}
            items.append({"label": label, "count": value["count"], "active": active,
                          "href": link(path, {**target, "page": None}),
                          "kind": value.get("kind")})
        panel.append({"kind": kind, "title": title, "values": items})
    return panel


def active_filters(
    path: str, params: dict[str, Any], names: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The filters set in ``params``, each with its name, value (``names`` gives a label
    for a value, an entity's name for its id) and a link to the list without it."""
    shown = []
    for key, value in params.items():
        if key in FILTER_NAMES and value:
            rest = {k: v for k, v in params.items() if k != key}
            shown.append({"name": FILTER_NAMES[key], "value": (names or {}).get(value, value),
                          "href": link(path, rest)})
    return shown


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    to: str | None = None,
    story: str | None = None,
    page: str | None = None,
    advanced: bool = False,
) -> HTMLResponse:
    """The articles, newest first, filtered by words, outlet, language, dates and story,
    with the facets (outlet, language, date) of every article kept."""
    params: dict[str, Any] = {
        "q": blank(q), "outlet": blank(outlet), "language": blank(language),
        "from": blank(request.query_params.get("from")), "to": blank(to),
        "story": blank(story),
    }
    if advanced:
        params["advanced"] = "true"
    number = page_number(page)
    context: dict[str, Any] = {
        "nav": "articles", "filters": params, "articles": [], "facets": [], "error": None,
        "advanced": advanced, "active": active_filters("/articles", params),
        "csv": link("/api/articles.csv", params),
    }
    status = 200
    try:
        found = article_list(
            store,
            article_filter(params["q"], params["outlet"], params["language"], params["from"],
                           params["to"], params["story"], advanced),
            limit=ARTICLES_PER_PAGE, offset=(number - 1) * ARTICLES_PER_PAGE, facets=True,
        )
        context["articles"] = found["articles"]
        context["facets"] = facet_panel("/articles", params, found["facets"])
        context["pages"] = pagination(
            "/articles", params, number, found["total"], ARTICLES_PER_PAGE
        )
    except NotFoundError as error:
        context["error"] = str(error)
    except UsageError as error:
        context["error"] = str(error)
        status = 400
    return render(request, "articles.html.j2", context, status)
