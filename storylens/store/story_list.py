"""The story list: one page of stories, newest first, filtered by what their articles
say, who published them, whom they mention and when, each story with its most mentioned
entities; and the process-wide caches that make the list cheap to serve.

The server opens a Store per request, so what one request learns must outlive its Store:
the three caches below are module-level (process-wide), keyed by the database file's
identity (see StoreBase._file_identity), and only ever hold what stays true as articles are
added (a story's card for one size; the stories a filter matched up to one article).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .._util import LRUCache
from ..errors import StoreError, StoreQueryError, UsageError
from ..model import Entity, ResolvedStoryFilter
from .codec import card_from_json, story_from_row
from .connection import chunks, sqlite_cause
from .fts import fts_query
from .joining import JOINS_VERSION
from .records import STORED_TOP, StoryCard
from .stories import StoryTables

# A story's card by database, story, size and number of top entities: a story changes only
# by gaining members, so a card computed for one size stays true.
STORY_CARDS: LRUCache[StoryCard] = LRUCache(20_000)


@dataclass(frozen=True)
class _Matching:
    """The stories a filter on members selects among the articles of rowid up to ``upto``:
    story id -> (last_ts, first_ts, rowid, size)."""

    upto: int
    stories: dict[str, tuple[float | None, float | None, int, int]]


# By database and filter (see StoryList._matching): followed as articles are stored.
MATCHING: LRUCache[_Matching] = LRUCache(256)
# The ordered (story id, size) of a filtered story list, by database, articles stored and
# filters: a few lists, each at most MAX_CACHED_HITS long.
STORY_HITS: LRUCache[list[tuple[str, int]]] = LRUCache(64)
MAX_CACHED_HITS = 100_000


def _bad_query(error: StoreError, cause: sqlite3.Error | None) -> bool:
    """Whether a full-text query failed for what it says (its syntax), not for a lock, a
    damaged row or file."""
    return isinstance(error, StoreQueryError) and isinstance(cause, sqlite3.OperationalError)


class StoryList(StoryTables):
    """Pages of the story list, their cards and top entities."""

    def story_page(
        self,
        filters: ResolvedStoryFilter,
        *,
        limit: int = 20,
        offset: int = 0,
        top_entities: int = 5,
        view_format: int | None = None,
    ) -> tuple[list[StoryCard], int]:
        """One page of stories, newest first (by their latest article; undated ones last),
        each with its most mentioned entities, and how many stories match in all. Of the
        filters: ``query``, an FTS5 query one of their articles' title or text matches;
        ``outlet``, one of their articles' outlet (any ASCII case); ``entity_id``, one of
        their articles mentions it; ``language``, one of their articles' language (a code
        in lower case); ``event_type``, a PLOVER type an event one of their articles reports
        has; ``ts_from``/``ts_to``, their articles' span [first, last] overlaps
        [ts_from, ts_to) (seconds since 1970, UTC).

        The page's ids are chosen first, walking the ``stories_last_ts`` index (or the
        filters' own indexes), then only those stories are aggregated, and each only once per
        size (see ``STORY_CARDS``)."""
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if not filters.member_filters():
            page, total = self._newest_stories(filters, limit, offset)
            return self.story_cards(page, top_entities, view_format), total
        hits = self._story_hits(filters)
        cards = self.story_cards(hits[offset : offset + limit], top_entities, view_format)
        return cards, len(hits)

    def _newest_stories(
        self, filters: ResolvedStoryFilter, limit: int, offset: int
    ) -> tuple[list[tuple[str, int]], int]:
        """A page of (story id, size) filtered by dates alone, and how many match. It walks
        the last_ts index (a range of it for dates): the page costs its own rows, the count
        one pass over the index (or its range)."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if filters.ts_from is not None:
            conditions.append("s.last_ts >= :ts_from")
            params["ts_from"] = filters.ts_from
        if filters.ts_to is not None:
            conditions.append("s.first_ts < :ts_to")
            params["ts_to"] = filters.ts_to
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        page = [
            (r[0], r[1])
            for r in self.db.execute(
                f"SELECT s.id, s.size FROM stories s{where} "
                "ORDER BY s.last_ts DESC, s.rowid DESC LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset},
            )
        ]
        total = self.db.execute(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()
        return page, int(total[0])

    def _story_hits(self, filters: ResolvedStoryFilter) -> list[tuple[str, int]]:
        """Every (story id, size) a filter on members selects, in the list's order. The
        stories matching each filter on members (full text, outlet, entity) are found once
        from that filter's index and then followed article by article as the database grows
        (MATCHING); the dates are applied to what they hold, in order."""
        seen = self._articles_seen()
        key = (self._identity, seen, filters)
        hits = STORY_HITS.get(key)
        if hits is not None:
            return hits
        members = filters.member_filters()
        if "query" in members:  # as FTS5 asks it: a reader's words quoted (see fts_query)
            members["query"] = fts_query(members["query"], advanced=filters.advanced)
            if not members["query"]:  # no words: nothing matches
                STORY_HITS.put(key, [])
                return []
        sets = [self._matching(kind, value, seen) for kind, value in members.items()]
        sets.sort(key=lambda m: len(m.stories))
        ts_from, ts_to = filters.ts_from, filters.ts_to
        found = [
            (story_id, meta)
            for story_id, meta in sets[0].stories.items()
            if all(story_id in other.stories for other in sets[1:])
            and (ts_from is None or (meta[0] is not None and meta[0] >= ts_from))
            and (ts_to is None or (meta[1] is not None and meta[1] < ts_to))
        ]
        # newest first by the latest article, undated last, then the newest story first
        found.sort(key=lambda h: (h[1][0] is None, -(h[1][0] or 0.0), -h[1][2]))
        hits = [(story_id, meta[3]) for story_id, meta in found]
        STORY_HITS.put(key, hits)
        return hits

    # What a filter on members selects, by filter: the story's id, then whether and how one of
    # its articles matches. Each is the subquery of story ids, with its articles limited to
    # rowids in (:after, :upto].
    _MEMBER_FILTERS = {
        "query": "SELECT m.story_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
        "JOIN story_members m ON m.article_id = a.id WHERE articles_fts MATCH :value "
        "AND f.rowid > :after AND f.rowid <= :upto",
        "outlet": "SELECT m.story_id FROM articles a JOIN story_members m "
        "ON m.article_id = a.id WHERE a.outlet = :value COLLATE NOCASE "
        "AND a.rowid > :after AND a.rowid <= :upto",
        "language": "SELECT m.story_id FROM articles a JOIN story_members m "
        "ON m.article_id = a.id WHERE a.language = :value "
        "AND a.rowid > :after AND a.rowid <= :upto",
        # an event of that type reported in one of its articles (event_mentions_type)
        "event_type": "SELECT m.story_id FROM event_mentions v JOIN articles a "
        "ON a.id = v.article_id JOIN story_members m ON m.article_id = a.id "
        "WHERE v.type = :value AND a.rowid > :after AND a.rowid <= :upto",
        # the entity, or a short form joined to it in the story, and not the entity where
        # the story joins it to a full name
        "entity": "SELECT m.story_id FROM entity_mentions e JOIN articles a "
        "ON a.id = e.article_id JOIN story_members m ON m.article_id = a.id "
        "LEFT JOIN entity_joins j ON j.story_id = m.story_id AND j.entity_id = e.entity_id "
        "WHERE e.entity_id IN (SELECT :value UNION SELECT entity_id FROM entity_joins "
        "WHERE joined_id = :value) AND COALESCE(j.joined_id, e.entity_id) = :value "
        "AND a.rowid > :after AND a.rowid <= :upto",
    }
    _META = "SELECT s.id, s.last_ts, s.first_ts, s.rowid, s.size FROM stories s"

    def _articles_seen(self) -> int:
        """The highest article rowid: it grows with every stored batch (articles are never
        deleted), and stories change only when articles are stored."""
        return int(self.db.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0])

    def _matching(self, kind: str, value: str, upto: int) -> _Matching:
        """The stories one of whose articles (of rowid up to ``upto``) matches a filter on
        members, each with (last_ts, first_ts, rowid, size). Stories only gain articles and
        their dates only widen, so a story that matched goes on matching: a cached set is
        brought up to date with the articles stored since (and the stories they joined)."""
        key: tuple[object, ...] = (self._identity, kind, value)
        if kind == "entity":  # joins change what an entity's stories are: follow them
            key = (*key, self._joins_version())
        cached = MATCHING.get(key)
        sub = self._MEMBER_FILTERS[kind]
        try:
            if cached is None or cached.upto > upto:
                rows = self.db.execute(
                    f"{self._META} WHERE s.id IN ({sub})", {"value": value, "after": 0,
                                                           "upto": upto}
                )
                stories = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
            elif cached.upto == upto:
                return cached
            else:
                stories = dict(cached.stories)
                bounds = {"value": value, "after": cached.upto, "upto": upto}
                # the stories that gained articles: their dates and sizes changed
                for r in self.db.execute(
                    f"{self._META} WHERE s.id IN (SELECT m.story_id FROM articles a "
                    "JOIN story_members m ON m.article_id = a.id "
                    "WHERE a.rowid > :after AND a.rowid <= :upto)", bounds
                ):
                    if r[0] in stories:
                        stories[r[0]] = (r[1], r[2], r[3], r[4])
                for r in self.db.execute(f"{self._META} WHERE s.id IN ({sub})", bounds):
                    stories[r[0]] = (r[1], r[2], r[3], r[4])
        except StoreError as error:
            cause = sqlite_cause(error)
            if kind == "query" and _bad_query(error, cause):
                raise UsageError(f"bad search query {value!r}: {cause}") from cause
            raise
        found = _Matching(upto, stories)
        if len(stories) <= MAX_CACHED_HITS:
            MATCHING.put(key, found)
        return found

    def _joins_version(self) -> int:
        """A number that changes whenever any story's entity joins change."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (JOINS_VERSION,)).fetchone()
        return int(row[0]) if row else 0

    def story_cards(
        self, stories: list[tuple[str, int]], top: int = 5, view_format: int | None = None
    ) -> list[StoryCard]:
        """The summary and top entities of each (story id, size), in that order. A story
        changes only by gaining members (its size grows; its members' entity mentions are
        written with them), so a card computed once is kept for that size. With
        ``view_format`` (and ``top`` = STORED_TOP), cards stored with up-to-date views of that
        format are read instead of computed."""
        cards: dict[str, StoryCard] = {}
        missing: list[str] = []
        for story_id, size in stories:
            card = STORY_CARDS.get((self._identity, story_id, size, top))
            if card is None:
                missing.append(story_id)
            else:
                cards[story_id] = card
        sizes = dict(stories)
        if missing and view_format is not None and top == STORED_TOP:
            marks = ",".join("?" * len(missing))
            for story_id, text in self.db.execute(
                "SELECT s.id, v.card FROM stories s JOIN story_views v ON v.story_id = s.id "
                "AND v.size = s.size AND v.updated_at = s.updated_at AND v.format = ? "
                f"WHERE s.id IN ({marks})",
                (view_format, *missing),
            ):
                card = card_from_json(story_id, text)
                cards[story_id] = card
                if card.story.article_count == sizes.get(story_id):
                    STORY_CARDS.put((self._identity, story_id, card.story.article_count, top),
                                    card)
            missing = [i for i in missing if i not in cards]
        if missing:
            marks = ",".join("?" * len(missing))
            found = {
                r["id"]: story_from_row(r)
                for r in self.db.execute(
                    self._STORY_SQL + f" WHERE s.id IN ({marks}) GROUP BY s.id", missing
                )
            }
            entities = self.story_top_entities(found, top)
            for story_id, story in found.items():
                card = StoryCard(story, tuple(entities[story_id]))
                cards[story_id] = card
                if story.article_count == sizes.get(story_id):  # else: it grew meanwhile
                    STORY_CARDS.put((self._identity, story_id, story.article_count, top), card)
        return [cards[i] for i, _ in stories if i in cards]

    def story_top_entities(
        self, story_ids: Iterable[str], top: int = 5
    ) -> dict[str, list[Entity]]:
        """Story id -> its most mentioned entities (at most ``top``), counted over its
        articles' mentions as a story's entities are (most mentions, then most articles, then
        by name; a short form joined to a full name in the story counted as it): the most
        common name (of those not joined) and kind (the first in alphabetical order of equally
        common ones); codes, sectors, titles and written forms left empty."""
        ids = list(story_ids)
        # (story, entity) -> mentions per name, per kind, and the articles mentioning it
        names: dict[tuple[str, str], dict[str, int]] = {}
        kinds: dict[tuple[str, str], dict[str, int]] = {}
        articles: dict[tuple[str, str], set[str]] = {}
        joined: dict[tuple[str, str], int] = {}  # mentions of short forms joined to it
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for story_id, entity_id, short, name, kind, article_id, count in self.db.execute(
                "SELECT m.story_id, COALESCE(j.joined_id, e.entity_id), "
                "j.joined_id IS NOT NULL, e.name, e.kind, e.article_id, COUNT(*) "
                "FROM story_members m JOIN entity_mentions e ON e.article_id = m.article_id "
                "LEFT JOIN entity_joins j ON j.story_id = m.story_id "
                "AND j.entity_id = e.entity_id "
                f"WHERE m.story_id IN ({marks}) "
                "GROUP BY 1, 2, 3, e.name, e.kind, e.article_id",
                chunk,
            ):
                key = (story_id, entity_id)
                by_name = names.setdefault(key, {})
                if short:  # named as the full name it is joined to: its name weighs nothing
                    joined[key] = joined.get(key, 0) + count
                    by_name.setdefault(name, 0)
                else:
                    by_name[name] = by_name.get(name, 0) + count
                by_kind = kinds.setdefault(key, {})
                by_kind[kind] = by_kind.get(kind, 0) + count
                articles.setdefault(key, set()).add(article_id)
        per_story: dict[str, list[Entity]] = {i: [] for i in ids}
        for key, by_name in names.items():
            story_id, entity_id = key
            by_kind = kinds[key]
            per_story[story_id].append(Entity(
                id=entity_id,
                name=min(by_name, key=lambda n: (-by_name[n], n)),
                kind=min(by_kind, key=lambda k: (-by_kind[k], k)),
                mentions=sum(by_name.values()) + joined.get(key, 0),
                articles=len(articles[key]),
            ))
        for story_id, entities in per_story.items():
            entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name.casefold(), e.id))
            per_story[story_id] = entities[:top]
        return per_story
