"""Coverage: which outlets published how many articles in each of a set of stories.

The stories are chosen as the story list chooses them (StoryList: the same filters, the same
indexes and caches), the biggest first; their articles are counted per outlet by one grouped
query over the ``story_members_story`` index, and each story's counts are kept for its size
(a story changes only by gaining members, so counts read for one size stay true).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._util import LRUCache
from ..clean.header import site_of
from ..model import ResolvedStoryFilter
from .connection import chunks
from .story_list import StoryList


@dataclass(frozen=True)
class CoverageCount:
    """The articles of one story one outlet published: ``outlet`` its name, or the site of
    its URL when it names none (as a story's outlets are counted, see codec.story_from_row),
    None for articles with neither; ``copies`` how many of them are wire copies of an
    earlier member (a reprint counts for the outlet that printed it)."""

    story_id: str
    outlet: str | None
    articles: int
    copies: int


# A story's counts by database, story and size (see the module's note).
COVERAGE_COUNTS: LRUCache[tuple[CoverageCount, ...]] = LRUCache(20_000)


class CoverageTables(StoryList):
    """The stories a coverage matrix shows and their articles counted per outlet."""

    def coverage_version(self) -> tuple[object, int]:
        """What changes whenever a coverage matrix may change: the database file's identity
        and the highest article rowid (stories change only when articles are stored)."""
        return self._identity, self._articles_seen()

    def coverage_stories(
        self, filters: ResolvedStoryFilter, limit: int
    ) -> tuple[list[tuple[str, int]], int]:
        """The ``limit`` biggest (story id, size) of the stories the filters select (the
        story list's filters, see StoryList.story_page), the most articles first and the
        newest first among equals, and how many the filters select in all. Without filters
        on members they are read from the ``stories_size`` index (with dates, the first
        ones of it in range); with some, from the story list's cached matches."""
        limit = max(0, int(limit))
        if filters.member_filters():
            hits = self._story_hits(filters)  # newest first: a stable sort keeps that order
            return sorted(hits, key=lambda hit: -hit[1])[:limit], len(hits)
        conditions: list[str] = []
        params: dict[str, Any] = {"limit": limit}
        if filters.ts_from is not None:
            conditions.append("s.last_ts >= :ts_from")
            params["ts_from"] = filters.ts_from
        if filters.ts_to is not None:
            conditions.append("s.first_ts < :ts_to")
            params["ts_to"] = filters.ts_to
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        biggest = [
            (r[0], int(r[1]))
            for r in self.db.execute(
                f"SELECT s.id, s.size FROM stories s{where} "
                "ORDER BY s.size DESC, s.last_ts DESC, s.rowid DESC LIMIT :limit",
                params,
            )
        ]
        total = self.db.execute(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()
        return biggest, int(total[0])

    def coverage_counts(self, stories: list[tuple[str, int]]) -> list[CoverageCount]:
        """The articles of each (story id, size) counted per outlet, story by story in the
        order given, each story's outlets by name (those with no name last)."""
        found: dict[str, tuple[CoverageCount, ...]] = {}
        missing: list[str] = []
        for story_id, size in stories:
            cached = COVERAGE_COUNTS.get((self._identity, story_id, size))
            if cached is None:
                missing.append(story_id)
            else:
                found[story_id] = cached
        sizes = dict(stories)
        for chunk in chunks(missing, 500):
            for story_id, counts in self._count_outlets(chunk).items():
                found[story_id] = counts
                if sum(c.articles for c in counts) == sizes[story_id]:  # else: it grew
                    COVERAGE_COUNTS.put((self._identity, story_id, sizes[story_id]), counts)
        return [count for story_id, _ in stories for count in found.get(story_id, ())]

    def _count_outlets(self, story_ids: list[str]) -> dict[str, tuple[CoverageCount, ...]]:
        """One grouped query: each story's articles and wire copies per outlet (the URL of
        an article that names none, read as its site)."""
        marks = ",".join("?" * len(story_ids))
        tally: dict[tuple[str, str | None], list[int]] = {}
        for story_id, outlet, url, articles, copies in self.db.execute(
            "SELECT m.story_id, a.outlet, CASE WHEN a.outlet IS NULL THEN a.url END, "
            "COUNT(*), SUM(m.wire_copy_of IS NOT NULL) "
            "FROM story_members m JOIN articles a ON a.id = m.article_id "
            f"WHERE m.story_id IN ({marks}) GROUP BY 1, 2, 3",
            story_ids,
        ):
            name = outlet or site_of(url)
            counted = tally.setdefault((story_id, name), [0, 0])
            counted[0] += int(articles)
            counted[1] += int(copies or 0)
        per_story: dict[str, list[CoverageCount]] = {}
        for (story_id, name), (articles, copies) in tally.items():
            per_story.setdefault(story_id, []).append(
                CoverageCount(story_id, name, articles, copies)
            )
        return {
            story_id: tuple(sorted(counts, key=lambda c: (c.outlet is None, c.outlet or "")))
            for story_id, counts in per_story.items()
        }
