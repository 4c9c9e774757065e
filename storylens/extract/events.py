"""The events stage: who did what to whom, typed with the PLOVER ontology.

A dictionary coder over the dependency parse, in the tradition of TABARI and PETRARCH but on
spaCy and our own lexicon (storylens/data/event_lexicon.tsv, written from the PLOVER type
definitions). For each trigger word of the lexicon in a parsed sentence:

- the entry is chosen by what is attached to the trigger (a particle, a preposition, the head
  of its object: "call on", "impose sanctions", "express concern"), a specific entry before a
  generic one;
- the source is the trigger's subject (the agent of a passive; the subject of the verb it
  depends on, for "decided to withdraw" or "..., saying"; the possessor or the demonym of an
  event noun: "Israel's invasion", "Israeli strikes"; the subject of a light verb: "held
  talks", "launched an attack");
- the target is found by the entry's slots in turn (direct object, a preposition's object,
  the subject of a that-clause, the owner of the object: "rejected Japan's proposal");
- actors are coded from the entity mentions inside those phrases (country code, sector), the
  sector also from the phrase's role words ("officials": GOV, "troops": MIL);
- negated triggers ("did not attack", "refused to attack") and hypothetical ones ("may
  impose", "could attack", "if ...") are not coded as the event itself; a trigger that only
  says what someone else was asked, urged or threatened to do is left to the verb it depends
  on; a future material action ("will visit") is coded as the intent it expresses (AGREE),
  a future use of force or sanctions as THREATEN;
- the date is the sentence's own date, resolved against the article's (when.event_date),
  else the article's date; the place a place named with "in" or "at".

Pure: a function of the articles, their parse (shared with the attributions stage, see
attribution.parse_articles) and their entity mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..model import Actor, Article, EventMention, Mention, Span
from .gazetteer import load_gazetteer
from .lexicon import LexiconEntry, form_index, forms, load_lexicon
from .when import event_date

VERB_TAGS = frozenset(("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"))
NOUN_TAGS = frozenset(("NN", "NNS"))
ADJ_TAGS = frozenset(("JJ", "VBN"))
SUBJECTS = frozenset(("nsubj", "nsubjpass", "csubj"))
HYPOTHETICAL = frozenset(("may", "might", "could", "should", "can", "ca", "must"))
FUTURE = frozenset(("will", "would", "'ll", "’ll", "shall"))
# Verbs whose infinitive complement happened as said ("decided to withdraw"); the
# complement of any other verb ("urged Putin to intervene", "threatened to attack",
# "refused to sign", "hopes to meet") did not, or not yet.
FACTUAL_HEADS = frozenset(
    (
        "begin",
        "began",
        "begun",
        "begins",
        "beginning",
        "start",
        "started",
        "starts",
        "starting",
        "continue",
        "continued",
        "continues",
        "continuing",
        "resume",
        "resumed",
        "resumes",
        "resuming",
        "decide",
        "decided",
        "decides",
        "deciding",
        "go",
        "went",
        "goes",
        "try",
        "tried",
        "tries",
        "trying",
        "attempt",
        "attempted",
        "attempts",
        "attempting",
        "going",
        "move",
        "moved",
        "moves",
        "moving",
        "vote",
        "voted",
        "votes",
        "voting",
    )
)
# Heads whose infinitive complement did not happen: "failed to reach agreement" is a
# refusal (REJECT) when what failed was cooperation, and nothing when it was force.
NEGATING_HEADS = frozenset(
    (
        "fail",
        "failed",
        "fails",
        "failing",
        "refuse",
        "refused",
        "refuses",
        "refusing",
        "decline",
        "declined",
        "declines",
        "declining",
    )
)
# Verbs an event noun is done with: the verb's subject is the noun's source.
LIGHT_VERBS = frozenset(
    (
        "hold",
        "held",
        "holds",
        "holding",
        "launch",
        "launched",
        "launches",
        "launching",
        "make",
        "made",
        "makes",
        "making",
        "carry",
        "carried",
        "carries",
        "carrying",
        "stage",
        "staged",
        "stages",
        "staging",
        "issue",
        "issued",
        "issues",
        "issuing",
        "express",
        "expressed",
        "expresses",
        "expressing",
        "pay",
        "paid",
        "pays",
        "paying",
        "conduct",
        "conducted",
        "conducts",
        "conducting",
        "begin",
        "began",
        "begun",
        "begins",
        "open",
        "opened",
        "opens",
        "have",
        "had",
        "has",
        "having",
        "mount",
        "mounted",
        "mounts",
        "lodge",
        "lodged",
        "lodges",
        "file",
        "filed",
        "files",
        "voice",
        "voiced",
        "voices",
        "announce",
        "announced",
        "announces",
        "impose",
        "imposed",
        "imposes",
        "sign",
        "signed",
        "signs",
        "reach",
        "reached",
        "reaches",
        "give",
        "gave",
        "given",
        "gives",
        "offer",
        "offered",
        "offers",
        "extend",
        "extended",
        "extends",
        "send",
        "sent",
        "sends",
    )
)
# What someone says they will do is coded as what saying it is (CAMEO's practice): an
# intent to cooperate is AGREE, to use force or pressure is THREATEN; a refusal to cooperate
# ("will not accept", "did not sign") is REJECT.
COOPERATIVE = frozenset(
    (
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
    )
)
HOSTILE = frozenset(("ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"))
# Heads whose infinitive complement is an intent ("offered to negotiate", "is ready to send",
# "plans to impose"): coded as the future of the complement.
INTENT_HEADS = frozenset(
    (
        "plan",
        "plans",
        "planned",
        "planning",
        "intend",
        "intends",
        "intended",
        "intending",
        "prepared",
        "ready",
        "willing",
        "pledge",
        "pledged",
        "pledges",
        "pledging",
        "promise",
        "promised",
        "promises",
        "promising",
        "vow",
        "vowed",
        "vows",
        "vowing",
        "swear",
        "swore",
        "sworn",
        "offer",
        "offered",
        "offers",
        "offering",
        "agree",
        "agreed",
        "agrees",
        "agreeing",
        "committed",
        "determined",
        "expect",
        "expects",
        "expected",
        "aim",
        "aims",
        "aimed",
        "want",
        "wants",
        "wanted",
        "seek",
        "seeks",
        "sought",
        "hope",
        "hopes",
        "hoped",
    )
)
PERSONAL = frozenset(("he", "she", "him", "her", "his"))
IMPERSONAL = frozenset(("it", "its", "they", "them", "their"))
# Symmetric types: "A met B" and "B met A" are the same event.
SYMMETRIC = frozenset(("CONSULT", "COOPERATE", "AGREE"))


# "X said (that) Y must ...": a statement of what another must do is a demand (CAMEO's
# practice), made by the one who says it, of the one who must.
MUST = LexiconEntry("must", "VERB", frozenset(), "REQUEST", "", ("ccomp_subj",), False)


@dataclass(frozen=True)
class _Trigger:
    token: Any
    entry: LexiconEntry
    words: tuple[Any, ...]  # the trigger and the attached words that chose the entry


def code_events(
    articles: Iterable[Article],
    parsed: dict[str, list[tuple[int, Any]]],
    mentions: dict[str, list[Mention]],
) -> dict[str, list[EventMention]]:
    """The event mentions of each article (by id), in text order. ``parsed`` is
    attribution.parse_articles' result (runs of sentences, parsed where they hold a trigger
    word: pass ``trigger_forms()`` as its ``also``); ``mentions`` the entities stage's."""
    return {
        a.id: _article_events(a, parsed.get(a.id, []), mentions.get(a.id, [])) for a in articles
    }


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """The lower-case word forms that may name an event: sentences holding one are parsed."""
    return frozenset(form_index())


def _article_events(
    article: Article, pieces: list[tuple[int, Any]], mentions: list[Mention]
) -> list[EventMention]:
    index = form_index()
    lexicon = load_lexicon()
    found: list[EventMention] = []
    ordered = sorted(mentions, key=lambda m: m.span)
    for base, doc in pieces:
        if isinstance(doc, str):
            continue
        for sentence in doc.sents:
            triggers = list(_triggers(sentence, index, lexicon))
            used = {w.i for t in triggers for w in t.words[1:]}
            active = frozenset(t.token.i for t in triggers)
            for trigger in triggers:
                if trigger.token.i in used:
                    continue  # the object of another trigger: "expressed concern"
                made = _event(article, base, sentence, trigger, ordered, active)
                if made is not None:
                    found.append(made)
    return _unique(found)


def _unique(found: list[EventMention]) -> list[EventMention]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for event in sorted(found, key=lambda e: e.trigger_span):
        key = (event.type, event.sentence_span, _keys(event.source), _keys(event.target))
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def _keys(actors: tuple[Actor, ...]) -> frozenset[str]:
    return frozenset(a.code or a.entity_id or a.name.lower() for a in actors)


# -- triggers ---------------------------------------------------------------------------------


def _pos_of(token: Any) -> str | None:
    if token.tag_ in VERB_TAGS:
        return "VERB"
    if token.tag_ in NOUN_TAGS:
        return "NOUN"
    if token.tag_ in ADJ_TAGS:
        return "ADJ"
    return None


def _triggers(
    sentence: Any, index: dict[str, set[tuple[str, str]]], lexicon: Any
) -> Iterator[_Trigger]:
    for token in sentence:
        if token.lower_ == "must" and token.dep_ == "aux":
            clause = token.head
            if (
                clause.dep_ == "ccomp"
                and clause.head is not clause
                and any(c.dep_ in SUBJECTS for c in clause.children)
            ):
                yield _Trigger(clause.head, MUST, (clause.head, token))
            continue
        candidates = index.get(token.lower_)
        if not candidates:
            continue
        pos = _pos_of(token)
        if pos is None:
            continue
        attached = _attached(token, index)
        best: _Trigger | None = None
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
                            candidate = _Trigger(token, entry, return_words)
                            if best is None or len(best.words) == 1:
                                best = candidate
                    elif best is None:
                        best = _Trigger(token, entry, (token,))
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


# -- coding one event -------------------------------------------------------------------------


def _event(
    article: Article,
    base: int,
    sentence: Any,
    trigger: _Trigger,
    mentions: list[Mention],
    active: frozenset[int] = frozenset(),
) -> EventMention | None:
    """``active``: the positions of the sentence's triggers (a verb that is one does its own
    event, not its object noun's: "condemned the attack")."""
    token, entry = trigger.token, trigger.entry
    embedded = _embedded(token)
    negated = not entry.negative and (_negated(token) or embedded == "negated")
    if negated and entry.type not in COOPERATIVE:
        return None  # "did not attack", "failed to attack": nothing happened
    if _hypothetical(token):
        return None
    intent = embedded == "intent"
    if embedded == "other":
        return None
    source_heads, passive = _source_heads(token, trigger, active)
    source: tuple[Actor, ...] = ()
    for source_head in source_heads:
        source = _actors(source_head, base, mentions)
        if source:
            break
    target: tuple[Actor, ...] = ()
    for target_head in _target_heads(token, trigger, passive):
        found = _actors(target_head, base, mentions, deep=True)
        if found and (_coded(found) or not target):
            target = found
        if _coded(target):
            break
    source_keys = _keys(source)
    target = tuple(
        a
        for a in target
        if (a.code or a.entity_id or a.name.lower()) not in source_keys
        or a.sector != _sector_for(source, a)
    )
    # a party with no country takes the sentence's one country (domestic reports name one),
    # unless that country is named as the other party ("threatened action against Russia")
    source = _located(source, sentence, base, mentions, _named_countries(target))
    target = _located(target, sentence, base, mentions)
    if not target and entry.type in LOCATED_TYPES:
        target = _where(sentence, base, mentions, entry.type)
    if not source and target and entry.type in UNSEEN_SOURCE_TYPES:
        source = _unseen_source(sentence, base, mentions, target)
    if not source and not target:
        return None
    kind = entry.type
    said = {t.lower_ for t in source_heads[0].subtree} if source_heads else set()
    if (
        kind == "CONSULT"
        and source
        and (
            all(a.sector == "MIL" for a in source)
            or any(load_gazetteer().sector_of(w) == "MIL" for w in said)
        )
    ):
        # troops "arriving in" a country are deployed, not visiting: peacekeepers as aid
        kind = "AID" if said & {"peacekeeping", "peacekeepers", "peacekeeper"} else "MOBILIZE"
    future = _future(token) or intent
    if negated:
        kind = "REJECT"  # "will not accept refugees", "failed to reach agreement"
    elif future and (kind in HOSTILE or _conditional(token) == "unless"):
        kind = "THREATEN"  # "will boycott", "will withdraw unless ..."
    elif future and kind in COOPERATIVE:
        kind = "AGREE"
    sentence_span: Span = (base + sentence.start_char, base + sentence.end_char)
    words = sorted(trigger.words, key=lambda w: w.i)
    trigger_span: Span = (base + words[0].idx, base + words[-1].idx + len(words[-1].text))
    date = event_date(sentence.text, article.published, future) or article.published_date
    confidence = (
        0.4
        + (0.25 if _coded(source) else 0.0)
        + (0.2 if _coded(target) or entry.target == ("none",) else 0.0)
        + (0.15 if len(trigger.words) > 1 else 0.0)
    )
    return EventMention(
        article_id=article.id,
        type=kind,
        mode=(entry.mode or None) if kind == entry.type else None,
        source=source,
        target=target,
        date=date,
        place=_place(sentence, base, mentions, source + target),
        sentence=sentence.text,
        sentence_span=sentence_span,
        trigger=" ".join(w.text for w in words),
        trigger_span=trigger_span,
        confidence=round(min(confidence, 1.0), 2),
    )


def _sector_for(source: tuple[Actor, ...], actor: Actor) -> str | None:
    for other in source:
        if (other.code or other.entity_id or other.name.lower()) == (
            actor.code or actor.entity_id or actor.name.lower()
        ):
            return other.sector
    return None


def _coded(actors: tuple[Actor, ...]) -> bool:
    return any(a.code for a in actors)


def _negated(token: Any) -> bool:
    """ "did not attack", "never met", and the head of a conjunct or complement negated:
    "refused to attack" is left to refuse, whose own entry is negative."""
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "no"):
            return True
    if token.dep_ == "conj":
        return _negated(token.head) if token.head is not token else False
    return False


def _hypothetical(token: Any) -> bool:
    """ "may impose sanctions", "could attack", "if they attack": not the event itself."""
    node = token
    for _ in range(3):
        for child in node.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
        if node.dep_ in ("conj", "acomp") and node.head is not node:
            node = node.head  # "is opposed" is the copula's; a conjunct shares the aux
            continue
        break
    return False


def _future(token: Any) -> bool:
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


def _embedded(token: Any) -> str | None:
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
    # of a verb of asking, is the request's
    if (
        token.dep_ in ("ccomp", "advcl")
        and token.head is not token
        and (
            token.head.lower_ in DIRECTIVE
            or (token.tag_ == "VB" and not any(c.dep_ == "aux" for c in token.children))
        )
    ):
        return "other"
    return None


DIRECTIVE = frozenset(
    form
    for verb in (
        "demand",
        "urge",
        "ask",
        "insist",
        "request",
        "press",
        "order",
        "propose",
        "suggest",
        "recommend",
        "require",
        "appeal",
        "call",
        "warn",
        "tell",
    )
    for form in forms(verb, "VERB")
)


def _conditional(token: Any) -> str | None:
    """The word that puts a condition on a future act: "unless" ("will withdraw ... unless
    ...": a threat) or "if" ("would meet ... if ...": an offer, for cooperation)."""
    for child in token.children:
        if child.dep_ == "advcl":
            for grandchild in child.children:
                if grandchild.dep_ == "mark" and grandchild.lower_ in ("unless", "if"):
                    return str(grandchild.lower_)
    return None


# -- actors -----------------------------------------------------------------------------------


def _source_heads(
    token: Any, trigger: _Trigger, active: frozenset[int] = frozenset()
) -> tuple[list[Any], bool]:
    """Where the source phrase may be, best first (the caller takes the first that names an
    actor), and whether the trigger is a passive verb (so that its grammatical subject is
    the target)."""
    pos = _pos_of(token)
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
        if head.tag_ in VERB_TAGS and (
            head.lower_ in LIGHT_VERBS or head.i not in active
        ):  # "held talks", "renewed negotiations"; not "condemned the attack"
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


FALLBACK_PREPOSITIONS = frozenset(
    (
        "to",
        "with",
        "against",
        "on",
        "for",
        "from",
        "into",
        "over",
        "at",
        "toward",
        "towards",
        "upon",
    )
)


def _target_heads(token: Any, trigger: _Trigger, passive: bool) -> Iterator[Any]:
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


def _target_head(token: Any, trigger: _Trigger, passive: bool) -> Any | None:
    if passive and _pos_of(token) == "VERB" and trigger.entry.pos != "ADJ":
        for child in token.children:
            if child.dep_ == "nsubjpass":
                return child
    anchor = _anchor(token) if _pos_of(token) == "NOUN" else token
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


def _phrase(head: Any) -> list[Any]:
    """The tokens of an actor phrase: the head with everything before it that depends on it
    (demonyms, names, possessors, conjuncts among them), its conjuncts and appositions."""
    tokens = [head]
    for child in head.children:
        if child.i < head.i and child.dep_ not in ("det", "punct", "prep", "relcl", "acl"):
            tokens.extend(child.subtree)
        elif child.dep_ in ("conj", "appos", "compound"):
            tokens.extend(_phrase(child))
    return tokens


def _wider(head: Any) -> list[Any]:
    """A phrase's "of", "in" and "from" complements: "rebels in the Ivory Coast", "the
    government of Laurent Gbagbo", "the leaders of Russia and Japan"."""
    tokens: list[Any] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
            tokens.extend(child.subtree)
    return tokens


def _actors(head: Any, base: int, mentions: list[Mention], deep: bool = False) -> tuple[Actor, ...]:
    """The actors a phrase names. ``deep``: for a target, look into the whole phrase when
    its core names none ("calls by Belarus's rulers", "demands from the rebels")."""
    if head.lower_ in IMPERSONAL:
        # "The rebels said they would ...", "Russia said it would ...": the subject before
        # it in the sentence, else the latest country or organisation
        clause = head.head
        while clause.dep_ in ("ccomp", "conj", "xcomp") and clause.head is not clause:
            clause = clause.head
            speakers = [
                c
                for c in clause.children
                if c.dep_ in SUBJECTS and c.i < head.i and c.lower_ not in PERSONAL | IMPERSONAL
            ]
            if speakers:
                spoken = _actors(speakers[0], base, mentions)
                if spoken:
                    return spoken
                break
        return _pronoun(head, base, mentions)
    if head.lower_ in PERSONAL:
        return _pronoun(head, base, mentions)
    tokens = _phrase(head)
    found = _mentions_in(tokens, base, mentions)
    if not found:
        wider = _wider(head)
        if wider:
            tokens = tokens + wider
            found = _mentions_in(wider, base, mentions)
    if not found and deep:
        whole = list(head.subtree)
        found = _mentions_in(whole, base, mentions)
        if found:
            tokens = whole
    sector = _phrase_sector(head, tokens)
    if not found:
        if sector is None:
            return ()
        words = sorted(tokens, key=lambda t: t.i)
        text = " ".join(t.text for t in words)
        return (Actor(name=text, code=None, sector=sector, text=text),)
    actors = tuple(_actor(m, sector) for m in _distinct(found))
    residence = _residence(head, tokens, base, mentions)
    if residence is not None:
        actors = tuple(replace(a, code=residence) for a in actors)
    if not any(a.code for a in actors):
        # "a member of the Syrian parliament, Mohammed Mamoun": the country its apposition
        # or complement names
        around = _wider(head)
        if head.dep_ == "appos" and head.head is not head:
            around += _phrase(head.head) + _wider(head.head)
        codes = {m.code for m in _mentions_in(around, base, mentions) if m.code}
        if len(codes) == 1:
            (code,) = codes
            actors = tuple(replace(a, code=code) for a in actors)
    return actors


def _residence(head: Any, tokens: list[Any], base: int, mentions: list[Mention]) -> str | None:
    """An ethnic group is coded by the country it lives in, as CAMEO coders do: "Albanians
    in Serbia", "the Albanians of southern Serbia", "ethnic Albanians demonstrated in
    Serbia" are Serbia's."""
    own = _mentions_in([head], base, mentions)
    if not own or own[0].kind != "place" or not head.text.endswith("s"):
        return None  # the head is a people noun named for a country: "Albanians", "Kurds"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of"):
            codes = {m.code for m in _mentions_in(list(child.subtree), base, mentions)}
            codes.discard(None)
            if len(codes) == 1:
                return codes.pop()
    if any(t.lower_ == "ethnic" for t in tokens):
        verb = head.head
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at"):
                codes = {m.code for m in _mentions_in(list(child.subtree), base, mentions)}
                codes.discard(None)
                if len(codes) == 1:
                    return codes.pop()
    return None


PLACE_WORDS = (
    " in",
    " at",
    " across",
    " throughout",
    " in the",
    " in southern",
    " in northern",
    " in eastern",
    " in western",
    " in central",
)


def _event_country(sentence: Any, base: int, mentions: list[Mention]) -> set[str]:
    """The country a sentence's event happens in: the one it names after "in", "at",
    "across", "throughout", when exactly one; else every country it names."""
    start, end = base + sentence.start_char, base + sentence.end_char
    text = sentence.doc.text
    located = {
        m.code
        for m in mentions
        if start <= m.span[0] < end
        and m.code
        and m.code not in ("IGO", "NGO", "IMG")
        and (
            " " + text[max(0, m.span[0] - base - 13) : m.span[0] - base].rstrip().lower()
        ).endswith(PLACE_WORDS)
    }
    return located if len(located) == 1 else _countries(sentence, base, mentions)


def _countries(sentence: Any, base: int, mentions: list[Mention]) -> set[str]:
    start, end = base + sentence.start_char, base + sentence.end_char
    return {
        m.code
        for m in mentions
        if start <= m.span[0] < end and m.code and m.code not in ("IGO", "NGO", "IMG")
    }


# Events done in a place more than to a party: protests, strikes, curfews, arrests, attacks
# with no stated target are coded, as CAMEO coders do, against the country they happen in
# (its government for a protest, its people for force and coercion).
LOCATED_TYPES = {"PROTEST": "GOV", "COERCE": "CVL", "ASSAULT": "CVL", "MOBILIZE": "GOV"}


# Violence whose perpetrator is not named ("a roadside bomb killed three soldiers near
# Basra") is coded, as CAMEO coders do, to the country where it happened.
UNSEEN_SOURCE_TYPES = frozenset(("ASSAULT",))


def _named_countries(actors: tuple[Actor, ...]) -> frozenset[str]:
    """Codes of the actors that are countries named as such ("against Russia"; not a city in
    them, nor a demonym qualifying a group: "Ugandan candidates" are the country's own)."""
    gazetteer = load_gazetteer()
    named = set()
    for actor in actors:
        country = gazetteer.country(actor.code)
        if country is not None and actor.text in (country.name, *country.aliases):
            named.add(country.code)
    return frozenset(named)


def _unseen_source(
    sentence: Any, base: int, mentions: list[Mention], target: tuple[Actor, ...]
) -> tuple[Actor, ...]:
    codes = _countries(sentence, base, mentions)
    others = codes - {a.code for a in target if a.code}
    if len(others) != 1:
        return ()
    (code,) = others
    country = load_gazetteer().country(code)
    name = country.name if country is not None else code
    return (Actor(name=f"unidentified ({name})", code=code, sector=None, text=""),)


def _where(sentence: Any, base: int, mentions: list[Mention], kind: str) -> tuple[Actor, ...]:
    """The country the event happens in: the one named after "in", "at", "across",
    "throughout" in the sentence, else the sentence's only country."""
    codes = _event_country(sentence, base, mentions)
    if len(codes) != 1:
        return ()
    (code,) = codes
    place = next(m for m in mentions if m.code == code)
    return (
        Actor(
            name=place.name if place.kind == "place" else code,
            code=code,
            sector=LOCATED_TYPES[kind],
            text="",
        ),
    )


def _located(
    actors: tuple[Actor, ...],
    sentence: Any,
    base: int,
    mentions: list[Mention],
    other: set[str] | frozenset[str] = frozenset(),
) -> tuple[Actor, ...]:
    """An actor with a role but no country ("President Mugabe", "the rebels") takes the
    country of the sentence when the sentence names exactly one and not as the other party:
    what a human coder does with a domestic report."""
    if all(a.code for a in actors):
        return actors
    codes = _event_country(sentence, base, mentions)
    if len(codes) != 1 or codes & set(other):
        return actors
    (code,) = codes
    return tuple(replace(a, code=code) if a.code is None and a.sector else a for a in actors)


def _pronoun(token: Any, base: int, mentions: list[Mention]) -> tuple[Actor, ...]:
    """ "he" is the latest person mentioned before it; "it", "they" the latest country or
    organisation."""
    at = base + token.idx
    wanted = ("person",) if token.lower_ in PERSONAL else ("place", "organisation")
    for mention in reversed(mentions):
        if (
            mention.span[1] <= at
            and mention.kind in wanted
            and (mention.kind != "place" or mention.code)
        ):
            return (_actor(mention, None),)
    return ()


def _mentions_in(tokens: list[Any], base: int, mentions: list[Mention]) -> list[Mention]:
    spans = [(base + t.idx, base + t.idx + len(t.text)) for t in tokens]
    return [
        m for m in mentions if any(m.span[0] < end and start < m.span[1] for start, end in spans)
    ]


def _distinct(found: list[Mention]) -> list[Mention]:
    """One mention per actor: a person or organisation with a code makes a bare mention of
    its country redundant ("Japanese Prime Minister Junichiro Koizumi")."""
    named = {m.code for m in found if m.kind != "place" and m.code}
    kept: dict[str, Mention] = {}
    for mention in found:
        if mention.kind == "place" and mention.code in named:
            continue
        kept.setdefault(mention.entity_id, mention)
    return list(kept.values())


def _phrase_sector(head: Any, tokens: list[Any]) -> str | None:
    """The sector the phrase's role words give, the nearest to its head first."""
    gazetteer = load_gazetteer()
    for token in sorted(tokens, key=lambda t: (t.i != head.i, abs(t.i - head.i))):
        if token.text[:1].isupper() and token.i != head.i and token.tag_ in ("NNP", "NNPS"):
            continue
        sector = gazetteer.sector_of(token.lower_)
        if sector:
            return sector
    return None


def _actor(mention: Mention, sector: str | None) -> Actor:
    """An actor from a mention. A country named as a party acts through its government."""
    chosen = mention.sector or sector
    if chosen is None and mention.kind == "place" and mention.code:
        # a people ("Albanians", "Palestinians") is its civilians; a country its government
        people = mention.text.endswith("s") and mention.text != mention.name
        chosen = "CVL" if people else "GOV"
    if sector is not None and mention.kind == "place":
        chosen = sector  # "Israeli troops": the troops' sector, Israel's code
    return Actor(
        name=mention.name,
        code=mention.code,
        sector=chosen,
        entity_id=mention.entity_id,
        text=mention.text,
    )


def _place(
    sentence: Any, base: int, mentions: list[Mention], actors: tuple[Actor, ...]
) -> str | None:
    """A place named in the sentence after "in" or "at", that is not a party to it."""
    taken = {a.entity_id for a in actors}
    start, end = base + sentence.start_char, base + sentence.end_char
    text = sentence.doc.text
    for mention in mentions:
        if not (start <= mention.span[0] < end) or mention.kind != "place":
            continue
        if mention.entity_id in taken or mention.sector:
            continue
        before = text[: mention.span[0] - base].rstrip().lower()
        if before.endswith((" in", " at", " in the", " at the")):
            return mention.name
    return None
