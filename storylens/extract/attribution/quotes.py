"""Quotation marks paired on the characters, paragraph by paragraph (curly or straight,
across paragraphs when a quote runs on into the next paragraph that opens with a mark again,
and to the end of the paragraph when a mark is never closed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Span

OPENING = "“«„"


CLOSING = "”»"


@dataclass
class Quote:
    """A quote: its inside, and its span with the marks."""

    start: int  # first character inside the marks
    end: int  # end of the inside
    outer: Span  # the quote with its marks


_MARK = re.compile(r"''|``|[“”«»„\"]")


def quote_spans(text: str) -> list[Quote]:
    """Pair quotation marks (curly, straight, or typed as two apostrophes), paragraph by
    paragraph. A quote left open at a paragraph's end continues when the next paragraph opens
    with a mark (the newspaper convention for a quote running over paragraphs) and otherwise
    ends with its paragraph. Single quotes are left alone: they are apostrophes too often."""
    quotes: list[Quote] = []
    open_at: int | None = None
    open_len = 1
    for start, paragraph in paragraphs(text):
        marks = list(_MARK.finditer(paragraph))
        first = start + len(paragraph) - len(paragraph.lstrip())
        reopens = bool(marks) and start + marks[0].start() == first and (
            marks[0].group() not in CLOSING
        )
        if open_at is not None and not reopens:
            end = trim_end(text, open_at, start)
            quotes.append(Quote(open_at + open_len, end, (open_at, end)))
            open_at = None
        for mark in marks:
            at = start + mark.start()
            kind = mark.group()
            if open_at is not None and at == first and kind not in CLOSING:
                continue  # the mark that reopens a quote running over paragraphs
            if open_at is not None and kind == "“" and text[open_at] == "„":
                kind = "”"  # German: „ opens and “ closes
            opening = kind in OPENING or kind == "``" or (
                kind in ('"', "''") and open_at is None and _opens(text, at, len(kind))
            )
            if opening and open_at is None:
                open_at, open_len = at, len(kind)
            elif not opening and open_at is not None:
                quotes.append(Quote(open_at + open_len, at, (open_at, at + len(kind))))
                open_at = None
    if open_at is not None:
        end = trim_end(text, open_at, len(text))
        quotes.append(Quote(open_at + open_len, end, (open_at, end)))
    return [q for q in quotes if text[q.start : q.end].strip()]


def _opens(text: str, i: int, width: int = 1) -> bool:
    """Whether a straight double quote at i opens a quote: after a space, a bracket or the
    start, and before a non-space."""
    before = text[i - 1] if i else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def trim_end(text: str, start: int, end: int) -> int:
    """Where a span from ``start`` to ``end`` ends without its trailing spaces."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """The paragraphs of a text (split at blank lines), each with its offset."""
    position = 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not part.startswith("\n"):
            yield position, part
        position += len(part)


def alone_in_paragraph(text: str, quote: Quote) -> bool:
    """Whether a quote is all there is of its paragraph, but for punctuation."""
    start = text.rfind("\n", 0, quote.outer[0]) + 1
    end = text.find("\n", quote.outer[1])
    end = len(text) if end < 0 else end
    outside = text[start : quote.outer[0]] + text[quote.outer[1] : end]
    return len(outside.strip(" .,;:")) == 0


def overlaps(a: Span, b: Span) -> bool:
    """Whether two spans share a character."""
    return a[0] < b[1] and b[0] < a[1]
