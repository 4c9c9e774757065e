"""JSON-ready views of stored records (stories, articles, entities, events, attributions) and
the story list, shared by the CLI, the HTTP API and the pages. A story's view, the largest, is
stored by the ingest that changes the story (see stored)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import UsageError
from ..model import (
    Actor,
    Article,
    Attribution,
    Entity,
    Event,
    EventMention,
    Mention,
    ResolvedStoryFilter,
    Story,
    StoryFilter,
)
from ..store import Store
from .attention import attention_view
from .compute import count_events, event_outlets, story_comparison, story_entities, story_events

# The version of story_view's output. Stored views (see Store.stored_story_view) of another
# format are not served, and the next ingest recomputes them: raise it whenever story_view
# (or anything it calls) changes what it returns.
VIEW_FORMAT = 9


def _fields(record: Any, *names: str) -> dict[str, Any]:
    """Attributes of a record under their own names, in the order given."""
    return {name: getattr(record, name) for name in names}


def story_summary(story: Story) -> dict[str, Any]:
    return _fields(
        story, "id", "title", "first_published", "last_published", "article_count", "outlets",
        "wire_copies", "languages",
    )


def story_list(
    store: Store,
    filters: StoryFilter | None = None,
    *,
    query: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
    language: str | None = None,
) -> dict[str, Any]:
    """One page of stories, newest first (by their latest article), each summarised with how
    many named outlets report it, how many of its articles name none (see Story) and its most
    mentioned entities (up to 5), and the number of stories matching in all, kept by
    ``filters`` (see StoryFilter; or its fields given one by one, when ``filters`` is not).
    Raises UsageError on a bad date or query, NotFoundError on an unknown entity."""
    if limit < 0 or offset < 0:
        raise UsageError("limit and offset cannot be negative")
    if filters is None:
        filters = StoryFilter(query, outlet, entity, date_from, date_to, language=language)
    cards, total = store.story_page(
        resolve_filter(store, filters), limit=limit, offset=offset, view_format=VIEW_FORMAT
    )
    items = []
    for card in cards:
        item = story_summary(card.story)
        item["outlet_count"] = len(card.story.outlets)
        item["unnamed_articles"] = card.story.unnamed_articles
        item["top_entities"] = [
            {"id": e.id, "name": e.name, "kind": e.kind, "mentions": e.mentions}
            for e in card.top_entities
        ]
        items.append(item)
    return {"stories": items, "total": total, "limit": limit, "offset": offset}


def resolve_filter(store: Store, filters: StoryFilter) -> ResolvedStoryFilter:
    """The filters as the store applies them: blanks dropped, the entity resolved to its id,
    the days to seconds since 1970 (UTC)."""
    entity = filters.entity.strip() if filters.entity else None
    return ResolvedStoryFilter(
        query=filters.query.strip() or None if filters.query else None,
        outlet=filters.outlet.strip() or None if filters.outlet else None,
        entity_id=store.entity_id(entity) if entity else None,
        ts_from=day_start(filters.date_from, "date_from") if filters.date_from else None,
        ts_to=day_start(filters.date_to, "date_to", days_after=1) if filters.date_to else None,
        advanced=filters.advanced,
        language=filters.language.strip().lower() or None if filters.language else None,
        event_type=(
            filters.event_type.strip().upper() or None if filters.event_type else None
        ),
    )


def day_start(value: str, name: str, days_after: int = 0) -> float:
    """Seconds since 1970 at the start (UTC) of a "YYYY-MM-DD" day, or of a day after it."""
    try:
        day = date.fromisoformat(value.strip())
        if len(value.strip()) != 10:
            raise ValueError(value)
    except ValueError:
        raise UsageError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    return (start + timedelta(days=days_after)).timestamp()


def article_view(article: Article, *, full: bool = False, raw: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published_date,
        "published_at": article.published,
        "url": article.url,
        "place": article.place,
        "wire": article.wire,
        "language": article.language,
        "note": article.note,  # why the English-only stages did not read it, if they did not
        "text": article.text,
    }
    if full:
        view["source"] = article.source
        view["kind"] = article.kind
        view["external_id"] = article.external_id
        view["paragraphs"] = article.paragraphs
        view["sentences"] = [
            {"index": s.index, "paragraph": s.paragraph, "start": s.start, "end": s.end,
             "text": s.text}
            for s in article.sentences
        ]
        view["removed"] = [{"reason": r, "text": t} for r, t in article.removed]
    if raw:
        view["raw"] = article.raw
    return view


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    """A story in full (as ``storylens story ID --json``): its articles, attributions, the
    comparison of its outlets, its summary with citations, its developments (what each new
    article adds), its entities and events, each counted once, and its articles per hour or
    day by outlet (``attention``)."""
    story = store.story(story_id)
    view = story_summary(story)
    view["unnamed_articles"] = story.unnamed_articles
    articles = []
    pairs = store.story_articles(story_id)
    for article, membership in pairs:
        item = article_view(article)
        item["wire_copy_of"] = membership["wire_copy_of"]
        item["similarity"] = membership["similarity"]
        articles.append(item)
    outlets = {a["id"]: a["outlet"] for a in articles}
    for item in articles:
        copied = item["wire_copy_of"]
        item["wire_copy_of_outlet"] = outlets.get(copied) if copied else None
    view["articles"] = articles
    members = [article for article, _ in pairs]
    found = store.attributions(a.id for a in members)
    view["attributions"] = [
        attribution_view(x, outlets.get(x.article_id)) for a in members for x in found.get(a.id, [])
    ]
    copies = {item["id"]: item["wire_copy_of"] for item in articles}
    view.update(story_comparison(members, found, copies))
    view["entities"] = [entity_view(e) for e in story_entities(store, story_id, members)]
    view["events"] = [
        event_view(e, outlets) for e in count_events(store, story_id, members, copies)
    ]
    view["attention"] = attention_view(store, "story", story_id)
    return view


def entity_view(entity: Entity) -> dict[str, Any]:
    return {
        **_fields(entity, "id", "name", "kind", "code", "sector"),
        "titles": list(entity.titles),
        "aliases": list(entity.aliases),
        **_fields(entity, "mentions", "articles"),
    }


def mention_view(mention: Mention) -> dict[str, Any]:
    return {
        **_fields(mention, "entity_id", "name", "kind", "text"),
        "span": list(mention.span),
        **_fields(mention, "code", "sector", "title"),
    }


def _parties(record: Event | EventMention) -> dict[str, Any]:
    """The actors on each side of an event or a report of one."""
    return {
        "source": [actor_view(a) for a in record.source],
        "target": [actor_view(a) for a in record.target],
    }


def _report(mention: EventMention) -> dict[str, Any]:
    """Where a report of an event stands in its article (sentence and trigger, with their
    spans) and how sure the extraction is."""
    return {
        "sentence": mention.sentence,
        "sentence_span": list(mention.sentence_span),
        "trigger": mention.trigger,
        "trigger_span": list(mention.trigger_span),
        "confidence": mention.confidence,
    }


def event_mention_view(mention: EventMention) -> dict[str, Any]:
    return {
        **_fields(mention, "type", "mode"),
        **_parties(mention),
        **_fields(mention, "date", "place"),
        **_report(mention),
    }


def article_detail(store: Store, article_id: str, *, raw: bool = False) -> dict[str, Any]:
    """An article in full (as ``storylens article ID --json``): its view, its story and the
    attributions found in it."""
    article = store.article(article_id)
    view = article_view(article, full=True, raw=raw)
    view["story_id"] = store.article_story(article_id)
    view["attributions"] = [
        attribution_view(a, article.outlet)
        for a in store.attributions([article_id]).get(article_id, [])
    ]
    return view


def actor_view(actor: Actor) -> dict[str, Any]:
    return _fields(actor, "name", "code", "sector", "entity_id", "text")


def event_view(event: Event, outlets: dict[str, str | None]) -> dict[str, Any]:
    """An event counted once, with every report of it (``outlets``: article id -> outlet)."""
    return {
        **_fields(event, "id", "story_id", "type", "mode", "date", "place", "confidence"),
        **_parties(event),
        **_fields(event, "num_articles", "num_outlets", "first_url"),
        "mentions": [
            {"article_id": m.article_id, "outlet": outlets.get(m.article_id), **_report(m)}
            for m in event.mentions
        ],
    }


def entity_detail(store: Store, name_or_id: str) -> dict[str, Any]:
    """An entity (by id, name or written form), the stories that mention it, oldest first,
    with how many of their articles do, and the events it is a source or target of, by date.
    Where stories join short forms to it ("Trump" to "Donald Trump"), their mentions are its
    own; ``joins`` says where it is joined, as a short form, to a full name elsewhere, and
    ``joined_from`` what was asked for when that is a short form joined to it."""
    entity = store.entity(name_or_id)
    view = entity_view(entity)
    view.update(_joins(store, entity, name_or_id))
    joined_in, _ = store.entity_joins(entity.id)
    per_story: dict[str, int] = {}
    mentioning = store.entity_articles(entity.id)
    for _, story_id in mentioning:
        if story_id is not None:
            per_story[story_id] = per_story.get(story_id, 0) + 1
    # Only the stories where a report names the entity as a party need their events counted.
    reports = store.event_mentions(article_id for article_id, _ in mentioning)
    ids = {sid: {entity.id, *joined_in.get(sid or "", ())} for _, sid in mentioning}
    party_to = {
        story_id
        for article_id, story_id in mentioning
        if any(
            a.entity_id in ids[story_id]
            for m in reports.get(article_id, [])
            for a in (*m.source, *m.target)
        )
    }
    stories = [store.story(story_id) for story_id in per_story]
    stories.sort(key=lambda s: (s.first_published is None, s.first_published or "", s.id))
    view["stories"] = [
        {
            "id": s.id,
            "title": s.title,
            "first_published": s.first_published,
            "last_published": s.last_published,
            "article_count": s.article_count,
            "articles_mentioning": per_story[s.id],
        }
        for s in stories
    ]
    events: list[tuple[Event, str]] = []
    for s in stories:
        if s.id not in party_to:
            continue
        for event in story_events(store, s.id):
            role = _role(event, ids[s.id])
            if role:
                events.append((event, role))
    events.sort(key=lambda pair: (pair[0].date is None, pair[0].date or "", pair[0].type))
    outlets = event_outlets(store, [e for e, _ in events])
    view["events"] = [event_view(e, outlets) | {"role": role} for e, role in events]
    return view


def _joins(store: Store, entity: Entity, asked: str) -> dict[str, Any]:
    """What an entity page says of joins: the stories where this entity is a short form
    joined to a full name (with that name), and the short form asked for when the entity is
    the full name it was joined to (else None)."""
    _, joined_to = store.entity_joins(entity.id)
    names: dict[str, str] = {}
    for _, full in joined_to:
        if full not in names:
            names[full] = store.entity(full).name
    asked_short = asked.casefold() != entity.name.casefold() and asked.casefold() in (
        store.short_forms(entity.id)
    )
    return {
        "joins": [
            {"story_id": story_id, "id": full, "name": names[full]}
            for story_id, full in joined_to
        ],
        "joined_from": asked if asked_short else None,
    }


def _role(event: Event, entity_ids: set[str]) -> str | None:
    """"source", "target" or "source and target" when any report of the event names the
    entity (of ``entity_ids``: it, or a short form joined to it) on that side; None when
    none does."""
    sides = [
        side
        for side, actors in (
            ("source", [a for m in event.mentions for a in m.source]),
            ("target", [a for m in event.mentions for a in m.target]),
        )
        if any(a.entity_id in entity_ids for a in actors)
    ]
    return " and ".join(sides) or None


def attribution_view(attribution: Attribution, outlet: str | None) -> dict[str, Any]:
    return {
        "article_id": attribution.article_id,
        "outlet": outlet,
        "kind": attribution.kind,
        "speaker": attribution.source,
        "speaker_text": attribution.source_text,
        "speaker_span": attribution.source_span,
        "cue": attribution.cue,
        "cue_span": attribution.cue_span,
        "content": attribution.content,
        "content_spans": [list(s) for s in attribution.content_spans],
        "quoted": [list(s) for s in attribution.quoted],
    }
