"""Compare the outlets of one story: which quotes they share and how faithfully each renders
them, which facts several outlets report, and what only one outlet has.

Pure functions over articles and their attributions: no I/O, no database, no state.

Wire copies count once. An article that nearly duplicates an earlier one (``copies``) speaks
with its original's voice: its sentences and quotes are listed, marked ``copy_of``, but they
never make a fact shared, a quote matched or an outlet one more corroboration, because a
paper that reprints an agency's text does not confirm it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Any

from ..model import Article, Attribution, Span
from .facts import Fact as Fact  # re-exported with FactSentence: what a comparison holds
from .facts import FactSentence as FactSentence
from .facts import align_facts
from .voices import outlet_label as outlet_label  # re-exported: the label of a voice
from .voices import voices
from .words import content_words, quote_words, stop, word_key

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
# A quoted passage or reported speech is compared with at most QUOTE_MAX_CANDIDATES
# statements (those sharing most content words with it), found through at most
# QUOTE_MAX_POSTINGS statements per word: bounds that a story of hundreds of outlets quoting
# one speaker reaches, and that keep matching linear in the story's size.
QUOTE_MAX_CANDIDATES = 50
QUOTE_MAX_POSTINGS = 500


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
    facts = align_facts(articles, copies, voice)
    exclusives: dict[str, tuple[Fact, ...]] = {}
    if len(set(voice.values())) > 1:  # with one voice, "reported by no other" says nothing
        alone: dict[str, list[Fact]] = {}
        for fact in facts:
            if len(fact.outlets) == 1:
                alone.setdefault(fact.outlets[0], []).append(fact)
        for label in dict.fromkeys(voice.values()):
            if label in alone:
                exclusives[label] = tuple(alone[label])
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


def _passage(article: Article, attribution: Attribution, spans: tuple[Span, ...]) -> _Passage:
    """The passage of these spans: its words as written and as compared (see quote_words:
    spacing, marks, dashes and ellipses as outlets' tokenisers leave them do not count)."""
    words = quote_words(" ".join(article.text[s:e] for s, e in spans))
    return _Passage(article, attribution, spans, words, tuple(word_key(w) for w in words))


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
    content = sum(1 for w in matched if w not in stop())
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
    taken: list[set[str]] = []  # the articles each statement has a passage of
    having = _Postings()  # content word -> statements whose fullest passage has it
    for passage in passages:
        mine = {k for k in passage.keys if k not in stop()}
        for index in having.candidates(mine, QUOTE_MIN_CONTENT_WORDS):
            members = statements[index]  # only statements sharing content words are compared
            if passage.article.id not in taken[index] and _same_statement(
                members[0].keys, passage.keys
            ):
                members.append(passage)
                taken[index].add(passage.article.id)
                break
        else:
            having.add(mine, len(statements))
            statements.append([passage])
            taken.append({passage.article.id})

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


def _speaker_words(attribution: Attribution) -> set[str]:
    return content_words(attribution.source or attribution.source_text or "")


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
    words = [content_words(" ".join(p.words)) for p in (m[0] for m in statements)]
    having = _Postings()
    for index, found in enumerate(words):
        having.add(found, index)
    states = [_Voices(members) for members in statements]
    attached: dict[int, list[tuple[Article, Attribution]]] = {}
    for article in articles:
        for attribution in attributions.get(article.id, []):
            if attribution.kind == "direct":
                continue
            content = content_words(attribution.content)
            best, best_overlap = -1, 0.0
            mine = _speaker_words(attribution)
            for index in having.candidates(content, PARAPHRASE_MIN_SHARED):
                if article.id in states[index].articles:
                    continue
                if not states[index].may_be(mine):
                    continue
                shared = len(content & words[index])
                overlap = shared / max(1, min(len(content), len(words[index])))
                if shared >= PARAPHRASE_MIN_SHARED and overlap > best_overlap:
                    best, best_overlap = index, overlap
            if best >= 0 and best_overlap >= PARAPHRASE_MIN_OVERLAP:
                attached.setdefault(best, []).append((article, attribution))
                states[best].articles.add(article.id)
    return attached


class _Voices:
    """What the paraphrase test asks of a statement's passages, kept up to date as the
    statement grows (asking it of every passage each time would cost a large story the
    square of its size): the articles that quote or paraphrase it, and its speakers' words."""

    def __init__(self, members: list[_Passage]) -> None:
        self.articles = {m.article.id for m in members}
        speakers = [_speaker_words(m.attribution) for m in members]
        self.unknown = any(not s for s in speakers)  # a passage whose speaker is not known
        self.words = set().union(*speakers)

    def may_be(self, speaker: set[str]) -> bool:
        """Whether a speaker of these words may be this statement's: unknown on either side,
        or sharing a word with one of its speakers ("the ministry", "Foreign Ministry")."""
        return not speaker or self.unknown or bool(self.words & speaker)


class _Postings:
    """Content word -> the statements that have it, for finding the few statements a passage
    can match. A word held by QUOTE_MAX_POSTINGS statements already says too little in this
    story to list more; and a passage is compared with at most QUOTE_MAX_CANDIDATES statements,
    those sharing the most words with it, so that matching stays linear in a story's quotes."""

    def __init__(self) -> None:
        self.having: dict[str, list[int]] = {}

    def add(self, words: Iterable[str], index: int) -> None:
        for word in words:
            held = self.having.setdefault(word, [])
            if len(held) < QUOTE_MAX_POSTINGS:
                held.append(index)

    def candidates(self, words: Iterable[str], least: int) -> list[int]:
        """The statements sharing at least ``least`` of the words, most shared first (the
        earlier statement first among equals), at most QUOTE_MAX_CANDIDATES."""
        counts: Counter[int] = Counter(i for w in words for i in self.having.get(w, ()))
        found = sorted((-n, i) for i, n in counts.items() if n >= least)
        return sorted(i for _, i in found[:QUOTE_MAX_CANDIDATES])
