"""The actors a phrase names: the entity mentions inside it (a country, a person, an
organisation), coded by country and sector, the sector also from its role words ("officials":
GOV, "troops": MIL); a pronoun is the latest fitting mention before it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...model import Actor, Mention
from ..entities.gazetteer import load_gazetteer
from ..entities.localities import load_localities
from .vocabulary import IMPERSONAL, NOT_ACTORS, PERSONAL, SUBJECTS

QUOTES = (('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u2018", "\u2019"))


def actor_keys(actors: tuple[Actor, ...]) -> frozenset[str]:
    """What identifies each actor: its code, else its entity id, else its name."""
    return frozenset(a.code or a.entity_id or a.name.lower() for a in actors)


def actors_only(actors: tuple[Actor, ...], sentence: str) -> tuple[Actor, ...]:
    """The actors that are actors: not a greeting or song taken for a name
    (words/not_actors.txt: "Happy Birthday"), nor a title in quotation marks ("praised
    'Catching Fire'")."""
    return tuple(
        a
        for a in actors
        if a.name.lower() not in NOT_ACTORS
        and not (a.text and any(f"{o}{a.text}{c}" in sentence for o, c in QUOTES))
    )


def quoted_title(head: Any) -> bool:
    """Whether a party's phrase (its head's words, punctuation aside) stands in quotation
    marks: a title ("'Catching Fire' praised ..."), whether or not an entity was found in it."""
    words = [t for t in head.subtree if not t.is_punct]
    if not words:
        return False
    text = head.doc.text
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    return any(before == o and after == c for o, c in QUOTES)


def coded(actors: tuple[Actor, ...]) -> bool:
    """Whether any of the actors has a country code."""
    return any(a.code for a in actors)


def sector_for(source: tuple[Actor, ...], actor: Actor) -> str | None:
    """The sector the source gives the same actor as ``actor``, if it names it."""
    for other in source:
        if (other.code or other.entity_id or other.name.lower()) == (
            actor.code or actor.entity_id or actor.name.lower()
        ):
            return other.sector
    return None


def _phrase(head: Any) -> list[Any]:
    """The tokens of an actor phrase: the head with everything before it that depends on it
    (demonyms, names, possessors, conjuncts among them), its conjuncts and appositions."""
    tokens = [head]
    for child in head.children:
        if child.i < head.i and child.dep_ not in ("det", "punct", "prep", "relcl", "acl"):
            tokens.extend(child.subtree)
        elif child.dep_ in ("conj", "appos", "compound"):
            tokens.extend(_phrase(child))
    return tokens


def _wider(head: Any) -> list[Any]:
    """A phrase's "of", "in" and "from" complements: "rebels in the Ivory Coast", "the
    government of Laurent Gbagbo", "the leaders of Russia and Japan"."""
    tokens: list[Any] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
            tokens.extend(child.subtree)
    return tokens


def phrase_actors(
    head: Any, base: int, mentions: list[Mention], deep: bool = False
) -> tuple[Actor, ...]:
    """The actors a phrase names. ``deep``: for a target, look into the whole phrase when
    its core names none ("calls by Belarus's rulers", "demands from the rebels")."""
    if head.lower_ in IMPERSONAL:
        # "The rebels said they would ...", "Russia said it would ...": the subject before
        # it in the sentence, else the latest country or organisation
        clause = head.head
        while clause.dep_ in ("ccomp", "conj", "xcomp") and clause.head is not clause:
            clause = clause.head
            speakers = [
                c
                for c in clause.children
                if c.dep_ in SUBJECTS and c.i < head.i and c.lower_ not in PERSONAL | IMPERSONAL
            ]
            if speakers:
                spoken = phrase_actors(speakers[0], base, mentions)
                if spoken:
                    return spoken
                break
        return _pronoun(head, base, mentions)
    if head.lower_ in PERSONAL:
        return _pronoun(head, base, mentions)
    tokens = _phrase(head)
    found = _mentions_in(tokens, base, mentions)
    if not found:
        wider = _wider(head)
        if wider:
            tokens = tokens + wider
            found = _mentions_in(wider, base, mentions)
    if not found and deep:
        whole = list(head.subtree)
        found = _mentions_in(whole, base, mentions)
        if found:
            tokens = whole
    sector = _phrase_sector(head, tokens)
    if not found:
        if sector is None:
            return ()
        words = sorted(tokens, key=lambda t: t.i)
        text = " ".join(t.text for t in words)
        return (Actor(name=text, code=None, sector=sector, text=text),)
    actors = tuple(_actor(m, sector) for m in _distinct(found))
    residence = _residence(head, tokens, base, mentions)
    if residence is not None:
        actors = tuple(replace(a, code=residence) for a in actors)
    if not any(a.code for a in actors):
        # "a member of the Syrian parliament, Mohammed Mamoun": the country its apposition
        # or complement names
        around = _wider(head)
        if head.dep_ == "appos" and head.head is not head:
            around += _phrase(head.head) + _wider(head.head)
        codes = {m.code for m in _mentions_in(around, base, mentions) if m.code}
        if len(codes) == 1:
            (code,) = codes
            actors = tuple(replace(a, code=code) for a in actors)
    return actors


def _residence(head: Any, tokens: list[Any], base: int, mentions: list[Mention]) -> str | None:
    """An ethnic group is coded by the country it lives in, as CAMEO coders do: "Albanians
    in Serbia", "the Albanians of southern Serbia", "ethnic Albanians demonstrated in
    Serbia" are Serbia's."""
    own = _mentions_in([head], base, mentions)
    if not own or own[0].kind != "place" or not head.text.endswith("s"):
        return None  # the head is a people noun named for a country: "Albanians", "Kurds"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of"):
            code = _one_code(child, base, mentions)
            if code is not None:
                return code
    if any(t.lower_ == "ethnic" for t in tokens):
        verb = head.head
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at"):
                code = _one_code(child, base, mentions)
                if code is not None:
                    return code
    return None


def _one_code(prep: Any, base: int, mentions: list[Mention]) -> str | None:
    """The country code of the mentions in a prepositional phrase, when they have one."""
    codes = {m.code for m in _mentions_in(list(prep.subtree), base, mentions)}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 else None


def _pronoun(token: Any, base: int, mentions: list[Mention]) -> tuple[Actor, ...]:
    """ "he" is the latest person mentioned before it; "it", "they" the latest country or
    organisation."""
    at = base + token.idx
    wanted = ("person",) if token.lower_ in PERSONAL else ("place", "organisation")
    for mention in reversed(mentions):
        if (
            mention.span[1] <= at
            and mention.kind in wanted
            and (mention.kind != "place" or mention.code)
        ):
            return (_actor(mention, None),)
    return ()


def _mentions_in(tokens: list[Any], base: int, mentions: list[Mention]) -> list[Mention]:
    spans = [(base + t.idx, base + t.idx + len(t.text)) for t in tokens]
    return [
        m for m in mentions if any(m.span[0] < end and start < m.span[1] for start, end in spans)
    ]


def _distinct(found: list[Mention]) -> list[Mention]:
    """One mention per actor: a person or organisation with a code makes a bare mention of
    its country redundant ("Japanese Prime Minister Junichiro Koizumi")."""
    named = {m.code for m in found if m.kind != "place" and m.code}
    kept: dict[str, Mention] = {}
    for mention in found:
        if mention.kind == "place" and mention.code in named:
            continue
        kept.setdefault(mention.entity_id, mention)
    return list(kept.values())


def _phrase_sector(head: Any, tokens: list[Any]) -> str | None:
    """The sector the phrase's role words give, the nearest to its head first."""
    gazetteer = load_gazetteer()
    for token in sorted(tokens, key=lambda t: (t.i != head.i, abs(t.i - head.i))):
        if token.text[:1].isupper() and token.i != head.i and token.tag_ in ("NNP", "NNPS"):
            continue
        sector = gazetteer.sector_of(token.lower_)
        if sector:
            return sector
    return None


def _actor(mention: Mention, sector: str | None) -> Actor:
    """An actor from a mention. A country named as a party acts through its government; a
    city or state is a place of its country, not its government."""
    code = mention.code
    if code is None and mention.kind == "place":
        place = load_localities().get(mention.name)  # a place the recogniser found
        code = place.code if place is not None else None
    chosen = mention.sector or sector
    if chosen is None and mention.kind == "place" and mention.code and _country(mention):
        # a people ("Albanians", "Palestinians") is its civilians; a country its government
        people = mention.text.endswith("s") and mention.text != mention.name
        chosen = "CVL" if people else "GOV"
    if sector is not None and mention.kind == "place":
        chosen = sector  # "Israeli troops": the troops' sector, Israel's code
    return Actor(
        name=mention.name,
        code=code,
        sector=chosen,
        entity_id=mention.entity_id,
        text=mention.text,
    )


def _country(mention: Mention) -> bool:
    """Whether a place mention stands for its country (a country, its demonym, its capital
    as a party: "accused Moscow"), not for one of its other cities or its states."""
    country = load_gazetteer().country(mention.code)
    return country is not None and (
        mention.name == country.name or mention.name in country.capitals
    )
