"""Tests of storylens.extract.events.lexicon: the packaged event lexicon, its checks and the
word forms."""

from __future__ import annotations

from collections import defaultdict
from importlib import resources

import pytest

from storylens.extract.events.lexicon import (
    COLUMNS,
    MODES,
    SLOTS,
    TYPES,
    LexiconEntry,
    form_index,
    forms,
    load_lexicon,
    parse_lexicon,
)

HEADER = "\t".join(COLUMNS)


def _raw_rows() -> list[list[str]]:
    data = resources.files("storylens.extract.events")
    text = data.joinpath("event_lexicon.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert rows[0] == list(COLUMNS)
    return rows[1:]


def test_lexicon_loads_several_hundred_entries() -> None:
    lexicon = load_lexicon()
    assert sum(1 for _ in lexicon.rows()) >= 400
    assert ("meet", "VERB") in lexicon
    assert lexicon is load_lexicon()  # read once


def test_lexicon_has_all_16_types() -> None:
    assert load_lexicon().types == set(TYPES)
    assert len(TYPES) == 16


def test_lexicon_every_entry_is_valid() -> None:
    for entry in load_lexicon().rows():
        assert entry.pos in ("VERB", "NOUN", "ADJ")
        assert entry.type in TYPES
        assert not entry.mode or entry.mode in MODES[entry.type]
        assert entry.target
        for slot in entry.target:
            assert slot in SLOTS or (slot.startswith("prep:") and slot[5:].isalpha())
        assert "with" not in entry.target or entry.with_lemmas
        assert entry.with_lemmas <= entry.with_words


def test_lexicon_rows_have_seven_columns() -> None:
    for row in _raw_rows():
        assert len(row) == len(COLUMNS), row


def test_lexicon_has_no_duplicate_rows() -> None:
    seen: set[tuple[str, str, str, str]] = set()
    for lemma, pos, with_words, kind, *_ in _raw_rows():
        key = (lemma, pos, "|".join(sorted(with_words.split("|"))), kind)
        assert key not in seen, key
        seen.add(key)


def test_lexicon_with_words_of_one_lemma_do_not_overlap() -> None:
    """Two rows of one lemma must not both match the same attached word."""
    for key, entries in load_lexicon().items():
        owner: dict[str, LexiconEntry] = {}
        for entry in entries:
            for word in entry.with_words:
                assert word not in owner, (key, word, owner[word].type, entry.type)
                owner[word] = entry


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("met", "meet"),
        ("held", "hold"),
        ("shot", "shoot"),
        ("led", "lead"),
        ("sent", "send"),
        ("fought", "fight"),
        ("given", "give"),
        ("took", "take"),
        ("broken", "break"),
        ("withdrew", "withdraw"),
        ("withdrawn", "withdraw"),
        ("beaten", "beat"),
        ("sought", "seek"),
        ("brought", "bring"),
        ("struck", "strike"),
    ],
)
def test_lexicon_irregular_forms_map_back(form: str, lemma: str) -> None:
    assert (lemma, "VERB") in form_index()[form]


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ("expelled", ("expel", "VERB")),
        ("banned", ("ban", "VERB")),
        ("cancelled", ("cancel", "VERB")),
        ("canceled", ("cancel", "VERB")),
        ("vetoes", ("veto", "VERB")),
        ("denied", ("deny", "VERB")),
        ("freeing", ("free", "VERB")),
        ("kidnapped", ("kidnap", "VERB")),
        ("sanctions", ("sanction", "NOUN")),
        ("clashes", ("clash", "NOUN")),
        ("embargoes", ("embargo", "NOUN")),
        ("inquiries", ("inquiry", "NOUN")),
        ("talks", ("talks", "NOUN")),
        ("opposed", ("opposed", "ADJ")),
    ],
)
def test_lexicon_regular_forms_map_back(form: str, key: tuple[str, str]) -> None:
    assert key in form_index()[form]


def test_lexicon_forms_by_part_of_speech() -> None:
    assert forms("attack", "VERB") == {"attack", "attacks", "attacked", "attacking"}
    assert forms("attack", "NOUN") == {"attack", "attacks"}
    assert forms("critical", "ADJ") == {"critical"}
    assert forms("talks", "NOUN") == {"talks"}
    assert {"shot", "shoots", "shooting"} <= forms("shoot")


def test_lexicon_with_words_match_inflected_objects() -> None:
    lexicon = load_lexicon()
    entry = lexicon.match("impose", "VERB", ["sanctions", "on"])
    assert entry is not None
    assert (entry.type, entry.mode) == ("COERCE", "restrict")
    entry = lexicon.match("withdraw", "VERB", ["troops", "from"])
    assert entry is not None
    assert (entry.type, entry.mode) == ("RETREAT", "withdraw")


@pytest.mark.parametrize(
    ("lemma", "attached", "kind"),
    [
        ("withdraw", ["from", "treaty"], "SANCTION"),  # the object noun beats the preposition
        ("withdraw", ["from"], "RETREAT"),
        ("pull", ["out", "of", "deal"], "SANCTION"),
        ("call", ["off", "talks"], "SANCTION"),
        ("call", ["on"], "REQUEST"),
        ("hold", ["talks", "with"], "CONSULT"),
        ("sign", ["agreement"], "SUPPORT"),
        ("express", ["concern"], "ACCUSE"),
        ("threaten", ["impose"], "THREATEN"),
        ("meet", [], "CONSULT"),
    ],
)
def test_lexicon_match_prefers_the_specific_entry(
    lemma: str, attached: list[str], kind: str
) -> None:
    entry = load_lexicon().match(lemma, "VERB", attached)
    assert entry is not None
    assert entry.type == kind


def test_lexicon_match_without_generic_entry_needs_its_with() -> None:
    assert load_lexicon().match("impose", "VERB", ["tax"]) is None
    assert load_lexicon().match("nosuchword", "VERB") is None


def test_lexicon_negative_triggers() -> None:
    lexicon = load_lexicon()
    for lemma in ("refuse", "reject", "deny", "veto"):
        assert all(entry.negative for entry in lexicon[(lemma, "VERB")])
    assert not any(entry.negative for entry in lexicon[("meet", "VERB")])


def test_lexicon_lookup_by_form() -> None:
    kinds = {entry.type for entry in load_lexicon().lookup("Met", "VERB")}
    assert kinds == {"CONSULT", "CONCEDE"}  # meet; meet + demand


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("meet\tVERB\t\tGREET\t\tdobj\t", "type 'GREET'"),
        ("meet\tVERB\t\tCONSULT\t\tobject\t", "target slot 'object'"),
        ("meet\tVERB\t\tCONSULT\tzoom\tdobj\t", "mode 'zoom'"),
        ("meet\tVERB\t\tCONSULT\t\twith\t", "needs words"),
        ("meet\tVERB\t\tCONSULT\t\tnone|dobj\t", "'none' can only come last"),
        ("meet\tVRB\t\tCONSULT\t\tdobj\t", "part of speech"),
        ("Meet\tVERB\t\tCONSULT\t\tdobj\t", "lemma"),
        ("meet\tVERB\t\tCONSULT\t\tdobj\tyes", "negative"),
    ],
)
def test_lexicon_rejects_bad_rows_naming_the_line(row: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_lexicon(f"# a comment\n{HEADER}\n{row}\n", "test.tsv")
    assert "test.tsv line 3" in str(raised.value)


def test_lexicon_rejects_repeated_rows() -> None:
    row = "meet\tVERB\twith\tCONSULT\t\twith\t"
    with pytest.raises(ValueError, match="line 3: repeats line 2"):
        parse_lexicon(f"{HEADER}\n{row}\n{row}\n")


def test_lexicon_parses_rows_missing_trailing_empty_columns() -> None:
    lexicon = parse_lexicon(f"{HEADER}\nmeet\tVERB\t\tCONSULT\t\tdobj\n")
    (entry,) = lexicon[("meet", "VERB")]
    assert entry.target == ("dobj",)
    assert not entry.negative


def test_lexicon_entries_grouped_by_specificity() -> None:
    rows = [
        "withdraw\tVERB\t\tRETREAT\twithdraw\tprep:from\t1",
        "withdraw\tVERB\tfrom\tRETREAT\twithdraw\twith\t1",
        "withdraw\tVERB\ttreaty\tSANCTION\twithdraw\tprep:from\t1",
    ]
    lexicon = parse_lexicon(HEADER + "\n" + "\n".join(rows) + "\n")
    order = [(e.type, tuple(sorted(e.with_lemmas))) for e in lexicon[("withdraw", "VERB")]]
    assert order == [("SANCTION", ("treaty",)), ("RETREAT", ("from",)), ("RETREAT", ())]


def test_lexicon_each_type_has_verbs_and_nouns_or_adjectives() -> None:
    by_type: dict[str, set[str]] = defaultdict(set)
    for entry in load_lexicon().rows():
        by_type[entry.type].add(entry.pos)
    for kind in TYPES:
        assert "VERB" in by_type[kind]
        assert by_type[kind] & {"NOUN", "ADJ"}, kind
