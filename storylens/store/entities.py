"""What was found in each article: attributions, entity mentions and event mentions, and
the entities aggregated over their mentions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import NotFoundError, UsageError
from ..model import Article, Attribution, Entity, EventMention, Mention
from .codec import actors, actors_json, entity_from_row, span, spans
from .connection import StoreBase, chunks
from .facet_rows import without_facets, write_story_facets
from .joining import JOINED_MENTIONS, write_entity_joins


def insert_findings(
    db: sqlite3.Connection,
    articles: list[Article],
    attributions: dict[str, list[Attribution]],
    mentions: dict[str, list[Mention]],
    events: dict[str, list[EventMention]],
) -> None:
    """Add the attributions, entity mentions and event mentions of these articles (each
    keyed by article id), numbered in the order they were found."""
    db.executemany(
        "INSERT INTO attributions (article_id, idx, kind, content, content_spans, cue, "
        "cue_span, source, source_text, source_span, quoted) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                a.id, number, x.kind, x.content, json.dumps(x.content_spans), x.cue,
                json.dumps(x.cue_span), x.source, x.source_text,
                json.dumps(x.source_span), json.dumps(x.quoted),
            )
            for a in articles
            for number, x in enumerate(attributions.get(a.id, []))
        ],
    )
    db.executemany(
        "INSERT INTO entity_mentions (article_id, idx, entity_id, name, kind, text, "
        "start, end, code, sector, title) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                a.id, number, m.entity_id, m.name, m.kind, m.text, m.span[0],
                m.span[1], m.code, m.sector, m.title,
            )
            for a in articles
            for number, m in enumerate(mentions.get(a.id, []))
        ],
    )
    db.executemany(
        "INSERT INTO event_mentions (article_id, idx, type, mode, source, target, date, "
        "place, sentence, sentence_start, sentence_end, trigger, trigger_start, "
        "trigger_end, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                a.id, number, e.type, e.mode, actors_json(e.source),
                actors_json(e.target), e.date, e.place, e.sentence,
                e.sentence_span[0], e.sentence_span[1], e.trigger, e.trigger_span[0],
                e.trigger_span[1], e.confidence,
            )
            for a in articles
            for number, e in enumerate(events.get(a.id, []))
        ],
    )


class EntityTables(StoreBase):
    """Attributions, entity mentions and event mentions by article, and entities over their
    mentions: what Store reads of them."""

    def _article_rows(self, table: str, article_ids: Iterable[str]) -> Iterator[sqlite3.Row]:
        """The rows of a per-article table (attributions, entity or event mentions) for these
        articles, by article and then in the order they were found."""
        for chunk in chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT * FROM {table} WHERE article_id IN ({marks}) ORDER BY article_id, idx",
                chunk,
            )

    def attributions(self, article_ids: Iterable[str]) -> dict[str, list[Attribution]]:
        """The stored attributions of these articles, in text order."""
        found: dict[str, list[Attribution]] = {}
        for r in self._article_rows("attributions", article_ids):
            found.setdefault(r["article_id"], []).append(
                Attribution(
                    r["article_id"], r["kind"], r["content"],
                    spans(r["content_spans"]),
                    r["cue"], span(r["cue_span"]), r["source"], r["source_text"],
                    span(r["source_span"]),
                    spans(r["quoted"]),
                )
            )
        return found

    def mentions(self, article_ids: Iterable[str]) -> dict[str, list[Mention]]:
        """The stored entity mentions of these articles, in the order they were found."""
        found: dict[str, list[Mention]] = {}
        for r in self._article_rows("entity_mentions", article_ids):
            found.setdefault(r["article_id"], []).append(
                Mention(
                    article_id=r["article_id"], entity_id=r["entity_id"], name=r["name"],
                    kind=r["kind"], text=r["text"], span=(r["start"], r["end"]),
                    code=r["code"], sector=r["sector"], title=r["title"],
                )
            )
        return found

    def event_mentions(self, article_ids: Iterable[str]) -> dict[str, list[EventMention]]:
        """The stored event mentions of these articles, in the order they were found."""
        found: dict[str, list[EventMention]] = {}
        for r in self._article_rows("event_mentions", article_ids):
            found.setdefault(r["article_id"], []).append(
                EventMention(
                    article_id=r["article_id"], type=r["type"], mode=r["mode"],
                    source=actors(r["source"]), target=actors(r["target"]),
                    date=r["date"], place=r["place"], sentence=r["sentence"],
                    sentence_span=(r["sentence_start"], r["sentence_end"]),
                    trigger=r["trigger"], trigger_span=(r["trigger_start"], r["trigger_end"]),
                    confidence=r["confidence"],
                )
            )
        return found

    # An entity over its mentions in their stories (a short form joined to a full name there
    # counts as the full name: see joining): the most common name (with its kind) of those
    # not joined, the most common code and sector where any mention has one, every title and
    # written form, and the counts. ``{scope}`` is a query for the entity ids to aggregate;
    # only the mentions of those entities and of the short forms joined to them are read.
    _ENTITY_SQL = """
        WITH scope AS ({scope}),
        own AS (
            SELECT entity_id FROM scope
            UNION SELECT entity_id FROM entity_joins WHERE joined_id IN scope
        ),
        mentions AS NOT MATERIALIZED ({mentions}),
        names AS (
            SELECT entity_id, name, kind, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY MIN(joined), COUNT(*) DESC, name, kind) AS r
            FROM mentions WHERE entity_id IN scope GROUP BY entity_id, name, kind
        ),
        codes AS (
            SELECT entity_id, code, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, code) AS r
            FROM mentions WHERE entity_id IN scope AND code IS NOT NULL
            GROUP BY entity_id, code
        ),
        sectors AS (
            SELECT entity_id, sector, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, sector) AS r
            FROM mentions WHERE entity_id IN scope AND sector IS NOT NULL
            GROUP BY entity_id, sector
        ),
        totals AS (
            SELECT entity_id, COUNT(*) AS mentions, COUNT(DISTINCT article_id) AS articles,
                   json_group_array(DISTINCT title) AS titles,
                   json_group_array(DISTINCT text) AS aliases
            FROM mentions WHERE entity_id IN scope GROUP BY entity_id
        )
        SELECT t.entity_id AS id, n.name, n.kind, c.code, s.sector, t.mentions, t.articles,
               t.titles, t.aliases
        FROM totals t
        JOIN names n ON n.entity_id = t.entity_id AND n.r = 1
        LEFT JOIN codes c ON c.entity_id = t.entity_id AND c.r = 1
        LEFT JOIN sectors s ON s.entity_id = t.entity_id AND s.r = 1
        ORDER BY t.articles DESC, casefold(n.name), n.name, t.entity_id
    """

    def _aggregate(self, scope: str, params: Any, tail: str = "") -> list[Entity]:
        """The entities of the ids ``scope`` selects, over their mentions in their stories."""
        sql = self._ENTITY_SQL.format(
            scope=scope, mentions=JOINED_MENTIONS.format(where="e.entity_id IN own")
        )
        return [entity_from_row(r) for r in self.db.execute(sql + tail, params)]

    def entities(
        self, limit: int | None = None, offset: int = 0, query: str | None = None
    ) -> list[Entity]:
        """Entities, those mentioned in the most articles first, then by name; a short form
        joined to a full name in a story counts there as the full name. ``query`` keeps
        those with a name or written form containing it (case-insensitive)."""
        params: dict[str, Any] = {}
        if query is None:
            scope = "SELECT DISTINCT entity_id FROM (" + JOINED_MENTIONS.format(
                where="1") + ")"
        else:
            scope = "SELECT DISTINCT entity_id FROM (" + JOINED_MENTIONS.format(
                where="instr(casefold(e.name), :q) OR instr(casefold(e.text), :q)") + ")"
            params["q"] = query.casefold()
        tail = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        return self._aggregate(scope, params, tail)

    # How ``entity`` finds an entity, in order: by id, as a short form joined to one full
    # name wherever it is joined, by a name it has where it is not joined, by a written form.
    _LOOKUPS = (
        ("SELECT DISTINCT entity_id FROM ("
         + JOINED_MENTIONS.format(where="e.entity_id IN (SELECT :v UNION SELECT entity_id "
                                  "FROM entity_joins WHERE joined_id = :v)")
         + ") WHERE entity_id = :v"),
        "SELECT DISTINCT joined_id AS entity_id FROM entity_joins WHERE entity_id = :v",
        ("SELECT DISTINCT entity_id FROM ("
         + JOINED_MENTIONS.format(where="casefold(e.name) = :f") + ") WHERE NOT joined"),
        "SELECT DISTINCT entity_id FROM (" + JOINED_MENTIONS.format(
            where="casefold(e.text) = :f") + ")",
    )

    def entity(self, name_or_id: str) -> Entity:
        """An entity by its id (a short form joined to one full name in every story where it
        is not alone: that full name); else by its name (any canonical name its mentions
        carry where they are not joined to another), else by a written form, both
        case-insensitive. Raises NotFoundError when nothing matches, UsageError (naming the
        candidates) when a name matches several entities."""
        params = {"v": name_or_id, "f": name_or_id.casefold()}
        for scope in self._LOOKUPS:
            found = self._aggregate(scope, params)
            if len(found) == 1:
                return found[0]
            if found:
                candidates = "; ".join(f"{e.name} ({e.kind}, id {e.id})" for e in found[:10])
                more = f"; and {len(found) - 10} more" if len(found) > 10 else ""
                raise UsageError(
                    f"{name_or_id!r} names {len(found)} entities: {candidates}{more}; "
                    "give the id"
                )
        raise NotFoundError(f"no entity with id, name or written form {name_or_id!r}")

    def entity_id(self, name_or_id: str) -> str:
        """The id of an entity given by its id, name or written form, as ``entity`` finds it
        (same order, same errors) but through indexes alone, without aggregating the entity:
        for filters, where only the id is needed."""
        if self.db.execute(
            "SELECT 1 FROM entity_mentions WHERE entity_id = ? LIMIT 1", (name_or_id,)
        ).fetchone():
            if not self._joined_anywhere([name_or_id]):
                return name_or_id
            return self.entity(name_or_id).id  # by id, or the full name it is joined to
        wanted = name_or_id.casefold()
        for column in ("name", "text"):
            # NOCASE (the index) folds ASCII only; casefold() then checks what it found.
            found = {
                str(r[0])
                for r in self.db.execute(
                    f"SELECT DISTINCT entity_id, {column} FROM entity_mentions "
                    f"WHERE {column} = ? COLLATE NOCASE",
                    (name_or_id,),
                )
                if r[1].casefold() == wanted
            }
            if found and self._joined_anywhere(found):
                found = self._joined_ids(column, name_or_id, found)
            if len(found) == 1:
                return found.pop()
            if found:
                break  # several: entity() names them
        if found or not name_or_id.isascii():
            # several candidates, or a name whose case only casefold() can fold
            return self.entity(name_or_id).id
        raise NotFoundError(f"no entity with id, name or written form {name_or_id!r}")

    def _joined_ids(self, column: str, value: str, own: set[str]) -> set[str]:
        """The entities that mentions of these entities (``own``) with this name or written
        form (``column``, any case) stand for in their stories: by name, only where they
        are not joined to a full name (as ``entity`` finds names); as written, wherever."""
        marks = ",".join("?" * len(own))
        mentions = JOINED_MENTIONS.format(
            where=f"e.{column} = ? COLLATE NOCASE AND e.entity_id IN ({marks})"
        )
        rows = self.db.execute(
            f"SELECT DISTINCT entity_id, joined, {column} FROM ({mentions})", (value, *own)
        )
        return {
            str(r[0])
            for r in rows
            if r[2].casefold() == value.casefold() and (column == "text" or not r[1])
        }

    def _joined_anywhere(self, entity_ids: Iterable[str]) -> bool:
        """Whether any of these entities is a short form joined to a full name, or a full
        name joined by a short form, in some story."""
        ids = list(entity_ids)
        marks = ",".join("?" * len(ids))
        return self.db.execute(
            f"SELECT 1 FROM entity_joins WHERE entity_id IN ({marks}) "
            f"OR joined_id IN ({marks}) LIMIT 1",
            (*ids, *ids),
        ).fetchone() is not None

    def entity_articles(self, entity_id: str) -> list[tuple[str, str | None]]:
        """The articles that mention an entity (itself, or a short form joined to it in the
        article's story), in publication order, with their story ids."""
        mentions = JOINED_MENTIONS.format(
            where="e.entity_id IN (SELECT :v UNION SELECT entity_id FROM entity_joins "
            "WHERE joined_id = :v)"
        )
        rows = self.db.execute(
            "SELECT e.article_id, m.story_id FROM "
            f"(SELECT DISTINCT article_id FROM ({mentions}) WHERE entity_id = :v) e "
            "JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN story_members m ON m.article_id = e.article_id "
            "ORDER BY a.published_ts IS NULL, a.published_ts, e.article_id",
            {"v": entity_id},
        )
        return [(r[0], r[1]) for r in rows]

    def entity_joins(
        self, entity_id: str
    ) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
        """Where an entity takes part in joins: story id -> the short forms joined to it
        there; and (story id, full name's id) for each story where it is itself joined to a
        full name."""
        joined_in: dict[str, set[str]] = {}
        for story_id, short in self.db.execute(
            "SELECT story_id, entity_id FROM entity_joins WHERE joined_id = ? "
            "ORDER BY story_id, entity_id",
            (entity_id,),
        ):
            joined_in.setdefault(story_id, set()).add(short)
        joined_to = [
            (str(r[0]), str(r[1]))
            for r in self.db.execute(
                "SELECT story_id, joined_id FROM entity_joins WHERE entity_id = ? "
                "ORDER BY story_id",
                (entity_id,),
            )
        ]
        return joined_in, joined_to

    def join_entities(self, story_ids: list[str]) -> int:
        """Recompute the entity joins of these stories (see joining), and the facet values
        that follow them (see facet_rows) where any join changed or none are written; how
        many stories' joins changed."""
        with self.transaction() as db:
            changed = write_entity_joins(db, story_ids)
            write_story_facets(db, story_ids if changed else without_facets(db, story_ids))
            return changed

    def short_forms(self, entity_id: str) -> set[str]:
        """The ids and names (case folded) of the short forms some story joins to this
        entity."""
        found: set[str] = set()
        for short, name in self.db.execute(
            "SELECT DISTINCT e.entity_id, e.name FROM entity_mentions e WHERE e.entity_id IN "
            "(SELECT entity_id FROM entity_joins WHERE joined_id = ?)",
            (entity_id,),
        ):
            found.update((str(short).casefold(), str(name).casefold()))
        return found

    def story_entity_joins(self, story_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Story id -> its joins (short form's entity id -> the full name's)."""
        found: dict[str, dict[str, str]] = {}
        for chunk in chunks(list(story_ids), 500):
            marks = ",".join("?" * len(chunk))
            for story_id, short, full in self.db.execute(
                "SELECT story_id, entity_id, joined_id FROM entity_joins "
                f"WHERE story_id IN ({marks})",
                chunk,
            ):
                found.setdefault(story_id, {})[short] = full
        return found

    def event_story_ids(self) -> list[str]:
        """The stories with at least one event mention, oldest first."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s WHERE s.id IN ("
            "SELECT m.story_id FROM event_mentions e "
            "JOIN story_members m ON m.article_id = e.article_id) "
            "ORDER BY s.first_ts IS NULL, s.first_ts, s.id"
        )
        return [r[0] for r in rows]
