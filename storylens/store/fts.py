"""A reader's search text as an SQLite FTS5 query: the one place every search path (the
article search, the story list's text filter; so the command line, the API and the pages)
turns what was typed into what FTS5 is asked."""

from __future__ import annotations

import re

from ..errors import UsageError

# The longest full-text query searched, and the most terms (words) it may hold: SQLite's
# FTS5 spends time that grows fast with a query's terms (NEAR over thousands of them takes
# seconds), so a longer query is refused before it reaches SQLite.
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 32
_TERM = re.compile(r"\w+")
# A phrase in double quotes, or a run of anything but spaces and double quotes.
_PIECE = re.compile(r'"([^"]*)"|([^\s"]+)')
# What FTS5's default tokeniser keeps as part of a word: letters and digits.
_WORDLIKE = re.compile(r"[^\W_]")


def check_search_query(query: str) -> str:
    """A full-text query within the limits (MAX_QUERY_CHARS, MAX_QUERY_TERMS), else a
    UsageError."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(
            f"search queries are limited to {MAX_QUERY_CHARS} characters ({len(query)} given)"
        )
    terms = sum(1 for _ in _TERM.finditer(query))
    if terms > MAX_QUERY_TERMS:
        raise UsageError(f"search queries are limited to {MAX_QUERY_TERMS} terms ({terms} given)")
    return query


def fts_query(text: str, *, advanced: bool = False) -> str:
    """The FTS5 query for a reader's search text (within the limits of check_search_query).

    Plainly (the default) every term is an FTS5 string, its double quotes doubled, and the
    terms are ANDed: a phrase in double quotes stays one phrase, any other punctuation is part
    of its term (FTS5 splits "Jong-il" or "AT&T" into the words of one phrase), a stray double
    quote is dropped, and a term with no letter or digit is left out. So no text is an FTS5
    syntax error; a text with no words is the empty query, which matches nothing.

    ``advanced`` keeps the text as FTS5 syntax (AND, OR, NOT, NEAR, prefixes with ``*``,
    column filters): SQLite judges it, and its errors are the reader's."""
    check_search_query(text)
    if advanced:
        return text
    terms = []
    for match in _PIECE.finditer(text):
        term = match.group(1) if match.group(1) is not None else match.group(2)
        if _WORDLIKE.search(term):
            terms.append('"' + term.replace('"', '""') + '"')
    return " AND ".join(terms)
