"""Attention over time: how many articles a story, an entity, a search or an outlet had per
period (an hour, a day, a week), by outlet, counted by SQLite from indexes (a story's
members, an entity's mentions, the full-text index, the outlet index) rather than from
articles loaded into Python: a page that charts them costs rows of counts, not articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import StoreQueryError, UsageError
from .connection import StoreBase, sqlite_cause
from .fts import fts_query

# The kinds of selection counted, and the articles each selects (as ``a``, with any other
# table it needs), from the index that serves it.
_SELECTIONS = {
    "story": "FROM story_members m JOIN articles a ON a.id = m.article_id "
    "WHERE m.story_id = :value",
    "outlet": "FROM articles a WHERE a.outlet = :value COLLATE NOCASE",
    "query": "FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
    "WHERE articles_fts MATCH :value",
    # the entity, or a short form joined to it in the article's story, and not the entity
    # where its story joins it to another full name (as the story list's entity filter)
    "entity": "FROM articles a WHERE a.id IN (SELECT e.article_id FROM entity_mentions e "
    "LEFT JOIN story_members m ON m.article_id = e.article_id "
    "LEFT JOIN entity_joins j ON j.story_id = m.story_id AND j.entity_id = e.entity_id "
    "WHERE e.entity_id IN (SELECT :value UNION SELECT entity_id FROM entity_joins "
    "WHERE joined_id = :value) AND COALESCE(j.joined_id, e.entity_id) = :value)",
}
SCOPE_KINDS = tuple(_SELECTIONS)
# The number of an article's period: its time's periods since 1970, rounded down (CAST rounds
# toward zero, which for a time before 1970 is up).
_SHIFTED = "((a.published_ts + :offset) / :width)"
_PERIOD = f"(CAST({_SHIFTED} AS INTEGER) - ({_SHIFTED} < CAST({_SHIFTED} AS INTEGER)))"


@dataclass(frozen=True)
class AttentionScope:
    """What is counted: the articles of a story (``value`` its id), mentioning an entity
    (its id), matching a search (a reader's words; FTS5 syntax with ``advanced``) or of an
    outlet (its name, any ASCII case)."""

    kind: str
    value: str
    advanced: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _SELECTIONS:
            raise UsageError(f"attention is counted for {', '.join(SCOPE_KINDS)}, not {self.kind}")


@dataclass(frozen=True)
class AttentionSpan:
    """The dates of a selection's articles: the first and last publication time (seconds
    since 1970, UTC; None when none is dated), how many are dated, how many are not, and how
    many of the dated give a day without a time of day."""

    first_ts: float | None
    last_ts: float | None
    dated: int
    undated: int
    day_only: int


class AttentionTables(StoreBase):
    """Articles per period and outlet, for a story, an entity, a search or an outlet."""

    def attention_span(self, scope: AttentionScope) -> AttentionSpan:
        """When a selection's articles were published (see AttentionSpan): one pass over the
        articles the selection's index gives."""
        sql, params = self._selection(scope)
        if sql is None:
            return AttentionSpan(None, None, 0, 0, 0)
        row = self._run(
            scope,
            "SELECT MIN(a.published_ts), MAX(a.published_ts), COUNT(a.published_ts), "
            "COUNT(*) - COUNT(a.published_ts), "
            "COALESCE(SUM(a.published_ts IS NOT NULL AND length(a.published) <= 10), 0) " + sql,
            params,
        ).fetchone()
        return AttentionSpan(row[0], row[1], int(row[2]), int(row[3]), int(row[4]))

    def attention_counts(
        self, scope: AttentionScope, width_seconds: int, offset_seconds: int = 0
    ) -> list[tuple[float, str | None, int]]:
        """(period start, outlet, articles) for each period and outlet with a dated article
        of the selection, in order of period then outlet. Periods are ``width_seconds`` long,
        starting at multiples of it less ``offset_seconds`` (UTC: days start at midnight;
        weeks, with an offset of three days, on Mondays). An outlet is as stored (None where
        none is named)."""
        sql, params = self._selection(scope)
        if sql is None:
            return []
        rows = self._run(
            scope,
            f"SELECT {_PERIOD} AS period, a.outlet, "
            f"COUNT(*) {sql} AND a.published_ts IS NOT NULL "
            "GROUP BY period, a.outlet ORDER BY period, a.outlet",
            {**params, "width": width_seconds, "offset": offset_seconds},
        )
        return [
            (float(r[0] * width_seconds - offset_seconds), r[1], int(r[2])) for r in rows
        ]

    def _selection(self, scope: AttentionScope) -> tuple[str | None, dict[str, Any]]:
        """The FROM ... WHERE of a selection and its parameters; None for a search with no
        words (which matches nothing)."""
        value = scope.value
        if scope.kind == "query":
            value = fts_query(scope.value, advanced=scope.advanced)
            if not value:
                return None, {}
        return _SELECTIONS[scope.kind], {"value": value}

    def _run(self, scope: AttentionScope, sql: str, params: dict[str, Any]) -> Any:
        """Run a counting statement; a search SQLite refuses for its syntax is the reader's
        UsageError (a lock or a damaged file stays a StoreError)."""
        try:
            return self.db.execute(sql, params)
        except StoreQueryError as error:
            if scope.kind != "query":
                raise
            cause = sqlite_cause(error)
            raise UsageError(f"bad search query {scope.value!r}: {cause}") from cause
