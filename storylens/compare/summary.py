"""A story's summary with its citations: the few facts most of its outlets report, in the order
the story unfolded, each shown as one sentence an outlet wrote and followed by every outlet
that reports it (where, in its article); then, for each outlet, what only it reports.

Extractive and pure: every sentence shown is a sentence of an article, with its offsets in
that article's text; nothing is written, only chosen. It is read from the outlets' comparison
(``compare_story``): its facts already count a wire copy as the outlet it copies, so a copy
never makes a fact "reported by most". A story with no fact that two outlets share (one
article, or outlets that agree on nothing) is summed up by its earliest article's lead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..model import Article
from .facts import Fact, FactSentence, story_names
from .outlets import Comparison
from .voices import voices
from .words import content_words

# At most this many facts make the summary: the ones the most outlets report (the earlier in
# the story first among equals), shown in the order the story unfolded. Five sentences read
# in under a minute and are about what a news lead and its first paragraphs hold.
SUMMARY_MAX_FACTS = 5
# ... and only facts that at least this share of the most reported fact's outlets report:
# in a story of twenty outlets, a fact that two of them share is no summary of it.
SUMMARY_MIN_SHARE = 0.5
# Under each outlet, at most this many of the facts only it reports: its earliest in its
# articles (news puts what matters first), not every sentence.
SUMMARY_MAX_EXCLUSIVES = 3
# A sentence of fewer content words than this, names not counted, says too little to stand in
# a summary of its own: a byline ("By Ana Lopes"), a credit line ("(Reporting by Tiago
# Marvão; Editing by Helen Strand)"), "Click here", a one-word line, a quote's tail.
SUMMARY_MIN_CONTENT_WORDS = 3
# A story no two outlets share a fact of is summed up by this many sentences of its earliest
# article's lead.
SUMMARY_LEAD_SENTENCES = 2


@dataclass(frozen=True)
class Citation:
    """Where an outlet (a voice: a wire copy cites as the outlet it copies) reports a fact:
    its sentence's article, index and [start, end) offsets in that article's text."""

    outlet: str
    article_id: str
    index: int
    start: int
    end: int


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of the summary: an outlet's sentence as written (``text`` is exactly
    ``article.text[start:end]``), with the outlets that report its fact."""

    text: str
    article_id: str
    outlet: str  # the voice that wrote the sentence shown
    index: int
    start: int
    end: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Summary:
    """``kind``: "shared" (facts several outlets report) or "lead" (no fact is shared: the
    earliest article's first sentences). ``exclusives``: voice label -> its own facts."""

    kind: str
    sentences: tuple[SummarySentence, ...]
    exclusives: dict[str, tuple[SummarySentence, ...]]


def summarise(
    articles: list[Article], comparison: Comparison, copies: dict[str, str | None]
) -> Summary:
    """The summary of a story whose outlets ``comparison`` compares (see the constants for
    how many facts, which, and how each is shown)."""
    voice = voices(articles, copies)
    clock = _Clock(articles)
    names = story_names(articles)
    chosen = _most_reported(comparison.facts, clock)
    if chosen:
        kind = "shared"
        sentences = tuple(_shown(fact, voice, clock) for fact in chosen)
    else:
        kind = "lead"
        sentences = _lead(articles, voice, clock, names)
    shown = {(s.article_id, s.index) for s in sentences}
    exclusives = {
        label: picked
        for label, facts in comparison.exclusives.items()
        if (picked := _own(facts, voice, clock, shown, names))
    }
    return Summary(kind=kind, sentences=sentences, exclusives=exclusives)


class _Clock:
    """When each sentence was published, for ordering: its article's time (undated last),
    then its place in the article, then its article's place in the story."""

    def __init__(self, articles: list[Article]) -> None:
        self.order = {a.id: i for i, a in enumerate(articles)}
        self.time = {a.id: _timestamp(a) for a in articles}

    def key(self, sentence: FactSentence) -> tuple[float, int, int]:
        return (self.time[sentence.article_id], sentence.index, self.order[sentence.article_id])

    def first(self, fact: Fact) -> FactSentence:
        """The fact's first sentence to be published, an original's before a wire copy's."""
        originals = [s for s in fact.sentences if s.copy_of is None] or list(fact.sentences)
        return min(originals, key=self.key)


def _timestamp(article: Article) -> float:
    try:
        moment = article.timestamp
    except ValueError:  # a stored article has a valid date; one made by hand may not
        return math.inf
    return math.inf if moment is None else moment


def _most_reported(facts: tuple[Fact, ...], clock: _Clock) -> list[Fact]:
    """The facts most outlets report (at most SUMMARY_MAX_FACTS, each by at least
    SUMMARY_MIN_SHARE of the top count, never fewer than two), in story order."""
    shared = [f for f in facts if len(f.outlets) > 1]
    if not shared:
        return []
    least = max(2, math.ceil(SUMMARY_MIN_SHARE * max(len(f.outlets) for f in shared)))
    ranked = sorted(
        (f for f in shared if len(f.outlets) >= least),
        key=lambda f: (-len(f.outlets), clock.key(clock.first(f))),
    )
    return sorted(ranked[:SUMMARY_MAX_FACTS], key=lambda f: clock.key(clock.first(f)))


# First words of a sentence that leans on the one before it ("He said the talks ...", "It
# was the third ..."): shown alone in a summary, it would not say who or what.
BACK_REFERENCES = frozenset(
    {"he", "she", "they", "it", "his", "her", "their", "its", "this", "these", "that", "those",
     "but", "and", "also", "there"}
)


def _stands_alone(text: str) -> bool:
    """Whether a sentence can be read without the one before it: it does not open with a
    pronoun or a word that joins it to what came before."""
    words = text.lstrip("\"'“‘ ").split(maxsplit=1)
    return not words or words[0].strip(",;:").lower() not in BACK_REFERENCES


def _shown(fact: Fact, voice: dict[str, str], clock: _Clock) -> SummarySentence:
    """A fact as the summary shows it: the first outlet's sentence (the story's first words
    on it), or the first that stands alone when that one leans on the sentence before it
    ("He said ..."); cited by every voice reporting it, each at its own first sentence of
    the fact."""
    first = clock.first(fact)
    if not _stands_alone(first.text):
        ordered = sorted(fact.sentences, key=lambda s: (s.copy_of is not None, clock.key(s)))
        first = next((s for s in ordered if _stands_alone(s.text)), first)
    mine: dict[str, FactSentence] = {}
    for sentence in sorted(fact.sentences, key=lambda s: (s.copy_of is not None, clock.key(s))):
        mine.setdefault(voice[sentence.article_id], sentence)
    citations = tuple(
        Citation(label, s.article_id, s.index, s.start, s.end)
        for label, s in sorted(mine.items(), key=lambda pair: clock.key(pair[1]))
    )
    return _sentence(first, voice, citations)


def _sentence(
    sentence: FactSentence, voice: dict[str, str], citations: tuple[Citation, ...] | None = None
) -> SummarySentence:
    label = voice[sentence.article_id]
    if citations is None:
        citations = (
            Citation(label, sentence.article_id, sentence.index, sentence.start, sentence.end),
        )
    return SummarySentence(
        text=sentence.text, article_id=sentence.article_id, outlet=label, index=sentence.index,
        start=sentence.start, end=sentence.end, citations=citations,
    )


def _says_enough(text: str, names: set[str]) -> bool:
    """Whether a sentence has SUMMARY_MIN_CONTENT_WORDS content words besides the story's
    names (words it only ever capitalises: see story_names)."""
    return len(content_words(text) - names) >= SUMMARY_MIN_CONTENT_WORDS


def _lead(
    articles: list[Article], voice: dict[str, str], clock: _Clock, names: set[str]
) -> tuple[SummarySentence, ...]:
    """The earliest article's first SUMMARY_LEAD_SENTENCES sentences that say enough."""
    dated = [a for a in articles if a.sentences]
    if not dated:
        return ()
    first = min(dated, key=lambda a: (clock.time[a.id], clock.order[a.id]))
    found = []
    for s in first.sentences:
        if _says_enough(s.text, names):
            fact = FactSentence(first.id, first.outlet, s.index, s.text, None, s.start, s.end)
            found.append(_sentence(fact, voice))
        if len(found) == SUMMARY_LEAD_SENTENCES:
            break
    return tuple(found)


def _own(
    facts: tuple[Fact, ...],
    voice: dict[str, str],
    clock: _Clock,
    shown: set[tuple[str, int]],
    names: set[str],
) -> tuple[SummarySentence, ...]:
    """What only one voice reports, as the summary lists it: of its facts that say enough,
    stand alone ("His body was recovered" does not) and are not shown above, the
    SUMMARY_MAX_EXCLUSIVES that come first in its articles."""
    candidates = [clock.first(f) for f in facts]
    kept = [
        s for s in candidates
        if (s.article_id, s.index) not in shown and _says_enough(s.text, names)
        and _stands_alone(s.text)
    ]
    kept.sort(key=lambda s: (s.index, clock.time[s.article_id], clock.order[s.article_id]))
    return tuple(_sentence(s, voice) for s in kept[:SUMMARY_MAX_EXCLUSIVES])


def summary_json(summary: Summary) -> dict[str, Any]:
    """The summary as JSON-ready values (the ``summary`` of a story's view)."""

    def sentence(s: SummarySentence) -> dict[str, Any]:
        return {
            "text": s.text, "article_id": s.article_id, "outlet": s.outlet, "index": s.index,
            "start": s.start, "end": s.end,
            "outlets": [
                {"outlet": c.outlet, "article_id": c.article_id, "index": c.index,
                 "start": c.start, "end": c.end}
                for c in s.citations
            ],
        }

    return {
        "kind": summary.kind,
        "sentences": [sentence(s) for s in summary.sentences],
        "exclusives": [
            {"outlet": label, "sentences": [sentence(s) for s in found]}
            for label, found in summary.exclusives.items()
        ],
    }
