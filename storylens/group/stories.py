"""Story grouping: online, incremental, time-aware (pure; no I/O).

Each article becomes a TF-IDF vector of its words (title words count double, names double
again). An inverted index over the open stories' centroids yields a few candidate stories;
for each, a learned merge decision (logistic regression over the cosine, the time since the
story's latest article, their product and the story's size, and with the embeddings extra the
cosine of sentence embeddings; see grouping_model.json and tools/fit_grouping.py) gives the
probability that the article reports the same event. The
article joins the most probable story when that probability reaches the setting, and opens a
new story otherwise. Headlines and snippets (few words) and full articles have separate
weights: a headline's few shared words mean something else than an article's.

Near-duplicates of an earlier member (wire copies) are found with MinHash (datasketch) over
word shingles.

Articles of every language are grouped alike (their language is not read here): word overlap
between two languages is rarely enough to join them, so a story is in practice of one
language, and words common to many articles weigh little whatever their language.

The state the stage reads and updates is a StoryIndex that the pipeline fills from the store
and writes back; the stage itself never touches the database.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from ..model import Article, Assignment
from ..options import Options
from . import titles

MINHASH_PERMUTATIONS = 64
SHINGLE_WORDS = 5
ARTICLE_TERMS = 60
CENTROID_TERMS = 200
MEMBERS_KEPT = 50  # signatures of a story's latest members kept for near-duplicate checks
QUERY_TERMS = 20  # an article's highest-weighted terms used to look up candidate stories
RERANKED_STORIES = 8  # candidates scored with the merge decision
HEADLINE_WORDS = 40  # texts with fewer words (title and body) are judged as headlines
MIN_GAP_HOURS = 1.0  # publication times are compared at no finer than this resolution
COMMON_TERM_STORIES = 500  # a term in more open stories than this is not used to find them
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list), loaded once, on first use."""
    # Imported here: scikit-learn takes most of a second to import, which every CLI command
    # would otherwise pay.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


NAME_WEIGHT = 2  # a capitalised token (a name, most often) counts this many times


def terms_of(article: Article) -> Counter[str]:
    """Term counts of an article: body words, title words twice, capitalised words (names of
    people, places, organisations) twice again; stop words left out."""
    stopped = stop_words()
    counts: Counter[str] = Counter()
    for text, weight in ((article.title or "", 2), (article.text, 1)):
        for raw in _TOKEN.findall(text):
            token = raw.lower().replace("’", "'")
            if token.endswith("'s"):
                token = token[:-2]
            if len(token) > 1 and token not in stopped:
                counts[token] += weight * (NAME_WEIGHT if raw[0].isupper() else 1)
    return counts


def signature(article: Article) -> np.ndarray:
    """MinHash signature over word shingles of the cleaned text."""
    words = re.findall(r"\w+", article.text.lower())
    shingles = [
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    ]
    from datasketch import MinHash  # imported on first use: it takes most of a second

    minhash = MinHash(
        num_perm=MINHASH_PERMUTATIONS,
        hashfunc=zlib.crc32,
        permutations=_permutations(),
        scheme="affine32",
    )
    minhash.update_batch(shingles)
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, drawn once (datasketch draws them per object otherwise).
    CRC32 hashes the shingles: a fixed, fast C hash, so stored signatures stay comparable."""
    from datasketch import MinHash

    template = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1, scheme="affine32")
    return template.permutations  # type: ignore[no-any-return]


def warm_up() -> None:
    """Load the lazily imported parts now (before worker processes are forked)."""
    stop_words()
    _permutations()
    merge_model()


FEATURES = (
    "cosine", "log_gap_hours", "cosine_x_log_gap", "time_unknown", "log_size", "embedding_cosine"
)
EMBEDDED = "+embeddings"  # suffix of the kinds whose weights use sentence embeddings


@dataclass(frozen=True)
class MergeModel:
    """Logistic regression weights of the merge decision, one set per kind of text."""

    weights: dict[str, tuple[float, ...]]  # kind ("headline", "article") -> bias, then FEATURES

    def probability(self, kind: str, values: Sequence[float]) -> float:
        weights = self.weights[kind]
        z = weights[0] + sum(w * v for w, v in zip(weights[1:], values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=1)
def merge_model() -> MergeModel:
    """The fitted merge decision shipped with the package (grouping_model.json)."""
    model_file = resources.files("storylens.group").joinpath("grouping_model.json")
    data = json.loads(model_file.read_text())
    if tuple(data["features"]) != FEATURES:
        raise ValueError("grouping_model.json was fitted for other features")
    return MergeModel({kind: tuple(w) for kind, w in data["weights"].items()})


def text_kind(article: Article) -> str:
    """'headline' for a headline or snippet, 'article' for a full text."""
    words = len(article.text.split()) + len((article.title or "").split())
    return "headline" if words < HEADLINE_WORDS else "article"


def features(
    vector: dict[str, float],
    ts: float | None,
    story: StoryState,
    embedding: np.ndarray | None = None,
) -> tuple[float, ...]:
    """What the merge decision weighs for an article (unit vector, time, and its sentence
    embedding where there is one) and a story."""
    cosine = _dot(vector, story.centroid) / story.norm
    dense = 0.0
    if embedding is not None and story.embedding is not None:
        dense = float(embedding @ story.embedding) / (float(np.linalg.norm(story.embedding)) or 1.0)
    if ts is None or story.last_ts is None:
        log_gap, unknown = 0.0, 1.0
    else:
        log_gap, unknown = math.log1p(max(MIN_GAP_HOURS, (ts - story.last_ts) / 3600.0)), 0.0
    return (cosine, log_gap, cosine * log_gap, unknown, math.log(max(1, story.size)), dense)


def publication_order(article: Article) -> tuple[bool, float, str]:
    """The order grouping takes articles in: dated ones first, by time, then by id."""
    return (article.timestamp is None, article.timestamp or 0.0, article.id)


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
    norm: float = 0.0  # length of the centroid, kept up to date by add()
    signatures: np.ndarray | None = None  # the members' signatures as rows, kept by add()
    embedding: np.ndarray | None = None  # sum of the members' sentence embeddings, if any
    candidates: list[titles.Candidate] = field(default_factory=list)  # to choose the title

    @property
    def title_candidates(self) -> str | None:
        """The members the title is chosen among, as stored (see titles.encode)."""
        return titles.encode(self.candidates)

    def __post_init__(self) -> None:
        if not self.norm:
            self.norm = math.sqrt(sum(v * v for v in self.centroid.values())) or 1.0
        if self.members and self.signatures is None:
            self.signatures = np.stack([sig for _, sig in self.members])

    def within(self, ts: float | None, window_seconds: float) -> bool:
        if ts is None or self.first_ts is None or self.last_ts is None:
            return True
        return self.first_ts - window_seconds <= ts <= self.last_ts + window_seconds

    def add(
        self,
        article: Article,
        vector: dict[str, float],
        sig: np.ndarray,
        embedding: np.ndarray | None = None,
    ) -> None:
        """Take an article (its unit vector, MinHash signature and sentence embedding, where
        there is one) as a member."""
        if embedding is not None:
            self.embedding = embedding.copy() if self.embedding is None else (
                self.embedding + embedding
            )
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        if len(self.centroid) > CENTROID_TERMS:
            top = sorted(self.centroid.items(), key=lambda kv: kv[1], reverse=True)
            self.centroid = dict(top[:CENTROID_TERMS])
        self.norm = math.sqrt(sum(v * v for v in self.centroid.values())) or 1.0
        ts = article.timestamp
        if ts is not None:
            self.first_ts = ts if self.first_ts is None else min(self.first_ts, ts)
            self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)
        self.size += 1
        joining = titles.candidate(article, vector, self.size - 1)
        self.candidates = titles.choose([*self.candidates, joining], self.centroid)
        self.title = titles.title_of(self.candidates)
        self.members = (self.members + [(article.id, sig)])[-MEMBERS_KEPT:]
        row = sig[np.newaxis, :]
        kept = self.signatures
        self.signatures = row if kept is None else np.vstack((kept[1 - MEMBERS_KEPT :], row))


@dataclass
class StoryIndex:
    """Open stories and document frequencies of terms: the grouping stage's state."""

    stories: dict[str, StoryState] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    changed: set[str] = field(default_factory=set)  # story ids to write back
    df_delta: Counter[str] = field(default_factory=Counter)
    postings: dict[str, set[str]] = field(default_factory=dict)  # term -> ids of open stories

    def vector_of(self, counts: Counter[str]) -> dict[str, float]:
        """Count a new document's terms into the document frequencies, then vectorize it."""
        for term in counts:
            self.df[term] = self.df.get(term, 0) + 1
            self.df_delta[term] += 1
        self.documents += 1
        return vectorize(counts, self)

    def add_story(self, story: StoryState) -> None:
        self.stories[story.id] = story
        self.post(story)

    def post(self, story: StoryState, terms: Iterable[str] | None = None) -> None:
        """Index a story under its centroid's terms (or only the given ones, when just they
        were added)."""
        for term in story.centroid if terms is None else terms:
            if term in story.centroid:
                self.postings.setdefault(term, set()).add(story.id)

    def candidates(
        self, vector: dict[str, float], ts: float | None, window_seconds: float
    ) -> list[StoryState]:
        """The open stories in the time window that best match the article's top terms.

        An inverted index (term -> stories) gives the stories sharing one of the article's
        highest-weighted terms; they are ranked by the part of the cosine those terms carry,
        and the best few are returned for full scoring. The cost does not grow with the
        number of stories in the database.
        """
        top = heapq.nlargest(QUERY_TERMS, vector.items(), key=lambda kv: kv[1])
        stories = self.stories
        partial: dict[str, float] = {}
        for term, weight in top:
            posting = self.postings.get(term)
            if not posting or len(posting) > COMMON_TERM_STORIES:
                continue  # a term that many open stories share does not tell them apart
            stale = []
            for story_id in posting:
                story = stories.get(story_id)
                if story is None:
                    stale.append(story_id)
                else:
                    partial[story_id] = partial.get(story_id, 0.0) + weight * story.centroid.get(
                        term, 0.0
                    )
            posting.difference_update(stale)
        ranked = sorted(
            ((value / stories[story_id].norm, story_id) for story_id, value in partial.items()),
            reverse=True,
        )
        found: list[StoryState] = []
        for _, story_id in ranked:  # the time window is checked on the best only
            story = stories[story_id]
            if story.within(ts, window_seconds):
                found.append(story)
                if len(found) == RERANKED_STORIES:
                    break
        return found

    def forget_before(self, ts: float, window_seconds: float) -> None:
        """Drop stories that can no longer take members (silent for over the window)."""
        for story_id in [
            s.id for s in self.stories.values()
            if s.last_ts is not None and s.last_ts < ts - window_seconds
            and s.id not in self.changed
        ]:
            story = self.stories.pop(story_id)
            for term in story.centroid:  # terms dropped from a centroid earlier go stale
                posting = self.postings.get(term)  # and are cleared when next looked up
                if posting is not None:
                    posting.discard(story_id)
                    if not posting:
                        del self.postings[term]


def vectorize(counts: Counter[str], index: StoryIndex) -> dict[str, float]:
    """Sublinear TF times smoothed IDF, as a unit vector of the article's highest-weighted
    terms (the rest carry little of the cosine and cost most of the time)."""
    n = index.documents
    log_n = math.log(1 + n)
    df = index.df
    weighted = [
        (term, (1.0 + math.log(count)) * (log_n - math.log(1 + df.get(term, 0)) + 1.0))
        for term, count in counts.items()
    ]
    vector = dict(heapq.nlargest(ARTICLE_TERMS, weighted, key=lambda kv: kv[1]))
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def group(
    articles: list[Article],
    index: StoryIndex,
    options: Options,
    terms: dict[str, Counter[str]] | None = None,
    signatures: dict[str, np.ndarray] | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
    model: MergeModel | None = None,
) -> list[Assignment]:
    """Assign each article, in publication order, to an open story or a new one.

    ``terms`` and ``signatures`` may hold the articles' term counts (terms_of) and MinHash
    signatures (signature) where the caller computed them already; ``embeddings`` the
    articles' sentence embeddings (embed.embed), when that extra is in use; ``model`` the
    merge decision to use instead of the shipped one (tools/fit_grouping.py tries its fits).
    """
    window = options.story_window_hours * 3600.0
    model = model or merge_model()
    ordered = sorted(articles, key=publication_order)
    assignments: list[Assignment] = []
    for article in ordered:
        counts = terms[article.id] if terms and article.id in terms else terms_of(article)
        vector = index.vector_of(counts)
        ts = article.timestamp

        kind = text_kind(article)
        dense = None
        if embeddings is not None:
            kind += EMBEDDED
            dense = embeddings[article.id]
        best: StoryState | None = None
        best_score = 0.0
        for story in index.candidates(vector, ts, window):
            score = model.probability(kind, features(vector, ts, story, dense))
            if score > best_score:
                best, best_score = story, score

        new_story = best is None or best_score < options.story_min_probability
        if new_story:
            best, best_score = None, 1.0
        sig = signatures[article.id] if signatures and article.id in signatures else signature(
            article
        )
        assignments.append(_join(index, article, vector, sig, dense, best, best_score, options))
    return assignments


def apply(
    articles: list[Article],
    index: StoryIndex,
    decided: dict[str, Assignment],
    options: Options,
    terms: dict[str, Counter[str]] | None = None,
    signatures: dict[str, np.ndarray] | None = None,
    embeddings: dict[str, np.ndarray] | None = None,
) -> list[Assignment]:
    """Take the articles into the stories decided for them elsewhere (``decided``, by
    article id: the distributed grouping of storylens.spark), updating the index as group()
    does; a story the index does not hold is opened. The articles go in publication order,
    and each assignment's place and near-duplicate check are those of this index.
    ``terms``, ``signatures`` and ``embeddings`` as for group()."""
    ordered = sorted(articles, key=publication_order)
    assignments: list[Assignment] = []
    for article in ordered:
        counts = terms[article.id] if terms and article.id in terms else terms_of(article)
        vector = index.vector_of(counts)
        sig = signatures[article.id] if signatures and article.id in signatures else signature(
            article
        )
        choice = decided[article.id]
        story = index.stories.get(choice.story_id)
        if story is None:
            story = StoryState(id=choice.story_id)
            index.stories[story.id] = story
        score = 1.0 if story.size == 0 else choice.similarity
        dense = embeddings[article.id] if embeddings is not None else None
        assignments.append(_join(index, article, vector, sig, dense, story, score, options))
    return assignments


def _join(
    index: StoryIndex,
    article: Article,
    vector: dict[str, float],
    sig: np.ndarray,
    dense: np.ndarray | None,
    story: StoryState | None,
    score: float,
    options: Options,
) -> Assignment:
    """Add the article to the story (a new one when None) and say where it went."""
    new_story = story is None or story.size == 0
    if story is None:
        story = StoryState(id=story_id_for(article.id))
        index.stories[story.id] = story
    copy_of = _copied_from(sig, story, options)
    story.add(article, vector, sig, dense)
    index.post(story, vector)
    index.changed.add(story.id)
    return Assignment(
        article.id, story.id, round(score, 4), new_story, copy_of, sig.tobytes(), story.size - 1
    )


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _copied_from(sig: np.ndarray, story: StoryState, options: Options) -> str | None:
    """The earlier member this article nearly duplicates (estimated Jaccard similarity of
    their shingles at least the setting), the closest one; None when there is none."""
    matrix = story.signatures
    if matrix is None:
        return None
    estimates = np.count_nonzero(matrix == sig, axis=1) / matrix.shape[1]
    best = int(np.argmax(estimates))
    if estimates[best] >= options.wire_copy_min_jaccard:
        return story.members[best][0]
    return None
