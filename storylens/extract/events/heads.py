"""Where an event's parties are in the parse: the heads of its source phrase (the subject,
the agent of a passive, the owner of an event noun) and of its target phrase (the lexicon
row's slots, then the direct object and the usual prepositions' objects)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..tags import NOUN_TAGS, VERB_TAGS
from .triggers import Trigger, pos_of
from .vocabulary import (
    EVALUATING,
    FACTUAL_HEADS,
    FALLBACK_PREPOSITIONS,
    IMPERSONAL,
    LIGHT_VERBS,
    LOCATED_TYPES,
    PERSONAL,
    SUBJECTS,
)


def find_source_heads(
    token: Any, trigger: Trigger, active: frozenset[int] = frozenset()
) -> tuple[list[Any], bool]:
    """Where the source phrase may be, best first (the caller takes the first that names an
    actor), and whether the trigger is a passive verb (so that its grammatical subject is
    the target)."""
    pos = pos_of(token)
    adjective = trigger.entry.pos == "ADJ"
    if pos == "NOUN" and not adjective:
        owner = _noun_source(_anchor(token), active)
        return ([owner] if owner is not None else []), False
    passive = not adjective and any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    if passive:
        for child in token.children:
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                return objects[:1], True
        return [], True
    found: list[Any] = []
    node = token
    for _ in range(5):
        subjects = [c for c in node.children if c.dep_ in SUBJECTS]
        if subjects:  # the nearest before the verb: not a dateline read as a subject
            found.append(min(subjects, key=lambda c: (c.i > node.i, abs(node.i - c.i))))
        if node.dep_ == "xcomp" and node.head is not node:
            objects = [c for c in node.head.children if c.dep_ in ("dobj",)]
            if objects and node.head.lower_ not in FACTUAL_HEADS:
                found.append(objects[0])  # object control: "asked X to ..."
                break
            node = node.head
            continue
        if node.dep_ in ("conj", "advcl", "pcomp", "acomp", "prep") and node.head is not node:
            node = node.head  # "said Japan would work with others to demand ..."
            continue
        if node.dep_ == "acl" and node.head is not node:
            owner = _noun_source(node.head, active)  # "the DPRK's decision to withdraw"
            if owner is not None:
                found.append(owner)
        elif node.dep_ == "relcl" and node.head is not node:
            found.append(node.head)
        break
    return found, False


def _anchor(token: Any) -> Any:
    """An event noun's place in the sentence: the noun it modifies when it is a compound
    ("a mediation mission between A and B", "peace talks with")."""
    if token.dep_ == "compound" and token.head is not token and token.head.tag_ in NOUN_TAGS:
        return token.head
    return token


def _noun_source(noun: Any, active: frozenset[int] = frozenset()) -> Any | None:
    """The source of an event noun: its possessor, a demonym or name before it ("Israeli
    strikes", "US airstrikes"), "by X", or the subject of the verb it is done with ("held
    talks", "expressed concern", "continued their hunger strike", "resorted to throwing
    stones during demonstrations")."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ not in PERSONAL | IMPERSONAL:
        return owner
    for child in noun.children:
        if (
            child.dep_ in ("amod", "compound", "nmod")
            and child.i < noun.i
            and (child.text[:1].isupper())
        ):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0]
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "pobj") and head is not noun:
        if noun.dep_ == "pobj" and head.head is not head:
            head = head.head
        if (
            head.tag_ in VERB_TAGS
            and (head.lower_ in LIGHT_VERBS or head.i not in active)
            and head.lower_ not in EVALUATING
        ):  # "held talks", "renewed negotiations"; not "condemned the attack", nor
            # "called the withdrawal regrettable": who judges an act did not do it
            if head.dep_ == "acl" and head.head is not head:
                return _noun_source(head.head, active) or owner
            return _clause_subject(head) or owner
    return owner  # "their strike", resolved as a pronoun


def _clause_subject(verb: Any) -> Any | None:
    """The nearest subject of a verb, or of the verbs it depends on ("resorted to throwing
    ...", "continued ... to demand")."""
    node = verb
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in SUBJECTS]
        if subjects:
            return min(subjects, key=lambda c: (c.i > node.i, abs(node.i - c.i)))
        if node.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep", "ccomp") and (
            node.head is not node
        ):
            node = node.head
            continue
        if node.dep_ in ("acl", "relcl") and node.head is not node:
            return node.head  # "youths resorted to ...", read as a reduced relative
        break
    return None


def find_target_heads(token: Any, trigger: Trigger, passive: bool) -> Iterator[Any]:
    """Where the target may be, best first: the entry's own slots, then the direct object,
    the objects of the usual prepositions, and those of the trigger's complement ("refused
    to meet Jordan's king", "threatened to ban Ugandan candidates")."""
    if trigger.entry.target == ("none",):
        return
    first = _target_head(token, trigger, passive)
    if first is not None:
        yield first
    if passive:
        return
    light = token.head if token.dep_ in ("dobj", "attr") and token.head is not token else None
    for node in (token, *(c for c in token.children if c.dep_ in ("xcomp", "ccomp"))):
        for child in node.children:
            if child.dep_ in ("dobj", "dative") and child is not first:
                yield child
        for child in (*node.children, *(light.children if light is not None else ())):
            if (
                child.dep_ == "prep"
                and child.lower_ in FALLBACK_PREPOSITIONS
                and not (child.lower_ == "at" and trigger.entry.type in LOCATED_TYPES)
            ):  # "rioted at a jail in ...": where, not against whom
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj" and grandchild is not first:
                        yield grandchild
        light = None


def _target_head(token: Any, trigger: Trigger, passive: bool) -> Any | None:
    if passive and pos_of(token) == "VERB" and trigger.entry.pos != "ADJ":
        for child in token.children:
            if child.dep_ == "nsubjpass":
                return child
    anchor = _anchor(token) if pos_of(token) == "NOUN" else token
    children = list(token.children) + (list(anchor.children) if anchor is not token else [])
    light = anchor.head if anchor.dep_ in ("dobj", "attr") and anchor.head is not anchor else None
    for slot in trigger.entry.target:
        if slot == "none":
            return None
        if slot == "dobj":
            for child in children:
                if child.dep_ in ("dobj", "dative"):
                    return child
        elif slot == "dobj_poss":
            for child in children:
                if child.dep_ == "dobj":
                    owner = [g for g in child.children if g.dep_ == "poss"]
                    return owner[0] if owner else child
        elif slot == "ccomp_subj":
            for child in children:
                if child.dep_ in ("ccomp", "xcomp"):
                    subjects = [g for g in child.children if g.dep_ in SUBJECTS]
                    if subjects:
                        return subjects[0]
        elif slot == "xcomp_obj":
            for child in children:
                if child.dep_ == "xcomp":
                    objects = [g for g in child.children if g.dep_ == "dobj"]
                    if objects:
                        return objects[0]
        elif slot.startswith("prep:") or slot == "with":
            wanted = set(slot[5:].split("|")) if slot != "with" else set(trigger.entry.with_words)
            places = children + (list(light.children) if light is not None else [])
            for child in places:
                if child.dep_ in ("prep", "agent") and child.lower_ in wanted:
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
    return None
