"""What the words around a name say it is, for the names spaCy's recogniser typed or found
(recognise.py): one kind for one name in an article, the context deciding where it speaks.

Each mention of such a name may carry a cue from the words around it:

- a place: after "in" or "near" ("a briefing in Marrowby"), after "the town of" ("the city of
  Brisvale"), opening a dateline ("KESTRELTON, Ohio — ..."), or ending in a word for a place
  that is no surname ("Delmont Arena");
- an organisation: a website ("Spot.im"), before a word for a company's plant or people
  ("the Hollin Packaging plant", "Halden chief executive"), or a plural after "the" ("the
  Bruins");
- a person: in a wire credit ("Reporting by Agnes Holloway"), before a phrase saying what
  someone is ("Jonah Petrakis, an analyst at ...", "Dale Runyard, 52,"), or written alone as
  the last word of the name elsewhere ("Probst said", after "Wendell Probst");
- no one: beside a word for a work ("the film Catching Fire", "Catching Fire, the second
  film"), or a model code ("BW-K170", "F-105 Thunderchief"); maybe no one: after "the" with
  no other cue ("the Azna"), or read as a product's ("410,000 Arc cordless kettles", "the
  Arc models"), which drops the name when most of its mentions have it.

The mentions of one name then take the kind most of their cues give (each keeps its own when
none has a cue); a name the gazetteer or the rules typed for certain elsewhere in the article
takes that kind. A name found only in a headline, whose capitals say nothing, is left out
("Deep Concern" in "Russia Expresses Deep Concern over DPRK's Withdrawal"). A lone word that
ends one person's name in the article is that person ("King", after "Billy King"); one that
begins an organisation's name is that organisation ("Halden", after "Halden Water Company").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from ...model import Mention
from ..wordlists import word_set
from .mentions import entity_id
from .resolve import person_key
from .vocabulary import ACTOR_VERBS, FUNCTION_WORDS, PLACE_ENDS

_PACKAGE = "storylens.extract.entities"
WORK_NOUNS = word_set(_PACKAGE, "work_nouns")
ORGANISATION_NOUNS = word_set(_PACKAGE, "organisation_nouns")
PERSON_NOUNS = word_set(_PACKAGE, "person_nouns")
PLACE_NOUNS = word_set(_PACKAGE, "place_nouns")
PRODUCT_NOUNS = frozenset(("model", "models", "line", "owner", "owners"))
PLACE_BEFORE = frozenset(("in", "near"))
SURNAMES_TOO = frozenset(("ford", "bay", "beach", "lane", "falls"))  # "Harrison Ford"
CREDITS = frozenset(("reporting", "editing", "writing", "photographs", "photograph"))
NONE = ""  # the cue that a name is no one's
DOUBT = "?"  # the cue that it may be no one's: dropped when most of its mentions have it
STOPS = frozenset(
    ("that", "which", "who", "whose", "in", "at", "of", "for", "with", "from", "by", "on", "to",
     "as", "and", "known")
)

_WORDS = re.compile(r"[\w'’-]+|[^\w\s]")
_MODEL = re.compile(r"[A-Za-z]+-[A-Za-z]*\d[\w-]*")  # "BW-K170", "F-105", "CH-53"
_DOMAIN = re.compile(r"[\w-]+(?:\.[a-z]{2,})+")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}")  # "410,000", "12"; not a year
_AGE = re.compile(r",\s*\d{1,3}\s*,")
_APPOSITION = re.compile(r",\s+(?:an?|the|his|her|its|their)\s+((?:[\w-]+ ){0,4}[\w-]+)")
_DATELINE_AFTER = re.compile(r"(?:,[^\n—–-]{0,30}?)?\s+[—–-]{1,2}\s")
_POSSESSIVE = re.compile(r"['’]s?$")
_LINE_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_STOP = re.compile(r"[.!?;](?:\s|$)")
_POSSESSIVE_AFTER = re.compile(r"^['’]s?(?=\s)")


def name_key(name: str) -> str:
    """A name as compared within an article: a possessive left out, case ignored."""
    return _POSSESSIVE.sub("", name).casefold()


def harmonised(text: str, mentions: list[Mention], fixed: set[int]) -> list[Mention]:
    """The mentions with each name that is not ``fixed`` (by ``id``) given one kind, as the
    module's docstring says, and those the context says are no one's left out."""
    mentions = [
        m for m in _short_forms(text, _products(text, mentions, fixed), fixed)
        if id(m) in fixed or not _headline_only(text, m)
    ]
    certain: dict[str, Mention] = {name_key(m.name): m for m in mentions if id(m) in fixed}
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        if id(mention) not in fixed:
            groups.setdefault(name_key(mention.name), []).append(mention)
    decided: dict[int, Mention | None] = {}
    for key, group in groups.items():
        known = certain.get(key)
        kind = known.kind if known is not None else _kind(text, group)
        for mention in group:
            decided[id(mention)] = _retyped(mention, kind, known)
    kept = []
    for mention in mentions:
        chosen = decided.get(id(mention), mention)
        if chosen is not None:
            kept.append(chosen)
    return kept


def _kind(text: str, group: list[Mention]) -> str | None:
    """The kind of one name's mentions by their cues: the commonest cue's (the first met on
    a tie); None when the cues say it is no one's; the empty string when they say nothing
    (each mention keeps its own)."""
    cues = [c for c in (_cue(text, m, group) for m in group) if c is not None]
    if NONE in cues or 2 * cues.count(DOUBT) > len(group):
        return None
    kinds = [c for c in cues if c != DOUBT]
    return _commonest(kinds) if kinds else ""


def _commonest(values: Iterable[str]) -> str:
    counts = Counter(values)
    return max(counts, key=lambda v: counts[v])  # the first of the most common


def _retyped(mention: Mention, kind: str | None, known: Mention | None) -> Mention | None:
    """The mention as ``kind`` (the certain mention's entity when there is one), or None."""
    if kind is None:
        return None
    if not kind:
        return mention
    if known is not None:
        return replace(mention, kind=kind, entity_id=known.entity_id, name=known.name,
                       code=mention.code or known.code)
    if kind == mention.kind:
        return mention
    key = person_key(mention.name) if kind == "person" else mention.name
    return replace(mention, kind=kind, entity_id=entity_id(kind, key))


def _cue(text: str, mention: Mention, group: list[Mention]) -> str | None:
    """What the words around one mention say its name is: a kind, NONE, or None (nothing)."""
    start, end = mention.span
    before = _WORDS.findall(text[max(0, start - 40) : start].lower())
    after = _POSSESSIVE_AFTER.sub("", text[end : end + 80])
    following = [w for w in _WORDS.findall(after)[:1] if w[:1].islower()]
    first = mention.text.split()[0]
    if _MODEL.fullmatch(first) or (before and before[-1] in WORK_NOUNS):
        return NONE
    if _beside(after) == "work":
        return NONE
    if _DOMAIN.fullmatch(mention.text):
        return "organisation"  # a website: "Spot.im", "Booking.com"
    if _dateline(text, start, end):
        return "place"
    if (
        before
        and before[-1] in PLACE_BEFORE
        and mention.kind != "person"
        and not _modifies(following)
        and not _POSSESSIVE_AFTER.match(text, end)
    ):
        return "place"  # not "in NCAA history", "in Stephenie Meyer's series"
    if len(before) > 1 and before[-1] == "of" and before[-2] in PLACE_NOUNS:
        return "place"
    if len(before) > 1 and before[-1] == "by" and before[-2] in CREDITS:
        return "person"
    if following and following[0] in ORGANISATION_NOUNS:
        # "the Hollin Packaging plant"; "the Ferris Lane plant" is a street's
        return "place" if mention.text.lower().split()[-1] in PLACE_ENDS else "organisation"
    last = mention.text.lower().split()[-1]
    if " " in mention.text and last in PLACE_ENDS - SURNAMES_TOO:
        return "place"  # "Delmont Arena", "Cobb Mill Road"
    if _described_person(after) or _by_surname(text, mention, group):
        return "person"
    if _product(mention, before, following):
        return DOUBT
    if before and before[-1] == "the" and mention.kind == "person":
        if mention.text.lower().split()[-1] in PLACE_ENDS:
            return "place"  # "the Ferris Lane plant"
        return "organisation" if mention.text.endswith("s") else DOUBT  # "the Bruins"
    return None


def _product(mention: Mention, before: list[str], following: list[str]) -> bool:
    """Whether a name typed an organisation reads as a product's: counted ("410,000 Arc
    cordless kettles"), or before a word for a product's model, line or owner ("the Arc
    models", "every Arc owner")."""
    if mention.kind != "organisation":
        return False
    if before and _COUNT.fullmatch(before[-1]):
        return True
    return bool(following and following[0] in PRODUCT_NOUNS)


def _modifies(following: list[str]) -> bool:
    """Whether the word after a name is a lower-case word that it qualifies ("in NCAA
    history"): then "in" says nothing of the name."""
    return bool(following) and following[0].isalpha() and following[0] not in FUNCTION_WORDS


def _beside(after: str) -> str | None:
    """What the phrase set beside a name says it is, by its first word for a work or for a
    person before a preposition or clause: "work" ("Catching Fire, the second film in the
    series"), "person" ("Jonah Petrakis, an analyst at ...", "Hugh Jackman, the Australian
    actor known to film audiences"), else None."""
    match = _APPOSITION.match(after)
    for word in match.group(1).lower().split() if match else ():
        if word in STOPS:
            break
        if word in WORK_NOUNS:
            return "work"
        if word in PERSON_NOUNS:
            return "person"
    return None


def _described_person(after: str) -> bool:
    """Whether the words after a name say what a person is: an age ("Dale Runyard, 52,") or
    a phrase with a word for a person ("Jonah Petrakis, an analyst at")."""
    return _AGE.match(after) is not None or _beside(after) == "person"


def _by_surname(text: str, mention: Mention, group: list[Mention]) -> bool:
    """Whether a name of two words or more is written elsewhere by its last word alone, as a
    person's surname is ("Probst said"), not by its first, as an organisation's short name
    is."""
    words = mention.name.split()
    return len(words) > 1 and any(
        m.text == words[-1] and m.text != words[0] and not _after_the(text, m) for m in group
    )


def _after_the(text: str, mention: Mention) -> bool:
    """Whether the word before a mention is "the"."""
    return text[max(0, mention.span[0] - 4) : mention.span[0]].lower() == "the "


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether a name opens a line as a dateline's place: in capitals or followed by a comma,
    then a dash ("KESTRELTON, Ohio — ", "Wyndleford, Indiana — ", "BRISVALE — ")."""
    line = text.rfind("\n", 0, start) + 1
    match = _DATELINE_AFTER.match(text, end)
    return (
        not text[line:start].strip()
        and match is not None
        and (text[start:end].isupper() or match.group().startswith(","))
    )


def _headline(line: str) -> bool:
    """Whether a line is written in title case, as a headline is ("Russia Expresses Deep
    Concern over DPRK's Withdrawal"): three long words or more, most of them capitalised,
    and no sentence punctuation."""
    long = [w for w in _LINE_WORDS.findall(line) if len(w) > 3]
    capitalised = sum(1 for w in long if w[:1].isupper())
    return capitalised >= 3 and capitalised >= 0.6 * len(long) and not _STOP.search(line)


def _headline_only(text: str, mention: Mention) -> bool:
    """Whether a mention stands in a headline and its name in no other line of the text: the
    capitals of a headline say nothing of what a word is ("Deep Concern")."""
    start = text.rfind("\n", 0, mention.span[0]) + 1
    end = text.find("\n", mention.span[1])
    if not _headline(text[start : end if end >= 0 else len(text)]):
        return False
    return not any(mention.text in line for line in _plain_lines(text))


@lru_cache(maxsize=4)
def _plain_lines(text: str) -> tuple[str, ...]:
    """The lines of a text that are not headlines."""
    return tuple(line for line in text.splitlines() if not _headline(line))


def _products(text: str, mentions: list[Mention], fixed: set[int]) -> list[Mention]:
    """The mentions without a company's product ("Brightwell Arc" in "Brightwell Arc
    cordless kettles"): a name of more words written in full only before a word it qualifies,
    whose first word alone names the company elsewhere ("Brightwell said"); those lone words
    are the company, an organisation of that name."""
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        if id(mention) not in fixed and " " in mention.name:
            groups.setdefault(mention.name, []).append(mention)
    dropped: set[int] = set()
    company: dict[int, Mention] = {}
    for name, group in groups.items():
        first = name.split()[0]
        whole = [m for m in group if m.text == name]
        short = [m for m in group if m.text == first]
        if not whole or not short or not all(_qualifies(text, m) for m in whole):
            continue
        dropped.update(id(m) for m in whole)
        for m in short:
            company[id(m)] = replace(m, kind="organisation", name=first,
                                     entity_id=entity_id("organisation", first))
    return [company.get(id(m), m) for m in mentions if id(m) not in dropped]


def _qualifies(text: str, mention: Mention) -> bool:
    """Whether a mention is followed by two lower-case words that are no function words, as
    a product's name before what it names is ("Arc cordless kettles", "Arc kettle recall"),
    not by a verb and what follows it ("fell 4 percent", "recalled about")."""
    after = _POSSESSIVE_AFTER.sub("", text[mention.span[1] : mention.span[1] + 60])
    words = _WORDS.findall(after)[:2]
    return len(words) == 2 and all(
        w[:1].islower() and w.isalpha() and w not in FUNCTION_WORDS | ACTOR_VERBS
        for w in words
    )


def _short_forms(text: str, mentions: list[Mention], fixed: set[int]) -> list[Mention]:
    """The mentions with a lone word that is the last word of one person's name in the
    article made that person ("King's news conference", after "Billy King"), and one that
    begins an organisation's name of more words ("Halden", "Halden Water Company") made that
    organisation, unless it is written only as a place ("Perth" beside "Perth Glory") with
    no word after it saying it is a company's ("Halden chief executive"), or a cue says it
    is something else."""
    firsts: dict[str, Mention] = {}
    lasts: dict[str, dict[str, Mention]] = {}
    for mention in mentions:
        words = mention.name.split()
        if mention.kind == "organisation" and len(words) > 1:
            firsts.setdefault(words[0], mention)
        if mention.kind == "person" and len(words) > 1:
            lasts.setdefault(words[-1], {}).setdefault(mention.name, mention)
    lone: dict[str, list[Mention]] = {}
    for mention in mentions:
        word = _POSSESSIVE.sub("", mention.text)
        if id(mention) not in fixed and " " not in word and (word in firsts or word in lasts):
            lone.setdefault(word, []).append(mention)
    chosen: dict[int, Mention] = {}
    for word, group in lone.items():
        cues = {_cue(text, m, [m]) for m in group}
        people = lasts.get(word, {})
        whole = next(iter(people.values())) if len(people) == 1 else None
        if whole is None or cues & {"place", "organisation"}:
            whole = firsts.get(word)
            if whole is None or cues & {"place", "person"} or not (
                "organisation" in cues or any(m.kind != "place" for m in group)
            ):
                continue
        for m in group:
            chosen[id(m)] = replace(m, kind=whole.kind, name=whole.name,
                                    entity_id=whole.entity_id, code=whole.code,
                                    sector=whole.sector)
    return [chosen.get(id(m), m) for m in mentions]
