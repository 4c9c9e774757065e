"""Attributions: who said (or thinks, found, urged) what, in every article (pure; no I/O beyond
its word lists, read once).

Quotation marks are paired on the characters first (quotes.py: curly or straight, across
paragraphs when a quote runs on into the next paragraph that opens with a mark again, and to
the end of the paragraph when a mark is never closed). Paragraphs that hold a quotation mark or
a cue word are then parsed with spaCy (extractor.py); a cue (cues.py) is a verb of saying,
thinking or showing (said, told, urged, believes, found ...) or "according to". Its content
is the clause it governs (or the quote beside it), its source the verb's subject, and a
source written as a pronoun or a description ("he", "the ministry", "the premier") is
resolved to a name met earlier in the article (statements.py, speakers.py).

Rules rather than a learned model: the labelled attribution data at hand (PolNeAR) is small
and is what the benchmark measures; a rule set written from how English reports speech keeps
that measure honest. Each rule is named where it is applied.
"""

from __future__ import annotations

from .extractor import Pieces, extract, parse_articles
from .quotes import quote_spans

__all__ = ["Pieces", "extract", "parse_articles", "quote_spans"]
