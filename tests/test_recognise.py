"""Issue 17: names the gazetteer does not know typed by spaCy's recogniser with the rules and
their context, as the pipeline's entities stage finds them (on sentences of our own)."""

from __future__ import annotations

import pytest

from storylens.extract.entities import entity_id
from storylens.extract.entities.recognise import _verdict
from storylens.model import Article, Mention
from storylens.pipeline import Extraction, analyse


def _mentions(*texts: str) -> list[list[Mention]]:
    articles = [Article(f"a{n}", "t", "text", t, t) for n, t in enumerate(texts)]
    found = analyse(articles, Extraction(events=True)).mentions
    for article in articles:
        for mention in found[article.id]:
            assert article.text[mention.span[0] : mention.span[1]] == mention.text
    return [found[a.id] for a in articles]


def _kinds(text: str) -> dict[str, str]:
    return {m.text: m.kind for m in _mentions(text)[0]}


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # a town
        ("The flood reached Pellham Ford on Tuesday, and dozens of families left their homes.",
         "Pellham Ford", "place"),
        # a team
        ("The Red Sox beat their rivals 5-3 on Sunday night in front of a full crowd.",
         "Red Sox", "organisation"),
        # a company
        ("Shares of Velton Motors fell sharply after the carmaker cut its forecast.",
         "Velton Motors", "organisation"),
        # an airline
        ("Emirates Airline added three daily flights to the island this summer.",
         "Emirates Airline", "organisation"),
        # a stadium
        ("Thousands of fans filled Stade de Suisse for the final on Saturday.",
         "Stade de Suisse", "place"),
    ],
)
def test_recognise_names_typed_right(text: str, name: str, kind: str) -> None:
    assert _kinds(text).get(name) == kind


def test_recognise_team_score_left_out_of_its_name() -> None:
    kinds = _kinds("The Harbour Gulls lost to the Washington Nationals 5-3 on Sunday night.")
    assert kinds.get("Washington Nationals") == "organisation"


def test_recognise_later_mentions_follow_the_retyped_name() -> None:
    (found,) = _mentions(
        "Shares of Velton Motors fell on Monday. Analysts said Velton Motors had too many "
        "unsold cars."
    )
    velton = [m for m in found if m.name == "Velton Motors"]
    assert len(velton) == 2
    assert {m.kind for m in velton} == {"organisation"}
    assert len({m.entity_id for m in velton}) == 1


def test_recognise_unknown_place_added() -> None:
    assert _kinds("Wildfires spread across southern California on Friday.").get(
        "California"
    ) == "place"


def test_recognise_leaves_known_and_titled_names() -> None:
    kinds = _kinds(
        "Japanese Prime Minister Junichiro Koizumi met Russian President Vladimir Putin in "
        "Moscow on Friday."
    )
    assert kinds.get("Junichiro Koizumi") == "person"
    assert kinds.get("Moscow") == "place"


def test_recognise_treaty_and_title_not_added() -> None:
    kinds = _kinds(
        "Russian Nuclear Energy Minister Alexander Rumyantsev said the country had left the "
        "Nuclear Non-Proliferation Treaty."
    )
    assert "Nuclear Non-Proliferation Treaty" not in kinds
    assert not any(text.startswith("Russian Nuclear") for text in kinds)


def test_recognise_added_town_coded_as_the_country_after_it() -> None:
    (found,) = _mentions(
        "Officers imposed a curfew in the town of Varkesh in southeastern Turkey on Monday."
    )
    town = [m for m in found if m.text == "Varkesh"]
    assert town and town[0].kind == "place" and town[0].code == "TUR"


def test_recognise_verdict_on_a_bare_run() -> None:
    text = "Kenzo Oshima"
    mention = Mention("a", entity_id("person", text), text, "person", text, (0, 12))
    assert _verdict(mention, [(6, 12, "GPE")]) == "person"  # a shorter name inside it
    assert _verdict(mention, [(0, 12, "ORG")]) == "organisation"
    assert _verdict(mention, [(0, 12, "WORK_OF_ART")]) is None
    assert _verdict(mention, [(0, 20, "EVENT")]) is None  # a longer name, not a person's
    assert _verdict(mention, [(0, 20, "PERSON")]) == "person"
    assert _verdict(mention, []) == "person"


def test_recognise_reads_stretches_around_unknown_names() -> None:
    from storylens.extract.entities.recognise import CONTEXT_WORDS, _doubtful_sentences

    words = " ".join(["word"] * 30)
    text = f"The ship left {words} near Qeshm Island {words} and sailed on to the Gulf of Mexico."
    stretches = _doubtful_sentences(text, [])
    pieces = [text[s:e] for s, e in stretches]
    # around the unknown name only, not the whole sentence
    assert any("Qeshm Island" in piece for piece in pieces)
    assert all(len(piece.split()) <= 2 * CONTEXT_WORDS + 6 for piece in pieces)
    # a stretch reaching into a run of capitalised words takes the whole run
    assert any(piece.endswith("Gulf of Mexico.") for piece in pieces)
    assert not any(piece.endswith(("Gulf", "Gulf of")) for piece in pieces)
