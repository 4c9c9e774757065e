"""How records are written into columns and read back: JSON of actors, spans, entities and
story cards, and database rows into the model's records."""

from __future__ import annotations

import json
import sqlite3

from ..clean.header import site_of
from ..model import Actor, Article, Entity, Sentence, Span, Story
from .records import StoryCard


def card_json(card: StoryCard) -> str:
    """A story card as the story_views table keeps it (its id is the row's)."""
    story = card.story
    return json.dumps(
        {
            "title": story.title, "first_published": story.first_published,
            "last_published": story.last_published, "article_count": story.article_count,
            "outlets": story.outlets, "wire_copies": story.wire_copies,
            "languages": story.languages,
            "unnamed_articles": story.unnamed_articles,
            "top": [[e.id, e.name, e.kind, e.mentions, e.articles] for e in card.top_entities],
        },
        ensure_ascii=False,
    )


def card_from_json(story_id: str, text: str) -> StoryCard:
    """The story card of ``card_json``."""
    data = json.loads(text)
    story = Story(
        id=story_id, title=data["title"], first_published=data["first_published"],
        last_published=data["last_published"], article_count=data["article_count"],
        outlets=data["outlets"], wire_copies=data["wire_copies"],
        languages=data.get("languages", []),
        unnamed_articles=data.get("unnamed_articles", 0),
    )
    top = tuple(
        Entity(id=i, name=name, kind=kind, mentions=mentions, articles=articles)
        for i, name, kind, mentions, articles in data["top"]
    )
    return StoryCard(story, top)


def actors_json(actors: tuple[Actor, ...]) -> str:
    """An event's source or target actors as a JSON list."""
    return json.dumps(
        [
            {"name": a.name, "code": a.code, "sector": a.sector, "entity_id": a.entity_id,
             "text": a.text}
            for a in actors
        ],
        ensure_ascii=False,
    )


def actors(value: str) -> tuple[Actor, ...]:
    """The actors of ``actors_json``."""
    return tuple(
        Actor(
            name=a["name"], code=a.get("code"), sector=a.get("sector"),
            entity_id=a.get("entity_id"), text=a.get("text") or "",
        )
        for a in json.loads(value)
    )


def spans(value: str) -> tuple[Span, ...]:
    """Character spans kept as a JSON list of [start, end] pairs."""
    return tuple((int(start), int(end)) for start, end in json.loads(value))


def span(value: str | None) -> Span | None:
    """One character span kept as JSON [start, end], or none."""
    loaded = json.loads(value) if value else None
    return (int(loaded[0]), int(loaded[1])) if loaded else None


def entity_from_row(row: sqlite3.Row) -> Entity:
    """An entity from a row of the entity aggregation (see EntityTables)."""

    def distinct(value: str) -> list[str]:
        return sorted({v for v in json.loads(value) if v}, key=lambda v: (v.casefold(), v))

    return Entity(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        code=row["code"],
        sector=row["sector"],
        titles=distinct(row["titles"]),
        aliases=distinct(row["aliases"]),
        mentions=row["mentions"],
        articles=row["articles"],
    )


def story_from_row(row: sqlite3.Row) -> Story:
    """A story's summary from a row of the story aggregation (see StoryTables). Its outlets
    are its articles' named outlets, or the site of the URL of one that names none (stored
    before its site was read as its outlet); an article with neither is counted among its
    ``unnamed_articles``."""
    pairs = json.loads(row["outlets"])
    named = [outlet or site_of(url) for outlet, url in pairs]
    outlets = sorted({o for o in named if o})
    return Story(
        id=row["id"],
        title=row["title"],
        first_published=row["first_published"][:10] if row["first_published"] else None,
        last_published=row["last_published"][:10] if row["last_published"] else None,
        article_count=row["article_count"],
        outlets=outlets,
        wire_copies=row["wire_copies"] or 0,
        languages=sorted({x for x in json.loads(row["languages"]) if x}),
        unnamed_articles=sum(1 for o in named if not o),
    )


def article_from_row(row: sqlite3.Row, sentence_rows: list[sqlite3.Row]) -> Article:
    """An article from its row of the articles table and its rows of sentences, in order."""
    text = row["text"]
    sentences = [
        Sentence(s["idx"], s["paragraph"], s["start"], s["end"], text[s["start"] : s["end"]])
        for s in sentence_rows
    ]
    return Article(
        id=row["id"],
        source=row["source"],
        kind=row["kind"],
        raw=row["raw"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        place=row["place"],
        wire=row["wire"],
        external_id=row["external_id"],
        paragraphs=row["text"].split("\n\n"),
        sentences=sentences,
        removed=[tuple(x) for x in json.loads(row["removed"])],
        language=row["language"],
    )
