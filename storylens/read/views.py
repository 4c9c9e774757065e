"""JSON-ready views of stored records, shared by the CLI, reports and (later) the HTTP API."""

from __future__ import annotations

import functools
import json
import multiprocessing
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..compare.outlets import compare_story, comparison_json
from ..compare.tally import count_entities, count_once
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
from ..store import STORED_TOP, Store, StoredView, StoryCard
from .storypage import PAGE_FORMAT, encode_page, story_page_parts

# The columns of an event export, in order (GDELT-like: who did what to whom, when, where, how
# widely reported, and the evidence).
EXPORT_COLUMNS = (
    "event_id", "story_id", "date", "source_code", "source_name", "source_sector", "type",
    "mode", "target_code", "target_name", "target_sector", "place", "num_articles",
    "num_outlets", "confidence", "first_url", "evidence",
)


# The version of story_view's output. Stored views (see Store.stored_story_view) of another
# format are not served, and the next ingest recomputes them: raise it whenever story_view
# (or anything it calls) changes what it returns.
VIEW_FORMAT = 1
# Stored views are computed this many stories to a write.
VIEW_CHUNK = 50
PARALLEL_MIN_VIEWS = 40  # fewer stale views than this are computed in-process


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "article_count": story.article_count,
        "outlets": story.outlets,
        "wire_copies": story.wire_copies,
    }


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
) -> dict[str, Any]:
    """One page of stories, newest first (by their latest article), each summarised with how
    many named outlets report it and its most mentioned entities (up to 5), and the number of
    stories matching in all, kept by ``filters`` (see StoryFilter; or its fields given one by
    one, when ``filters`` is not). Raises UsageError on a bad date or query, NotFoundError on
    an unknown entity."""
    if limit < 0 or offset < 0:
        raise UsageError("limit and offset cannot be negative")
    if filters is None:
        filters = StoryFilter(query, outlet, entity, date_from, date_to)
    cards, total = store.story_page(
        _resolve(store, filters), limit=limit, offset=offset, view_format=VIEW_FORMAT
    )
    items = []
    for card in cards:
        item = story_summary(card.story)
        item["outlet_count"] = len(card.story.outlets)
        item["top_entities"] = [
            {"id": e.id, "name": e.name, "kind": e.kind, "mentions": e.mentions}
            for e in card.top_entities
        ]
        items.append(item)
    return {"stories": items, "total": total, "limit": limit, "offset": offset}


def _resolve(store: Store, filters: StoryFilter) -> ResolvedStoryFilter:
    """The filters as the store applies them: blanks dropped, the entity resolved to its id,
    the days to seconds since 1970 (UTC)."""
    entity = filters.entity.strip() if filters.entity else None
    return ResolvedStoryFilter(
        query=filters.query.strip() or None if filters.query else None,
        outlet=filters.outlet.strip() or None if filters.outlet else None,
        entity_id=store.entity_id(entity) if entity else None,
        ts_from=_day_start(filters.date_from, "date_from") if filters.date_from else None,
        ts_to=_day_start(filters.date_to, "date_to", days_after=1) if filters.date_to else None,
    )


def _day_start(value: str, name: str, days_after: int = 0) -> float:
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
    story = store.story(story_id)
    view = story_summary(story)
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
    view.update(comparison_json(compare_story(members, found, copies)))
    mentions = store.mentions(a.id for a in members)
    view["entities"] = [
        entity_view(e) for e in count_entities(m for a in members for m in mentions.get(a.id, []))
    ]
    view["events"] = [
        event_view(e, outlets) for e in _count_events(store, story_id, members, copies)
    ]
    return view


def view_json(view: dict[str, Any]) -> bytes:
    """A view as the API sends it: compact UTF-8 JSON (as Starlette's JSONResponse writes)."""
    return json.dumps(view, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def encode_view(view: dict[str, Any]) -> bytes:
    """A view as it is stored: its JSON, compressed (text compresses several times over)."""
    return zlib.compress(view_json(view), 6)


def decode_view(body: bytes) -> bytes:
    """The JSON of a stored view."""
    return zlib.decompress(body)


def story_view_json(store: Store, story_id: str) -> tuple[tuple[int, str], bytes]:
    """The story's version and its view as JSON: the stored one when it is up to date, else
    computed now. NotFoundError for an unknown id."""
    version, stored = store.stored_story_view(story_id, VIEW_FORMAT)
    if stored is not None:
        return version, decode_view(stored)
    return version, view_json(story_view(store, story_id))


def _card(view: dict[str, Any]) -> StoryCard:
    """A story's line in the story list, from its view (the same counts: see story_list)."""
    story = Story(
        id=view["id"], title=view["title"], first_published=view["first_published"],
        last_published=view["last_published"], article_count=view["article_count"],
        outlets=view["outlets"], wire_copies=view["wire_copies"],
    )
    top = tuple(
        Entity(id=e["id"], name=e["name"], kind=e["kind"], mentions=e["mentions"],
               articles=e["articles"])
        for e in view["entities"][:STORED_TOP]
    )
    return StoryCard(story, top)


def refresh_story_views(
    store: Store,
    story_ids: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> int:
    """Compute and store the view of every story (of ``story_ids``, when given) whose stored
    view is missing or out of date (the ingest that changed stories calls this), a chunk of
    stories to a transaction (inside the caller's, when there is one); how many were
    computed. ``progress`` is told of each chunk done. With ``workers`` above 1, many stale
    views and no open transaction, forked processes compute them, each reading the database
    through a connection of its own (so they see what is committed), and this one stores
    them."""
    stale = store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT, story_ids)
    parallel = (
        workers > 1 and len(stale) >= PARALLEL_MIN_VIEWS and store.path != ":memory:"
        and not store.in_transaction
    )
    size = max(1, min(VIEW_CHUNK, len(stale) // (4 * workers))) if parallel else VIEW_CHUNK
    chunks = [stale[start : start + size] for start in range(0, len(stale), size)]
    if parallel:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for computed in pool.imap(functools.partial(_computed_in, path=store.path), chunks):
                store.put_story_views(computed)
                if progress:
                    progress(len(computed))
        return len(stale)
    for chunk in chunks:
        store.put_story_views(_computed(store, chunk))
        if progress:
            progress(len(chunk))
    return len(stale)


def _computed(store: Store, story_ids: list[str]) -> list[StoredView]:
    computed = []
    for story_id in story_ids:
        view = story_view(store, story_id)
        page = encode_page(story_page_parts(view))
        computed.append(StoredView(
            story_id, VIEW_FORMAT, encode_view(view), _card(view), page, PAGE_FORMAT
        ))
    return computed


def _computed_in(story_ids: list[str], path: str) -> list[StoredView]:
    """_computed in a worker process, over a connection of its own."""
    with Store(path, create=False) as store:
        return _computed(store, story_ids)


def _count_events(
    store: Store, story_id: str, members: list[Article], copies: dict[str, str | None]
) -> list[Event]:
    found = store.event_mentions(a.id for a in members)
    entities = store.mentions(a.id for a in members)
    return count_once(
        story_id, members, [m for a in members for m in found.get(a.id, [])], copies,
        [m for a in members for m in entities.get(a.id, [])],
    )


def story_events(store: Store, story_id: str) -> list[Event]:
    """The events of a story, each counted once (wire copies as the outlet they copy)."""
    store.story(story_id)  # NotFoundError for an unknown id
    pairs = store.story_articles(story_id)
    copies = {article.id: membership["wire_copy_of"] for article, membership in pairs}
    return _count_events(store, story_id, [article for article, _ in pairs], copies)


def all_events(store: Store, story_id: str | None = None) -> list[Event]:
    """The events of one story, or of every story that has any, by date then type."""
    if story_id is not None:
        return story_events(store, story_id)
    events = [e for s in store.event_story_ids() for e in story_events(store, s)]
    events.sort(key=lambda e: (e.date is None, e.date or "", e.type, e.id))
    return events


def event_outlets(store: Store, events: list[Event]) -> dict[str, str | None]:
    """Article id -> outlet, for every article that reports one of these events."""
    return store.outlets({m.article_id for e in events for m in e.mentions})


def entity_view(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "code": entity.code,
        "sector": entity.sector,
        "titles": list(entity.titles),
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
        "articles": entity.articles,
    }


def mention_view(mention: Mention) -> dict[str, Any]:
    return {
        "entity_id": mention.entity_id,
        "name": mention.name,
        "kind": mention.kind,
        "text": mention.text,
        "span": list(mention.span),
        "code": mention.code,
        "sector": mention.sector,
        "title": mention.title,
    }


def event_mention_view(mention: EventMention) -> dict[str, Any]:
    return {
        "type": mention.type,
        "mode": mention.mode,
        "source": [actor_view(a) for a in mention.source],
        "target": [actor_view(a) for a in mention.target],
        "date": mention.date,
        "place": mention.place,
        "sentence": mention.sentence,
        "sentence_span": list(mention.sentence_span),
        "trigger": mention.trigger,
        "trigger_span": list(mention.trigger_span),
        "confidence": mention.confidence,
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
    return {
        "name": actor.name,
        "code": actor.code,
        "sector": actor.sector,
        "entity_id": actor.entity_id,
        "text": actor.text,
    }


def event_view(event: Event, outlets: dict[str, str | None]) -> dict[str, Any]:
    """An event counted once, with every report of it (``outlets``: article id -> outlet)."""
    return {
        "id": event.id,
        "story_id": event.story_id,
        "type": event.type,
        "mode": event.mode,
        "date": event.date,
        "place": event.place,
        "confidence": event.confidence,
        "source": [actor_view(a) for a in event.source],
        "target": [actor_view(a) for a in event.target],
        "num_articles": event.num_articles,
        "num_outlets": event.num_outlets,
        "first_url": event.first_url,
        "mentions": [
            {
                "article_id": m.article_id,
                "outlet": outlets.get(m.article_id),
                "sentence": m.sentence,
                "sentence_span": list(m.sentence_span),
                "trigger": m.trigger,
                "trigger_span": list(m.trigger_span),
                "confidence": m.confidence,
            }
            for m in event.mentions
        ],
    }


def entity_detail(store: Store, name_or_id: str) -> dict[str, Any]:
    """An entity (by id, name or written form), the stories that mention it, oldest first,
    with how many of their articles do, and the events it is a source or target of, by date."""
    entity = store.entity(name_or_id)
    view = entity_view(entity)
    per_story: dict[str, int] = {}
    mentioning = store.entity_articles(entity.id)
    for _, story_id in mentioning:
        if story_id is not None:
            per_story[story_id] = per_story.get(story_id, 0) + 1
    # Only the stories where a report names the entity as a party need their events counted.
    reports = store.event_mentions(article_id for article_id, _ in mentioning)
    party_to = {
        story_id
        for article_id, story_id in mentioning
        if any(
            a.entity_id == entity.id
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
            role = _role(event, entity.id)
            if role:
                events.append((event, role))
    events.sort(key=lambda pair: (pair[0].date is None, pair[0].date or "", pair[0].type))
    outlets = event_outlets(store, [e for e, _ in events])
    view["events"] = [event_view(e, outlets) | {"role": role} for e, role in events]
    return view


def _role(event: Event, entity_id: str) -> str | None:
    """"source", "target" or "source and target" when any report of the event names the
    entity on that side; None when none does."""
    sides = [
        side
        for side, actors in (
            ("source", [a for m in event.mentions for a in m.source]),
            ("target", [a for m in event.mentions for a in m.target]),
        )
        if any(a.entity_id == entity_id for a in actors)
    ]
    return " and ".join(sides) or None


def export_rows(events: list[Event]) -> list[dict[str, Any]]:
    """One row per event with the EXPORT_COLUMNS: several actors on one side are joined with
    ";" (an actor without a code or sector leaves its place empty); the evidence is the first
    report's sentence."""
    rows = []
    for event in events:
        row: dict[str, Any] = {
            "event_id": event.id,
            "story_id": event.story_id,
            "date": event.date,
            **_side("source", event.source),
            "type": event.type,
            "mode": event.mode,
            **_side("target", event.target),
            "place": event.place,
            "num_articles": event.num_articles,
            "num_outlets": event.num_outlets,
            "confidence": event.confidence,
            "first_url": event.first_url,
            "evidence": event.mentions[0].sentence if event.mentions else None,
        }
        rows.append({column: row[column] for column in EXPORT_COLUMNS})
    return rows


def _side(prefix: str, actors: tuple[Actor, ...]) -> dict[str, str | None]:
    def joined(values: list[str | None]) -> str | None:
        return ";".join(v or "" for v in values) if any(values) else None

    return {
        f"{prefix}_code": joined([a.code for a in actors]),
        f"{prefix}_name": joined([a.name for a in actors]),
        f"{prefix}_sector": joined([a.sector for a in actors]),
    }


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
