"""Counting once: the reports of one event inside a story become one Event, and the mentions
of one entity one Entity (the GDELT Events/Mentions split, made at story level).

Two event mentions report the same event when they have the same PLOVER type, the same
source actors, the same target actors (compared by key, as sets: see ``actor_key``) and dates
at most a day apart (single linkage in date order, so a run of reports a day apart each stays
one event). An undated mention joins the largest dated event of its type and actors. Wire
copies count as the outlet they copy, and an article whose outlet is not named counts as an
outlet of its own. Pure functions: no database, no model.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date as Date

from ..extract.entities import entities_of
from ..extract.entities.vocabulary import BODY_WORDS, ORG_WORDS
from ..model import Actor, Article, Entity, Event, EventMention, Mention
from .voices import voices

MAX_GAP_DAYS = 1  # reports of the same who-did-what dated further apart are different events
# Types whose parties act together: "A met B" and "B met A" report one event.
SYMMETRIC = frozenset(("CONSULT", "COOPERATE"))

Keys = tuple[str, ...]  # an actor side's keys, sorted


def actor_key(actor: Actor) -> str:
    """What identifies an actor across reports: its code and sector when it has a code
    ("JPNGOV"), else its entity id, else its name in lower case."""
    if actor.code:
        return actor.code + (actor.sector or "")
    if actor.entity_id:
        return actor.entity_id
    return actor.name.casefold()


def side_keys(actors: Iterable[Actor]) -> Keys:
    """The sorted keys of one side of an event (see ``actor_key``)."""
    return tuple(sorted({actor_key(a) for a in actors}))


def event_id(story_id: str | None, type_: str, source: Keys, target: Keys, date: str | None) -> str:
    """Stable across runs and databases: a hash of where, what, who, to whom and when."""
    parts = [story_id or "", type_, ",".join(source), ",".join(target), date or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def complete_actors(
    mentions: list[EventMention], entities: Iterable[Mention]
) -> list[EventMention]:
    """Event mentions whose actors lack a code, completed from what other articles of the
    story say of the same entity ("President Vladimir Putin" here, "Russian President
    Vladimir Putin" there: RUS, GOV)."""
    known: dict[str, tuple[str, str | None]] = {}
    for entity in entities:
        if entity.code and entity.entity_id not in known:
            known[entity.entity_id] = (entity.code, entity.sector)
    for mention in mentions:
        for actor in (*mention.source, *mention.target):
            if actor.code and actor.entity_id and actor.entity_id not in known:
                known[actor.entity_id] = (actor.code, actor.sector)

    def complete(actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
        return tuple(
            replace(a, code=known[a.entity_id][0], sector=a.sector or known[a.entity_id][1])
            if not a.code and a.entity_id in known
            else a
            for a in actors
        )

    return [replace(m, source=complete(m.source), target=complete(m.target)) for m in mentions]


def count_once(
    story_id: str | None,
    articles: list[Article],
    mentions: list[EventMention],
    copies: dict[str, str | None] | None = None,
    entities: Iterable[Mention] = (),
) -> list[Event]:
    """The events of a story, each counted once with all its reports, by date then type.
    ``copies`` maps an article id to the id of the article it copies (wire copies);
    ``entities``, the story's entity mentions, complete actors' codes (complete_actors)."""
    by_id = {a.id: a for a in articles}
    outlet_of = voices(articles, copies or {})
    mentions = complete_actors(mentions, entities)
    groups: dict[tuple[str, Keys, Keys], list[EventMention]] = defaultdict(list)
    for mention in mentions:
        source, target = side_keys(mention.source), side_keys(mention.target)
        if mention.type in SYMMETRIC and target and target < source:
            source, target = target, source
        key = (mention.type, source, target)
        groups[key].append(mention)
    events = [
        _event(story_id, key, cluster, by_id, outlet_of)
        for key, members in groups.items()
        for cluster in _clusters(members)
    ]
    events.sort(key=lambda e: (e.date is None, e.date or "", e.type, e.id))
    return events


def _clusters(mentions: list[EventMention]) -> list[list[EventMention]]:
    """Single linkage over dates: sorted by date, a mention more than a day after the previous
    one starts a new cluster. Undated mentions join the largest cluster (the earliest of equal
    ones), or make one of their own when none is dated."""
    dated = sorted(
        (m for m in mentions if _day(m.date) is not None),
        key=lambda m: (m.date or "", m.article_id, m.sentence_span),
    )
    undated = [m for m in mentions if _day(m.date) is None]
    clusters: list[list[EventMention]] = []
    last: Date | None = None
    for mention in dated:
        day = _day(mention.date)
        assert day is not None
        if last is None or (day - last).days > MAX_GAP_DAYS:
            clusters.append([])
        clusters[-1].append(mention)
        last = day
    if undated:
        if clusters:
            largest = max(range(len(clusters)), key=lambda i: (len(clusters[i]), -i))
            clusters[largest].extend(undated)
        else:
            clusters.append(undated)
    return clusters


def _day(value: str | None) -> Date | None:
    if not value:
        return None
    try:
        return Date.fromisoformat(value[:10])
    except ValueError:
        return None


def _event(
    story_id: str | None,
    key: tuple[str, Keys, Keys],
    mentions: list[EventMention],
    articles: dict[str, Article],
    outlet_of: dict[str, str],
) -> Event:
    type_, source_keys, target_keys = key

    def published(article_id: str) -> tuple[bool, float]:
        article = articles.get(article_id)
        stamp = article.timestamp if article else None
        return stamp is None, stamp or 0.0

    ordered = sorted(
        mentions, key=lambda m: (*published(m.article_id), m.article_id, m.sentence_span[0])
    )
    best = max(ordered, key=lambda m: m.confidence)  # the first of equals
    days = [day for m in ordered if (day := _day(m.date)) is not None]
    date = min(days).isoformat() if days else None
    article_ids = list(dict.fromkeys(m.article_id for m in ordered))
    outlets = {outlet_of.get(i, f"article {i}") for i in article_ids}
    urls = (articles[i].url for i in article_ids if i in articles)
    first_url = next((url for url in urls if url), None)
    return Event(
        id=event_id(story_id, type_, source_keys, target_keys, date),
        story_id=story_id,
        type=type_,
        mode=_most_common(m.mode for m in ordered),
        source=best.source,
        target=best.target,
        date=date,
        place=_most_common(m.place for m in ordered),
        confidence=max(m.confidence for m in ordered),
        mentions=ordered,
        num_articles=len(article_ids),
        num_outlets=len(outlets),
        first_url=first_url,
    )


def _most_common(values: Iterable[str | None]) -> str | None:
    """The most common value that is not None (the first met of equals)."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def count_entities(mentions: Iterable[Mention]) -> list[Entity]:
    """The entities of a set of mentions (a story's, say), each counted once: its most common
    name, kind, code and sector, every title and written form, how many mentions and articles;
    the most mentioned first, then by name."""
    entities = entities_of(mentions, _most_common, _distinct)
    entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name.casefold(), e.id))
    return entities


def _distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v}, key=lambda v: (v.casefold(), v))


# The kinds whose short forms join a longer name: a surname its person ("Trump": "Donald
# Trump"), a short name its organisation or team ("Red Sox": "Boston Red Sox"). Places do not
# ("York" is not "New York").
JOINED_KINDS = ("person", "organisation")
# Words any number of bodies share: an organisation's short form made of these alone ("the
# House", "Supreme Court", "Police Department") does not join a longer name ("White House",
# "California Supreme Court"), which it may well not be. On 400 ECB+ texts the rule made 98
# joins; "House" to "White House" was its own plain error (the others wrong came from names
# found wrong), and this list leaves 94, without it.
GENERIC_ORG_WORDS = ORG_WORDS | BODY_WORDS | frozenset((
    "house", "supreme", "high", "federal", "national", "state", "central", "district",
    "county", "city", "foreign", "interior", "defence", "defense", "justice", "royal",
    "white", "general", "public", "the", "of", "and", "for",
))
_INITIAL = re.compile(r"[A-Z]\.")


def _words(name: str) -> tuple[str, ...]:
    """A name's words, case folded, initials left out ("George W. Bush": george, bush)."""
    return tuple(w.casefold() for w in name.split() if not _INITIAL.fullmatch(w))


def _ends(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether ``full`` has more words than ``short`` and ends with all of them."""
    return 0 < len(short) < len(full) and full[-len(short) :] == short


def entity_joins(entities: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """The short forms of one story's entities joined to the full name they stand for: given
    each entity's (id, name, kind) (one row per name it goes by), short id -> full id. A
    person, organisation or team whose name is the last word(s) of a longer name of the same
    kind joins it when exactly one entity of the story can be it: the longest of those that
    end with it, none of them the end of another ("Trump" with Donald and Ivanka Trump joins
    neither). An organisation's short form of generic words alone ("the House") joins
    nothing; a lone first name neither. Work over the story's distinct entities, not its
    articles."""
    names: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for entity_id_, name, kind in entities:
        if kind in JOINED_KINDS and (words := _words(name)):
            names[(kind, entity_id_)].add(words)
    generic = {
        key for key, forms in names.items()
        if key[0] == "organisation" and all(set(w) <= GENERIC_ORG_WORDS for w in forms)
    }
    # by kind and last word: the entities whose name ends with that word
    by_last: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (kind, key), forms in names.items():
        for words in forms:
            by_last[(kind, words[-1])].add(key)
    joins: dict[str, str] = {}
    for (kind, key), forms in names.items():
        if (kind, key) in generic:
            continue
        fits = {
            other
            for words in forms
            for other in by_last[(kind, words[-1])]
            if other != key and any(_ends(words, o) for o in names[(kind, other)])
        }
        widest = [
            other
            for other in fits
            if not any(
                _ends(w, o)
                for third in fits - {other}
                for w in names[(kind, other)]
                for o in names[(kind, third)]
            )
        ]
        if len(widest) == 1:
            joins[key] = widest[0]
    return joins


def joined_mentions(mentions: list[Mention], joins: dict[str, str]) -> list[Mention]:
    """A story's mentions with each short form joined to a full name (``joins``, short id ->
    full id: see entity_joins) standing as that entity, under its most common name (of the
    mentions not joined); the form as written stays."""
    if not joins:
        return mentions
    named = {e.id: e.name for e in count_entities(mentions)}
    return [
        replace(m, entity_id=joins[m.entity_id], name=named.get(joins[m.entity_id], m.name))
        if m.entity_id in joins
        else m
        for m in mentions
    ]
