"""The words the entity rules read besides the gazetteer, from the files in ``words/`` (each
file's header says what its list is): words that are not names, the words that end the names
of organisations, bodies and documents, titles, honorifics, particles, and the verbs that make
a capital its government."""

from __future__ import annotations

from ..wordlists import word_set, word_table

_PACKAGE = "storylens.extract.entities"

FUNCTION_WORDS = word_set(_PACKAGE, "function_words")
WEEKDAYS = word_set(_PACKAGE, "weekdays")
MONTHS = word_set(_PACKAGE, "months")
THING_WORDS = word_set(_PACKAGE, "thing_words")
ORG_WORDS = word_set(_PACKAGE, "organisation_words")
BODY_WORDS = word_set(_PACKAGE, "body_words")
NOT_NAME = word_set(_PACKAGE, "not_name") | ORG_WORDS | WEEKDAYS | MONTHS
ORG_CONNECTORS = frozenset(("of", "and", "&", "for"))
AND = frozenset(("and", "&"))
COPULAS = frozenset(("is", "was", "are", "were"))
PLACE_PREPOSITIONS = word_set(_PACKAGE, "place_prepositions")
PLACE_ENDS = word_set(_PACKAGE, "place_ends")
PLACE_STARTS = word_set(_PACKAGE, "place_starts")
SMALL_WORDS = frozenset(("of", "the", "and", "for"))
EXTRA_TITLES = word_set(_PACKAGE, "extra_titles")
ABBREVIATED = word_set(_PACKAGE, "abbreviated")
HONORIFICS = word_set(_PACKAGE, "honorifics")
PARTICLES = word_set(_PACKAGE, "particles")
ACTOR_VERBS = word_set(_PACKAGE, "actor_verbs")
ARTICLES = frozenset(("the", "The"))
SAME_ROLE = dict(word_table(_PACKAGE, "same_role"))



