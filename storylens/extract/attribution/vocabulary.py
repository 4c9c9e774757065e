"""The words attribution reads, from the files in ``words/`` (each file's header says what
its list is): the cue verbs and nouns and their inflected forms, and the words that tell a
speaker's name from a title, an organisation, a document or a date."""

from __future__ import annotations

import re

from ..wordlists import word_set, word_table

_PACKAGE = "storylens.extract.attribution"

SPEECH_VERBS = word_set(_PACKAGE, "speech_verbs")
THOUGHT_VERBS = word_set(_PACKAGE, "thought_verbs")
OBJECT_VERBS = word_set(_PACKAGE, "object_verbs")
PREPOSITION_CUES = frozenset(word_table(_PACKAGE, "preposition_cues"))
NOUN_CUES = word_set(_PACKAGE, "noun_cues")
NOUN_PREPOSITIONS = frozenset(("about", "of", "for", "on", "against", "over"))
# "spoke about the plan", "warned of a delay": a verb of saying names its topic after these.
TOPIC_PREPOSITIONS = frozenset(("about", "of", "on", "against", "over"))
CUE_WORDS = SPEECH_VERBS | THOUGHT_VERBS | OBJECT_VERBS | {c for c, _ in PREPOSITION_CUES}
PRONOUNS = word_set(_PACKAGE, "pronouns")
TITLE_WORDS = word_set(_PACKAGE, "title_words")
ORGANISATION_WORDS = word_set(_PACKAGE, "organisation_words")
CALENDAR = word_set(_PACKAGE, "calendar")
DOCUMENT_WORDS = word_set(_PACKAGE, "document_words")
# A description standing for a title met earlier ("the premier" for a prime minister).
TITLE_SYNONYMS = {
    word: tuple(titles.split("|")) for word, titles in word_table(_PACKAGE, "title_synonyms")
}
LEADING = word_set(_PACKAGE, "leading_words")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _forms(lemma: str) -> set[str]:
    """Regular inflections of a verb (said, told and the like are added by hand)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    plural = lemma + "es" if lemma.endswith(("s", "sh", "ch", "x")) else lemma + "s"
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        plural, past = lemma[:-1] + "ies", lemma[:-1] + "ied"
    return {lemma, plural, past, stem + "ing"}


# The spaCy pipeline runs without its lemmatizer (nlp.py): cue words are looked up by their
# inflected forms.
_IRREGULAR_LEMMAS = dict(word_table(_PACKAGE, "irregular_lemmas"))
_IRREGULAR = frozenset(f for f, w in _IRREGULAR_LEMMAS.items() if w in CUE_WORDS)
CUE_FORMS = frozenset(
    {f for w in CUE_WORDS for f in _forms(w)} | _IRREGULAR | NOUN_CUES
    | {n + "s" for n in NOUN_CUES}
)
LEMMAS = {f: w for w in sorted(CUE_WORDS) for f in _forms(w)} | _IRREGULAR_LEMMAS



