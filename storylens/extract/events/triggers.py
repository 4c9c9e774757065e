"""Finding the triggers of a sentence: the words of the lexicon that name an event, each with
the lexicon row that the words attached to it choose ("call on", "impose sanctions")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..tags import NOUN_TAGS, VERB_TAGS
from .lexicon import LexiconEntry
from .vocabulary import SUBJECTS

ADJ_TAGS = frozenset(("JJ", "VBN"))


# "X said (that) Y must ...": a statement of what another must do is a demand (CAMEO's
# practice), made by the one who says it, of the one who must.
MUST = LexiconEntry("must", "VERB", frozenset(), "REQUEST", "", ("ccomp_subj",), False)


@dataclass(frozen=True)
class Trigger:
    """A trigger word, the lexicon row it is coded by, and the words that chose the row."""

    token: Any
    entry: LexiconEntry
    words: tuple[Any, ...]  # the trigger and the attached words that chose the entry


def pos_of(token: Any) -> str | None:
    """The lexicon's part of speech of a token, from its tag (None for any other)."""
    if token.tag_ in VERB_TAGS:
        return "VERB"
    if token.tag_ in NOUN_TAGS:
        return "NOUN"
    if token.tag_ in ADJ_TAGS:
        return "ADJ"
    return None


def find_triggers(
    sentence: Any, index: dict[str, set[tuple[str, str]]], lexicon: Any
) -> Iterator[Trigger]:
    """The triggers of a sentence, each with the lexicon row the words on it choose."""
    for token in sentence:
        if token.lower_ == "must" and token.dep_ == "aux":
            clause = token.head
            if (
                clause.dep_ == "ccomp"
                and clause.head is not clause
                and any(c.dep_ in SUBJECTS for c in clause.children)
            ):
                yield Trigger(clause.head, MUST, (clause.head, token))
            continue
        candidates = index.get(token.lower_)
        if not candidates:
            continue
        pos = pos_of(token)
        if pos is None:
            continue
        attached = _attached(token, index)
        best: Trigger | None = None
        # a participle after "be" reads as an adjective too ("is opposed to")
        kinds = [pos] + (["ADJ"] if token.tag_ == "VBN" and pos == "VERB" else [])
        for kind in kinds:
            for lemma, entry_pos in sorted(candidates):
                if entry_pos != kind:
                    continue
                for entry in lexicon.entries.get((lemma, entry_pos), []):
                    if entry.with_words:
                        hit = [w for w, names in attached if names & entry.with_words]
                        if hit:
                            return_words = (token, *hit)
                            candidate = Trigger(token, entry, return_words)
                            if best is None or len(best.words) == 1:
                                best = candidate
                    elif best is None:
                        best = Trigger(token, entry, (token,))
        if best is not None:
            yield best


def _attached(token: Any, index: dict[str, set[tuple[str, str]]]) -> list[tuple[Any, set[str]]]:
    """Words attached to a trigger, each with the names it may match a ``with`` word by:
    particles and prepositions as written, object heads also by their lemmas."""
    found: list[tuple[Any, set[str]]] = []
    for child in token.children:
        if child.dep_ in ("prt", "prep", "agent") or (
            child.dep_ == "advmod" and child.lower_ in ("away", "back", "out", "down", "off")
        ):
            found.append((child, {child.lower_}))
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    found.append((grandchild, _names(grandchild, index)))
                elif grandchild.dep_ == "prep":  # "pulled out of the deal"
                    found.append((grandchild, {grandchild.lower_}))
                    found.extend(
                        (g, _names(g, index)) for g in grandchild.children if g.dep_ == "pobj"
                    )
        elif child.dep_ == "compound" and child.i < token.i and token.tag_ in NOUN_TAGS:
            found.append((child, _names(child, index, False)))  # "hunger strike", "air strike"
        elif child.dep_ in ("dobj", "attr", "nsubjpass", "oprd", "acomp") or (
            child.dep_ in ("xcomp", "ccomp") and child.tag_ in VERB_TAGS
        ):
            found.append((child, _names(child, index)))
    if token.dep_ in ("dobj", "nsubjpass", "attr") and token.head is not token:
        found.append((token.head, _names(token.head, index)))  # "talks were held"
    return found


def _names(token: Any, index: dict[str, set[tuple[str, str]]], inner: bool = True) -> set[str]:
    """A word's forms and lemmas; with ``inner``, also those of the nouns that say what it
    is: its compounds ("mediation efforts", "war games") and the object of its "of"
    ("5 million dollars of aid", "a series of attacks")."""
    lowered = token.lower_
    names = {lowered} | {lemma for lemma, _ in index.get(lowered, ())}
    if inner:
        for child in token.children:
            if child.dep_ == "compound" and child.i < token.i:
                names |= _names(child, index, False)
            elif child.dep_ == "prep" and child.lower_ == "of":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        names |= _names(grandchild, index, False)
    return names
