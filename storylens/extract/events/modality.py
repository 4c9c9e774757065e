"""Whether a trigger reports what happened: negated ("did not attack"), hypothetical ("may
impose"), future ("will visit"), or the complement of another word ("urged Putin to
intervene", "decided to withdraw", "offered to negotiate")."""

from __future__ import annotations

from typing import Any

from .vocabulary import (
    DIRECTIVE,
    FACTUAL_HEADS,
    FUTURE,
    HYPOTHETICAL,
    INTENT_HEADS,
    NEGATING_HEADS,
    WISHING,
)


def is_negated(token: Any) -> bool:
    """ "did not attack", "never met", and the head of a conjunct or complement negated:
    "refused to attack" is left to refuse, whose own entry is negative."""
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "no"):
            return True
    if token.dep_ == "conj":
        return is_negated(token.head) if token.head is not token else False
    return False


def is_hypothetical(token: Any) -> bool:
    """ "may impose sanctions", "could attack", "if they attack": not the event itself."""
    node = token
    for _ in range(5):
        for child in node.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
        if node.dep_ in ("conj", "acomp", "pcomp", "pobj", "prep") and node.head is not node:
            # "is opposed" is the copula's; a conjunct shares the aux; "could play a role in
            # resolving": what a preposition hangs from shares it too
            node = node.head
            continue
        break
    return False


def is_future(token: Any) -> bool:
    """Whether a trigger is in the future ("will visit", "is going to attack")."""
    node = token
    for _ in range(3):
        for child in node.children:
            if child.dep_ == "aux" and child.lower_ in FUTURE:
                return True
        if node.dep_ in ("conj", "acomp", "xcomp") and node.head is not node:
            if node.dep_ == "xcomp" and node.head.lower_ in ("going",):
                return True
            node = node.head
            continue
        break
    return False


def clause_embedding(token: Any) -> str | None:
    """embedding() of a trigger, or of the verb it hangs from as an object or through a
    preposition when the trigger itself is no complement ("hopes Uganda will join the treaty
    before the summit": the treaty and the summit are in what is hoped)."""
    found = embedding(token)
    node = token
    for _ in range(4):
        if found is not None or node.dep_ not in _HANGING or node.head is node:
            break
        node = node.head
        found = embedding(node)
    return found


# How a word hangs from the verb of its clause: as its object, or through a preposition.
_HANGING = frozenset(("dobj", "attr", "pobj", "prep", "pcomp"))


def embedding(token: Any) -> str | None:
    """What a complement of another word is: None when it happened as said ("decided to
    withdraw", or no complement at all), "intent" for what someone offered, planned or is
    ready to do, "other" for what someone else was asked, urged or threatened to do, or
    refused to do ("urged Putin to intervene", "threatened to attack", "refused to sign"),
    which is the head's event."""
    if token.dep_ == "xcomp" and token.head is not token:
        head = token.head.lower_
        if head in FACTUAL_HEADS:
            return None
        if head in NEGATING_HEADS:
            return "negated"
        return "intent" if head in INTENT_HEADS else "other"
    # "demanded that X withdraw": a subjunctive complement (base form), or any complement
    # of a verb of asking, is the request's; "hopes X will heed": what is hoped is not done
    if (
        token.dep_ in ("ccomp", "advcl")
        and token.head is not token
        and (
            token.head.lower_ in DIRECTIVE
            or (token.dep_ == "ccomp" and token.i > token.head.i and _wished(token.head))
            or (token.tag_ == "VB" and not any(c.dep_ == "aux" for c in token.children))
        )
    ):
        return "other"
    return None


def _wished(head: Any) -> bool:
    """Whether a word is a verb of hoping or believing with a subject of its own: "Russia
    hopes ...", "he believed ..." (not "much of it believed to have been embezzled"); the
    clause it governs comes after it."""
    return head.lower_ in WISHING and any(c.dep_ == "nsubj" for c in head.children)


def condition_word(token: Any) -> str | None:
    """The word that puts a condition on a future act: "unless" ("will withdraw ... unless
    ...": a threat) or "if" ("would meet ... if ...": an offer, for cooperation)."""
    for child in token.children:
        if child.dep_ == "advcl":
            for grandchild in child.children:
                if grandchild.dep_ == "mark" and grandchild.lower_ in ("unless", "if"):
                    return str(grandchild.lower_)
    return None
