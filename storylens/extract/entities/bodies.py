"""The rule for government bodies named with their country: "Russian Foreign Ministry",
"Russia's Foreign Ministry", "the Foreign Ministry of Russia" (one organisation each)."""

from __future__ import annotations

from .gazetteer import Role
from .locality_rules import as_meant
from .scan import Found, Scan, origin_at, titled
from .tokens import adjoins


def _body_name(country: str | None, role: Role, scan: Scan) -> str:
    adjective = ""
    place = scan.gazetteer.country(country)
    if place is not None:
        adjective = place.demonym + " "
    return adjective + titled(role.canonical)


def read_body(scan: Scan, i: int) -> int | None:
    """ "Russian Foreign Ministry", "Russia's Foreign Ministry", "Japanese government",
    "the Foreign Ministry of Russia" (one organisation each)."""
    origin = as_meant(scan, i, origin_at(scan, i))  # "Georgia's Legislature" in Atlanta
    if origin is not None:
        body = scan.body_at(i + 1)
        if body is None:
            return None
        end, role = body
        name = _body_name(origin.code, role, scan)
        scan.found.append(
            Found(
                scan.tokens[i].start,
                scan.tokens[end - 1].end,
                "organisation",
                name,
                name,
                origin.code,
                role.sector,
                None,
                role,
            )
        )
        return end
    body = scan.body_at(i)
    if body is None:
        return None
    end, role = body
    of, country = scan.at(end), scan.at(end + 1)
    if (
        of is not None
        and country is not None
        and of.lower == "of"
        and adjoins(of)
        and adjoins(country)
        and country.hit is not None
        and country.hit.kind == "country"
    ):
        name = _body_name(country.hit.code, role, scan)
        scan.found.append(
            Found(
                scan.tokens[i].start,
                country.end,
                "organisation",
                name,
                name,
                country.hit.code,
                role.sector,
                None,
                role,
            )
        )
        return end + 2
    return None
