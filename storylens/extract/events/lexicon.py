"""The event lexicon: the words that trigger each PLOVER event type (pure; reads package data).

``event_lexicon.tsv`` (beside this module) lists, one trigger sense a row, a lemma, its part
of speech, the words that must hang on it for the row to apply (``with``), the PLOVER type
and mode, where the event's target is, and whether the trigger is itself negative. Its header
comment says what each column means. The types, their modes and the inflection tables are
word lists in ``words/``. :func:`load_lexicon` reads and checks it once.

The project runs spaCy without its lemmatizer (see nlp.py), so the event coder looks triggers
up by their inflected forms: :func:`forms` gives them (regular inflection with the usual
spelling rules, and a table of irregular verbs), :func:`form_index` maps every form back to
the (lemma, part of speech) pairs it can be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ..wordlists import word_set, word_table

LEXICON_FILE = "event_lexicon.tsv"
COLUMNS = ("lemma", "pos", "with", "type", "mode", "target", "negative")
_PACKAGE = "storylens.extract.events"

# The 16 PLOVER event types in their order, and each type's modes (words/plover_types.tsv).
_PLOVER = word_table(_PACKAGE, "plover_types")
TYPES = tuple(kind for kind, _ in _PLOVER)
MODES: Mapping[str, frozenset[str]] = MappingProxyType(
    {kind: frozenset(modes.split("|")) if modes else frozenset() for kind, modes in _PLOVER}
)
PARTS_OF_SPEECH = frozenset({"VERB", "NOUN", "ADJ"})
# Target slots other than prep:X (the object of preposition X).
SLOTS = frozenset({"dobj", "dobj_poss", "ccomp_subj", "xcomp_obj", "with", "none"})
_PREP_SLOT = re.compile(r"prep:[a-z]+")
_WORD = re.compile(r"[a-z]+")

# Particles and prepositions: a `with` word among these matches as written, and a row matched
# by one ranks below a row matched by a content word (see Lexicon).
FUNCTION_WORDS = word_set(_PACKAGE, "function_words")
# The irregular verbs' past tense and past participle, by lemma.
_IRREGULAR_VERBS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {lemma: tuple(past.split("|")) for lemma, past in word_table(_PACKAGE, "irregular_verbs")}
)
# Verbs that double their last consonant, and those that do in British spelling only.
_DOUBLING = word_set(_PACKAGE, "doubling_verbs")
_DOUBLING_BRITISH = word_set(_PACKAGE, "doubling_british")
_PLURAL_ONLY = word_set(_PACKAGE, "plural_only")
_VOWELS = "aeiou"
_ONE_SYLLABLE_CVC = re.compile(r"[^aeiou]*[aeiou][bdgklmnprtv]")


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One row of the lexicon (see the file's header for what each field means).

    ``with_words`` holds the `with` column's words and their inflected forms, lower case
    ("troop", "troops"; "attack", "attacks", "attacked" ...), so that a word hanging on the
    trigger matches by its lower-cased text, as no lemmatizer runs; ``with_lemmas`` holds the
    words as the file writes them.
    """

    lemma: str
    pos: str
    with_words: frozenset[str]
    type: str
    mode: str
    target: tuple[str, ...]
    negative: bool
    with_lemmas: frozenset[str] = frozenset()
    line: int = field(default=0, compare=False)  # in the TSV file, for messages

    def matches(self, attached: Iterable[str]) -> bool:
        """Whether one of the words hanging on the trigger is one of this row's `with`."""
        return any(w.lower() in self.with_words for w in attached)

    @property
    def by_content_word(self) -> bool:
        """Whether `with` names an object noun (or verb) rather than only particles or
        prepositions."""
        return any(w not in FUNCTION_WORDS for w in self.with_lemmas or self.with_words)


def _rank(entry: LexiconEntry) -> int:
    if entry.by_content_word:
        return 0
    return 1 if entry.with_words else 2


def _written_first(rows: list[LexiconEntry]) -> list[LexiconEntry]:
    """A word one row of a lemma writes in its `with` is that row's alone: another row of the
    lemma does not match it through an inflection ("freeze" + funding is not "freeze" + fund,
    whose verb forms include "funding")."""
    written = frozenset().union(*(row.with_lemmas for row in rows))
    return [
        replace(row, with_words=row.with_words - (written - row.with_lemmas))
        if row.with_words & (written - row.with_lemmas)
        else row
        for row in rows
    ]


class Lexicon(Mapping[tuple[str, str], tuple[LexiconEntry, ...]]):
    """The rows of the lexicon by (lemma, part of speech); read-only.

    Each key's rows are ordered for choosing: rows whose `with` names a content word, then rows
    whose `with` names only particles or prepositions, then generic rows (empty `with`), each
    group in file order. The first row that matches is the one to use (:meth:`match`).
    """

    __slots__ = ("_entries", "_forms")

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        grouped: dict[tuple[str, str], list[LexiconEntry]] = {}
        for entry in entries:
            grouped.setdefault((entry.lemma, entry.pos), []).append(entry)
        self._entries: Mapping[tuple[str, str], tuple[LexiconEntry, ...]] = MappingProxyType(
            {key: tuple(sorted(_written_first(rows), key=_rank)) for key, rows in grouped.items()}
        )
        index: dict[str, set[tuple[str, str]]] = {}
        for lemma, pos in self._entries:
            for form in forms(lemma, pos):
                index.setdefault(form, set()).add((lemma, pos))
        self._forms: Mapping[str, frozenset[tuple[str, str]]] = MappingProxyType(
            {form: frozenset(keys) for form, keys in index.items()}
        )

    def __getitem__(self, key: tuple[str, str]) -> tuple[LexiconEntry, ...]:
        return self._entries[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> Mapping[tuple[str, str], tuple[LexiconEntry, ...]]:
        return self._entries

    def rows(self) -> Iterator[LexiconEntry]:
        """Every row, key by key."""
        for rows in self._entries.values():
            yield from rows

    @property
    def types(self) -> frozenset[str]:
        return frozenset(entry.type for entry in self.rows())

    def lemmas(self, form: str) -> frozenset[tuple[str, str]]:
        """The (lemma, part of speech) pairs an inflected form can be."""
        return self._forms.get(form.lower(), frozenset())

    def lookup(self, form: str, pos: str | None = None) -> tuple[LexiconEntry, ...]:
        """The rows of every lemma the form can be (of that part of speech when given)."""
        return tuple(
            entry
            for key in sorted(self.lemmas(form))
            if pos is None or key[1] == pos
            for entry in self._entries[key]
        )

    def match(self, lemma: str, pos: str, attached: Iterable[str] = ()) -> LexiconEntry | None:
        """The row to use for a trigger, given the words hanging on it (particles,
        prepositions, the head of its object and of its prepositional objects): the first
        row whose `with` matches, else the generic row, else None."""
        words = [w.lower() for w in attached]
        generic: LexiconEntry | None = None
        for entry in self._entries.get((lemma, pos), ()):
            if not entry.with_words:
                generic = generic or entry
            elif entry.matches(words):
                return entry
        return generic


# -- inflection -------------------------------------------------------------------------------


def _doubles(lemma: str) -> bool:
    if lemma in _DOUBLING:
        return True
    return _ONE_SYLLABLE_CVC.fullmatch(lemma.replace("qu", "q")) is not None


def _with_s(word: str) -> str:
    """A word with -s by the spelling rules (-es, -ies): a verb's third person, a noun's
    plural."""
    if word.endswith(("s", "sh", "ch", "x", "z")) or (
        word.endswith("o") and word[-2:-1] not in _VOWELS
    ):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _past(lemma: str) -> set[str]:
    if lemma.endswith("e"):
        return {lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        return {lemma[:-1] + "ied"}
    if lemma in _DOUBLING_BRITISH:
        return {lemma + "ed", lemma + lemma[-1] + "ed"}
    if _doubles(lemma):
        return {lemma + lemma[-1] + "ed"}
    return {lemma + "ed"}


def _present_participle(lemma: str) -> set[str]:
    if lemma.endswith("ie"):
        return {lemma[:-2] + "ying"}
    if lemma.endswith(("ee", "ye", "oe")):
        return {lemma + "ing"}
    if lemma.endswith("e") and len(lemma) > 2:
        return {lemma[:-1] + "ing"}
    if lemma in _DOUBLING_BRITISH:
        return {lemma + "ing", lemma + lemma[-1] + "ing"}
    if _doubles(lemma):
        return {lemma + lemma[-1] + "ing"}
    return {lemma + "ing"}


def _verb_forms(lemma: str) -> set[str]:
    found = {lemma, _with_s(lemma)} | _present_participle(lemma)
    irregular = _IRREGULAR_VERBS.get(lemma)
    if irregular is None:
        return found | _past(lemma)
    if lemma == "have":
        found.discard("haves")
    return found | set(irregular)


def _noun_forms(noun: str) -> set[str]:
    if noun in _PLURAL_ONLY:
        return {noun}
    return {noun, _with_s(noun)}


def forms(lemma: str, pos: str | None = None) -> set[str]:
    """The inflected forms of a lemma, lower case: a verb's third person, past tense and
    participles (irregular ones from a table), a noun's plural, an adjective as it is. Without
    a part of speech, the forms as a verb and as a noun together."""
    lemma = lemma.lower()
    if pos == "ADJ":
        return {lemma}
    if pos == "NOUN":
        return _noun_forms(lemma)
    if pos == "VERB":
        return _verb_forms(lemma)
    return _verb_forms(lemma) | _noun_forms(lemma)


def _with_forms(words: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for word in words:
        found |= {word} if word in FUNCTION_WORDS | _PLURAL_ONLY else forms(word)
    return frozenset(found)


# -- reading ----------------------------------------------------------------------------------


def _fail(source: str, line: int, message: str) -> ValueError:
    return ValueError(f"{source} line {line}: {message}")


def _targets(value: str, with_words: frozenset[str], source: str, line: int) -> tuple[str, ...]:
    slots = tuple(value.split("|")) if value else ()
    if not slots:
        raise _fail(source, line, "no target slot (write 'none' for an event without target)")
    for slot in slots:
        if slot not in SLOTS and not _PREP_SLOT.fullmatch(slot):
            raise _fail(source, line, f"unknown target slot {slot!r}")
        if slot == "with" and not with_words:
            raise _fail(source, line, "target slot 'with' needs words in the `with` column")
    if "none" in slots[:-1]:
        raise _fail(source, line, "target slot 'none' can only come last")
    return slots


def _entry(fields: list[str], source: str, line: int) -> LexiconEntry:
    if len(fields) > len(COLUMNS):
        raise _fail(source, line, f"{len(fields)} columns, expected {len(COLUMNS)}")
    lemma, pos, with_value, kind, mode, target, negative = fields + [""] * (
        len(COLUMNS) - len(fields)
    )
    if not _WORD.fullmatch(lemma):
        raise _fail(source, line, f"lemma {lemma!r} is not one lower-case word")
    if pos not in PARTS_OF_SPEECH:
        raise _fail(source, line, f"part of speech {pos!r} is not VERB, NOUN or ADJ")
    with_words = frozenset(with_value.split("|")) if with_value else frozenset()
    for word in with_words:
        if not _WORD.fullmatch(word):
            raise _fail(source, line, f"`with` word {word!r} is not one lower-case word")
    if kind not in MODES:
        raise _fail(source, line, f"type {kind!r} is not one of the 16 PLOVER types")
    if mode and mode not in MODES[kind]:
        raise _fail(source, line, f"mode {mode!r} is not a mode of {kind}")
    if negative not in ("", "0", "1"):
        raise _fail(source, line, f"negative is {negative!r}, expected 1 or empty")
    return LexiconEntry(
        lemma=lemma,
        pos=pos,
        with_words=_with_forms(with_words),
        type=kind,
        mode=mode,
        target=_targets(target, with_words, source, line),
        negative=negative == "1",
        with_lemmas=with_words,
        line=line,
    )


def parse_lexicon(text: str, source: str = LEXICON_FILE) -> Lexicon:
    """Read lexicon rows (TSV with one header line; blank lines and lines starting with '#'
    are skipped). Raises ValueError naming the line for an unknown type, mode, part of speech
    or target slot, a malformed word, or a row repeating another's lemma, part of speech,
    `with` and type."""
    entries: list[LexiconEntry] = []
    seen: dict[tuple[str, str, frozenset[str], str], int] = {}
    header = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [value.strip() for value in raw.split("\t")]
        if not header:
            if tuple(fields) != COLUMNS:
                raise _fail(source, number, f"header should be {' '.join(COLUMNS)}")
            header = True
            continue
        entry = _entry(fields, source, number)
        key = (entry.lemma, entry.pos, entry.with_lemmas, entry.type)
        if key in seen:
            raise _fail(source, number, f"repeats line {seen[key]} ({entry.lemma} {entry.pos})")
        seen[key] = number
        entries.append(entry)
    if not header:
        raise ValueError(f"{source}: no header line")
    return Lexicon(entries)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged event lexicon, read and checked once."""
    text = resources.files(_PACKAGE).joinpath(LEXICON_FILE).read_text("utf-8")
    return parse_lexicon(text)


@lru_cache(maxsize=1)
def form_index() -> dict[str, set[tuple[str, str]]]:
    """Every lower-cased inflected form of the lexicon's lemmas, mapped to the (lemma, part
    of speech) pairs it can be ("met" to ("meet", "VERB"), "talks" to ("talks", "NOUN")).
    Built once and shared: do not modify it."""
    lexicon = load_lexicon()
    index: dict[str, set[tuple[str, str]]] = {}
    for lemma, pos in lexicon:
        for form in forms(lemma, pos):
            index.setdefault(form, set()).add((lemma, pos))
    return index
