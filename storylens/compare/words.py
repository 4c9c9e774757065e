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


# An ending a tokeniser parted from its word ("won ’ t", "She ’s", "do n't"), to join again.
_PARTED = re.compile(r"(?<=\w)\s*(['’])\s*(s|t|re|ve|ll|d|m)\b|(?<=\w)\s+(n['’]t)\b")


def terms(text: str) -> list[str]:
    """Content words: lower case, stop and reporting words out, plurals folded, a word a
    tokeniser split at its apostrophe taken whole ("won ’ t" as "won’t")."""
    joined = text.casefold()
    if "'" in joined or "’" in joined:
        joined = _PARTED.sub(lambda m: "".join(p for p in m.groups() if p), joined)
    return [fold(w) for w in WORD.findall(joined) if w.replace("’", "'") not in stop()]


def content_words(text: str) -> set[str]:
    return set(terms(text))


# -- the words of a quoted passage, as compared between outlets ------------------------------

# Ellipses in their written forms ("…", "...", ". . ."): where words were left out.
ELLIPSIS = re.compile(r"…|\.(?:[ \t\u00a0]*\.){2,}")
# A dash that parts words even when written without spaces ("reform—and", "reform--and").
_PARTING_DASH = re.compile(r"(—|―|-{2,})(?=\S)")
_APOSTROPHES = "'’‘ʼ`´"
_KEY_MARKS = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys("–‐‑−", "-")})
_EDGE = re.compile(r"^\W+|\W+$")
# The endings that tokenisers part from their word ("She ’ s", "do n't").
_ENDING = r"(?:s|t|re|ve|ll|d|m)(?=[^\w-]|$)"
_SPLIT_ENDING = re.compile(rf"^(?:[{_APOSTROPHES}]{_ENDING}|n[{_APOSTROPHES}]t(?=\W|$))", re.I)
_BARE_ENDING = re.compile(f"^{_ENDING}", re.I)


def quote_words(text: str) -> tuple[str, ...]:
    """The words of a quoted passage as written, ellipses left out, a word that a tokeniser
    split at its apostrophe kept whole ("She ’ s" is one word) and words joined by a dash
    parted ("reform—and" is two); marks that are no word ("–", "“") left out."""
    tokens = _PARTING_DASH.sub(r"\1 ", ELLIPSIS.sub(" ", text)).split()
    words: list[str] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        last = words[-1] if words else ""
        if last[-1:].isalnum():
            following = tokens[at + 1] if at + 1 < len(tokens) else ""
            if len(token) == 1 and token in _APOSTROPHES and _BARE_ENDING.match(following):
                words[-1] = f"{last} {token} {following}"  # "She ’ s"
                at += 2
                continue
            if _SPLIT_ENDING.match(token):
                words[-1] = f"{last} {token}"  # "She ’s", "do n't"
                at += 1
                continue
        elif last[-2:-1].isalnum() and last[-1:] in _APOSTROPHES and _BARE_ENDING.match(token):
            words[-1] = f"{last} {token}"  # "She’ s"
            at += 1
            continue
        words.append(token)
        at += 1
    return tuple(w for w in words if word_key(w))


def word_key(word: str) -> str:
    """A quoted word as compared: lower case, spaces and punctuation around it out, every
    apostrophe straight and every dash inside it a hyphen."""
    return _EDGE.sub("", "".join(word.split()).casefold().translate(_KEY_MARKS))
