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

    # An entity over its mentions: the most common name (with its kind), the most common code
    # and sector where any mention has one, every title and written form, and the counts.
    # ``{scope}`` is a query for the entity ids to aggregate.
    _ENTITY_SQL = """
        WITH scope AS ({scope}),
        names AS (
            SELECT entity_id, name, kind, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, name, kind) AS r
            FROM entity_mentions WHERE entity_id IN scope GROUP BY entity_id, name, kind
        ),
        codes AS (
            SELECT entity_id, code, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, code) AS r
            FROM entity_mentions WHERE entity_id IN scope AND code IS NOT NULL
            GROUP BY entity_id, code
        ),
        sectors AS (
            SELECT entity_id, sector, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, sector) AS r
            FROM entity_mentions WHERE entity_id IN scope AND sector IS NOT NULL
            GROUP BY entity_id, sector
        ),
        totals AS (
            SELECT entity_id, COUNT(*) AS mentions, COUNT(DISTINCT article_id) AS articles,
                   json_group_array(DISTINCT title) AS titles,
                   json_group_array(DISTINCT text) AS aliases
            FROM entity_mentions WHERE entity_id IN scope GROUP BY entity_id
        )
        SELECT t.entity_id AS id, n.name, n.kind, c.code, s.sector, t.mentions, t.articles,
               t.titles, t.aliases
        FROM totals t
        JOIN names n ON n.entity_id = t.entity_id AND n.r = 1
        LEFT JOIN codes c ON c.entity_id = t.entity_id AND c.r = 1
        LEFT JOIN sectors s ON s.entity_id = t.entity_id AND s.r = 1
        ORDER BY t.articles DESC, casefold(n.name), n.name, t.entity_id
    """

    def entities(
        self, limit: int | None = None, offset: int = 0, query: str | None = None
    ) -> list[Entity]:
        """Entities, those mentioned in the most articles first, then by name. ``query`` keeps
        those with a name or written form containing it (case-insensitive)."""
        params: dict[str, Any] = {}
        if query is None:
            scope = "SELECT DISTINCT entity_id FROM entity_mentions"
        else:
            scope = (
                "SELECT DISTINCT entity_id FROM entity_mentions "
                "WHERE instr(casefold(name), :q) OR instr(casefold(text), :q)"
            )
            params["q"] = query.casefold()
        sql = self._ENTITY_SQL.format(scope=scope)
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [entity_from_row(r) for r in self.db.execute(sql, params)]

    def entity(self, name_or_id: str) -> Entity:
        """An entity by its id; else by its name (any canonical name its mentions carry), else
        by a written form, both case-insensitive. Raises NotFoundError when nothing matches,
        UsageError (naming the candidates) when a name matches several entities."""
        for condition, value in (
            ("entity_id = ?", name_or_id),
            ("casefold(name) = ?", name_or_id.casefold()),
            ("casefold(text) = ?", name_or_id.casefold()),
        ):
            scope = f"SELECT DISTINCT entity_id FROM entity_mentions WHERE {condition}"
            found = [entity_from_row(r) for r in self.db.execute(
                self._ENTITY_SQL.format(scope=scope), (value,)
            )]
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
            return name_or_id
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
            if len(found) == 1:
                return found.pop()
            if found:
                break  # several: entity() names them
        if found or not name_or_id.isascii():
            # several candidates, or a name whose case only casefold() can fold
            return self.entity(name_or_id).id
        raise NotFoundError(f"no entity with id, name or written form {name_or_id!r}")

    def entity_articles(self, entity_id: str) -> list[tuple[str, str | None]]:
        """The articles that mention an entity, in publication order, with their story ids."""
        rows = self.db.execute(
            "SELECT e.article_id, m.story_id FROM "
            "(SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?) e "
            "JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN story_members m ON m.article_id = e.article_id "
            "ORDER BY a.published_ts IS NULL, a.published_ts, e.article_id",
            (entity_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def event_story_ids(self) -> list[str]:
        """The stories with at least one event mention, oldest first."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s WHERE s.id IN ("
            "SELECT m.story_id FROM event_mentions e "
            "JOIN story_members m ON m.article_id = e.article_id) "
            "ORDER BY s.first_ts IS NULL, s.first_ts, s.id"
        )
        return [r[0] for r in rows]
