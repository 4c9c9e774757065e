"""Coverage of a set of stories: a matrix of stories × outlets (who covered what, and how
much) and each outlet's blindspots, for the coverage page, ``/api/coverage``, its CSV and
``storylens coverage``.

The stories are those the story list's filters (or an alert's) select, the biggest first;
the store counts their articles per outlet by indexed queries (Store.coverage_stories,
Store.coverage_counts), never reading every article. An outlet is named as a story's outlets
are (its name, else its URL's site); articles with neither are counted apart, as "not named",
and are no outlet. A wire reprint counts for the outlet that printed it (``copies`` says how
many of a cell's articles are reprints).

A blindspot of an outlet is a story of the matrix it published nothing in while at least
``min_outlets`` other outlets did (Options.blindspot_min_outlets); the most widely covered
first, then the biggest.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .._util import LRUCache
from ..errors import UsageError
from ..model import ResolvedStoryFilter, Story, StoryFilter
from ..options import Options
from ..store import STORED_TOP, CoverageCount, Store
from .views import VIEW_FORMAT, resolve_filter

# The matrix's size unless asked otherwise, and the most that may be asked.
STORIES_SHOWN = 30
MAX_STORIES = 500
OUTLETS_SHOWN = 20
MAX_OUTLETS = 200
# The blindspots listed per outlet (all are counted).
BLINDSPOTS_SHOWN = 10
# Coverage views by database version (Store.coverage_version), filters and limits: a page, its
# CSV and its JSON asked for again cost a look-up until articles are stored.
VIEWS: LRUCache[dict[str, Any]] = LRUCache(64)


@dataclass(frozen=True)
class CoverageLimits:
    """How big a matrix is asked for: its stories and outlets (columns), and how many other
    outlets must have covered a story for it to be a blindspot of one that did not."""

    stories: int = STORIES_SHOWN
    outlets: int = OUTLETS_SHOWN
    min_outlets: int = Options.blindspot_min_outlets

    def checked(self) -> CoverageLimits:
        """These limits, or a UsageError saying which is out of range."""
        if not 1 <= self.stories <= MAX_STORIES:
            raise UsageError(f"stories must be from 1 to {MAX_STORIES}, not {self.stories}")
        if not 1 <= self.outlets <= MAX_OUTLETS:
            raise UsageError(f"outlets must be from 1 to {MAX_OUTLETS}, not {self.outlets}")
        if self.min_outlets < 1:
            raise UsageError(f"min_outlets must be at least 1, not {self.min_outlets}")
        return self


def coverage(
    store: Store,
    filters: StoryFilter,
    limits: CoverageLimits = CoverageLimits(),
    alert: str | None = None,
) -> dict[str, Any]:
    """The coverage of the stories the filters select (see StoryFilter), or an alert's
    (its query, entity and outlet; the filters may add dates and a language): the matrix
    of its biggest stories and their outlets, with each outlet's blindspots (see the
    module's note), and how many stories match in all. UsageError for a bad filter or
    limit, NotFoundError for an unknown entity or alert."""
    limits = limits.checked()
    resolved = _chosen(store, filters, alert)
    chosen: list[tuple[str, int]] = []
    total = 0
    key = (store.coverage_version(), resolved, limits)
    cached = VIEWS.get(key)
    if cached is not None:
        return dict(cached)
    if resolved is not None:  # None: an alert whose entity is not known (yet) matches none
        chosen, total = store.coverage_stories(resolved, limits.stories)
    cards = store.story_cards(chosen, STORED_TOP, VIEW_FORMAT)
    counts = store.coverage_counts([(c.story.id, c.story.article_count) for c in cards])
    view = {"stories_total": total, **coverage_matrix([c.story for c in cards], counts, limits)}
    VIEWS.put(key, view)
    return dict(view)


def _chosen(
    store: Store, filters: StoryFilter, alert: str | None
) -> ResolvedStoryFilter | None:
    """The filters as the store applies them: an alert's, with the dates and language
    asked for, or those asked for alone."""
    resolved = resolve_filter(store, filters)
    if not alert:
        return resolved
    if filters.query or filters.outlet or filters.entity:
        raise UsageError("an alert brings its own query, entity and outlet: give only dates "
                         "or a language with it")
    found = store.alert_filter(store.alert(alert))
    if found is None:
        return None
    return ResolvedStoryFilter(
        query=found.query, outlet=found.outlet, entity_id=found.entity_id,
        ts_from=resolved.ts_from, ts_to=resolved.ts_to, language=resolved.language,
    )


def coverage_matrix(
    stories: Sequence[Story], counts: Iterable[CoverageCount], limits: CoverageLimits
) -> dict[str, Any]:
    """The matrix of these stories and the outlets of their articles (``counts``): the
    stories with the most articles first (then the most outlets, then as given), the outlets
    covering the most of them first (then the most articles, then by name), at most
    ``limits.outlets`` of them as columns; each story's row holds the articles (and wire
    copies) of each column's outlet; each column's outlet has its blindspots."""
    cells: dict[str, dict[str, CoverageCount]] = {s.id: {} for s in stories}
    unnamed: dict[str, int] = {}
    for count in counts:
        if count.story_id not in cells:
            continue
        if count.outlet is None:
            unnamed[count.story_id] = unnamed.get(count.story_id, 0) + count.articles
        else:
            cells[count.story_id][count.outlet] = count
    articles = {
        s.id: sum(c.articles for c in cells[s.id].values()) + unnamed.get(s.id, 0)
        for s in stories
    }
    place = {s.id: n for n, s in enumerate(stories)}
    ordered = sorted(stories, key=lambda s: (-articles[s.id], -len(cells[s.id]), place[s.id]))
    ranked = _ranked_outlets(cells)
    shown = ranked[: limits.outlets]
    return {
        "stories": [_row(s, cells[s.id], articles[s.id], unnamed.get(s.id, 0), shown)
                    for s in ordered],
        "outlets": [
            {"name": name, "stories": covered, "articles": total,
             **_blindspots(name, ordered, cells, articles, limits.min_outlets)}
            for name, covered, total in shown
        ],
        "outlets_total": len(ranked),
        "min_outlets": limits.min_outlets,
    }


def _ranked_outlets(cells: dict[str, dict[str, CoverageCount]]) -> list[tuple[str, int, int]]:
    """Every outlet of the matrix with the stories it covered and its articles in them, the
    most stories first, then the most articles, then by name."""
    covered: dict[str, list[int]] = {}
    for by_outlet in cells.values():
        for name, count in by_outlet.items():
            tally = covered.setdefault(name, [0, 0])
            tally[0] += 1
            tally[1] += count.articles
    ranked = sorted(covered.items(), key=lambda o: (-o[1][0], -o[1][1], o[0].casefold(), o[0]))
    return [(name, stories, total) for name, (stories, total) in ranked]


def _row(
    story: Story, cells: dict[str, CoverageCount], articles: int, unnamed: int,
    shown: list[tuple[str, int, int]],
) -> dict[str, Any]:
    """A story's row: what it is, and the articles and wire copies of each shown outlet."""
    columns = [cells.get(name) for name, _, _ in shown]
    return {
        "id": story.id, "title": story.title, "first_published": story.first_published,
        "last_published": story.last_published, "articles": articles,
        "outlet_count": len(cells), "unnamed_articles": unnamed,
        "counts": [c.articles if c else 0 for c in columns],
        "copies": [c.copies if c else 0 for c in columns],
        "other_outlets": len(cells) - sum(1 for c in columns if c),
    }


def _blindspots(
    outlet: str, stories: Sequence[Story], cells: dict[str, dict[str, CoverageCount]],
    articles: dict[str, int], min_outlets: int,
) -> dict[str, Any]:
    """An outlet's blindspots among the stories: those it has no article in that at least
    ``min_outlets`` other outlets covered, the most widely covered first, then the
    biggest; the first BLINDSPOTS_SHOWN listed, all counted."""
    missed = [s for s in stories if outlet not in cells[s.id] and len(cells[s.id]) >= min_outlets]
    missed.sort(key=lambda s: (-len(cells[s.id]), -articles[s.id]))  # stable: matrix order
    return {
        "blindspot_count": len(missed),
        "blindspots": [
            {"id": s.id, "title": s.title, "outlets": len(cells[s.id]),
             "articles": articles[s.id]}
            for s in missed[:BLINDSPOTS_SHOWN]
        ],
    }


# A spreadsheet reads a cell starting with one of these as a formula: such text is written
# after an apostrophe, as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    """A text cell of the CSV: empty for none, a would-be formula kept as text."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def coverage_csv(view: dict[str, Any]) -> str:
    """The matrix of a coverage view (see ``coverage``) as CSV (RFC 4180, a header line):
    one row per story (id, title, dates, articles, outlets, articles with no outlet named),
    then a column of article counts per outlet shown, and the outlets not shown that
    covered it."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([
        "story_id", "title", "first_published", "last_published", "articles", "outlets",
        "unnamed_articles", *(_text(o["name"]) for o in view["outlets"]), "other_outlets",
    ])
    for story in view["stories"]:
        writer.writerow([
            story["id"], _text(story["title"]), story["first_published"] or "",
            story["last_published"] or "", story["articles"], story["outlet_count"],
            story["unnamed_articles"], *story["counts"], story["other_outlets"],
        ])
    return stream.getvalue()
