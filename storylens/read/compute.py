"""What a story's view counts and compares when no view of it is stored: its events and
entities each counted once (wire copies as the outlet they copy), and its outlets compared;
and the events of one story or of all, by date.
"""

from __future__ import annotations

from typing import Any

from ..compare.developments import developments_json, find_developments
from ..compare.outlets import compare_story, comparison_json
from ..compare.summary import summarise, summary_json
from ..compare.tally import count_entities, count_once, joined_mentions
from ..model import Article, Attribution, Entity, Event
from ..store import Store


def story_comparison(
    members: list[Article], attributions: dict[str, list[Attribution]],
    copies: dict[str, str | None],
) -> dict[str, Any]:
    """The story's outlets compared (quotes, facts, exclusives), its summary with citations
    and its developments (what each new article adds, from the same facts), as JSON-ready
    values."""
    comparison = compare_story(members, attributions, copies)
    found = find_developments(members, comparison.facts, copies)
    return comparison_json(comparison) | {
        "summary": summary_json(summarise(members, comparison, copies)),
        "developments": developments_json(found),
    }


def story_entities(store: Store, story_id: str, members: list[Article]) -> list[Entity]:
    """The entities the story's articles mention, each counted once: a short form joined to
    a full name in the story ("Trump": "Donald Trump") counted as it."""
    mentions = store.mentions(a.id for a in members)
    joins = store.story_entity_joins([story_id]).get(story_id, {})
    return count_entities(
        joined_mentions([m for a in members for m in mentions.get(a.id, [])], joins)
    )


def count_events(
    store: Store, story_id: str, members: list[Article], copies: dict[str, str | None]
) -> list[Event]:
    """The events the story's articles report, each counted once."""
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
    return count_events(store, story_id, [article for article, _ in pairs], copies)


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
