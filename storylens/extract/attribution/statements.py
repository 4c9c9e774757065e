"""A cue made an attribution: its content (the clause it governs, or the quote beside it, with
the quotes that go on with it), the kind (direct, partial, indirect) and the source, resolved
against the speakers met before it."""

from __future__ import annotations

import re
from typing import Any

from ...model import Article, Attribution, Span
from ..tags import PROPER_TAGS
from .cues import Cue
from .quotes import Quote, overlaps, trim_end
from .speakers import NAME_DEPS, Speakers, core_phrase, name_of, run_around
from .vocabulary import DOCUMENT_WORDS, PRONOUNS, WORD


def attribution_of(
    article: Article,
    base: int,
    cue: Cue,
    quotes: list[Quote],
    speakers: Speakers,
    used: set[int],
) -> Attribution | None:
    """The attribution a cue makes (None when it has no content, or is inside a quote), its
    source noted among the speakers; ``used`` collects the indexes of the quotes it takes."""
    sentence = cue.verb.sent
    cue_span = (base + cue.words[0].idx, base + cue.words[-1].idx + len(cue.words[-1].text))
    if any(q.outer[0] < cue_span[0] < q.outer[1] for q in quotes):
        return None  # a cue inside a quote is the quoted speaker's own ("I think ...")
    spans = _content_spans(article.text, base, cue, cue_span, quotes, used)
    if not spans:
        return None
    spans = _past_colon(article.text, spans, cue, cue_span)
    spans = _without_cue(spans, cue_span, cue.subject, base)
    if not spans:
        return None
    text = article.text
    spans += _following_quotes(text, quotes, spans, cue_span, base + sentence.end_char, used)
    inside = tuple(
        (q.start, q.end) for q in quotes if any(s <= q.start and q.end <= e for s, e in spans)
    )
    quoted_chars = sum(e - s for s, e in inside)
    content_chars = sum(e - s for s, e in spans)
    kind = "direct" if inside and quoted_chars >= 0.8 * content_chars - 4 else (
        "partial" if inside else "indirect"
    )
    source_text, source_span, source = _speaker(cue, base, speakers)
    return Attribution(
        article.id,
        kind,
        " … ".join(text[s:e] for s, e in spans),
        tuple(spans),
        " ".join(t.text for t in cue.words),
        cue_span,
        source,
        source_text,
        source_span,
        inside,
    )


def _content_spans(
    text: str, base: int, cue: Cue, cue_span: Span, quotes: list[Quote], used: set[int]
) -> list[Span]:
    """The spans of a cue's content: the clause the parse gives, widened to the quotes it lies
    in (and a quote resuming it after the cue), or the quotes beside the cue when the parse
    gives none. ``used`` collects the indexes of the quotes taken."""
    sentence = cue.verb.sent
    if cue.content:
        spans = [(base + cue.content[0].idx, base + cue.content[-1].idx + len(cue.content[-1]))]
    else:
        spans = []
    # A quote in or beside the sentence: content when the parse gave none, or when the
    # content found lies inside it (the whole quote is the statement then).
    near = _nearby_quotes(
        text, quotes, base + sentence.start_char, base + sentence.end_char, cue_span
    )
    if not spans and near:
        beside = [i for i in near if _beside(text, quotes[i], cue_span, cue.subject, base)]
        spans = [quotes[i].outer for i in beside]
        used.update(beside)
    elif spans and near:
        merged = [i for i in near if overlaps(quotes[i].outer, spans[0])]
        if merged:
            lo = min([spans[0][0]] + [quotes[i].outer[0] for i in merged])
            hi = max([spans[0][1]] + [quotes[i].outer[1] for i in merged])
            spans = [(lo, hi)]
            used.update(merged)
        if merged and spans[0][1] <= cue_span[0]:
            spans += _resumed_quote(text, quotes, near, cue, base, used)
    return spans


def _speaker(
    cue: Cue, base: int, speakers: Speakers
) -> tuple[str | None, Span | None, str | None]:
    """The cue's source (as written, its span, and the name it resolves to), noted as the
    latest speaker, and as the issuer of the statement the sentence names ("the ministry said
    in a statement")."""
    source_text, source_span, source = resolve_source(cue, base, speakers)
    if source:
        speakers.spoke(source)
        written = (source_text or "").lower().split()
        if not (written and written[-1] in DOCUMENT_WORDS) and any(
            t.lower_ in DOCUMENT_WORDS for t in cue.verb.sent
        ):
            speakers.issuer = source
    return source_text, source_span, source


def _resumed_quote(
    text: str, quotes: list[Quote], near: list[int], cue: Cue, base: int, used: set[int]
) -> list[Span]:
    """`"A," she told reporters on Monday, "but B."`: a quote that opens after a comma closing
    the cue's own phrase (its source, hearer, time) resumes the statement quoted before it."""
    last = max(t.i for t in cue.words + cue.subject)
    own = {t.i for t in cue.verb.subtree} - {t.i for t in cue.content}
    for i in near:
        quote = quotes[i]
        start = base + cue.verb.doc[last].idx + len(cue.verb.doc[last])
        if quote.outer[0] < start or not text[start : quote.outer[0]].rstrip().endswith(","):
            continue
        gap = [t for t in cue.verb.sent if t.i > last and base + t.idx < quote.outer[0]]
        if all(t.i in own for t in gap):
            used.add(i)
            return [quote.outer]
    return []


def _past_colon(text: str, spans: list[Span], cue: Cue, cue_span: Span) -> list[Span]:
    """"said she has one quality: steadiness": a colon right after a clause reported after
    its cue announces the rest of the statement, which runs to the end of the sentence."""
    if len(spans) != 1 or spans[0][0] < cue_span[1] or not any(
        c.dep_ == "ccomp" for c in cue.verb.children
    ):
        return spans
    start, end = spans[0]
    rest = _REST_OF_SENTENCE.match(text, end)
    if rest is None:
        return spans
    return [(start, trim_end(text, end, rest.end()))]


# A colon, then the rest of its sentence (to a full stop before a space, or the line's end),
# taking in a closing quotation mark after the stop.
_REST_OF_SENTENCE = re.compile(r":[ \t]+[^\n]*?(?:[.!?][”\"']*(?=\s|$)|(?=\n)|$)")


def _following_quotes(
    text: str, quotes: list[Quote], spans: list[Span], cue: Span, sentence_end: int,
    used: set[int],
) -> list[Span]:
    """`"A," she said. "B."`: a quote that opens right after the sentence of a cue that
    follows a quote goes on with the same statement (until a paragraph ends)."""
    if not spans or cue[0] < spans[-1][1] or not any(
        q.outer[0] <= spans[-1][0] < q.outer[1] or spans[-1] == q.outer for q in quotes
    ):
        return []
    more: list[Span] = []
    end = sentence_end
    for quote in quotes:
        # The parser may end the cue's sentence after the next quote's opening mark (or not
        # at all): the sentence ends where a quote opens after the cue's full stop.
        if cue[1] <= quote.outer[0] < end and re.search(
            r"[.!?]\s*$", text[cue[1] : quote.outer[0]]
        ):
            end = quote.outer[0]
            break
    for i, quote in enumerate(quotes):
        if quote.outer[0] < end:
            continue
        gap = text[end : quote.outer[0]]
        if gap.strip() or "\n" in gap:
            break
        more.append(quote.outer)
        used.add(i)
        end = quote.outer[1]
    return more


def _nearby_quotes(
    text: str, quotes: list[Quote], start: int, end: int, cue: Span
) -> list[int]:
    """Quotes overlapping the sentence, or ending just before it (`"…," he said.` where the
    quote holds sentences of its own)."""
    found = []
    for i, quote in enumerate(quotes):
        if quote.outer[1] <= start - 3 or quote.outer[0] >= end:
            continue
        if quote.outer[1] <= start and "\n" in text[quote.outer[1] : start]:
            continue  # a quote ending the paragraph before is not this sentence's
        if quote.outer[0] <= cue[0] < quote.outer[1]:
            continue  # the cue is inside the quote: someone quoted is quoting
        found.append(i)
    return found


def _beside(text: str, quote: Quote, cue: Span, subject: list[Any], base: int) -> bool:
    """Whether a quote is the cue's own: only the cue and its source, a few words at most,
    stand between them (`"…," the ministry said`; `he said: "…"`)."""
    lo, hi = cue
    if subject:
        lo = min(lo, base + subject[0].idx)
        hi = max(hi, base + subject[-1].idx + len(subject[-1].text))
    gap = text[quote.outer[1] : lo] if quote.outer[1] <= lo else text[hi : quote.outer[0]]
    return len(WORD.findall(gap)) <= 3


def _without_cue(spans: list[Span], cue: Span, subject: list[Any], base: int) -> list[Span]:
    """Split content around the cue and source where they sit inside it ("A," he said, "B")."""
    cut = [cue]
    if subject:
        cut.append((base + subject[0].idx, base + subject[-1].idx + len(subject[-1].text)))
    lo = min(c[0] for c in cut)
    hi = max(c[1] for c in cut)
    out: list[Span] = []
    for s, e in spans:
        if lo < e and s < hi:
            if lo - s > 1:
                out.append((s, lo))
            if e - hi > 1:
                out.append((hi, e))
        else:
            out.append((s, e))
    return [(s, e) for s, e in out if e - s > 1]


def resolve_source(
    cue: Cue, base: int, speakers: Speakers
) -> tuple[str | None, Span | None, str | None]:
    """A cue's source: as written, its span, and the name it stands for."""
    tokens = sorted(cue.subject, key=lambda t: t.i)
    if not tokens:
        return None, None, speakers.sources[-1] if speakers.sources and cue.thought else None
    span = (base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text))
    written = tokens[0].doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    head = next((t for t in tokens if t.head not in tokens or t.head is t), tokens[0])
    if head.lower_ in PRONOUNS:
        return written, span, speakers.pronoun(head.lower_)
    names = [t for t in head.children if t.tag_ in PROPER_TAGS and t.dep_ in NAME_DEPS]
    if head.tag_ in PROPER_TAGS or (names and head.dep_ != "poss"):
        run = run_around(head if head.tag_ in PROPER_TAGS else names[-1])
        name, title = name_of(run)
        return written, span, speakers.complete(name) if name else written
    words = [t.lower_ for t in tokens if t.i <= head.i and not t.is_punct]
    return written, span, speakers.description(words) or core_phrase(head) or written
