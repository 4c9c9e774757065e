"""spaCy's named-entity recogniser where the rules' gazetteer does not know a name.

The rules (mentions.find_mentions) take any bare run of capitalised words for a person's name,
and drop a lone capitalised word that is no one's surname. Those are the names the gazetteer
does not know, so the sentences holding one are run through spaCy's recogniser (its own small
model and nothing else of the pipeline, in one batch for all the articles of a stage):

- a bare run the recogniser types as an organisation or a place takes that type ("Perth
  Glory", "Old Goa"); one it types as something else (a film, an event, a product) or covers
  by a longer name that is not a person is no person, and is dropped; the later mentions of
  the same entity follow it;
- a name the recogniser finds where the rules found nothing is added ("California").

Names the gazetteer knows, titled or resolved people and organisations ending in an
organisation word keep the rules' reading.
"""

from __future__ import annotations

import importlib.util
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ...errors import ModelUnavailable
from ...model import Article, Mention
from ..nlp import MODELS
from .context import harmonised
from .gazetteer import load_gazetteer
from .mentions import entity_id
from .resolve import person_key
from .tidy import tidy
from .vocabulary import FUNCTION_WORDS, NOT_NAME, PLACE_ENDS, PLACE_STARTS, THING_WORDS

# spaCy's labels as storylens's kinds; another label is a name of no kind storylens keeps
LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
          "FAC": "place"}
PLACE_BEFORE = frozenset(("in", "near"))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(A-Z0-9])|\n+")
_NUMBER = re.compile(r"[\d\W]+")
_WITHIN = re.compile(r"\s*(,|in(\s+[a-z]+)?)\s+")  # "Cizre, Turkey", "Cizre in southern Turkey"
_WORD = re.compile(r"\S+")
_CLITIC = re.compile(r"['’](s|m|re|ll|d|ve)$")
# the words either side of a doubtful name that the recogniser reads with it
CONTEXT_WORDS = 8
_LINKS = frozenset(("of", "de", "du", "des", "la", "le", "del", "di", "da", "and", "&", "the"))
_POSSESSED = "ORG'S"  # an organisation spaCy found before "'s" (see _own)
_TRAILING_POSSESSIVE = re.compile(r"\s?['’]s?$")  # "Kanye West's": the name without it
# capitalised words that name nothing, built once (not per word: this runs on every article)
_NO_NAMES = FUNCTION_WORDS | NOT_NAME
_CAPITALISED = re.compile(r"\b[A-Z][\w&'’.-]*")

# A name spaCy found: its start and end characters in the article and its label.
Recognised = tuple[int, int, str]


@lru_cache(maxsize=1)
def recogniser() -> Any:
    """spaCy's small English pipeline with its named-entity recogniser alone (it has its own
    token vectors), loaded once per process."""
    import spacy

    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            try:
                return spacy.load(
                    name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
                )
            except (OSError, ValueError) as error:
                raise ModelUnavailable(f"spaCy pipeline {name} failed to load: {error}") from error
    raise ModelUnavailable("no English spaCy pipeline is installed for entity recognition")


def recognise(
    articles: Sequence[Article], found: dict[str, list[Mention]]
) -> dict[str, list[Mention]]:
    """The rules' mentions of each article (``found``, by id) combined with spaCy's names in
    the sentences where the gazetteer does not know a name (see the module's docstring), then
    tidied (tidy: a dateline's own spellings named as the article names them)."""
    jobs: list[tuple[str, tuple[str, int]]] = []
    for article in articles:
        for start, end in _doubtful_sentences(article.text, found.get(article.id, [])):
            jobs.append((article.text[start:end], (article.id, start)))
    names: dict[str, list[Recognised]] = {a.id: [] for a in articles}
    if jobs:
        for doc, (key, offset) in recogniser().pipe(jobs, as_tuples=True, batch_size=64):
            names[key].extend(_names(doc, offset))
    return {
        a.id: tidy(a, _combined(a, found.get(a.id, []), names[a.id]) if names[a.id] else
                   found.get(a.id, []))
        for a in articles
    }


def _doubtful(mention: Mention) -> bool:
    """A bare run of capitalised words the rules took for a person: no title, no honorific,
    not a later reference to someone named before."""
    return (
        mention.kind == "person"
        and mention.title is None
        and mention.text == mention.name
        and " " in mention.name
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """The text's sentences (lines split after a full stop, question or exclamation mark
    before a capital) as start and end characters."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _doubtful_sentences(text: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """The stretches of text worth sending to the recogniser. A sentence is worth it when it
    holds a doubtful mention, or a capitalised word (not its first) that no mention covers;
    then the stretches are the ``CONTEXT_WORDS`` words either side of each of those (its
    first word too), stretches that meet joined."""
    covered = [m.span for m in mentions]
    doubtful = [m.span for m in mentions if _doubtful(m)]
    chosen: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        centres = [span for span in doubtful if start <= span[0] < end]
        uncovered = [
            word.span() for word in _CAPITALISED.finditer(text, start, end)
            if _bare(word.group()) not in _NO_NAMES
            and not any(s <= word.start() < e for s, e in covered)
        ]
        if centres or any(at != start for at, _ in uncovered):
            chosen.extend(_windows(text, start, end, sorted(centres + uncovered)))
    return chosen


def _bare(word: str) -> str:
    """A capitalised word in lower case without a full stop or a contraction after it
    ("Saturday." and "It's" as "saturday" and "it")."""
    return _CLITIC.sub("", word.rstrip(".")).lower()


def _windows(
    text: str, start: int, end: int, centres: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The stretches of the sentence ``start``-``end`` reaching ``CONTEXT_WORDS`` words either
    side of each centre span, widened so as not to cut a run of capitalised words ("Gulf of
    Mexico"), those that meet joined. The recogniser reads a word with a few words around it,
    so such a stretch gives the names the whole sentence gives, at a fraction of the cost."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    if not words:
        return []
    firsts = [w[0] for w in words]
    stretches: list[tuple[int, int]] = []
    for left, right in centres:
        first = max(0, bisect_right(firsts, left) - 1 - CONTEXT_WORDS)
        last = min(len(words) - 1, bisect_right(firsts, right - 1) - 1 + CONTEXT_WORDS)
        while first > 0 and _joins(text, words[first - 1], words[first]):
            first -= 1
        while last < len(words) - 1 and _joins(text, words[last], words[last + 1]):
            last += 1
        begin, finish = words[first][0], words[last][1]
        if stretches and begin <= stretches[-1][1] + 1:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], finish))
        else:
            stretches.append((begin, finish))
    return stretches


def _joins(text: str, word: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether two words next to each other may be parts of one name: the second begins with a
    capital or a digit, or the first is a linking word ("of", "de")."""
    second = text[after[0]]
    return second.isupper() or second.isdigit() or text[word[0] : word[1]] in _LINKS


def _names(doc: Any, offset: int) -> list[Recognised]:
    """The names spaCy found in one sentence, placed in the article, a leading "the" and
    trailing numbers left out."""
    names = []
    for entity in doc.ents:
        words = list(entity)
        if words[0].lower_ == "the" and len(words) > 1:
            words = words[1:]  # "the Red Sox"
        while len(words) > 1 and _NUMBER.fullmatch(words[-1].text):
            words = words[:-1]  # "the Washington Nationals 5-3"
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        names.append((offset + start, offset + end, entity.label_))
    return names


def _combined(article: Article, mentions: list[Mention], names: list[Recognised]) -> list[Mention]:
    """The rules' mentions with the doubtful ones retyped or dropped as spaCy's names say,
    and spaCy's names of a kept kind that no mention overlaps added, in text order."""
    verdicts: dict[str, str | None] = {}  # entity id: its new kind, or None to drop it
    names = [_own(article.text, name) for name in names]
    said = [(s, e, "PERSON" if label == _POSSESSED else label) for s, e, label in names]
    for mention in mentions:
        if _doubtful(mention) and mention.entity_id not in verdicts:
            verdict = _verdict(mention, said)
            if verdict == "organisation" and (
                _after_in(article.text, mention.span[0]) or _place_name(mention.name)
            ):
                verdict = "place"  # "floods in Rancho Mirage", "Kessock Junction"
            if verdict != mention.kind:
                verdicts[mention.entity_id] = verdict
    kept = []
    for mention in mentions:
        if mention.entity_id not in verdicts:
            kept.append(mention)
            continue
        kind = verdicts[mention.entity_id]
        if kind is not None:
            kept.append(replace(mention, kind=kind, entity_id=entity_id(kind, mention.name)))
    for start, end, label in names:
        kind = LABELS.get("ORG" if label == _POSSESSED else label)
        text = article.text[start:end]
        if kind is None or not _addable(text, end, kept):
            continue
        if kind == "organisation" and _place_name(text):
            kind = "place"
        if kind == "person" and " " not in text and article.text.count(text) < 2:
            continue  # a lone word said to be a name once: too little to go on
        key = person_key(text) if kind == "person" else text
        kept.append(Mention(article.id, entity_id(kind, key), text, kind, text, (start, end)))
    doubtful = {m.entity_id for m in mentions if _doubtful(m)}
    fixed = {id(m) for m in mentions if m.entity_id not in doubtful}
    kept = harmonised(article.text, kept, fixed)
    kept.sort(key=lambda m: m.span)
    return _in_countries(article.text, kept, {id(m) for m in mentions})


def _own(text: str, name: Recognised) -> Recognised:
    """A name spaCy found without a possessive after it ("Kanye West's"); one it typed an
    organisation with a possessive is labelled _POSSESSED, as spaCy takes a person's name
    before "'s" for an organisation's ("Billy Crystal's famous clips")."""
    start, end, label = name
    own = start + len(_TRAILING_POSSESSIVE.sub("", text[start:end]))
    if own == end:
        return name
    return (start, own, _POSSESSED if label == "ORG" else label)


def _names_country(mention: Mention) -> bool:
    """Whether a mention is a country named as such ("Turkey"; not "Turkish")."""
    country = load_gazetteer().country(mention.code) if mention.code else None
    return country is not None and mention.text in (country.name, *country.aliases)


def _in_countries(text: str, mentions: list[Mention], rules: set[int]) -> list[Mention]:
    """The mentions, with each place found here (not by the rules) coded as the country named
    right after it ("Cizre in southeastern Turkey", "Cizre, Turkey"), as a capital is its
    country."""
    coded = list(mentions)
    for n, mention in enumerate(mentions[:-1]):
        after = mentions[n + 1]
        if (
            mention.kind == "place"
            and mention.code is None
            and id(mention) not in rules
            and _names_country(after)
            and _WITHIN.fullmatch(text[mention.span[1] : after.span[0]])
        ):
            coded[n] = replace(mention, code=after.code)
    return coded


def _addable(text: str, end: int, kept: list[Mention]) -> bool:
    """Whether a name spaCy found may be added: it starts with a capital or a digit, overlaps
    no mention, is not a word the rules know is no name (a month, "Jan."), does not end in a
    word for a thing (a treaty, an accord) and does not reach into the title of a person
    named right after it ("Nuclear Energy Minister Alexander Rumyantsev")."""
    words = text.split()
    if not text[:1].isupper() and not text[:1].isdigit():
        return False
    if len(words) == 1 and text.lower().rstrip(".") in _NO_NAMES:
        return False
    if words[-1].lower() in THING_WORDS:
        return False
    start = end - len(text)
    for mention in kept:
        if mention.span[0] < end and start < mention.span[1]:
            return False
        before = mention.span[0] - len(mention.title or "") - 1
        if mention.title is not None and start < mention.span[0] and before < end:
            return False
    return True


def _place_name(name: str) -> bool:
    """Whether a name begins or ends with a word for a place ("Stade de Suisse", "Pellham
    Ford")."""
    words = name.lower().split()
    return words[0] in PLACE_STARTS or words[-1] in PLACE_ENDS


def _after_in(text: str, start: int) -> bool:
    """Whether the word before ``start`` is "in" or "near" (what follows is a place)."""
    words = text[max(0, start - 8) : start].split()
    return bool(words) and words[-1].lower() in PLACE_BEFORE


def _verdict(mention: Mention, names: list[Recognised]) -> str | None:
    """What a doubtful person is by spaCy's names: its kind when a name has the same span,
    none when a name reaching beyond it overlaps it and no name there is a person's, else
    still a person."""
    start, end = mention.span
    overlapping = [(s, e, label) for s, e, label in names if s < end and start < e]
    for s, e, label in overlapping:
        if (s, e) == (start, end):
            return LABELS.get(label)
    wider = [label for s, e, label in overlapping if s < start or e > end]
    if wider and "PERSON" not in wider and all(label != "PERSON" for *_, label in overlapping):
        return None
    return mention.kind
