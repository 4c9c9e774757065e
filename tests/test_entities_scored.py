"""Issue 17: how `bench entities` scores storylens's mentions against a CoNLL file: a country
written as its people's word ("Dutch", "Israelis") is no place name, as CoNLL's MISC and
spaCy's NORP say (on a document of our own)."""

from __future__ import annotations

from storylens.bench.entities import parse_conll, storylens_spans

LINES = """-DOCSTART- O

The O
Dutch B-MISC
singer O
Anneke I-PER
Voss I-PER
moved O
to O
Portugal B-LOC
with O
two O
Israelis B-MISC
. O
""".splitlines()


def test_entities_demonym_not_scored_as_a_place() -> None:
    (document,) = parse_conll(LINES)
    (spans,) = storylens_spans([document])
    words = {document.text[start:end]: kind for start, end, kind in spans}
    assert "Dutch" not in words and "Israelis" not in words
    assert words.get("Portugal") == "LOC"
