"""The word lists beside each extractor: plain files with a header saying what they list,
read once into the sets, tuples and tables the rules use."""

from __future__ import annotations

from importlib import resources

import pytest

from storylens.extract.attribution import vocabulary as attribution_words
from storylens.extract.entities import vocabulary as entity_words
from storylens.extract.events import TYPES
from storylens.extract.events import vocabulary as event_words
from storylens.extract.wordlists import word_set, word_table, word_tuple

PACKAGES = ("attribution", "entities", "events")


def _word_files() -> list[tuple[str, str]]:
    found = []
    for package in PACKAGES:
        folder = resources.files(f"storylens.extract.{package}").joinpath("words")
        found += [(package, item.name) for item in folder.iterdir() if item.is_file()]
    return sorted(found)


@pytest.mark.parametrize(("package", "name"), _word_files())
def test_wordlists_every_file_says_what_it_lists(package: str, name: str) -> None:
    folder = resources.files(f"storylens.extract.{package}").joinpath("words")
    lines = folder.joinpath(name).read_text("utf-8").splitlines()
    assert lines[0].startswith("# ")
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert entries
    if name.endswith(".txt"):
        assert len(entries) == len(set(entries))  # one word once


def test_wordlists_read_in_file_order() -> None:
    types = word_table("storylens.extract.events", "plover_types")
    assert tuple(kind for kind, _ in types) == TYPES
    assert ("CONSULT", "phone|visit|third-party") in types
    assert ("AGREE", "") in types  # a line without a tab: no modes
    assert word_tuple("storylens.extract.entities", "weekdays")[0] == "monday"
    assert "monday" in word_set("storylens.extract.entities", "weekdays")


def test_wordlists_keep_the_shapes_the_rules_use() -> None:
    assert isinstance(entity_words.NOT_NAME, frozenset)
    assert entity_words.ORG_WORDS <= entity_words.NOT_NAME
    assert entity_words.SAME_ROLE["premier"] == "prime minister"
    assert isinstance(attribution_words.SPEECH_VERBS, frozenset)
    assert ("call", "for") in attribution_words.PREPOSITION_CUES
    assert attribution_words.TITLE_SYNONYMS["premier"] == ("prime minister", "premier")
    assert attribution_words.LEMMAS["said"] == "say"
    assert event_words.PLACE_WORDS[0] == " in"
    assert event_words.LOCATED_TYPES["PROTEST"] == "GOV"
    assert "demanded" in event_words.DIRECTIVE
