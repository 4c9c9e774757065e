"""Faceted browsing: the facets of the story list and the article list as JSON-ready values
(each value with its count and the filter it stands for), and the article list itself.
The pages and the API show the same numbers: both call these."""

from __future__ import annotations

import calendar
from typing import Any

from ..errors import UsageError
from ..model import ArticleFilter, StoryFilter
from ..store import FACET_TOP, Facets, Store
from .views import day_start, resolve_filter


def story_facets(store: Store, filters: StoryFilter, top: int = FACET_TOP) -> dict[str, Any]:
    """The facets of the stories ``filters`` keeps: for each of outlet, language, entity,
    event_type and date, its most common values among them (at most ``top``) with how many
    of the stories each holds, as a list of ``{"value", "count"}`` (an entity also with its
    ``name`` and ``kind``, a date with the ``unit`` (month or day) and the ``from`` and
    ``to`` days the filter takes)."""
    return facets_view(store.story_facets(resolve_filter(store, filters), top))


def cached_story_facets(store: Store, filters: StoryFilter) -> dict[str, Any] | None:
    """story_facets when they are counted already for the database as it is (a lookup),
    else None. ``filters`` must name no entity (resolving one may read many rows)."""
    found = store.cached_story_facets(resolve_filter(store, filters))
    return facets_view(found) if found is not None else None


def facets_view(facets: Facets) -> dict[str, Any]:
    """Facets as JSON-ready lists of values (see story_facets)."""
    view: dict[str, Any] = {}
    for kind, values in facets.values.items():
        if kind == "entity":
            view[kind] = [
                {"value": v, "name": facets.labels.get(v, (v, ""))[0],
                 "kind": facets.labels.get(v, (v, ""))[1], "count": n}
                for v, n in values
            ]
        elif kind == "date":
            view[kind] = [
                {"value": v, "unit": facets.date_unit, **bucket_days(v), "count": n}
                for v, n in values
            ]
        else:
            view[kind] = [{"value": v, "count": n} for v, n in values]
    return view


def bucket_days(bucket: str) -> dict[str, str]:
    """The first and last day ("YYYY-MM-DD") of a month ("YYYY-MM") or day bucket."""
    if len(bucket) == 10:
        return {"from": bucket, "to": bucket}
    year, month = int(bucket[:4]), int(bucket[5:7])
    last = calendar.monthrange(year, month)[1]
    return {"from": f"{bucket}-01", "to": f"{bucket}-{last:02d}"}


def article_filter(
    query: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    story_id: str | None = None,
    advanced: bool = False,
) -> ArticleFilter:
    """The article list's filters as the store applies them: blanks dropped, the language in
    lower case, the days (inclusive, "YYYY-MM-DD") to seconds since 1970 (UTC). UsageError
    for a bad day."""

    def kept(value: str | None) -> str | None:
        return value.strip() or None if value else None

    first, last = kept(date_from), kept(date_to)
    return ArticleFilter(
        query=kept(query),
        advanced=advanced,
        outlet=kept(outlet),
        language=(kept(language) or "").lower() or None,
        ts_from=day_start(first, "date_from") if first else None,
        ts_to=day_start(last, "date_to", days_after=1) if last else None,
        story_id=kept(story_id),
    )


def article_list(
    store: Store, filters: ArticleFilter, *, limit: int = 20, offset: int = 0,
    facets: bool = False, top: int = FACET_TOP,
) -> dict[str, Any]:
    """One page of the articles ``filters`` keeps, newest first: ``{"articles": [...],
    "total", "limit", "offset"}``, each article with its id, story_id, outlet, title,
    published (ISO date), language, url, dateline place and wire agency; with ``facets``,
    also the facets (outlet, language, date) of every article kept, as story_facets gives
    them."""
    if limit < 0 or offset < 0:
        raise UsageError("limit and offset cannot be negative")
    rows, total = store.article_rows(filters, limit=limit, offset=offset)
    found: dict[str, Any] = {"articles": rows, "total": total, "limit": limit, "offset": offset}
    if facets:
        found["facets"] = facets_view(store.article_facets(filters, top))
    return found
