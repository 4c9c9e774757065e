"""Facets: how many stories (or articles) of a filtered list have each outlet, language,
entity, event type and date, the top values of each, as a researcher browses a table in
Datasette.

Every count is one aggregate query over an index, limited to the top values: a story facet
over the stories' own values (story_facet_values, written by the ingest: see facet_rows),
an article facet over the articles by outlet, language and date; the stories' dates over
the stories' first and last times. No rows are loaded into Python but the few values
shown. A story count is of distinct stories, as the filter that clicking the value adds
selects them, so that a value's count is the size of the list it leads to. The counts are
kept per database, articles stored and filters (FACETS), as the story list's hits are.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .._util import LRUCache
from ..errors import StoreError, UsageError
from ..model import ArticleFilter, ResolvedStoryFilter
from .connection import sqlite_cause
from .fts import fts_query
from .story_list import StoryList, _bad_query

# The values each facet lists, the most common first.
FACET_TOP = 10
# The facets of the story and article lists, in the order they are shown.
STORY_FACETS = ("outlet", "language", "entity", "event_type", "date")
ARTICLE_FACETS = ("outlet", "language", "date")
# A date range of at most this many days is counted by day, a longer one by month.
DAYS_BY_DAY = 62

# By database, articles stored, entity joins' version and filters: the facets computed.
FACETS: LRUCache[Any] = LRUCache(256)
# One count at a time in a process (see FacetTables._once).
_COUNTING = threading.Lock()
# By database and entity id: the name and kind shown for it (its mentions only grow).
LABELS: LRUCache[tuple[str, str]] = LRUCache(10_000)


@dataclass(frozen=True)
class Facets:
    """The top values of each facet of a list, each as (value, count), the most common first
    (dates newest first); ``date_unit`` "month" or "day"; ``labels``: an entity id's name
    and kind, for the entity facet."""

    values: dict[str, list[tuple[str, int]]]
    date_unit: str
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)


# How many of the list's stories have each value of a facet: its rows in
# story_facet_values (see facet_rows), read by the primary key (kind, value, story) for the
# whole list, by the story index for a filtered one. ``{scope}`` keeps the stories of the
# list (a condition on f.story_id).
_STORY_COUNT = (
    "SELECT MAX(f.value COLLATE BINARY), COUNT(*) AS n FROM story_facet_values f "
    "WHERE f.kind = :kind AND {scope} GROUP BY f.value"
)
_ARTICLE_COUNTS = {
    "outlet": "SELECT MAX(a.outlet), COUNT(*) AS n FROM articles a "
    "WHERE a.outlet IS NOT NULL AND {scope} GROUP BY a.outlet COLLATE NOCASE",
    "language": "SELECT a.language, COUNT(*) AS n FROM articles a "
    "WHERE a.language IS NOT NULL AND {scope} GROUP BY a.language",
}
_FORMATS = {"month": "%Y-%m", "day": "%Y-%m-%d"}


class FacetTables(StoryList):
    """The facet counts of the story list and of the article list."""

    def story_facets(self, filters: ResolvedStoryFilter, top: int = FACET_TOP) -> Facets:
        """The top ``top`` values of each of STORY_FACETS among the stories ``filters``
        selects, each with how many of them it holds: outlets, languages, entities (the
        short forms a story joins to a full name counted as it) and event types of their
        articles, and the months (or days, for a range of at most DAYS_BY_DAY days, or when
        they all lie in one month) their span [first, last] overlaps."""
        seen = self._articles_seen()
        key = self._story_key(filters, top, seen)
        return self._once(key, lambda: self._story_facets(filters, top, seen), filters.query)

    def cached_story_facets(
        self, filters: ResolvedStoryFilter, top: int = FACET_TOP
    ) -> Facets | None:
        """The story facets when they are counted already for the database as it is (two
        lookups), else None."""
        found: Facets | None = FACETS.get(self._story_key(filters, top, self._articles_seen()))
        return found

    def _story_key(self, filters: ResolvedStoryFilter, top: int, seen: int) -> tuple[Any, ...]:
        return ("stories", self._identity, seen, self._joins_version(), filters, top)

    def _once(self, key: tuple[Any, ...], compute: Any, query: str | None) -> Facets:
        """The facets under ``key``, counted when missing by one thread at a time: requests
        arriving together for what is not counted yet wait for one count, not each make
        their own."""
        found: Facets | None = FACETS.get(key)
        if found is not None:
            return found
        with _COUNTING:
            found = FACETS.get(key)
            if found is None:
                found = self._guarded(compute, query)
                FACETS.put(key, found)
        return found

    def _story_facets(self, filters: ResolvedStoryFilter, top: int, seen: int) -> Facets:
        scope, params = self._story_scope(filters, seen)
        if scope is None:  # a search with no words: no stories
            return Facets({kind: [] for kind in STORY_FACETS}, "month")
        count = _STORY_COUNT.format(scope=scope.format(col="f.story_id"))
        values = {
            kind: self._top(count, {**params, "kind": kind}, top)
            for kind in ("outlet", "language", "entity", "event_type")
        }
        stories = scope.format(col="s.id")
        unit = _unit(filters.ts_from, filters.ts_to)
        bounds = (filters.ts_from, filters.ts_to)
        values["date"] = self._story_dates(stories, params, unit, top, bounds)
        if unit == "month" and len(values["date"]) == 1:  # one month: by day within it
            unit = "day"
            values["date"] = self._story_dates(stories, params, unit, top, bounds)
        return Facets(values, unit, self._entity_labels([v for v, _ in values["entity"]]))

    def _story_scope(
        self, filters: ResolvedStoryFilter, seen: int
    ) -> tuple[str | None, dict[str, Any]]:
        """A condition on a story id column (``{col}``) keeping the stories ``filters``
        selects among those of the articles stored up to rowid ``seen``, with its
        parameters; None when a search has no words (nothing matches)."""
        parts: list[str] = []
        params: dict[str, Any] = {"after": 0, "upto": seen}
        for number, (kind, value) in enumerate(filters.member_filters().items()):
            if kind == "query":
                value = fts_query(value, advanced=filters.advanced)
                if not value:
                    return None, params
                sub = self._MEMBER_FILTERS[kind].replace(":value", f":v{number}")
            else:  # the stories' own values select them as the filter does (facet_rows)
                sub = (f"SELECT story_id FROM story_facet_values WHERE kind = '{kind}' "
                       f"AND value = :v{number}")
            parts.append(f"{{col}} IN ({sub})")
            params[f"v{number}"] = value
        dates = []
        if filters.ts_from is not None:
            dates.append("last_ts >= :ts_from")
            params["ts_from"] = filters.ts_from
        if filters.ts_to is not None:
            dates.append("first_ts < :ts_to")
            params["ts_to"] = filters.ts_to
        if dates:
            parts.append(f"{{col}} IN (SELECT id FROM stories WHERE {' AND '.join(dates)})")
        return " AND ".join(parts) or "1", params

    def _top(self, sql: str, params: dict[str, Any], top: int) -> list[tuple[str, int]]:
        """The first ``top`` (value, count) of a facet's counts, the most common first, then
        by value."""
        rows = self.db.execute(f"{sql} ORDER BY n DESC, 1 LIMIT :top", {**params, "top": top})
        return [(str(r[0]), int(r[1])) for r in rows]

    def _story_dates(
        self, stories: str, params: dict[str, Any], unit: str, top: int,
        bounds: tuple[float | None, float | None],
    ) -> list[tuple[str, int]]:
        """The months or days (``unit``) the selected stories' spans overlap, with how many
        do: the stories counted by (first, last) month or day in SQL, each pair then spread
        over the months or days between; those outside the filter's dates (``bounds``) left
        out."""
        fmt = _FORMATS[unit]
        low, high = (
            _bucket(ts, unit) if ts is not None else None
            for ts in (bounds[0], None if bounds[1] is None else bounds[1] - 1)
        )
        counts: dict[str, int] = {}
        for first, last, count in self.db.execute(
            f"SELECT strftime('{fmt}', s.first_ts, 'unixepoch') AS f, "
            f"strftime('{fmt}', s.last_ts, 'unixepoch') AS l, COUNT(*) FROM stories s "
            f"WHERE s.first_ts IS NOT NULL AND {stories} GROUP BY f, l",
            params,
        ):
            for bucket in _between(str(first), str(last or first), unit):
                if (low is None or bucket >= low) and (high is None or bucket <= high):
                    counts[bucket] = counts.get(bucket, 0) + int(count)
        return _top_dates(counts, top)

    def _entity_labels(self, entity_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Entity id -> the name and kind its own mentions most often carry."""
        labels = {}
        for entity_id in entity_ids:
            known = LABELS.get((self._identity, entity_id))
            if known is not None:
                labels[entity_id] = known
                continue
            row = self.db.execute(
                "SELECT name, kind FROM entity_mentions WHERE entity_id = ? "
                "GROUP BY name, kind ORDER BY COUNT(*) DESC, name LIMIT 1",
                (entity_id,),
            ).fetchone()
            labels[entity_id] = (str(row[0]), str(row[1])) if row else (entity_id, "")
            LABELS.put((self._identity, entity_id), labels[entity_id])
        return labels

    def article_facets(self, filters: ArticleFilter, top: int = FACET_TOP) -> Facets:
        """The top ``top`` outlets, languages and months (or days, as for stories) of the
        articles ``filters`` selects, each with how many of them it holds."""
        key = ("articles", self._identity, self._articles_seen(), filters, top)
        return self._once(key, lambda: self._article_facets(filters, top), filters.query)

    def _article_facets(self, filters: ArticleFilter, top: int) -> Facets:
        scope, params = article_scope(filters)
        if scope is None:
            return Facets({kind: [] for kind in ARTICLE_FACETS}, "month")
        values = {
            kind: self._top(sql.format(scope=scope), params, top)
            for kind, sql in _ARTICLE_COUNTS.items()
        }
        unit = _unit(filters.ts_from, filters.ts_to)
        values["date"] = self._article_dates(scope, params, unit, top)
        if unit == "month" and len(values["date"]) == 1:
            unit = "day"
            values["date"] = self._article_dates(scope, params, unit, top)
        return Facets(values, unit)

    def _article_dates(
        self, scope: str, params: dict[str, Any], unit: str, top: int
    ) -> list[tuple[str, int]]:
        fmt = _FORMATS[unit]
        rows = self.db.execute(
            f"SELECT strftime('{fmt}', a.published_ts, 'unixepoch') AS b, COUNT(*) "
            f"FROM articles a WHERE a.published_ts IS NOT NULL AND {scope} GROUP BY b",
            params,
        )
        return _top_dates({str(r[0]): int(r[1]) for r in rows}, top)

    def _guarded(self, compute: Any, query: str | None) -> Facets:
        """``compute()``, an advanced search's syntax error said as a UsageError."""
        try:
            result: Facets = compute()
        except StoreError as error:
            cause = sqlite_cause(error)
            if query and _bad_query(error, cause):
                raise UsageError(f"bad search query {query!r}: {cause}") from cause
            raise
        return result


def article_scope(filters: ArticleFilter) -> tuple[str | None, dict[str, Any]]:
    """A condition on the articles (as ``a``) keeping those ``filters`` selects, with its
    parameters; None when a search has no words (nothing matches)."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    if filters.query:
        query = fts_query(filters.query, advanced=filters.advanced)
        if not query:
            return None, params
        parts.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)")
        params["q"] = query
    if filters.outlet:
        parts.append("a.outlet = :outlet COLLATE NOCASE")
        params["outlet"] = filters.outlet
    if filters.language:
        parts.append("a.language = :language")
        params["language"] = filters.language
    if filters.ts_from is not None:
        parts.append("a.published_ts >= :ts_from")
        params["ts_from"] = filters.ts_from
    if filters.ts_to is not None:
        parts.append("a.published_ts < :ts_to")
        params["ts_to"] = filters.ts_to
    if filters.story_id:
        parts.append("a.id IN (SELECT article_id FROM story_members WHERE story_id = :story)")
        params["story"] = filters.story_id
    return " AND ".join(parts) or "1", params


def _unit(ts_from: float | None, ts_to: float | None) -> str:
    """Days for a date range of at most DAYS_BY_DAY days, else months."""
    if ts_from is not None and ts_to is not None and ts_to - ts_from <= DAYS_BY_DAY * 86400:
        return "day"
    return "month"


def _bucket(ts: float, unit: str) -> str:
    """The month or day (UTC) of a time in seconds since 1970."""
    day = datetime.fromtimestamp(ts, UTC).date().isoformat()
    return day if unit == "day" else day[:7]


def _between(first: str, last: str, unit: str) -> list[str]:
    """Every month ("YYYY-MM") or day ("YYYY-MM-DD") from ``first`` to ``last``, both
    included (at most 3,660 of them: a story over ten years is counted in its first ten)."""
    if unit == "day":
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        days = min((end - start).days, 3659)
        return [(start + timedelta(days=n)).isoformat() for n in range(days + 1)]
    year, month = int(first[:4]), int(first[5:7])
    found = [first]
    while found[-1] < last and len(found) < 3660:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        found.append(f"{year:04d}-{month:02d}")
    return found


def _top_dates(counts: dict[str, int], top: int) -> list[tuple[str, int]]:
    """The ``top`` months or days with the most items (the later first among equals), newest
    first."""
    kept = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:top]
    return sorted(kept, reverse=True)
