"""Facts across a story's articles: every sentence aligned with its counterparts in the other
articles (TF-IDF over content words, names weighed down), aligned sentences grouped into
facts, each with the voices that report it (pure: no I/O, no state).

Articles of every language take part (unlike the English-only extraction stages, see
Article.analysed): alignment is overlap of the words two sentences share, which holds in any
language written with spaces; English stop words are simply absent from the others, and two
articles in different languages share too few words to make a fact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Article
from .words import WORD, fold, terms

# Names (words the story only ever capitalises: people, places, titles, demonyms) weigh this
# much of an ordinary content word in fact alignment. Every sentence of a story names the same
# few actors, so sharing "Prime Minister Junichiro Koizumi" says little about sharing a fact;
# sharing "froze", "1994", "agreement", "energy" says a lot.
NAME_WEIGHT = 0.3
# Two sentences state the same fact when the cosine of their TF-IDF vectors (names weighed
# down, fitted on the story's own sentences) reaches this, and they share at least
# FACT_MIN_SHARED_TERMS content words that are not names. The cosine alone lets a long sentence
# of names and one common word through; the count alone lets two long sentences that happen
# to share two words through.
FACT_MIN_SIMILARITY = 0.3
FACT_MIN_SHARED_TERMS = 2
# Two articles' first sentences (their leads) state the same fact at this lower cosine (with
# FACT_MIN_SHARED_TERMS as ever). The grouping put the articles in one story because they
# report one event, and a news article's lead states that event, each outlet in its own
# words: the two seed reports' leads (a government's concern at a country leaving a treaty,
# one naming the country, the other its initials) reach a cosine of only 0.19.
LEAD_MIN_SIMILARITY = 0.15
# Each article's sentences are aligned with those of the articles at most this many places
# before or after it in the story (its members in the order they came). Every story of up to
# this many articles is aligned in full; in a larger one, a fact far apart still forms through
# the articles between, and the cost of a story grows with its size, not with its square.
# Sentences are compared a block of about FACT_BLOCK_SENTENCES at a time (whole articles).
FACT_WINDOW_ARTICLES = 100
FACT_BLOCK_SENTENCES = 512


@dataclass(frozen=True)
class FactSentence:
    """A sentence of a fact: where it is, which outlet wrote it and what it copies."""

    article_id: str
    outlet: str | None
    index: int  # the sentence's index in its article
    text: str
    copy_of: str | None = None
    start: int = 0  # the sentence's offsets in its article's text
    end: int = 0


@dataclass(frozen=True)
class Fact:
    """Sentences of different articles that state the same thing. ``outlets``: the voices that
    report it (see ``outlet_label``), copies not counted; ``shared`` when there are two or more."""

    sentences: tuple[FactSentence, ...]
    outlets: tuple[str, ...]
    shared: bool


def story_names(articles: Iterable[Article]) -> set[str]:
    """Words the story only ever writes capitalised, seen so at least once inside a sentence
    (a capital at a sentence's start proves nothing): names, titles, demonyms, acronyms."""
    capitalised, lower = set(), set()
    for article in articles:
        for sentence in article.sentences:
            for position, match in enumerate(WORD.finditer(sentence.text)):
                word = match.group()
                if word[0].islower():
                    lower.add(fold(word))
                elif word[0].isupper() and position > 0:
                    capitalised.add(fold(word.casefold()))
    return capitalised - lower


def align_facts(
    articles: list[Article], copies: dict[str, str | None], voices: dict[str, str]
) -> tuple[Fact, ...]:
    """Align every sentence with its counterparts in the other articles and group the aligned
    sentences into facts. A pair aligns when it passes both thresholds (see the constants) and
    one of the two is the other's best match in its article: one-to-one-ish, so a sentence
    split in two elsewhere still meets both halves, but a sentence does not collect every
    sentence that mentions the same actor."""
    rows = [(a, s) for a in articles for s in a.sentences]
    if not rows:
        return ()
    from scipy.sparse.csgraph import connected_components

    _, component = connected_components(_fact_edges(articles, rows), directed=False)

    groups: dict[int, list[int]] = {}
    for i, label in enumerate(component):
        groups.setdefault(int(label), []).append(i)
    facts = []
    for members in sorted(groups.values(), key=min):
        labels = tuple(dict.fromkeys(voices[rows[i][0].id] for i in members))
        sentences = tuple(
            FactSentence(a.id, a.outlet, s.index, s.text, copies.get(a.id), s.start, s.end)
            for a, s in (rows[i] for i in members)
        )
        facts.append(Fact(sentences=sentences, outlets=labels, shared=len(labels) > 1))
    return tuple(facts)


def _fact_edges(articles: list[Article], rows: list[tuple[Article, Any]]) -> Any:
    """The alignment of the story's sentences (``rows``, article by article) as a sparse
    boolean matrix: an edge from each sentence to its best match in each other article within
    FACT_WINDOW_ARTICLES of its own, among the sentences that pass both thresholds, and back
    from that article's best match to it; no edges when the story has no content word."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    names = story_names(articles)
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, norm=None)
    try:
        matrix = vectorizer.fit_transform([s.text for _, s in rows])
    except ValueError:  # not one content word in the story: nothing to align
        return csr_matrix(csr_matrix((len(rows), len(rows)), dtype=bool))
    vocabulary = vectorizer.get_feature_names_out()
    is_name = np.array([t in names for t in vocabulary])
    weighted = normalize(matrix.multiply(np.where(is_name, NAME_WEIGHT, 1.0)).tocsr())
    plain = (matrix[:, ~is_name] > 0).astype(np.int32).tocsr()
    owner = np.array([order for order, a in enumerate(articles) for _ in a.sentences])
    lead = np.array([s.index == 0 for _, s in rows], dtype=bool)
    starts = np.searchsorted(owner, np.arange(len(articles) + 1))  # article -> first row
    found = [
        _block_edges(weighted, plain, (owner, lead), rows_, window)
        for rows_, window in _blocks(starts)
    ]
    left = np.concatenate([f[0] for f in found])
    right = np.concatenate([f[1] for f in found])
    edges = csr_matrix(
        (np.ones(len(left), dtype=bool), (left, right)), shape=(len(rows), len(rows))
    )
    return csr_matrix(edges)


def _blocks(starts: Any) -> Iterable[tuple[range, range]]:
    """The story's sentences cut into blocks of whole articles (about FACT_BLOCK_SENTENCES
    each), each with its window: the rows of its own articles and of the
    FACT_WINDOW_ARTICLES articles before them. Every pair of articles at most that far apart
    in the story's order meets in exactly one block, so the work grows with the story's size,
    not with its square."""
    count = len(starts) - 1
    first = 0
    while first < count:
        last = first + 1
        while last < count and starts[last + 1] - starts[first] <= FACT_BLOCK_SENTENCES:
            last += 1
        window = max(0, first - FACT_WINDOW_ARTICLES)
        yield (
            range(int(starts[first]), int(starts[last])),
            range(int(starts[window]), int(starts[last])),
        )
        first = last


def _block_edges(
    weighted: Any, plain: Any, rowinfo: tuple[Any, Any], rows: range, window: range
) -> tuple[Any, Any]:
    """The alignment edges found between a block's sentences (``rows``) and its window's:
    pairs of different articles that pass both thresholds (two leads the lower
    LEAD_MIN_SIMILARITY), kept where one sentence is the other's best match in the other's
    article (both ways, since a block's earlier window does not look forward). ``rowinfo``:
    each row's article (its order in the story) and whether it is its article's lead."""
    owner, lead = rowinfo
    pairs = (weighted[rows.start : rows.stop] @ weighted[window.start : window.stop].T).tocoo()
    left, right = pairs.row + rows.start, pairs.col + window.start
    bar = np.where(lead[left] & lead[right], LEAD_MIN_SIMILARITY, FACT_MIN_SIMILARITY)
    keep = (pairs.data >= bar) & (owner[left] != owner[right])
    # a pair inside the block is met twice, (i, j) and (j, i): keep it once
    keep &= (right < rows.start) | (left < right)
    left, right, score = left[keep], right[keep], pairs.data[keep]
    shared = np.asarray(plain[left].multiply(plain[right]).sum(axis=1)).ravel()
    linked = shared >= FACT_MIN_SHARED_TERMS
    left, right, score = left[linked], right[linked], score[linked]
    forward_l, forward_r = _best(left, right, score, owner)
    back_r, back_l = _best(right, left, score, owner)
    return np.concatenate([forward_l, back_l]), np.concatenate([forward_r, back_r])


def _best(left: Any, right: Any, score: Any, owner: Any) -> tuple[Any, Any]:
    """Of the scored pairs (left, right), each left sentence's best right one in each
    article."""
    order = np.lexsort((-score, owner[right], left))
    left, right = left[order], right[order]
    first = np.ones(len(left), dtype=bool)
    first[1:] = (left[1:] != left[:-1]) | (owner[right][1:] != owner[right][:-1])
    return left[first], right[first]
