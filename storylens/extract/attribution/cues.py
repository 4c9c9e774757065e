"""Cues: the words that report a statement (a verb of saying, thinking or showing, a noun
such as "criticism of", "according to"), each with the tokens of its content and of its
source as the parse gives them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..tags import NOUN_TAGS, VERB_TAGS
from .quotes import CLOSING, OPENING
from .vocabulary import (
    CALENDAR,
    CUE_WORDS,
    LEMMAS,
    NOUN_CUES,
    NOUN_PREPOSITIONS,
    OBJECT_VERBS,
    PREPOSITION_CUES,
    THOUGHT_VERBS,
    TOPIC_PREPOSITIONS,
)

# A modifier after a comma at the content's end that is the writer's aside (_aside).
ASIDE_PARTICIPLE = frozenset(("advcl", "xcomp", "acl"))
ASIDE_RELATIVE = frozenset(("relcl",))


@dataclass
class Cue:
    """A cue found in a sentence, with the tokens of its content and of its source."""

    verb: Any  # the cue token (a verb, or "according")
    words: list[Any]  # the tokens of the cue as reported
    content: list[Any]  # tokens of the content ([] when the content is a neighbouring quote)
    subject: list[Any]  # tokens of the source mention
    thought: bool


def find_cues(sentence: Any, candidates: list[int]) -> Iterator[Cue]:
    """The cues of a sentence; ``candidates`` are the positions in its doc of words that may
    be one (found once per doc from the lower-case forms, without making a token object for
    every word: that was a fifth of the time)."""
    doc = sentence.doc
    for position in candidates:
        if not sentence.start <= position < sentence.end:
            continue
        token = doc[position]
        lemma = LEMMAS.get(token.lower_, token.lower_)
        cue: Cue | None = None
        if lemma == "accord" and token.text.lower() == "according":
            cue = _according(token)
        elif token.tag_ in NOUN_TAGS:
            cue = _nominal_cue(token)
        elif token.tag_ in VERB_TAGS and lemma in CUE_WORDS:
            cue = _verb_cue(token, lemma)
        if cue is not None:
            yield cue


def _according(token: Any) -> Cue | None:
    """ "according to X": X is the source, the rest of the clause the content."""
    to = [c for c in token.children if c.lower_ == "to"]
    objects = [g for t in to for g in t.children if g.dep_ == "pobj"]
    if not objects:
        return None
    head = token.head
    rest = [
        t for t in head.subtree if t.i not in {x.i for x in token.subtree}
    ] if head is not token else []
    return Cue(token, [token] + to, trim(rest), list(objects[0].subtree), False)


def _verb_cue(token: Any, lemma: str) -> Cue | None:
    """A cue verb with its content, its source (its subject) and its words (with their
    auxiliaries, negation and particle); None for a verb of thinking that governs no clause."""
    thought = lemma in THOUGHT_VERBS
    content = _verb_content(token, lemma, thought)
    if content is None:
        return None
    subject = source_tokens(token)
    words = [token] + [
        c for c in token.children if c.dep_ in ("aux", "neg", "prt", "auxpass")
    ]
    content = _on_line(token, content)
    return Cue(token, sorted(words, key=lambda t: t.i), trim(content), subject, thought)


def _verb_content(token: Any, lemma: str, thought: bool) -> list[Any] | None:
    """The tokens of what a cue verb reports: the clause it governs, the clause it interrupts
    or follows, its object (for a verb whose object is what was said) or the object of its
    preposition; None for a verb of thinking without a clause."""
    clause = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
    objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
    if clause:
        if clause[0].dep_ == "xcomp" and objects:  # urged Putin to intervene
            content = list(objects[0].subtree) + [t for c in clause for t in c.subtree]
        else:
            content = [t for c in clause for t in c.subtree]
        return _without_cue_conjuncts(token, clause, content)
    if thought:
        return None
    if (
        token.dep_ in ("parataxis", "ccomp", "advcl") and token.head.tag_ in VERB_TAGS
        and not objects
    ):
        # "Russia will keep close contacts, said Yakovenko" and "All of this, he said,
        # would help": the statement is the clause the cue interrupts or follows
        mine = {t.i for t in token.subtree}
        return [t for t in token.head.subtree if t.i not in mine]
    if objects and lemma in OBJECT_VERBS:
        # "called the withdrawal regrettable", "cited problems": what was said is named
        return [
            t for c in token.children
            if c.i > token.i and c.dep_ in ("dobj", "dative", "oprd", "acomp", "prep")
            for t in c.subtree
        ]  # with "as ...", "of ...", "for ...": described X as Y, accused X of Y
    return _topic(token, lemma, thought)


def _topic(token: Any, lemma: str, thought: bool) -> list[Any]:
    """The object of the preposition that names what a cue verb is about ("called for an
    inquiry", "pointed to the figures", "spoke about the plan"), or nothing."""
    preps = [
        c for c in token.children
        if c.dep_ == "prep" and (
            (lemma, c.lower_) in PREPOSITION_CUES
            or (
                c.lower_ in TOPIC_PREPOSITIONS and c.i > token.i and not thought
                and not any(  # "spoke on Tuesday" names a time, not a topic
                    g.text in CALENDAR or g.like_num for g in c.children
                )
            )
        )
    ]
    if preps:  # "called for an inquiry", "pointed to the figures"
        return [t for c in preps[0].children if c.dep_ == "pobj" for t in c.subtree]
    return []


def _without_cue_conjuncts(cue: Any, clause: list[Any], content: list[Any]) -> list[Any]:
    """"said he would order a review and warned against hackers": a verb joined to the
    clause's verb but in the cue's form, with no subject of its own, goes with the cue (the
    parse attaches it low); its conjunct is a statement of its own, not this one's."""
    cut: set[int] = set()
    for verb in clause:
        for conj in verb.children:
            if (
                conj.dep_ == "conj" and conj.i > verb.i and conj.tag_ == cue.tag_
                and conj.tag_ != verb.tag_
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
            ):
                start = conj.left_edge.i
                doc = conj.doc
                while doc[start - 1].head is verb and doc[start - 1].dep_ in ("cc", "punct"):
                    start -= 1  # the "and" (and comma) before it
                cut.update(range(start, conj.right_edge.i + 1))
    return [t for t in content if t.i not in cut]


def _on_line(cue: Any, content: list[Any]) -> list[Any]:
    """Content tokens on the cue's line: a statement does not run over a line break (a
    paragraph's end), though the parse may join the lines around one."""
    text = cue.doc.text
    start = text.rfind("\n", 0, cue.idx) + 1
    end = text.find("\n", cue.idx)
    end = len(text) if end < 0 else end
    return [t for t in content if start <= t.idx < end]


def _nominal_cue(noun: Any) -> Cue | None:
    """A noun naming something said or held ("his call for an inquiry", "questions about the
    deal", "the claim that ..."): the content is what it is about, the source its possessor
    or the subject of the verb it is the object of ("Trump raised questions about ...")."""
    if _singular(noun.lower_) not in NOUN_CUES:
        return None
    content: list[Any] = []
    words = [noun]
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(g.lower_ == "that" for g in child.children):
            content = list(child.subtree)
            break
        if child.dep_ == "prep" and child.lower_ in NOUN_PREPOSITIONS and child.i > noun.i:
            content = [t for g in child.children if g.dep_ == "pobj" for t in g.subtree]
            words.append(child)
            break
    if not content:
        return None
    # its possessor, or a subject the parse gave it when it took a verb for a noun ("Trump
    # claims that ...", tagged a plural noun)
    owner = [c for c in noun.children if c.dep_ in ("poss", "nsubj")]
    subject = list(owner[0].subtree) if owner else []
    if not subject and noun.dep_ in ("dobj", "attr") and noun.head.tag_ in VERB_TAGS:
        subject = source_tokens(noun.head)
    return Cue(noun, words, trim(content), subject, False)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def source_tokens(verb: Any) -> list[Any]:
    """The source mention: the verb's subject, or the subject it shares with the verb it is
    joined to ("called the withdrawal regrettable and said ..."; "..., saying ...")."""
    seen = 0
    token = verb
    while seen < 4:
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            # "“... Full panic mode,” said Leslie Wimes": a parse may take words of the quote
            # for a second subject; the one after the verb is the speaker
            after = [c for c in subjects if c.i > token.i]
            return list((after[-1] if len(subjects) > 1 and after else subjects[0]).subtree)
        for child in token.children:  # "X was quoted as saying": the agent of a passive
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return list(objects[0].subtree)
        if token.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and token.head is not token:
            token = token.head
            seen += 1
            continue
        break
    return []


def trim(tokens: list[Any]) -> list[Any]:
    """Content tokens in order, without punctuation at the edges (quotation marks stay)."""
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    while ordered and ordered[0].is_punct and ordered[0].text not in OPENING + '"':
        ordered.pop(0)
    while ordered and ordered[-1].is_punct and ordered[-1].text not in CLOSING + '"':
        ordered.pop()
    cut = _aside(ordered)
    if cut is not None:
        return trim(ordered[:cut])
    return ordered


def _aside(ordered: list[Any]) -> int | None:
    """Where a comma opens a modifier that runs to the end of the content and is the
    writer's, not the source's: a participle clause ("..., focusing on the young") or a
    non-restrictive relative clause ("..., which forced her to leave")."""
    if not ordered:
        return None
    last = ordered[-1].i
    for at, token in enumerate(ordered[1:], 1):
        if token.text != "," or at + 1 >= len(ordered):
            continue
        head = ordered[at + 1]
        while head.head is not head and head.head.left_edge.i == ordered[at + 1].i:
            head = head.head
        if head.right_edge.i < last or head.left_edge.i != ordered[at + 1].i:
            continue
        if _is_aside(head):
            return at
    return None


def _is_aside(token: Any) -> bool:
    if token.dep_ in ASIDE_PARTICIPLE and token.tag_ == "VBG":
        return True
    if token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children):
        return True
    return token.dep_ in ASIDE_RELATIVE and token.left_edge.lower_ in ("which", "who")
