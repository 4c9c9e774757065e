"""The last pass over an article's mentions, whichever rule or recogniser found them: what a
dateline writes its own way is named as the rest of the article names it.

- A wire agency's credit in the dateline, "LISBON, March 4 (MW) —", is the article's source,
  not a name it reports on: dropped when it is the article's own wire code in brackets.
- A place written in capitals, as datelines print it ("KESTRELTON, Ohio —"), is named in the
  usual case (Kestrelton); its entity is the same (ids are case-blind), only its name changes,
  so that lists and facets do not show the capitals.
- A US state as datelines abbreviate it ("WYNDLEFORD, Ind."), once typed as a place, is the
  state (Indiana), the same entity as the state written in full.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...model import Article, Mention
from ..wordlists import word_table
from .mentions import entity_id

STATES = dict(word_table("storylens.extract.entities", "state_abbreviations"))
# A name in capitals this long or longer is a word in capitals, not an initialism (USA, UN).
MIN_CAPITALS = 4
_LETTERS = re.compile(r"[^\W\d_]+")


def tidy(article: Article, mentions: list[Mention]) -> list[Mention]:
    """The mentions with the wire credit dropped and dateline spellings named as usual."""
    tidied = []
    for mention in mentions:
        if _wire_credit(article, mention):
            continue
        tidied.append(_renamed(mention))
    return tidied


def _wire_credit(article: Article, mention: Mention) -> bool:
    """Whether the mention is the article's wire code in brackets: "(MW)", "(AP)"."""
    start, end = mention.span
    text = article.text
    return (
        article.wire is not None
        and mention.text.casefold() == article.wire.casefold()
        and text[start - 1 : start] == "("
        and text[end : end + 1] == ")"
    )


def _renamed(mention: Mention) -> Mention:
    if mention.kind != "place":
        return mention
    state = STATES.get(mention.text)
    if state is not None:
        return replace(mention, name=state, code="USA",
                       entity_id=entity_id("place", f"state:{state}, USA"))
    if _in_capitals(mention.name):
        return replace(mention, name=_usual_case(mention.name))
    return mention


def _in_capitals(name: str) -> bool:
    letters = "".join(_LETTERS.findall(name))
    return len(letters) >= MIN_CAPITALS and letters.isupper()


def _usual_case(name: str) -> str:
    """A name in capitals in the usual case: each word's first letter a capital ("PONTA
    DELGADA": Ponta Delgada; "SAINT-DENIS": Saint-Denis)."""
    return _LETTERS.sub(lambda m: m.group(0)[:1] + m.group(0)[1:].lower(), name)
