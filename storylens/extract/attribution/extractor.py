"""The attribution stage over articles: the paragraphs worth parsing parsed once, in a batch
(the parse is shared with the events stage), and every article's attributions found in them,
with quotes that no cue claims, signed quotes and headlines naming their source."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ...clean.cleaner import split_sentences
from ...model import Article, Attribution
from .cues import find_cues
from .quotes import OPENING, Quote, alone_in_paragraph, overlaps, paragraphs, quote_spans
from .speakers import Speakers, meet_run, note_names, proper_runs
from .statements import attribution_of
from .vocabulary import CUE_FORMS, WORD

Pieces = list[tuple[int, Any]]  # (offset in the text, a parsed Doc or an unparsed str)


def parse_articles(
    articles: Iterable[Article], nlp: Any, also: frozenset[str] = frozenset()
) -> dict[str, Pieces]:
    """Each article's text as runs of sentences, in text order: parsed (a spaCy Doc) where a
    run holds a quotation mark, a cue word or one of the lower-case words ``also`` (what a
    later stage needs parsed), else left as text. The parse is the cost, so other stages
    share this one."""
    articles = list(articles)
    jobs: list[tuple[str, tuple[str, int]]] = []
    pieces: dict[str, Pieces] = {a.id: [] for a in articles}
    for article in articles:
        quotes = quote_spans(article.text)
        for start, text, worth in _chunks(article.text, quotes, also):
            if worth:
                jobs.append((text, (article.id, start)))
            else:
                pieces[article.id].append((start, text))
    for doc, (article_id, start) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
        pieces[article_id].append((start, doc))
    return {key: sorted(value, key=lambda piece: piece[0]) for key, value in pieces.items()}


def extract(
    articles: Iterable[Article], nlp: Any, parsed: dict[str, Pieces] | None = None
) -> dict[str, list[Attribution]]:
    """Attributions of each article (by id), in text order. ``nlp`` is a spaCy pipeline with a
    tagger and a parser (nlp.pipeline()); ``parsed`` is parse_articles' result when a caller
    has it already.

    Only runs of sentences holding a quotation mark or a cue word are parsed (the parse is
    the cost); names in the other sentences are still noted, for resolving pronouns later."""
    articles = list(articles)
    if parsed is None:
        parsed = parse_articles(articles, nlp)
    strings = nlp.vocab.strings  # hashes of the cue words, to find them in each doc's array
    cue_hashes = np.array(
        [strings.add(f) for f in sorted(CUE_FORMS | {"according"})], dtype=np.uint64
    )
    return {
        a.id: _article_attributions(a, parsed[a.id], quote_spans(a.text), cue_hashes)
        for a in articles
    }


def _chunks(
    text: str, quotes: list[Quote], also: frozenset[str] = frozenset()
) -> Iterator[tuple[int, str, bool]]:
    """(offset, text, worth parsing) for runs of sentences of each paragraph: a sentence is
    worth parsing when it holds a cue word (or a word of ``also``) or lies in a quote;
    consecutive ones are kept together, so that the parse sees their context."""
    for start, paragraph in paragraphs(text):
        runs: list[tuple[int, int, bool]] = []
        for sentence in split_sentences([paragraph]):  # the splitter cleaning uses: fast
            piece, at, cursor = sentence.text, sentence.start, sentence.end
            begin = start + at
            worth = _worth_parsing(piece, also) or any(
                q.outer[0] < begin + len(piece) and begin < q.outer[1] for q in quotes
            )
            if runs and runs[-1][2] == worth:
                runs[-1] = (runs[-1][0], cursor, worth)
            else:
                runs.append((at, cursor, worth))
        for begin, end, worth in runs:
            yield start + begin, paragraph[begin:end], worth


def _worth_parsing(paragraph: str, also: frozenset[str] = frozenset()) -> bool:
    if any(mark in paragraph for mark in OPENING + '"'):
        return True
    lowered = paragraph.lower()
    if "according to" in lowered:
        return True
    words = WORD.findall(lowered)
    return not CUE_FORMS.isdisjoint(words) or not also.isdisjoint(words)


def _article_attributions(
    article: Article, docs: list[tuple[int, Any]], quotes: list[Quote], cue_hashes: np.ndarray
) -> list[Attribution]:
    """``cue_hashes``: the vocabulary hashes of the cue words' forms (see extract)."""
    speakers = Speakers()
    found: list[Attribution] = []
    used_quotes: set[int] = set()
    from spacy.attrs import LOWER  # imported here: spaCy takes a second to import

    for base, doc in docs:
        if isinstance(doc, str):  # not parsed: only its names are noted
            note_names(doc, speakers)
            continue
        lowered = doc.to_array([LOWER])
        candidates = [int(i) for i in np.flatnonzero(np.isin(lowered, cue_hashes))]
        for sentence in doc.sents:
            # Names are met in reading order, so that a pronoun only sees the names before it.
            runs = list(proper_runs(sentence))
            cues = find_cues(sentence, candidates)
            for cue in sorted(cues, key=lambda c: (c.subject or [c.verb])[0].i):
                before = (cue.subject or [cue.verb])[0].i
                while runs and runs[0][0].i < before:
                    meet_run(runs.pop(0), speakers)
                made = attribution_of(article, base, cue, quotes, speakers, used_quotes)
                if made is not None:
                    found.append(made)
            for run in runs:
                meet_run(run, speakers)
    # A quote no cue claimed: it continues the speaker of the attribution just before it, when
    # it stands alone in its paragraph (the news convention for a further quote).
    for index, quote in enumerate(quotes):
        if index in used_quotes:
            continue
        before = [a for a in found if a.end <= quote.outer[0]]
        if not before or not alone_in_paragraph(article.text, quote):
            continue
        previous = before[-1]
        found.append(
            Attribution(
                article.id, "direct", article.text[quote.outer[0] : quote.outer[1]],
                (quote.outer,), previous.cue, None, previous.source, None, None,
                ((quote.start, quote.end),),
            )
        )
    found.extend(_signed_quotes(article, quotes, used_quotes, speakers))
    found.extend(_headline_attributions(article, found))
    found.sort(key=lambda a: a.start)
    return found


_NAME = r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|of|de|van|von|al))*"


_SIGNATURE = re.compile(rf"[ \t]*[―—–]+[ \t]*({_NAME})")


_HEADLINE = re.compile(rf"({_NAME}): +(\S.*)")


def _signed_quotes(
    article: Article, quotes: list[Quote], used: set[int], speakers: Speakers
) -> Iterator[Attribution]:
    """`"…" ― Jane Roe`: a quote signed with a dash and a name (readers' voices, epigraphs)."""
    for index, quote in enumerate(quotes):
        if index in used:
            continue
        signed = _SIGNATURE.match(article.text, quote.outer[1])
        if signed is None or len(signed.group(1).split()) > 6:
            continue
        used.add(index)
        yield Attribution(
            article.id, "direct", article.text[quote.outer[0] : quote.outer[1]], (quote.outer,),
            article.text[signed.start(0) : signed.start(1)].strip(), None,
            speakers.complete(signed.group(1)), signed.group(1), signed.span(1),
            ((quote.start, quote.end),),
        )


def _headline_attributions(article: Article, found: list[Attribution]) -> Iterator[Attribution]:
    """`Pence: Flowers Won't Be at Debate`: a line (a headline, as a rule) naming its source
    before a colon, when nothing else was found on that line."""
    for start, paragraph in paragraphs(article.text):
        line = paragraph.strip()
        if "\n" in line or len(line.split()) > 30:
            continue
        match = _HEADLINE.fullmatch(line)
        if match is None or len(match.group(1).split()) > 4:
            continue
        offset = start + paragraph.index(line)
        content = (offset + match.start(2), offset + match.end(2))
        if any(overlaps(content, a.content_spans[0]) for a in found):
            continue
        source = (offset + match.start(1), offset + match.end(1))
        quoted = tuple(
            (q.start, q.end) for q in quote_spans(article.text[content[0] : content[1]])
        )
        yield Attribution(
            article.id, "partial" if quoted else "indirect", match.group(2), (content,), ":",
            (source[1], source[1] + 1), match.group(1), match.group(1), source,
            tuple((content[0] + s, content[0] + e) for s, e in quoted),
        )
