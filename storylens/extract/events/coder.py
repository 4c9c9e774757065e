"""The event coder: each trigger of a parsed sentence made an event mention, with its type,
source, target, date and place (see the package's docstring for the rules)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ...model import Actor, Article, EventMention, Mention, Span
from ..entities.gazetteer import load_gazetteer
from .actors import actor_keys, actors_only, coded, phrase_actors, quoted_title, sector_for
from .acts import asserted, repeated
from .heads import find_source_heads, find_target_heads
from .lexicon import form_index, load_lexicon
from .modality import (
    clause_embedding,
    condition_word,
    is_future,
    is_hypothetical,
    is_negated,
)
from .places import located, named_countries, place_of, unseen_source, where
from .triggers import Trigger, find_triggers
from .vocabulary import COOPERATIVE, HELPING, HOSTILE, LOCATED_TYPES, UNSEEN_SOURCE_TYPES
from .when import event_date


def code_events(
    articles: Iterable[Article],
    parsed: dict[str, list[tuple[int, Any]]],
    mentions: dict[str, list[Mention]],
) -> dict[str, list[EventMention]]:
    """The event mentions of each article (by id), in text order. ``parsed`` is
    attribution.parse_articles' result (runs of sentences, parsed where they hold a trigger
    word: pass ``trigger_forms()`` as its ``also``); ``mentions`` the entities stage's."""
    return {
        a.id: _article_events(a, parsed.get(a.id, []), mentions.get(a.id, [])) for a in articles
    }


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """The lower-case word forms that may name an event: sentences holding one are parsed."""
    return frozenset(form_index())


def _article_events(
    article: Article, pieces: list[tuple[int, Any]], mentions: list[Mention]
) -> list[EventMention]:
    index = form_index()
    lexicon = load_lexicon()
    found: list[EventMention] = []
    ordered = sorted(mentions, key=lambda m: m.span)
    for base, doc in pieces:
        if isinstance(doc, str):
            continue
        for sentence in doc.sents:
            triggers = list(find_triggers(sentence, index, lexicon))
            used = {w.i for t in triggers for w in t.words[1:]}
            active = frozenset(t.token.i for t in triggers)
            made: list[tuple[Trigger, EventMention]] = []
            for trigger in triggers:
                if trigger.token.i in used:
                    continue  # the object of another trigger: "expressed concern"
                event = _event(article, base, sentence, trigger, ordered, active)
                if event is not None:
                    made.append((trigger, event))
            found.extend(asserted(made))
    return _unique(repeated(found))


def _unique(found: list[EventMention]) -> list[EventMention]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for event in sorted(found, key=lambda e: e.trigger_span):
        key = (event.type, event.sentence_span, actor_keys(event.source), actor_keys(event.target))
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def _event(
    article: Article,
    base: int,
    sentence: Any,
    trigger: Trigger,
    mentions: list[Mention],
    active: frozenset[int] = frozenset(),
) -> EventMention | None:
    """The event a trigger reports, or None when it reports none (negated force, a
    hypothesis, another's act, no party named). ``active``: the positions of the sentence's
    triggers (a verb that is one does its own event, not its object noun's: "condemned the
    attack")."""
    token, entry = trigger.token, trigger.entry
    embedded = clause_embedding(token)
    negated = not entry.negative and (is_negated(token) or embedded == "negated")
    if negated and entry.type not in COOPERATIVE:
        return None  # "did not attack", "failed to attack": nothing happened
    if is_hypothetical(token) or embedded == "other":
        return None
    if token.lower_ in HELPING and any(
        c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VB" for c in token.children
    ):
        return None  # "to help defend X": what another act is for
    source_heads, passive = find_source_heads(token, trigger, active)
    source, target = _parties(base, sentence, trigger, mentions, source_heads, passive)
    actors = actors_only(source, sentence.text), actors_only(target, sentence.text)
    if (source and not actors[0]) or (target and not actors[1]):
        return None  # a party that is no actor: "welcomed Happy Birthday", a quoted title
    if source_heads and quoted_title(source_heads[0]):
        return None  # a title as the subject, whether or not a name was found in it
    source, target = actors
    if not source and not target:
        return None
    said = {t.lower_ for t in source_heads[0].subtree} if source_heads else set()
    kind = _deployed(entry.type, source, said)
    future = is_future(token) or embedded == "intent"
    if negated:
        kind = "REJECT"  # "will not accept refugees", "failed to reach agreement"
    elif future and (kind in HOSTILE or condition_word(token) == "unless"):
        kind = "THREATEN"  # "will boycott", "will withdraw unless ..."
    elif future and kind in COOPERATIVE:
        kind = "AGREE"
    return _mention(article, base, sentence, trigger, mentions, (kind, source, target, future))


def _parties(
    base: int,
    sentence: Any,
    trigger: Trigger,
    mentions: list[Mention],
    source_heads: list[Any],
    passive: bool,
) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """The source and target of an event: the actors the first source head names, the best
    coded actors of the target heads (not the source again in the same sector), each given
    the sentence's country when it has none; a place's country for an event done there, and
    an unseen perpetrator's for violence."""
    token, entry = trigger.token, trigger.entry
    source: tuple[Actor, ...] = ()
    for source_head in source_heads:
        source = phrase_actors(source_head, base, mentions)
        if source:
            break
    target: tuple[Actor, ...] = ()
    for target_head in find_target_heads(token, trigger, passive):
        found = phrase_actors(target_head, base, mentions, deep=True)
        if found and (coded(found) or not target):
            target = found
        if coded(target):
            break
    source_keys = actor_keys(source)
    target = tuple(
        a
        for a in target
        if (a.code or a.entity_id or a.name.lower()) not in source_keys
        or a.sector != sector_for(source, a)
    )
    # a party with no country takes the sentence's one country (domestic reports name one),
    # unless that country is named as the other party ("threatened action against Russia")
    source = located(source, sentence, base, mentions, named_countries(target))
    target = located(target, sentence, base, mentions)
    if not target and entry.type in LOCATED_TYPES:
        target = where(sentence, base, mentions, entry.type)
    if not source and target and entry.type in UNSEEN_SOURCE_TYPES:
        source = unseen_source(sentence, base, mentions, target)
    return source, target


def _deployed(kind: str, source: tuple[Actor, ...], said: set[str]) -> str:
    """A visit (CONSULT) by troops: "arriving in" a country, they are deployed, not visiting;
    peacekeepers as aid. ``said``: the lower-case words of the source phrase."""
    if (
        kind == "CONSULT"
        and source
        and (
            all(a.sector == "MIL" for a in source)
            or any(load_gazetteer().sector_of(w) == "MIL" for w in said)
        )
    ):
        return "AID" if said & {"peacekeeping", "peacekeepers", "peacekeeper"} else "MOBILIZE"
    return kind


def _mention(
    article: Article,
    base: int,
    sentence: Any,
    trigger: Trigger,
    mentions: list[Mention],
    coded_as: tuple[str, tuple[Actor, ...], tuple[Actor, ...], bool],
) -> EventMention:
    """The event mention of a trigger, ``coded_as`` (type, source, target, future): its spans,
    date (the sentence's own, else the article's), place and confidence."""
    kind, source, target, future = coded_as
    entry = trigger.entry
    sentence_span: Span = (base + sentence.start_char, base + sentence.end_char)
    words = sorted(trigger.words, key=lambda w: w.i)
    trigger_span: Span = (base + words[0].idx, base + words[-1].idx + len(words[-1].text))
    date = event_date(sentence.text, article.published, future) or article.published_date
    confidence = (
        0.4
        + (0.25 if coded(source) else 0.0)
        + (0.2 if coded(target) or entry.target == ("none",) else 0.0)
        + (0.15 if len(trigger.words) > 1 else 0.0)
    )
    return EventMention(
        article_id=article.id,
        type=kind,
        mode=(entry.mode or None) if kind == entry.type else None,
        source=source,
        target=target,
        date=date,
        place=place_of(sentence, base, mentions, source + target),
        sentence=sentence.text,
        sentence_span=sentence_span,
        trigger=" ".join(w.text for w in words),
        trigger_span=trigger_span,
        confidence=round(min(confidence, 1.0), 2),
    )
