"""Which of a sentence's events the text asserts, one event an act.

- An act asked for, turned down or threatened is not one that happened: an event whose
  trigger is inside the complement of a trigger of such a type (words/unasserting_types.txt:
  "demanded that X end its curbs", "rejected a request to interrogate") is part of that
  event, not one of its own.
- A backdrop is not a report: when the sentence reports an act by a named source (in a
  clause of its own, not one describing a participant), an event with no named source of
  its own ("after twelve days of battles", "the besieged town", "equipment seized last
  year", "defended the right of troops to fire on militants") is left out, unless it names
  its parties by "between" or "with" ("fighting between A and B") or is a present
  participle, what a party was doing as the act was done ("dispersed demonstrators
  protesting the results"); so are an event told in a clause describing a participant and
  an event noun that only qualifies a noun naming no event ("her role in the
  negotiations"), whatever their source.
- One act, one type: among the events one source does in one clause, the best-supported
  one is kept, and another only when it is done to a party the kept ones do not name
  (by code, entity or name: "will work with others to demand that North Korea ..."). A
  clause is the words up to its head: the sentence's root, or a verb that begins a clause
  of its own (conjoined, reported, relative); an adverbial adjunct ("staged rallies to
  demand reforms") is read with its clause. The best-supported event is, in this order:
  the one whose trigger words come nearest the clause's head (its main verb first; a step
  out of an adjunct counts twice), a verb before an event noun, a trigger chosen by more
  words (a specific lexicon row: "withdrew from the treaty" before "withdrew"), the more
  confident, the first in the text; a threat told by the act it threatens ("is prepared to
  impose martial law") is read as the threat. Events from different sources in one clause
  are different acts ("Russia condemned North Korea's withdrawal") and are kept.
- An act named again by a lone word of the same stem, from the same source, is not a
  second act (``repeated``, over an article).
"""

from __future__ import annotations

from typing import Any

from ...model import Actor, EventMention
from ..tags import NOUN_TAGS, VERB_TAGS
from .actors import actor_keys
from .triggers import Trigger
from .vocabulary import SUBJECTS, UNASSERTING_TYPES

# The dependency labels of a verb that heads a clause of its own.
CLAUSE_LABELS = frozenset(("ROOT", "conj", "ccomp", "relcl", "parataxis", "csubj"))
# The labels of a clause that describes a noun: "seized by", "that was captured".
DESCRIBING = frozenset(("relcl", "acl"))
STEM = 6  # the letters two forms of one word share: "withdraw", "withdrawal", "withdrew"
DESCRIBING_TAGS = frozenset(("VBN", "VBG", "VBD", "VBZ", "VBP"))  # not "a decision to act"
UNSEEN = "unidentified"  # the name an unseen perpetrator is given (places.unseen_source)


def _steps_up(token: Any) -> tuple[Any, int]:
    """The head of the clause a word is in, and how far up the parse it is (a step out of
    an adjunct clause counts twice: the act is its clause's, the adjunct says what for)."""
    node, steps = token, 0
    while node.head.i != node.i and not (node.tag_ in VERB_TAGS and node.dep_ in CLAUSE_LABELS):
        steps += 2 if node.dep_ == "advcl" else 1
        node = node.head
    return node, steps


def _support(trigger: Trigger, event: EventMention) -> tuple[int, int, int, float, int]:
    """How well a trigger supports its reading, as a sort key (smaller is better). A threat
    told by the act it threatens ("is prepared to impose martial law") is read as the
    threat, not as the readiness."""
    if event.type == "THREATEN" and trigger.token.dep_ == "xcomp":
        return (0, 0, -len(trigger.words), -event.confidence, trigger.token.i)
    steps = min(_steps_up(w)[1] for w in trigger.words)
    verb = trigger.token.tag_ in VERB_TAGS
    return (steps, 0 if verb else 1, -len(trigger.words), -event.confidence, trigger.token.i)


def _inside(token: Any, heads: set[int]) -> bool:
    """Whether a word is in the complement of one of ``heads`` (not in its subject)."""
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            return False
        if node.head.i in heads:
            return node.dep_ not in SUBJECTS
        node = node.head
    return False


def _described(token: Any) -> bool:
    """Whether a trigger tells of a participant: it is in a relative clause or a participle
    describing a noun ("that was captured", "seized by", "a team trying to broker a pact",
    "nationals suspected of blowing up a plane"). A present participle that is the trigger
    itself tells what a participant was doing at the time, and is reported with the act
    ("dispersed demonstrators protesting the results")."""
    if token.tag_ == "VBG" and token.dep_ == "acl":
        return False
    node = token
    for _ in range(12):
        if node.dep_ in DESCRIBING and node.tag_ in DESCRIBING_TAGS:
            return True
        if node.head.i == node.i or (node.tag_ in VERB_TAGS and node.dep_ in CLAUSE_LABELS):
            return False
        node = node.head
    return False


def _nested(token: Any, words: set[int]) -> bool:
    """Whether an event noun only qualifies another noun that names no event ("his role in
    the negotiations", "a settlement in the talks", "rioting during a summit"): the setting
    of a party or a thing, not an act the sentence reports."""
    if token.tag_ not in NOUN_TAGS:
        return False
    head = token.head
    if token.dep_ == "pobj" and head.i != token.i:
        head = head.head
    return token.dep_ == "pobj" and (
        head.tag_ in NOUN_TAGS and head.i not in words
    )


def _between(token: Any) -> bool:
    """Whether an event word names its parties by "between" or "with" ("fighting between A
    and B", "clashes with rebels"): its parties named, it is an act of its own."""
    return any(c.dep_ == "prep" and c.lower_ in ("between", "with") for c in token.children)


def _names(actors: tuple[Actor, ...]) -> set[str]:
    """Every name the actors go by: code, entity id and name (one person may be coded with
    his country in one phrase and without it in another)."""
    return {k for a in actors for k in (a.code, a.entity_id, a.name.lower()) if k}


def _own_source(event: EventMention) -> bool:
    """Whether an event has a named source (not only an unseen perpetrator)."""
    return bool(event.source) and not all(a.name.startswith(UNSEEN) for a in event.source)


def asserted(made: list[tuple[Trigger, EventMention]]) -> list[EventMention]:
    """The events of one sentence that the text asserts, one an act (see the module's
    docstring); ``made``: each trigger with the event coded from it."""
    unasserting = {t.token.i for t, e in made if e.type in UNASSERTING_TYPES}
    made = [
        (t, e) for t, e in made if t.token.i in unasserting or not _inside(t.token, unasserting)
    ]
    if any(_own_source(e) and not _described(t.token) for t, e in made):
        words = {w.i for t, _ in made for w in t.words}
        made = [
            (t, e)
            for t, e in made
            if not _described(t.token)
            and not _nested(t.token, words)
            and (_own_source(e) or _between(t.token) or t.token.tag_ == "VBG")
        ]
    groups: dict[tuple[int, frozenset[str]], list[tuple[Trigger, EventMention]]] = {}
    for trigger, event in made:
        key = (_steps_up(trigger.token)[0].i, actor_keys(event.source))
        groups.setdefault(key, []).append((trigger, event))
    kept: list[EventMention] = []
    for group in groups.values():
        ranked = [event for _, event in sorted(group, key=lambda pair: _support(*pair))]
        parties = _names(ranked[0].source + ranked[0].target)
        kept.append(ranked[0])
        for event in ranked[1:]:
            if any(not _names((a,)) & parties for a in event.target):
                kept.append(event)  # a second act, towards another party
                parties |= _names(event.target)
    return kept


def repeated(found: list[EventMention]) -> list[EventMention]:
    """An article's events less those that name again an act it has already coded: a lone
    event word of the same stem as an earlier event's trigger, from the same source, under
    another type ("North Korea withdrew from the treaty ... after its withdrawal": the
    withdrawal is the same act, not a second one of another type)."""
    kept: list[EventMention] = []
    for event in sorted(found, key=lambda e: e.trigger_span):
        word = event.trigger.lower()
        again = " " not in word and any(
            other.type != event.type
            and other.trigger.lower().split()[0][:STEM] == word[:STEM]
            and actor_keys(other.source) == actor_keys(event.source)
            for other in kept
        )
        if not again:
            kept.append(event)
    return kept
