"""The voice each article of a story speaks with: its outlet, or for a wire copy its
original's."""

from __future__ import annotations

from eventdata import make_article

from storylens.compare.voices import outlet_label, voices


def test_voices_copy_speaks_with_its_original() -> None:
    wire = make_article("a", "Wire", "2003-01-10", ["Japan urged talks."])
    copy = make_article("b", "Paper", "2003-01-10", ["Japan urged talks."])
    copy_of_copy = make_article("c", "Weekly", "2003-01-11", ["Japan urged talks."])
    found = voices([wire, copy, copy_of_copy], {"b": "a", "c": "b"})
    assert found == {"a": "Wire", "b": "Wire", "c": "Wire"}


def test_voices_original_outside_the_story_leaves_the_copy_its_own() -> None:
    copy = make_article("b", "Paper", "2003-01-10", ["Japan urged talks."])
    assert voices([copy], {"b": "elsewhere"}) == {"b": "Paper"}


def test_voices_unnamed_outlet_is_its_own() -> None:
    unnamed = make_article("u", None, None, ["Japan urged talks."])
    assert outlet_label(unnamed) == "article u"
    assert voices([unnamed], {}) == {"u": "article u"}
