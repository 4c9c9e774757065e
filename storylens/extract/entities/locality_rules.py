"""The rules for places below a country: a city or US state named by a whole run of
capitalised words ("Atlanta", "New Mexico"), a US state whose name is also a country's
("Georgia") when the article shows the state is meant, and a country's role words that
make the person after "<Country>'s" its official ("North Korea's leader Kim Jong Il")."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..wordlists import word_table
from .gazetteer import Hit, Role, normal
from .localities import Locality, load_localities, named_in
from .scan import Found, Scan, titled
from .tokens import adjoins
from .vocabulary import FUNCTION_WORDS, NOT_NAME, ORG_WORDS

_PACKAGE = "storylens.extract.entities"
# Role words that are a title only after a country's "'s" ("North Korea's leader"), by sector.
COUNTRY_ROLES = dict(word_table(_PACKAGE, "country_roles"))
# Words right after a state's name that show the state is meant ("Georgia Governor").
STATE_AFTER = frozenset(
    (
        "governor",
        "gov.",
        "gov",
        "state",
        "legislature",
        "lawmakers",
        "senator",
        "sen.",
        "county",
        "counties",
        "statehouse",
    )
)
STATE_BEFORE = frozenset(("state", "governor", "gov.", "gov"))  # "state of Georgia"
NEARBY = 12  # tokens either side searched for another US place
_STATE_WORDS = re.compile(r"(?<!\w)(?:[Tt]he state(?![-\w])|Gov\.)")


def read_locality(scan: Scan, i: int) -> int | None:
    """A city or US state at token ``i``, when the whole run of capitalised words starting
    there is its name and no longer name holds it: a place with its country's code."""
    token = scan.tokens[i]
    if token.hit is not None or token.headline or not token.capitalised:
        return None
    before = scan.at(i - 1)
    if (
        before is not None
        and adjoins(token)
        and before.capitalised
        and before.lower not in FUNCTION_WORDS
    ):
        return None  # inside a longer name
    end = scan.capitalised_run(i)
    run = scan.tokens[i:end]
    place = load_localities().get(" ".join(t.text for t in run))
    if place is None:
        return None
    if len(run) == 1 and _in_longer_name(scan, token.text):
        return None  # "Florence" of "Florence Nightingale": the person's
    scan.found.append(Found(token.start, run[-1].end, "place", place.name, _key(place), place.code))
    return end


def _key(place: Locality) -> str:
    return f"{place.kind}:{place.name}" + (f", {place.code}" if place.code else "")


def _in_longer_name(scan: Scan, word: str) -> bool:
    """Whether a one-word name stands in the article with another name word right before or
    after it ("Florence Nightingale", "John Florence"), so that alone it may be a person."""
    pattern = rf"(?<![\w.])(\w+)\s+{re.escape(word)}(?!\w)|(?<!\w){re.escape(word)}\s+(\w+)"
    for match in re.finditer(pattern, scan.text):
        other = match.group(1) or match.group(2)
        lower = other.lower()
        if (
            other[:1].isupper()
            and lower not in FUNCTION_WORDS
            and lower not in NOT_NAME
            and lower not in ORG_WORDS
            and scan.gazetteer.role(lower) is None
            and load_localities().get(other) is None
        ):
            return True
    return False


def meant_state(scan: Scan, i: int) -> Locality | None:
    """The US state a country's name at token ``i`` stands for ("Georgia"), when the article
    shows the state is meant. Signs near it decide: a word for a state's office or the state
    right after or before it ("Georgia Governor", "state of Georgia"), one of its cities
    before it ("Athens, Georgia"), another US state or one of its cities near it. Else the
    article's, strongest first: the country's cities or demonym (the country), the state's
    cities (the state), a country on the country's borders (the country), "the state" or
    "Gov." (the state)."""
    token = scan.tokens[i]
    hit = token.hit
    if hit is None or hit.kind != "country":
        return None
    state = load_localities().state(normal(token.text))
    if state is None:
        return None
    if _local_sign(scan, i, state):
        return state
    text = scan.text
    if _country_named(text, hit, scan):
        return None
    if named_in(text, _own_cities(state.name)):
        return state
    if _neighbour_named(scan, hit):
        return None
    return state if _STATE_WORDS.search(text) is not None else None


def as_meant(scan: Scan, i: int, origin: Hit | None) -> Hit | None:
    """A country's name at token ``i`` as the article means it: the US state's ("Georgia
    Governor Brian Kemp" is American) or the country's."""
    if origin is None:
        return None
    state = meant_state(scan, i)
    return replace(origin, code=state.code, name=state.name) if state is not None else origin


def _local_sign(scan: Scan, i: int, state: Locality) -> bool:
    after, before = scan.at(i + 1), scan.at(i - 1)
    if after is not None and adjoins(after) and after.lower in STATE_AFTER:
        return True
    if (
        before is not None
        and before.lower == "of"
        and adjoins(scan.tokens[i])
        and (ahead := scan.at(i - 2)) is not None
        and ahead.lower in STATE_BEFORE
    ):
        return True
    cities = load_localities().state_cities.get(state.name, frozenset())
    if before is not None and scan.tokens[i].gap.strip() == "," and before.text in cities:
        return True  # "Athens, Georgia"
    return any(_us_place(scan, k, state) for k in range(i - NEARBY, i + NEARBY + 1) if k != i)


def _us_place(scan: Scan, k: int, state: Locality) -> bool:
    """Whether token ``k`` is another US state ("Georgia and Alabama") or one of the state's
    cities."""
    token = scan.at(k)
    if token is None or token.hit is not None or not token.capitalised:
        return False
    place = load_localities().get(token.text)
    if place is None or place.name == state.name:
        return token.text in _own_cities(state.name)
    return place.kind == "state" or place.name in _own_cities(state.name)


def _country_named(text: str, hit: Hit, scan: Scan) -> bool:
    """Whether the article names one of the country's cities, or its demonym."""
    country = scan.gazetteer.country(hit.code)
    names = load_localities().country_cities.get(hit.code or "", frozenset())
    demonyms = frozenset(country.demonyms) if country is not None else frozenset()
    return named_in(text, names | demonyms)


def _neighbour_named(scan: Scan, hit: Hit) -> bool:
    """Whether the article names a country on the country's borders ("Russia")."""
    neighbours = load_localities().neighbours.get(hit.code or "", frozenset())
    return any(t.hit is not None and t.hit.code in neighbours for t in scan.tokens)


@functools.lru_cache(maxsize=64)
def _own_cities(state: str) -> frozenset[str]:
    """A state's cities whose names are not, first, another country's cities ("Rome")."""
    localities = load_localities()
    return frozenset(
        name
        for name in localities.state_cities.get(state, frozenset())
        if (place := localities.get(name)) is None or place.code == "USA"
    )


def country_role_at(scan: Scan, j: int) -> tuple[int, Role, str] | None:
    """A role word at token ``j`` right after a country's "'s" that makes the person after it
    that country's official ("North Korea's leader Kim Jong Il"): (end, role, title)."""
    token = scan.at(j)
    if token is None or not adjoins(token) or token.lower not in COUNTRY_ROLES:
        return None
    role = Role((token.lower,), COUNTRY_ROLES[token.lower] or None, "title")
    return j + 1, role, titled(token.text)
