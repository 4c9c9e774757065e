"""Speakers: the names met in an article (proper-noun runs of the parse, capitalised runs of
the text left unparsed), with their titles, to resolve a source written as a pronoun or a
description ("he", "the ministry", "the premier") to a name met earlier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..tags import ADJECTIVE_TAGS, PROPER_TAGS
from .vocabulary import (
    CALENDAR,
    DOCUMENT_WORDS,
    LEADING,
    ORGANISATION_WORDS,
    TITLE_SYNONYMS,
    TITLE_WORDS,
)

# A run of capitalised words longer than this (its title split off) is not a name met but a
# line in title case, a headline as a rule ("Lifer Escapes Prison Van Near Harbour Town"):
# it would otherwise be what "he" or "officials" resolve to.
MAX_NAME_WORDS = 5


@dataclass
class Speakers:
    """Names met so far in an article, to resolve pronouns and descriptions against."""

    names: list[str] = field(default_factory=list)  # in order of mention, latest last
    titles: dict[str, str] = field(default_factory=dict)  # "prime minister" -> latest name
    sources: list[str] = field(default_factory=list)  # resolved speakers, latest last
    people: list[str] = field(default_factory=list)  # names with a title, subjects, speakers
    issuer: str | None = None  # who last spoke "in a statement" (what "the statement" means)

    def meet(self, name: str, title: str | None = None, person: bool = False) -> str:
        """Record a name (completed from an earlier, longer mention) and return it. A name
        with a title or acting as a subject is taken for a person ("he", "she")."""
        if name in CALENDAR or len(name.split()) > MAX_NAME_WORDS:
            return name  # a date, or a run of capitals too long for a name: a headline
        full = self.complete(name)
        self.names.append(full)
        if title:
            self.titles[title] = full
        person = person and len(full.split()) > 1 and not full.isupper()  # not "DPRK"
        if (title or person) and full.split()[-1].lower() not in ORGANISATION_WORDS:
            self.people.append(full)
        return full

    def spoke(self, source: str) -> None:
        self.sources.append(source)
        if source.split()[-1].lower() not in ORGANISATION_WORDS and source[:1].isupper():
            self.people.append(source)

    def complete(self, name: str) -> str:
        """The longer name met earlier that this one is a short form of: a single word
        ("Trump", "Kim") completes to the latest name ending with it, else to the latest
        holding it; a name of several words ("George Bush") only to one that holds all of
        them and ends as it does ("George W. Bush"), so that a full name is never taken for
        another person's who shares one of its words ("Edouard Philippe" is not "Philippe
        Martinez")."""
        words = name.lower().split()
        longer = [e for e in reversed(self.names) if len(e) > len(name)]
        if len(words) == 1:
            ending = next((e for e in longer if e.lower().split()[-1] == words[0]), None)
            holding = next((e for e in longer if words[0] in e.lower().split()), None)
            return ending or holding or name
        for earlier in longer:
            held = earlier.lower().split()
            if held[-1] == words[-1] and all(w in held for w in words):
                return earlier
        return name

    def description(self, words: list[str]) -> str | None:
        """The name a description ("the ministry", "the premier") stands for."""
        wanted = [w for w in words if w not in ("the", "a", "an", "its", "his", "her")]
        if not wanted:
            return None
        head = wanted[-1]
        if head in DOCUMENT_WORDS:  # "the ministry statement": the ministry
            if len(wanted) > 1:
                return self.description(wanted[:-1])
            return self.issuer or (self.sources[-1] if self.sources else None)
        for title in TITLE_SYNONYMS.get(head, (head,)):
            for known, name in self.titles.items():
                if title in known:
                    return name
        for earlier in reversed(self.sources + self.names):
            lowered = earlier.lower()
            if all(w in lowered for w in wanted[-2:]):
                return earlier
        return None

    def pronoun(self, word: str) -> str | None:
        """A person's pronoun points to the latest person met; "it", "they" to the latest
        speaker (an organisation, as often as not)."""
        if word in IMPERSONAL:
            pools: tuple[list[str], ...] = (self.sources, self.names)
        else:
            pools = (self.people, self.sources, self.names)
        for pool in pools:
            if pool:
                return pool[-1]
        return None


# Pronouns that stand for an organisation or a group as often as for a person.
IMPERSONAL = frozenset(("it", "its", "they", "their", "which", "who"))


def name_of(tokens: list[Any]) -> tuple[str, str | None]:
    """A proper-noun run split into (name, title): "Japanese Prime Minister Junichiro
    Koizumi" -> ("Junichiro Koizumi", "prime minister"). An organisation keeps its whole name
    ("Russian Foreign Ministry")."""
    words = [t.text for t in tokens]
    lowered = [w.lower() for w in words]
    while words and lowered[0] in ("the", "a", "an"):
        words, lowered = words[1:], lowered[1:]
    if not words or lowered[-1] in ORGANISATION_WORDS or any(
        a in ORGANISATION_WORDS and b == "of" for a, b in zip(lowered, lowered[1:], strict=False)
    ):
        return " ".join(words), None
    cut = title_end(words, lowered)
    title = " ".join(w for w in lowered[:cut] if w in TITLE_WORDS) or None
    return " ".join(words[cut:]), title


def title_end(words: list[str], lowered: list[str]) -> int:
    """Where the title written before a name ends: after the title words and the words
    modifying them from the front ("Japanese Prime Minister Junichiro Koizumi"), or after the
    last title word of a longer run whose words after it are all capitalised ("Fulton County
    District Attorney Paul Howard": Paul Howard); 0 when there is none. A name's last word is
    never cut."""
    cut = 0
    while cut < len(words) - 1 and (
        lowered[cut] in TITLE_WORDS or lowered[cut + 1] in TITLE_WORDS
    ):
        cut += 1  # a title, or a word modifying the title after it ("Japanese Prime ...")
    if cut:
        return cut
    last = max((i for i in range(len(words) - 1) if lowered[i] in TITLE_WORDS), default=-1)
    if last >= 0 and all(w[:1].isupper() for w in words[last + 1 :]):
        return last + 1
    return 0


def in_name(token: Any) -> bool:
    """A proper noun, or a capitalised adjective before one ("Russian Foreign Ministry")."""
    if token.tag_ in PROPER_TAGS:
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return bool(
        token.tag_ in ADJECTIVE_TAGS and token.text[:1].isupper() and following is not None
        and following.tag_ in PROPER_TAGS
    )


def proper_runs(sentence: Any) -> Iterator[list[Any]]:
    """Runs of proper nouns (with the adjectives and titles written before them)."""
    run: list[Any] = []
    for token in sentence:
        if in_name(token):
            run.append(token)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


NAME_DEPS = frozenset(("compound", "appos", "flat", "npadvmod"))


_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][\w'’.-]*(?: (?:of |de |van |von |al-)?[A-Z][\w'’.-]*)*"
)


def note_names(text: str, speakers: Speakers) -> None:
    """Names in text that was not parsed: capitalised runs, a title split off the front
    ("Mayor Ana Ruiz" is Ana Ruiz, a mayor, so a person); a run of one word opening a
    sentence is a capitalised word, not a name."""
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().rstrip(".").split()
        opening = match.start() == 0 or text[: match.start()].rstrip()[-1:] in ".!?\"“"
        while words and words[0].lower() in LEADING:
            words = words[1:]
        if not words or (opening and len(words) == 1 and match.group() == words[0]):
            continue
        lowered = [w.lower() for w in words]
        if lowered[-1] in ORGANISATION_WORDS or "of" in lowered:
            speakers.meet(" ".join(words))
            continue
        cut = title_end(words, lowered)
        title = " ".join(w for w in lowered[:cut] if w in TITLE_WORDS) or None
        speakers.meet(" ".join(words[cut:]), title)


def meet_run(run: list[Any], speakers: Speakers) -> None:
    """Note a proper-noun run's name (and title) as met, a subject as a person."""
    name, title = name_of(run)
    if name and name[0].isupper():
        subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in run)
        speakers.meet(name, title, subject)


def run_around(token: Any) -> list[Any]:
    """The proper-noun run a token is part of, with the name of an organisation's country."""
    sentence = token.sent
    start = token.i
    while start > sentence.start and in_name(token.doc[start - 1]):
        start -= 1
    end = token.i
    while end + 1 < sentence.end and token.doc[end + 1].tag_ in PROPER_TAGS:
        end += 1
    doc = token.doc
    if (  # "the Foreign Ministry of Valdoria"
        doc[end].lower_ in ORGANISATION_WORDS and end + 2 < sentence.end
        and doc[end + 1].lower_ == "of" and doc[end + 2].tag_ in PROPER_TAGS
    ):
        end += 2
        while end + 1 < sentence.end and doc[end + 1].tag_ in PROPER_TAGS:
            end += 1
    return list(token.doc[start : end + 1])


# What a description keeps of its subject: not clauses, appositions or asides
# ("The two jurors, who indicated ...": the two jurors).
_CLAUSE_DEPS = frozenset(("relcl", "acl", "appos", "advcl", "parataxis", "punct"))


def core_phrase(head: Any) -> str:
    """The words a speaker is given when its subject names no one and resolves to no one met:
    the head noun with the words before it, an "of" phrase and the nouns joined to it ("a
    friend of the actress", "police and prosecutors"), without clauses, appositions, asides
    or other prepositional phrases ("a source with knowledge of ...": a source). A speaker is
    a name or such a description, never a whole clause."""
    kept, stack = {head.i}, [head]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _CLAUSE_DEPS or (child.dep_ == "prep" and child.lower_ != "of"):
                continue
            kept.add(child.i)
            stack.append(child)
    doc = head.doc
    start, end = min(kept), max(kept)
    end = next((i - 1 for i in range(head.i + 1, end + 1) if doc[i].text in ",;(—–"), end)
    words = [doc[i] for i in range(start, end + 1)]
    text: str = doc.text[words[0].idx : words[-1].idx + len(words[-1].text)]
    return text.strip(" ,;:-–—")
