"""The article list and the attribution list: pages of rows, newest first, for the pages,
the API and their CSV exports."""

from __future__ import annotations

from typing import Any

from .._util import LRUCache
from ..errors import StoreError, UsageError
from ..model import ArticleFilter
from .connection import StoreBase, sqlite_cause
from .facets import article_scope
from .story_list import _bad_query

# How many articles a filter selects, by database, articles stored and filter.
TOTALS: LRUCache[int] = LRUCache(256)
# The columns of an article's line in the article list.
ARTICLE_ROW = ("id", "story_id", "outlet", "title", "published", "language", "url", "place",
               "wire")
# The columns of an attribution's line in the attribution list.
ATTRIBUTION_ROW = ("article_id", "story_id", "outlet", "published", "kind", "speaker",
                   "speaker_text", "cue", "content")


class ListTables(StoreBase):
    """Pages of articles and of attributions."""

    def article_rows(
        self, filters: ArticleFilter, *, limit: int = 20, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the articles ``filters`` selects, newest first (undated last), each
        as ARTICLE_ROW (``published`` its ISO date), and how many match in all. The page
        walks the publication index backwards; the count is one pass over the selection."""
        scope, params = article_scope(filters)
        if scope is None:
            return [], 0
        params = {**params, "limit": max(0, int(limit)), "offset": max(0, int(offset))}
        try:
            rows = self.db.execute(
                "SELECT a.id, m.story_id, a.outlet, a.title, substr(a.published, 1, 10), "
                "a.language, a.url, a.place, a.wire FROM articles a "
                "LEFT JOIN story_members m ON m.article_id = a.id "
                f"WHERE {scope} ORDER BY a.published_ts DESC, a.rowid DESC "
                "LIMIT :limit OFFSET :offset",
                params,
            ).fetchall()
            total = self._article_total(filters, scope, params)
        except StoreError as error:
            cause = sqlite_cause(error)
            if filters.query and _bad_query(error, cause):
                raise UsageError(f"bad search query {filters.query!r}: {cause}") from cause
            raise
        return [dict(zip(ARTICLE_ROW, r, strict=True)) for r in rows], total

    def _article_total(self, filters: ArticleFilter, scope: str, params: dict[str, Any]) -> int:
        """How many articles a filter selects, counted once per database state."""
        seen = self.db.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0]
        key = (self._identity, int(seen), filters)
        total = TOTALS.get(key)
        if total is None:
            total = int(self.db.execute(
                f"SELECT COUNT(*) FROM articles a WHERE {scope}", params).fetchone()[0])
            TOTALS.put(key, total)
        return total

    def attribution_rows(
        self, *, story_id: str | None = None, speaker: str | None = None, limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Attributions (quotes and reported speech), those of the newest articles first and
        in text order within an article, each as ATTRIBUTION_ROW; ``story_id`` keeps one
        story's, ``speaker`` those whose speaker is that name (exact, as resolved in its
        article)."""
        parts: list[str] = []
        params: dict[str, Any] = {"limit": max(0, int(limit)), "offset": max(0, int(offset))}
        if story_id:
            parts.append("t.article_id IN (SELECT article_id FROM story_members "
                         "WHERE story_id = :story)")
            params["story"] = story_id
        if speaker:
            parts.append("t.source = :speaker")
            params["speaker"] = speaker
        where = " WHERE " + " AND ".join(parts) if parts else ""
        rows = self.db.execute(
            "SELECT t.article_id, m.story_id, a.outlet, substr(a.published, 1, 10), t.kind, "
            "t.source, t.source_text, t.cue, t.content FROM attributions t "
            "JOIN articles a ON a.id = t.article_id "
            f"LEFT JOIN story_members m ON m.article_id = t.article_id{where} "
            "ORDER BY a.published_ts DESC, a.rowid DESC, t.idx LIMIT :limit OFFSET :offset",
            params,
        )
        return [dict(zip(ATTRIBUTION_ROW, r, strict=True)) for r in rows]
