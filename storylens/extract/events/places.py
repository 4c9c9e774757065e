"""Where an event happens: the country a sentence places it in, which gives a party without a
country its code, a target to an event done in a place, and a source to violence whose
perpetrator is not named; and the place named with "in" or "at"."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...model import Actor, Mention
from ..entities.gazetteer import load_gazetteer
from .vocabulary import LOCATED_TYPES, PLACE_WORDS


def _event_country(sentence: Any, base: int, mentions: list[Mention]) -> set[str]:
    """The country a sentence's event happens in: the one it names after "in", "at",
    "across", "throughout", when exactly one; else every country it names."""
    start, end = base + sentence.start_char, base + sentence.end_char
    text = sentence.doc.text
    located = {
        m.code
        for m in mentions
        if start <= m.span[0] < end
        and m.code
        and m.code not in ("IGO", "NGO", "IMG")
        and (
            " " + text[max(0, m.span[0] - base - 13) : m.span[0] - base].rstrip().lower()
        ).endswith(PLACE_WORDS)
    }
    return located if len(located) == 1 else _countries(sentence, base, mentions)


def _countries(sentence: Any, base: int, mentions: list[Mention]) -> set[str]:
    start, end = base + sentence.start_char, base + sentence.end_char
    return {
        m.code
        for m in mentions
        if start <= m.span[0] < end and m.code and m.code not in ("IGO", "NGO", "IMG")
    }


def named_countries(actors: tuple[Actor, ...]) -> frozenset[str]:
    """Codes of the actors that are countries named as such ("against Russia"; not a city in
    them, nor a demonym qualifying a group: "Ugandan candidates" are the country's own)."""
    gazetteer = load_gazetteer()
    named = set()
    for actor in actors:
        country = gazetteer.country(actor.code)
        if country is not None and actor.text in (country.name, *country.aliases):
            named.add(country.code)
    return frozenset(named)


def unseen_source(
    sentence: Any, base: int, mentions: list[Mention], target: tuple[Actor, ...]
) -> tuple[Actor, ...]:
    """The country of violence whose perpetrator is not named: the one other than the target's."""
    codes = _countries(sentence, base, mentions)
    others = codes - {a.code for a in target if a.code}
    if len(others) != 1:
        return ()
    (code,) = others
    country = load_gazetteer().country(code)
    name = country.name if country is not None else code
    return (Actor(name=f"unidentified ({name})", code=code, sector=None, text=""),)


def where(sentence: Any, base: int, mentions: list[Mention], kind: str) -> tuple[Actor, ...]:
    """The country the event happens in: the one named after "in", "at", "across",
    "throughout" in the sentence, else the sentence's only country."""
    codes = _event_country(sentence, base, mentions)
    if len(codes) != 1:
        return ()
    (code,) = codes
    place = next(m for m in mentions if m.code == code)
    return (
        Actor(
            name=place.name if place.kind == "place" else code,
            code=code,
            sector=LOCATED_TYPES[kind],
            text="",
        ),
    )


def located(
    actors: tuple[Actor, ...],
    sentence: Any,
    base: int,
    mentions: list[Mention],
    other: set[str] | frozenset[str] = frozenset(),
) -> tuple[Actor, ...]:
    """An actor with a role but no country ("President Mugabe", "the rebels") takes the
    country of the sentence when the sentence names exactly one and not as the other party:
    what a human coder does with a domestic report."""
    if all(a.code for a in actors):
        return actors
    codes = _event_country(sentence, base, mentions)
    if len(codes) != 1 or codes & set(other):
        return actors
    (code,) = codes
    return tuple(replace(a, code=code) if a.code is None and a.sector else a for a in actors)


def place_of(
    sentence: Any, base: int, mentions: list[Mention], actors: tuple[Actor, ...]
) -> str | None:
    """A place named in the sentence after "in" or "at", that is not a party to it."""
    taken = {a.entity_id for a in actors}
    start, end = base + sentence.start_char, base + sentence.end_char
    text = sentence.doc.text
    for mention in mentions:
        if not (start <= mention.span[0] < end) or mention.kind != "place":
            continue
        if mention.entity_id in taken or mention.sector:
            continue
        before = text[: mention.span[0] - base].rstrip().lower()
        if before.endswith((" in", " at", " in the", " at the")):
            return mention.name
    return None
