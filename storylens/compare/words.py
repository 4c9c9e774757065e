"""The words that carry a story's facts and statements: content words (lower case, stop and
reporting words out, plurals folded), shared by the comparison of quotes and of facts (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..group.stories import stop_words

# Reporting verbs and the like are in every other sentence of news and say nothing of the fact
# reported, so they count as stop words with English's.
REPORTING_WORDS = frozenset(
    {"said", "say", "says", "saying", "told", "tell", "tells", "telling", "added", "adding"}
    | {"stated", "according", "reported", "reporting", "asked", "quoted", "statement"}
)


@lru_cache(maxsize=1)
def stop() -> frozenset[str]:
    """English stop words and reporting words (scikit-learn's list, loaded on first use: it
    takes a second to import, which every CLI command would pay)."""
    return stop_words() | REPORTING_WORDS


WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def fold(word: str) -> str:
    """Plural and possessive folded, so "programs" meets "program" and "Korea's" "Korea"."""
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Content words: lower case, stop and reporting words out, plurals folded."""
    return [fold(w) for w in WORD.findall(text.casefold()) if w not in stop()]


def content_words(text: str) -> set[str]:
    return set(terms(text))
