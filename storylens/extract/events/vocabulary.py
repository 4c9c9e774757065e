"""The words the event coder reads besides its lexicon, from the files in ``words/`` (each
file's header says what its list is): heads of infinitive complements, light verbs, verbs of
asking, the PLOVER types coded alike, and the words that place an event in a country."""

from __future__ import annotations

from ..wordlists import word_set, word_table, word_tuple
from .lexicon import forms

_PACKAGE = "storylens.extract.events"

SUBJECTS = frozenset(("nsubj", "nsubjpass", "csubj"))  # dependency labels of a subject
HYPOTHETICAL = frozenset(("may", "might", "could", "should", "can", "ca", "must"))
FUTURE = frozenset(("will", "would", "'ll", "’ll", "shall"))
PERSONAL = frozenset(("he", "she", "him", "her", "his"))
IMPERSONAL = frozenset(("it", "its", "they", "them", "their"))
FACTUAL_HEADS = word_set(_PACKAGE, "factual_heads")
NEGATING_HEADS = word_set(_PACKAGE, "negating_heads")
LIGHT_VERBS = word_set(_PACKAGE, "light_verbs")
INTENT_HEADS = word_set(_PACKAGE, "intent_heads")
# What someone says they will do is coded as what saying it is (CAMEO's practice): an
# intent to cooperate is AGREE, to use force or pressure is THREATEN; a refusal to cooperate
# ("will not accept", "did not sign") is REJECT.
COOPERATIVE = word_set(_PACKAGE, "cooperative_types")
HOSTILE = word_set(_PACKAGE, "hostile_types")
# Every inflected form of the verbs of asking.
DIRECTIVE = frozenset(
    form for verb in word_tuple(_PACKAGE, "directive_verbs") for form in forms(verb, "VERB")
)
FALLBACK_PREPOSITIONS = word_set(_PACKAGE, "fallback_prepositions")
# Each with the space before it, as the text before a mention is matched against them.
PLACE_WORDS = tuple(" " + words for words in word_tuple(_PACKAGE, "place_words"))
# Events done in a place more than to a party: protests, strikes, curfews, arrests, attacks
# with no stated target are coded, as CAMEO coders do, against the country they happen in
# (its government for a protest, its people for force and coercion).
LOCATED_TYPES = dict(word_table(_PACKAGE, "located_types"))
# Violence whose perpetrator is not named ("a roadside bomb killed three soldiers near
# Basra") is coded, as CAMEO coders do, to the country where it happened.
UNSEEN_SOURCE_TYPES = frozenset(("ASSAULT",))
# Verbs of judging or reacting, in every form: their subject judges an act, it did not do it.
EVALUATING = frozenset(
    form for verb in word_tuple(_PACKAGE, "evaluating_verbs") for form in forms(verb, "VERB")
)
# Verbs of hoping, expecting and believing, in every form: the clause after them is wished
# or thought, not done.
WISHING = frozenset(
    form for verb in word_tuple(_PACKAGE, "wishing_verbs") for form in forms(verb, "VERB")
)
UNASSERTING_TYPES = word_set(_PACKAGE, "unasserting_types")
NOT_ACTORS = word_set(_PACKAGE, "not_actors")
# Verbs of helping, in every form: with a verb complement they help another act.
HELPING = frozenset(
    form for verb in word_tuple(_PACKAGE, "helping_verbs") for form in forms(verb, "VERB")
)
