"""What each new article of a story adds: its **developments**, the sentences that state
something no earlier-published member reported (pure: no I/O, no state).

The members are read in publication order (an undated one after the dated ones; ties by id).
The first adds nothing (it is where the story starts), nor does a wire copy (it reprints an
earlier member). Of any other article, a sentence is a development when it is a fact (at least
FACT_MIN_WORDS content words that are not names: a credit line "(Reporting by ...; Editing by
...)", a "he said." fragment or a dateline is none) and either

- **new**: no sentence of an earlier member states its fact (the story's fact alignment, see
  facts.align_facts), and at least NOVELTY_MIN of its content words appear in no earlier
  member (title or text): the alignment misses paraphrases ("about 1,400 people were
  evacuated" after "forcing about 1,400 people from their homes"), the word check does not;
- or an **update**: it names someone, somewhere or a figure no earlier member did (a name
  of the story, or a number, in none of the earlier members' words), however much else it
  repeats: "police named the man who died ... as Cyril Abernethy" restates the death, and
  names the victim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Sentence
from .facts import Fact, story_names
from .words import WORD, content_words, fold

# A sentence needs this many content words that are not names to state a fact: fewer is a
# credit line, a dateline, an attribution fragment ('"..." he said.') or a caption.
FACT_MIN_WORDS = 3
# A sentence no earlier sentence aligns with is new when at least this share of its content
# words appear in no earlier member. Measured (tools/developments_novelty.py): on the demo's
# flood story the restatements score 0.25 (the 1,400 evacuated, the barriers that held) and
# 0.45 (the coordinator's warning, repeated), the new facts 0.5 to 1; see README.md.
NOVELTY_MIN = 0.5
# A name shorter than this is an initial or an abbreviation ("Brian G. Nichols", "Ga."): a
# new way of writing a known name, not a new name.
NAME_MIN_LETTERS = 3
_NUMBER = re.compile(r"\d")
_PART = re.compile(r"[-'’]")


@dataclass(frozen=True)
class NewSentence:
    """A sentence of a development, where it is in its article, how new its words are (the
    share of its content words no earlier member has) and the names and figures it is the
    first to give (``adds``); ``kind``: ``new`` or ``update`` (see the module)."""

    text: str
    index: int
    start: int
    end: int
    kind: str
    novelty: float
    adds: tuple[str, ...]


@dataclass(frozen=True)
class Development:
    """An article's sentences that no earlier member reported, with its outlet and its
    publication time (ISO 8601, as stored; None when undated)."""

    article_id: str
    outlet: str | None
    published: str | None
    title: str | None
    sentences: tuple[NewSentence, ...]


def publication_order(articles: Iterable[Article]) -> list[Article]:
    """The articles by publication time (a date alone at its midday), undated ones last,
    ties by id."""
    return sorted(
        articles, key=lambda a: (a.timestamp is None, a.timestamp or 0.0, a.id)
    )


@functools.lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """words.fold, remembered: a story repeats its words many times over."""
    return fold(word)


@functools.lru_cache(maxsize=1 << 13)
def sentence_words(text: str) -> frozenset[str]:
    """A sentence's content words (words.content_words), remembered: each sentence is
    judged, then read as reported, and wire copies repeat sentences whole."""
    return frozenset(content_words(text))


def atoms(text: str) -> set[str]:
    """Every word of a text, lower case, plurals folded, parted at hyphens and apostrophes
    ("71-year-old" is 71, year and old): what a name or figure is looked up in."""
    return {
        _fold(part) for word in WORD.findall(text.casefold()) for part in _PART.split(word)
        if part
    }


@functools.cache
def not_new_names() -> frozenset[str]:
    """Capitalised words that name no one new: weekdays, months, honorifics and titles
    ("on Friday", "Mrs", "Sgt.", "Jr."), from the entity finder's word lists (loaded on first
    use)."""
    from ..extract.wordlists import word_set

    package = "storylens.extract.entities"
    return frozenset(
        w.rstrip(".")
        for name in ("weekdays", "months", "honorifics", "abbreviated", "extra_titles")
        for w in word_set(package, name)
    )


def _added(text: str, earlier_atoms: set[str], names: set[str]) -> tuple[str, ...]:
    """The names (of at least NAME_MIN_LETTERS letters, not a weekday, month or title) and
    figures of a sentence that no earlier member wrote, as written, in the order written."""
    added: dict[str, str] = {}
    for word in WORD.findall(text):
        for part in _PART.split(word):
            atom = _fold(part.casefold())
            if not part or atom in earlier_atoms or atom in added:
                continue
            if _NUMBER.search(atom) or (
                atom in names and len(atom) >= NAME_MIN_LETTERS and atom not in not_new_names()
            ):
                added[atom] = part
    return tuple(added.values())


def find_developments(
    articles: Sequence[Article], facts: Sequence[Fact], copies: dict[str, str | None]
) -> tuple[Development, ...]:
    """Each article's developments (see the module), in publication order; an article that
    adds nothing is left out. ``facts``: the story's aligned facts (align_facts over the same
    articles); ``copies``: article id -> the id of the earlier member it copies, if any."""
    ordered = publication_order(articles)
    place = {a.id: order for order, a in enumerate(ordered)}
    known = _Known(story_names(ordered), _first_seen(facts, place))
    found = []
    for order, article in enumerate(ordered):
        if order > 0 and not copies.get(article.id):
            sentences = tuple(
                new for new in (known.judge(article, order, s) for s in article.sentences)
                if new is not None
            )
            if sentences:
                found.append(Development(
                    article.id, article.outlet, article.published, article.title, sentences
                ))
        known.read(article)
    return tuple(found)


def _first_seen(facts: Sequence[Fact], place: dict[str, int]) -> dict[tuple[str, int], int]:
    """(article id, sentence index) -> the earliest place in publication order of an article
    with a sentence of the same fact."""
    seen: dict[tuple[str, int], int] = {}
    for fact in facts:
        known = [place[s.article_id] for s in fact.sentences if s.article_id in place]
        if not known:
            continue
        earliest = min(known)
        for s in fact.sentences:
            seen[(s.article_id, s.index)] = earliest
    return seen


@dataclass
class _Known:
    """What the members read so far reported: their content words and their words parted
    (atoms), with the story's names and where each sentence's fact was first seen."""

    names: set[str]
    first_seen: dict[tuple[str, int], int]
    words: set[str] = field(default_factory=set)
    atoms: set[str] = field(default_factory=set)

    def read(self, article: Article) -> None:
        """Count an article's title and sentences as reported."""
        self.words |= content_words(article.title or "")
        for sentence in article.sentences:
            self.words |= sentence_words(sentence.text)
        self.atoms |= atoms(f"{article.title or ''}\n{article.text}")

    def judge(self, article: Article, order: int, sentence: Sentence) -> NewSentence | None:
        """A sentence of the article at ``order`` (in publication order) as a development,
        or None when it is no fact or repeats what an earlier member reported."""
        words = sentence_words(sentence.text)
        if len(words - self.names) < FACT_MIN_WORDS:
            return None
        novelty = len(words - self.words) / len(words)
        adds = _added(sentence.text, self.atoms, self.names)
        # aligned with a sentence of an article before it in publication order
        aligned = self.first_seen.get((article.id, sentence.index), order) < order
        if not aligned and novelty >= NOVELTY_MIN:
            kind = "new"
        elif adds:
            kind = "update"
        else:
            return None
        return NewSentence(
            sentence.text, sentence.index, sentence.start, sentence.end, kind,
            round(novelty, 3), adds,
        )


def developments_json(found: Iterable[Development]) -> list[dict[str, Any]]:
    """Developments as JSON-ready dicts: article, outlet, publication time and date, title,
    and the sentences with their offsets in the article's text."""
    return [
        {
            "article_id": d.article_id,
            "outlet": d.outlet,
            "published": d.published,
            "date": d.published[:10] if d.published else None,
            "title": d.title,
            "sentences": [
                {
                    "text": s.text, "index": s.index, "start": s.start, "end": s.end,
                    "kind": s.kind, "novelty": s.novelty, "adds": list(s.adds),
                }
                for s in d.sentences
            ],
        }
        for d in found
    ]
