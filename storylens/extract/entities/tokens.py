"""The words of an article's text as the entity rules read them: each gazetteer name one
token, a possessive "'s" folded into the word before it, and the lines written in title case
(headlines) marked."""

from __future__ import annotations

import re

from .gazetteer import Hit
from .vocabulary import ABBREVIATED, FUNCTION_WORDS, HONORIFICS, NOT_NAME, ORG_WORDS

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_](?:\w|[-'’](?=\w))*\.?|\d(?:[\d.,:]*\d)?")


_SENTENCE_END = re.compile(r"[.!?;]")


_POSSESSIVE = re.compile(r"['’]s?")


INITIAL = re.compile(r"[A-Z]\.")


_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}")


_PREFIXED = re.compile(r"(?:al|el|bin|ibn|abu|ben|ul)-[A-Z]\w*")


class Token:
    """A word, or a whole gazetteer name, of the text."""

    __slots__ = (
        "start",
        "end",
        "text",
        "gap",
        "hit",
        "possessive",
        "headline",
        "lower",
        "capitalised",
    )

    def __init__(
        self, start: int, end: int, text: str, gap: str, hit: Hit | None, possessive: bool
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.gap = gap  # the characters between the previous token and this one
        self.hit = hit  # a gazetteer name (one token however many words it has)
        self.possessive = possessive  # followed by "'s"
        self.headline = False  # in a line written in title case (no names read there)
        self.lower = text.lower()
        self.capitalised = text[:1].isupper()

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r}, hit={self.hit is not None})"


def tokenise(text: str, hits: list[Hit]) -> list[Token]:
    """The text's words, each gazetteer name one token; a possessive "'s" is not a token
    but sets ``possessive`` on the word before it."""
    tokens: list[Token] = []
    last_end = 0
    pieces: list[tuple[int, int, Hit | None]] = []
    position = 0
    for hit in hits:
        pieces.append((position, hit.start, None))
        pieces.append((hit.start, hit.end, hit))
        position = hit.end
    pieces.append((position, len(text), None))
    for start, end, found in pieces:
        if found is not None:
            tokens.append(
                Token(start, end, found.text, text[last_end:start], found, found.possessive)
            )
            last_end = end
            if found.possessive:
                match = _POSSESSIVE.match(text, end)
                last_end = match.end() if match else end
            continue
        for match in _WORD.finditer(text, max(start, last_end), end):
            begin, stop = match.span()
            word = match.group()
            if word[-1] == "." and not (
                INITIAL.fullmatch(word)
                or _ABBREVIATION.fullmatch(word)
                or word.lower() in ABBREVIATED
            ):
                stop -= 1
                word = word[:-1]
            possessive = False
            if len(word) > 2 and word[-1] == "s" and word[-2] in "'’":
                stop -= 2
                word = word[:-2]
                possessive = True
            tokens.append(Token(begin, stop, word, text[last_end:begin], None, possessive))
            last_end = stop + 2 if possessive else stop
    _headlines(text, tokens)
    return tokens


def _headlines(text: str, tokens: list[Token]) -> None:
    """Mark the tokens of lines written in title case ("Russia Expresses Deep Concern over
    DPRK's Withdrawal"): one phrase, no sentence punctuation, most long words capitalised."""
    line: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and (not line or "\n" not in token.gap):
            line.append(token)
            continue
        after = token.gap if token is not None else text[line[-1].end :] if line else ""
        ends = after.split("\n", 1)[0]
        long = [t for t in line if len(t.text) > 3 and t.hit is None]
        capitalised = sum(1 for t in long if t.capitalised)
        if (
            capitalised >= 3
            and capitalised >= 0.6 * len(long)
            and not _SENTENCE_END.search(ends)
            and not any(_SENTENCE_END.search(t.gap) for t in line[1:])
        ):
            for marked in line:
                marked.headline = True
        line = [token] if token is not None else []


def adjoins(token: Token) -> bool:
    """Whether ``token`` follows the previous one within a name (a single space between)."""
    return token.gap in (" ", "\u00a0")


def name_word(token: Token) -> bool:
    """A word that can be part of a person's name: capitalised, not a gazetteer name, not an
    acronym, not a word that names things other than people."""
    if token.hit is not None or not token.capitalised:
        return bool(_PREFIXED.fullmatch(token.text))
    text = token.text
    if INITIAL.fullmatch(text):
        return True
    if len(text) > 1 and text.isupper():
        return False
    lower = text.lower().rstrip(".")
    return lower not in NOT_NAME and lower not in FUNCTION_WORDS and lower not in HONORIFICS


def org_word(token: Token) -> bool:
    """Whether a token is a capitalised word that ends an organisation's name."""
    return token.hit is None and token.capitalised and token.lower.rstrip(".") in ORG_WORDS
