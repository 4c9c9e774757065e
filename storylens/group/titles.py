"""A story's title: the title of its most central titled member, the one whose term vector
lies nearest the story's centroid (pure; no I/O).

A story keeps a few members as candidates (each with its title, the opening of its text and
its highest-weighted terms). When a member joins, it and the candidates are scored against the
new centroid and the best few kept, so a title follows the story as it grows at a cost that
does not grow with its size. A titled member comes before any untitled one; among equals the
earlier member wins. When no member has a title, the story is titled by its central member's
first sentence, shortened at a word boundary.

The candidates are stored with the story (``encode``, ``decode``) so a story continued by a
later ingest keeps choosing among them.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Article

CANDIDATES = 6  # members a story keeps to choose its title among
CANDIDATE_TERMS = 30  # a candidate's highest-weighted terms kept to score it
LEAD_CHARS = 80  # an untitled story's title is its central member's first sentence, this long
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")


@dataclass(frozen=True)
class Candidate:
    """A member that may title its story: its place among the members, its title (None when
    it has none), the opening of its text (``lead``) and its highest-weighted terms."""

    position: int
    title: str | None
    lead: str
    vector: Mapping[str, float]

    def score(self, centroid: Mapping[str, float]) -> float:
        """How near the centroid the member lies (its dot product with it)."""
        return sum(w * centroid.get(t, 0.0) for t, w in self.vector.items())


def candidate(article: Article, vector: Mapping[str, float], position: int) -> Candidate:
    """The member an article becomes (``vector``: its unit term vector)."""
    top = heapq.nlargest(CANDIDATE_TERMS, vector.items(), key=lambda kv: kv[1])
    title = " ".join((article.title or "").split()) or None
    return Candidate(position, title, lead(article), {t: round(w, 5) for t, w in top})


def standing(centroid: Mapping[str, float], title: str) -> Candidate:
    """A candidate for a story stored without candidates (by an earlier storylens): its
    title as it stands, placed where the centre stood then (the stored centroid's
    direction), so that it gives way only to members nearer the centre as the story grows."""
    top = heapq.nlargest(CANDIDATE_TERMS, centroid.items(), key=lambda kv: kv[1])
    norm = sum(w * w for _, w in top) ** 0.5 or 1.0
    return Candidate(-1, title, "", {t: round(w / norm, 5) for t, w in top})


def choose(candidates: Sequence[Candidate], centroid: Mapping[str, float]) -> list[Candidate]:
    """The candidates worth keeping, best first: titled before untitled, then nearest the
    centroid, then earliest."""
    ranked = sorted(
        candidates,
        key=lambda c: (c.title is None, -round(c.score(centroid), 6), c.position),
    )
    return ranked[:CANDIDATES]


def title_of(candidates: Sequence[Candidate]) -> str | None:
    """The title the best candidate gives its story: its own, else its shortened first
    sentence; None when there is no candidate or no text."""
    if not candidates:
        return None
    best = candidates[0]
    return best.title or best.lead or None


def lead(article: Article) -> str:
    """An article's first sentence, shortened at a word boundary to about LEAD_CHARS
    characters with "…"."""
    if article.sentences:
        first = article.sentences[0].text
    else:
        first = _SENTENCE_END.split(article.text.strip(), maxsplit=1)[0]
    return shorten(" ".join(first.split()))


def shorten(text: str, limit: int = LEAD_CHARS) -> str:
    """The text, or when it is longer than ``limit`` its words up to about that length with
    "…" (a single word longer than the limit is cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    words = cut[: cut.rfind(" ")] if " " in cut[1:] else text[:limit]
    return words.rstrip(" ,;:—–-") + "…"


def encode(candidates: Sequence[Candidate]) -> str | None:
    """The candidates as stored (JSON); None when there are none."""
    if not candidates:
        return None
    return json.dumps(
        [[c.position, c.title, c.lead, dict(c.vector)] for c in candidates],
        ensure_ascii=False,
    )


def decode(stored: str | None) -> list[Candidate]:
    """The candidates from their stored form (see encode)."""
    if not stored:
        return []
    return [
        Candidate(int(position), title, str(text), {str(t): float(w) for t, w in vector.items()})
        for position, title, text, vector in json.loads(stored)
    ]
