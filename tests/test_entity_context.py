"""Issue 17: the words around a name the recogniser typed or found decide its kind, one kind
for one name in an article (storylens.extract.entities.context), on sentences of our own."""

from __future__ import annotations

import pytest

from storylens.model import Article, Mention
from storylens.pipeline import Extraction, analyse


def _mentions(text: str) -> list[Mention]:
    article = Article("a", "t", "text", text, text)
    return analyse([article], Extraction(events=True)).mentions[article.id]


def _kinds(text: str) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for mention in _mentions(text):
        kinds.setdefault(mention.text, set()).add(mention.kind)
    return kinds


def test_context_film_title_is_not_a_person() -> None:
    kinds = _kinds(
        "Critics praised Catching Fire, the second film in the series, when it opened on "
        "Friday."
    )
    assert "person" not in kinds.get("Catching Fire", set())


def test_context_town_after_in_is_a_place_in_every_mention() -> None:
    kinds = _kinds(
        "Rail services between Marrowby and Kessock Junction were suspended on Monday. The "
        "coordinator told a briefing in Marrowby that more rain was due."
    )
    assert kinds.get("Marrowby") == {"place"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The company has a franchise agreement with the city of Brisvale, the judge said.",
         "Brisvale"),
        ("KESTRELTON, Ohio — Residents near the plant were told to leave their homes on "
         "Tuesday.", "KESTRELTON"),
    ],
)
def test_context_town_of_and_dateline_are_places(text: str, name: str) -> None:
    assert _kinds(text).get(name) == {"place"}


def test_context_company_before_its_plant_is_an_organisation() -> None:
    kinds = _kinds("Investigators on Wednesday examined the Hollin Packaging plant.")
    assert kinds.get("Hollin Packaging") == {"organisation"}


def test_context_street_before_a_plant_is_a_place() -> None:
    kinds = _kinds("Coworkers gathered outside the Ferris Lane plant on Tuesday afternoon.")
    assert kinds.get("Ferris Lane") == {"place"}


def test_context_short_form_is_the_organisation() -> None:
    found = _mentions(
        "Halden Water Company raised its rates by 31 percent last year. The judge ruled that "
        "Halden had skipped two hearings. Halden's chief executive, Patricia Vell, will "
        "appeal."
    )
    whole = [m for m in found if m.text == "Halden Water Company"]
    short = [m for m in found if m.text == "Halden"]
    assert whole and len(short) == 2
    assert {m.entity_id for m in short} == {whole[0].entity_id}
    assert {m.kind for m in short} == {"organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the surname alone later
        ("Wendell Probst still keeps the bill that started it all. Probst said he was not "
         "counting on a refund.", "Wendell Probst"),
        # a wire credit
        ("The river was expected to fall by Wednesday. (Reporting by Agnes Holloway; "
         "Editing by Piet Vanrooy)", "Agnes Holloway"),
        # what the person is, beside the name
        ("Jonah Petrakis, an analyst at Calder Hume Securities, said the recall would cost "
         "the company millions.", "Jonah Petrakis"),
    ],
)
def test_context_person_kept_a_person(text: str, name: str) -> None:
    assert _kinds(text).get(name) == {"person"}


def test_context_model_codes_are_no_organisations() -> None:
    kinds = _kinds(
        "The recall covers the kettle models BW-K170 and BW-K175, sold between March 2023 "
        "and May 2025."
    )
    assert "BW-K170" not in kinds and "BW-K175" not in kinds


def test_context_company_suffix_alone_is_no_organisation() -> None:
    kinds = _kinds(
        "The firm is registered as Northgate Holdings LLC. The LLC said it would appeal the "
        "ruling."
    )
    assert "LLC" not in kinds
    assert kinds.get("Northgate Holdings LLC") == {"organisation"}


def test_context_time_zone_is_no_organisation() -> None:
    kinds = _kinds("The launch is set for 10:00 Beijing Time on Monday, officials said.")
    assert not any("Time" in text for text in kinds)


def test_context_occupation_before_a_name_left_out() -> None:
    kinds = _kinds("Engineer John Greiner said the signal had been clear when the train passed.")
    assert kinds.get("John Greiner") == {"person"}
    assert not any(text.startswith("Engineer") for text in kinds)


def test_context_name_ending_in_a_word_for_a_place_is_a_place() -> None:
    assert _kinds("Fans crowded into Delmont Arena's lobby before the game.").get(
        "Delmont Arena"
    ) == {"place"}


def test_context_added_name_leaves_out_a_possessive() -> None:
    kinds = _kinds("Visitors filled Atlantic City 's casinos over the weekend.")
    assert kinds.get("Atlantic City") == {"place"}
    assert "Atlantic City 's" not in kinds


def test_context_website_is_no_place() -> None:
    kinds = _kinds("The Daily Lantern welcomes your comments on Spot.im, our third-party provider.")
    assert kinds.get("Spot.im", {"organisation"}) == {"organisation"}


def test_context_headline_capitals_make_no_names() -> None:
    kinds = _kinds(
        "Russia Expresses Deep Concern over DPRK's Withdrawal\n"
        "MOSCOW, Jan. 10 -- Russia expressed deep concern on Friday over the decision."
    )
    assert "Deep Concern" not in kinds and "Withdrawal" not in kinds
    assert kinds.get("Russia") == {"place"}


def test_context_company_product_is_no_organisation() -> None:
    kinds = _kinds(
        "Owners of Brightwell Arc cordless kettles were told to unplug them on Tuesday. "
        "According to Brightwell, 27 bases overheated. Brightwell said the fault was fixed."
    )
    assert "Brightwell Arc" not in kinds
    assert kinds.get("Brightwell") == {"organisation"}


def test_context_counted_product_line_is_no_organisation() -> None:
    kinds = _kinds(
        "The company recalled about 410,000 Arc cordless kettles on Tuesday. Every Arc owner "
        "should unplug the base, and the Arc models are no longer sold."
    )
    assert "organisation" not in kinds.get("Arc", set())


def test_context_person_before_a_possessive_stays_a_person() -> None:
    kinds = _kinds("The opener was similar to Billy Crystal's famous musical clips.")
    assert kinds.get("Billy Crystal") == {"person"}


def test_context_lone_surname_is_the_person_named() -> None:
    found = _mentions(
        "Snider, who attended King's news conference, said he was pleased. General Manager "
        "Billy King spoke first."
    )
    king = [m for m in found if m.text == "King"]
    billy = [m for m in found if m.text == "Billy King"]
    assert king and billy
    assert king[0].kind == "person" and king[0].entity_id == billy[0].entity_id


def test_context_actor_known_to_film_audiences_is_a_person() -> None:
    kinds = _kinds(
        "The academy wanted more dazzle this year. Hugh Jackman, the Australian actor known to "
        "film audiences for his musicals, will host the show."
    )
    assert kinds.get("Hugh Jackman") == {"person"}
