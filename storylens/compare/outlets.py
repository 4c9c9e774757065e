"""Compare the outlets of one story: which quotes they share and how faithfully each renders
them, which facts several outlets report, and what only one outlet has.

Pure functions over articles and their attributions: no I/O, no database, no state.

Wire copies count once. An article that nearly duplicates an earlier one (``copies``) speaks
with its original's voice: its sentences and quotes are listed, marked ``copy_of``, but they
never make a fact shared, a quote matched or an outlet one more corroboration, because a
paper that reprints an agency's text does not confirm it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

import numpy as np

from ..group.stories import stop_words
from ..model import Article, Attribution, Span
from .voices import outlet_label as outlet_label  # re-exported: the label of a voice
from .voices import voices

# Two quoted passages are one statement when runs of at least QUOTE_MIN_RUN identical words
# cover QUOTE_MIN_COVER of the shorter one. Runs, not single words: two unrelated quotes share
# "the", "of", "that" here and there, but rarely two words in a row; a quote shortened with or
# without "…" keeps all its words in runs, and one with a word changed keeps most of them.
QUOTE_MIN_RUN = 2
QUOTE_MIN_COVER = 0.6
# ... and when those runs hold at least this many content words: a scare quote of one word
# ("alarmed") or of stop words is not a statement to compare between outlets.
QUOTE_MIN_CONTENT_WORDS = 2
# Reported speech is a paraphrase of a statement when the two share this share of the content
# words of the smaller (rewording keeps the nouns and most verbs, not the function words), and
# at least PARAPHRASE_MIN_SHARED of them, so that a three-word summary does not attach by luck.
PARAPHRASE_MIN_OVERLAP = 0.5
PARAPHRASE_MIN_SHARED = 3
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

# Reporting verbs and the like are in every other sentence of news and say nothing of the fact
# reported, so they count as stop words with English's.
REPORTING_WORDS = frozenset(
    {"said", "say", "says", "saying", "told", "tell", "tells", "telling", "added", "adding"}
    | {"stated", "according", "reported", "reporting", "asked", "quoted", "statement"}
)


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    """English stop words and reporting words (scikit-learn's list, loaded on first use: it
    takes a second to import, which every CLI command would pay)."""
    return stop_words() | REPORTING_WORDS
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_ELLIPSIS = re.compile(r"…|\.\.\.+")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Rendition:
    """How one article reproduces a statement. ``fidelity``: ``verbatim`` (the fullest
    rendition's words), ``shortened`` (an in-order subsequence of them, "…" or not),
    ``altered`` (words changed or added inside the quotation marks) or ``paraphrased``
    (reported speech without quotation marks). ``diff`` compares words with the fullest."""

    article_id: str
    outlet: str | None
    fidelity: str
    text: str
    spans: tuple[Span, ...]
    diff: tuple[dict[str, str], ...]
    speaker: str | None
    copy_of: str | None = None


@dataclass(frozen=True)
class MatchedQuote:
    """A statement that at least two voices (outlets, copies counting as their original)
    reproduce; ``statement`` is the fullest quoted rendition."""

    speaker: str | None
    statement: str
    renditions: tuple[Rendition, ...]


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


@dataclass(frozen=True)
class Comparison:
    """The outlets of a story compared: matched quotes, facts and each voice's own."""

    quotes: tuple[MatchedQuote, ...]
    facts: tuple[Fact, ...]  # every sentence of the story in exactly one fact, in reading order
    exclusives: dict[str, tuple[Fact, ...]]  # voice label -> facts no other voice reports


def compare_story(
    articles: list[Article],
    attributions: dict[str, list[Attribution]],
    copies: dict[str, str | None],
) -> Comparison:
    """Quotes matched across outlets, facts aligned across articles, and each outlet's
    exclusives. ``copies`` maps an article id to the id of the earlier article it copies."""
    voice = voices(articles, copies)
    quotes = _match_quotes(articles, attributions, copies, voice)
    facts = _align_facts(articles, copies, voice)
    exclusives: dict[str, tuple[Fact, ...]] = {}
    if len(set(voice.values())) > 1:  # with one voice, "reported by no other" says nothing
        for label in dict.fromkeys(voice.values()):
            own = tuple(f for f in facts if f.outlets == (label,))
            if own:
                exclusives[label] = own
    return Comparison(quotes=quotes, facts=facts, exclusives=exclusives)


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready dicts and lists (spans as [start, end] pairs)."""

    def fact(f: Fact) -> dict[str, Any]:
        return {
            "shared": f.shared,
            "outlets": list(f.outlets),
            # written out: dataclasses.asdict deep-copies, and a large story has thousands
            "sentences": [
                {
                    "article_id": s.article_id, "outlet": s.outlet, "index": s.index,
                    "text": s.text, "copy_of": s.copy_of, "start": s.start, "end": s.end,
                }
                for s in f.sentences
            ],
        }

    def rendition(r: Rendition) -> dict[str, Any]:
        row = asdict(r)
        row["spans"] = [list(span) for span in r.spans]
        row["diff"] = [dict(op) for op in r.diff]
        return row

    return {
        "quotes": [
            {
                "speaker": q.speaker,
                "statement": q.statement,
                "renditions": [rendition(r) for r in q.renditions],
            }
            for q in comparison.quotes
        ],
        "facts": [fact(f) for f in comparison.facts],
        "exclusives": {k: [fact(f) for f in v] for k, v in comparison.exclusives.items()},
    }


# --- quotes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Passage:
    article: Article
    attribution: Attribution
    spans: tuple[Span, ...]
    words: tuple[str, ...]  # as written
    keys: tuple[str, ...]  # normalised for comparison


def _word_key(word: str) -> str:
    """A word as compared: lower case, straight apostrophes, no punctuation around it."""
    return _EDGE.sub("", word.casefold().replace("’", "'").replace("‘", "'"))


def _passage(article: Article, attribution: Attribution, spans: tuple[Span, ...]) -> _Passage:
    text = " ".join(article.text[s:e] for s, e in spans)
    words = tuple(w for w in _ELLIPSIS.sub(" ", text).split() if _word_key(w))
    return _Passage(article, attribution, spans, words, tuple(_word_key(w) for w in words))


def _passages(
    articles: list[Article], attributions: dict[str, list[Attribution]]
) -> list[_Passage]:
    """Quoted passages: the pieces of a direct quote split by "he said" joined into one; each
    quoted fragment of reported speech on its own (called it a "vital role" and "a must")."""
    found = []
    for article in articles:
        for attribution in attributions.get(article.id, []):
            if not attribution.quoted:
                continue
            if attribution.kind == "direct":
                groups = [attribution.quoted]
            else:
                groups = [(span,) for span in attribution.quoted]
            found += [_passage(article, attribution, g) for g in groups]
    # the extractor may give one quote to two cues ("he said he believed"): keep it once
    unique = {(p.article.id, p.spans): p for p in reversed(found) if p.keys}
    return list(reversed(unique.values()))


def _same_statement(reference: tuple[str, ...], other: tuple[str, ...]) -> bool:
    if not other:
        return False
    blocks = SequenceMatcher(None, reference, other, autojunk=False).get_matching_blocks()
    runs = [b for b in blocks if b.size >= min(QUOTE_MIN_RUN, len(other))]
    matched = [w for b in runs for w in other[b.b : b.b + b.size]]
    content = sum(1 for w in matched if w not in _stop())
    return len(matched) >= QUOTE_MIN_COVER * len(other) and content >= QUOTE_MIN_CONTENT_WORDS


def _diff(
    reference: _Passage, words: tuple[str, ...], keys: tuple[str, ...]
) -> list[dict[str, str]]:
    matcher = SequenceMatcher(None, reference.keys, keys, autojunk=False)
    return [
        {
            "op": tag,
            "reference": " ".join(reference.words[i1:i2]),
            "rendition": " ".join(words[j1:j2]),
        }
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _fidelity(diff: list[dict[str, str]]) -> str:
    ops = {d["op"] for d in diff}
    if ops <= {"equal"}:
        return "verbatim"
    return "shortened" if ops <= {"equal", "delete"} else "altered"


def _match_quotes(
    articles: list[Article],
    attributions: dict[str, list[Attribution]],
    copies: dict[str, str | None],
    voices: dict[str, str],
) -> tuple[MatchedQuote, ...]:
    """Group quoted passages into statements, fullest first: each passage joins the first
    statement whose fullest passage it matches (speakers not consulted: outlets resolve the
    same speaker differently, "the ministry" and "the statement"), at most one passage per
    article. Then reported speech of other articles attaches as paraphrase."""
    order = {a.id: i for i, a in enumerate(articles)}
    passages = sorted(
        _passages(articles, attributions),
        key=lambda p: (-len(p.keys), order[p.article.id], p.spans[0]),
    )
    statements: list[list[_Passage]] = []
    having: dict[str, set[int]] = {}  # content word -> statements whose fullest passage has it
    for passage in passages:
        mine = {k for k in passage.keys if k not in _stop()}
        shared: Counter[int] = Counter(i for k in mine for i in having.get(k, ()))
        for index in sorted(i for i, n in shared.items() if n >= QUOTE_MIN_CONTENT_WORDS):
            members = statements[index]  # only statements sharing content words are compared
            taken = {m.article.id for m in members}
            if passage.article.id not in taken and _same_statement(members[0].keys, passage.keys):
                members.append(passage)
                break
        else:
            for key in mine:
                having.setdefault(key, set()).add(len(statements))
            statements.append([passage])

    paraphrases = _attach_paraphrases(articles, attributions, statements)

    quotes = []
    for index, members in enumerate(statements):
        reference = members[0]
        renditions: list[tuple[int, Rendition]] = []
        for p in members:
            diff = _diff(reference, p.words, p.keys)
            renditions.append((order[p.article.id], _rendition(p, _fidelity(diff), diff, copies)))
        for article, attribution in paraphrases.get(index, []):
            passage = _passage(article, attribution, attribution.content_spans)
            diff = _diff(reference, passage.words, passage.keys)
            renditions.append((order[article.id], _rendition(passage, "paraphrased", diff, copies)))
        if len({voices[r.article_id] for _, r in renditions}) < 2:
            continue
        renditions.sort(key=lambda pair: pair[0])
        reference_text = " ".join(reference.article.text[s:e] for s, e in reference.spans)
        speaker = next((p.attribution.source for p in members if p.attribution.source), None)
        quotes.append(
            MatchedQuote(
                speaker=speaker,
                statement=reference_text.rstrip(" ,;:"),  # the comma before "he said" is not his
                renditions=tuple(r for _, r in renditions),
            )
        )
    return tuple(quotes)


def _rendition(
    passage: _Passage, fidelity: str, diff: list[dict[str, str]], copies: dict[str, str | None]
) -> Rendition:
    article = passage.article
    return Rendition(
        article_id=article.id,
        outlet=article.outlet,
        fidelity=fidelity,
        text=" ".join(article.text[s:e] for s, e in passage.spans),
        spans=passage.spans,
        diff=tuple(diff),
        speaker=passage.attribution.source or passage.attribution.source_text,
        copy_of=copies.get(article.id),
    )


def _terms(text: str) -> list[str]:
    """Content words: lower case, stop and reporting words out, plurals folded."""
    return [_fold(w) for w in _WORD.findall(text.casefold()) if w not in _stop()]


def _content_words(text: str) -> set[str]:
    return set(_terms(text))


def _speaker_words(attribution: Attribution) -> set[str]:
    return _content_words(attribution.source or attribution.source_text or "")


def _attach_paraphrases(
    articles: list[Article],
    attributions: dict[str, list[Attribution]],
    statements: list[list[_Passage]],
) -> dict[int, list[tuple[Article, Attribution]]]:
    """Statement index -> the reported speech (``indirect``, or the unquoted content of a
    ``partial`` whose quoted words are another statement) of other articles that says the same:
    most content words shared, and a compatible speaker (unknown on either side, or sharing a
    word: "the ministry" and "Russian Foreign Ministry"). Each attaches to its best statement;
    an article that quotes a statement does not also paraphrase it."""
    words = [_content_words(" ".join(p.words)) for p in (m[0] for m in statements)]
    having: dict[str, set[int]] = {}
    for index, found in enumerate(words):
        for word in found:
            having.setdefault(word, set()).add(index)
    attached: dict[int, list[tuple[Article, Attribution]]] = {}
    for article in articles:
        for attribution in attributions.get(article.id, []):
            if attribution.kind == "direct":
                continue
            content = _content_words(attribution.content)
            best, best_overlap = -1, 0.0
            counts: Counter[int] = Counter(i for w in content for i in having.get(w, ()))
            for index in sorted(i for i, n in counts.items() if n >= PARAPHRASE_MIN_SHARED):
                members = statements[index]
                if any(m.article.id == article.id for m in members):
                    continue
                if any(a.id == article.id for a, _ in attached.get(index, [])):
                    continue
                speakers = [_speaker_words(m.attribution) for m in members]
                mine = _speaker_words(attribution)
                if mine and all(s and not s & mine for s in speakers):
                    continue
                shared = len(content & words[index])
                overlap = shared / max(1, min(len(content), len(words[index])))
                if shared >= PARAPHRASE_MIN_SHARED and overlap > best_overlap:
                    best, best_overlap = index, overlap
            if best >= 0 and best_overlap >= PARAPHRASE_MIN_OVERLAP:
                attached.setdefault(best, []).append((article, attribution))
    return attached


# --- facts --------------------------------------------------------------------------------


def _fold(word: str) -> str:
    """Plural and possessive folded, so "programs" meets "program" and "Korea's" "Korea"."""
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _names(articles: Iterable[Article]) -> set[str]:
    """Words the story only ever writes capitalised, seen so at least once inside a sentence
    (a capital at a sentence's start proves nothing): names, titles, demonyms, acronyms."""
    capitalised, lower = set(), set()
    for article in articles:
        for sentence in article.sentences:
            for position, match in enumerate(_WORD.finditer(sentence.text)):
                word = match.group()
                if word[0].islower():
                    lower.add(_fold(word))
                elif word[0].isupper() and position > 0:
                    capitalised.add(_fold(word.casefold()))
    return capitalised - lower


def _align_facts(
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
    boolean matrix: an edge from each sentence to its best match in each other article, among
    the sentences that pass both thresholds; no edges when the story has no content word."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    names = _names(articles)
    vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, norm=None)
    try:
        matrix = vectorizer.fit_transform([s.text for _, s in rows])
    except ValueError:  # not one content word in the story: nothing to align
        return csr_matrix(csr_matrix((len(rows), len(rows)), dtype=bool))
    vocabulary = vectorizer.get_feature_names_out()
    is_name = np.array([t in names for t in vocabulary])
    weighted = normalize(matrix.multiply(np.where(is_name, NAME_WEIGHT, 1.0)).tocsr())
    # Sparse throughout: a story of hundreds of articles has tens of thousands of
    # sentences, too many for dense pairwise matrices.
    pairs = (weighted @ weighted.T).tocoo()
    owner = np.array([order for order, a in enumerate(articles) for _ in a.sentences])
    keep = (pairs.data >= FACT_MIN_SIMILARITY) & (owner[pairs.row] != owner[pairs.col])
    left, right, score = pairs.row[keep], pairs.col[keep], pairs.data[keep]
    plain = (matrix[:, ~is_name] > 0).astype(np.int32).tocsr()
    shared = np.asarray(plain[left].multiply(plain[right]).sum(axis=1)).ravel()
    linked = shared >= FACT_MIN_SHARED_TERMS
    left, right, score = left[linked], right[linked], score[linked]
    # each sentence's best match in each other article
    order = np.lexsort((-score, owner[right], left))
    left, right = left[order], right[order]
    first = np.ones(len(left), dtype=bool)
    first[1:] = (left[1:] != left[:-1]) | (owner[right][1:] != owner[right][:-1])
    edges = csr_matrix(
        (np.ones(int(first.sum()), dtype=bool), (left[first], right[first])),
        shape=(len(rows), len(rows)),
    )
    return csr_matrix(edges)
