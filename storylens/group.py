"""Story grouping, first version: online, incremental, time-aware (pure; no I/O).

Each article becomes a TF-IDF vector of its words (title words count double); it joins the
open story whose centroid is most similar, if that story is within the time window and the
similarity reaches the threshold, and otherwise opens a new story. Near-duplicates of an
earlier member (wire copies) are found with MinHash (datasketch) over word shingles.

The state the stage reads and updates is a StoryIndex that the pipeline fills from the store
and writes back; the stage itself never touches the database.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .model import Article, Assignment
from .options import Options

MINHASH_PERMUTATIONS = 64
SHINGLE_WORDS = 5
CENTROID_TERMS = 300
MEMBERS_KEPT = 50  # signatures of a story's latest members kept for near-duplicate checks
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{2,}")


def terms_of(article: Article) -> Counter[str]:
    """Term counts of an article: body words, title words twice; stop words left out."""
    counts: Counter[str] = Counter()
    for text, weight in ((article.title or "", 2), (article.text, 1)):
        for token in _TOKEN.findall(text.lower()):
            token = token.replace("’", "'")
            if token.endswith("'s"):
                token = token[:-2]
            if len(token) > 1 and token not in ENGLISH_STOP_WORDS:
                counts[token] += weight
    return counts


def signature(article: Article) -> np.ndarray:
    """MinHash signature over word shingles of the cleaned text."""
    words = re.findall(r"\w+", article.text.lower())
    shingles = [
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    ]
    minhash = MinHash(num_perm=MINHASH_PERMUTATIONS)
    minhash.update_batch(shingles)
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def similarity_of_signatures(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def story_id_for(article_id: str) -> str:
    """A story's id derives from its first article, so it is stable however it grows."""
    return hashlib.sha256(f"story:{article_id}".encode()).hexdigest()[:16]


@dataclass
class StoryState:
    """What grouping needs to know of one open story."""

    id: str
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member unit vectors
    first_ts: float | None = None
    last_ts: float | None = None
    size: int = 0
    title: str | None = None
    members: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (article id, signature)

    def norm(self) -> float:
        return math.sqrt(sum(v * v for v in self.centroid.values())) or 1.0

    def within(self, ts: float | None, window_seconds: float) -> bool:
        if ts is None or self.first_ts is None or self.last_ts is None:
            return True
        return self.first_ts - window_seconds <= ts <= self.last_ts + window_seconds


@dataclass
class StoryIndex:
    """Open stories and document frequencies of terms: the grouping stage's state."""

    stories: dict[str, StoryState] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    changed: set[str] = field(default_factory=set)  # story ids to write back
    df_delta: Counter[str] = field(default_factory=Counter)

    def candidates(self, ts: float | None, window_seconds: float) -> Iterable[StoryState]:
        return (s for s in self.stories.values() if s.within(ts, window_seconds))

    def forget_before(self, ts: float, window_seconds: float) -> None:
        """Drop stories that can no longer take members (silent for over the window)."""
        for story_id in [
            s.id for s in self.stories.values()
            if s.last_ts is not None and s.last_ts < ts - 2 * window_seconds
            and s.id not in self.changed
        ]:
            del self.stories[story_id]


def vectorize(counts: Counter[str], index: StoryIndex) -> dict[str, float]:
    """Sublinear TF times smoothed IDF, as a unit vector."""
    n = index.documents
    vector = {
        term: (1.0 + math.log(count)) * (math.log((1 + n) / (1 + index.df.get(term, 0))) + 1.0)
        for term, count in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def group(articles: list[Article], index: StoryIndex, options: Options) -> list[Assignment]:
    """Assign each article, in publication order, to an open story or a new one."""
    window = options.story_window_hours * 3600.0
    ordered = sorted(articles, key=lambda a: (a.timestamp is None, a.timestamp or 0.0, a.id))
    assignments: list[Assignment] = []
    for article in ordered:
        counts = terms_of(article)
        for term in counts:
            index.df[term] = index.df.get(term, 0) + 1
            index.df_delta[term] += 1
        index.documents += 1
        vector = vectorize(counts, index)
        ts = article.timestamp

        best: StoryState | None = None
        best_score = 0.0
        for story in index.candidates(ts, window):
            score = sum(w * story.centroid.get(t, 0.0) for t, w in vector.items()) / story.norm()
            if score > best_score:
                best, best_score = story, score

        new_story = best is None or best_score < options.story_min_similarity
        if new_story:
            best = StoryState(id=story_id_for(article.id))
            index.stories[best.id] = best
            best_score = 1.0
        assert best is not None
        sig = signature(article)
        copy_of = _copied_from(sig, best, options)
        _add(best, article, vector, sig)
        index.changed.add(best.id)
        assignments.append(
            Assignment(
                article.id, best.id, round(best_score, 4), new_story, copy_of, sig.tobytes()
            )
        )
    return assignments


def _copied_from(sig: np.ndarray, story: StoryState, options: Options) -> str | None:
    best_id, best = None, options.wire_copy_min_jaccard
    for member_id, member_sig in story.members:
        estimate = similarity_of_signatures(sig, member_sig)
        if estimate >= best:
            best_id, best = member_id, estimate
    return best_id


def _add(story: StoryState, article: Article, vector: dict[str, float], sig: np.ndarray) -> None:
    for term, weight in vector.items():
        story.centroid[term] = story.centroid.get(term, 0.0) + weight
    if len(story.centroid) > CENTROID_TERMS:
        top = sorted(story.centroid.items(), key=lambda kv: kv[1], reverse=True)[:CENTROID_TERMS]
        story.centroid = dict(top)
    ts = article.timestamp
    if ts is not None:
        story.first_ts = ts if story.first_ts is None else min(story.first_ts, ts)
        story.last_ts = ts if story.last_ts is None else max(story.last_ts, ts)
    story.size += 1
    story.title = story.title or article.title
    story.members = (story.members + [(article.id, sig)])[-MEMBERS_KEPT:]
