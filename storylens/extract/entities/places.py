"""The rules for gazetteer names: countries, capitals (a place, or the government acting),
demonyms (with the sector of the group after them), organisations and bodies, and a place
name that starts a larger name ("Chinese Communist Party", "The Washington Times")."""

from __future__ import annotations

from .locality_rules import meant_state
from .scan import Found, Scan
from .tokens import adjoins, org_word
from .vocabulary import (
    ACTOR_VERBS,
    COPULAS,
    FUNCTION_WORDS,
    MONTHS,
    PARTICLES,
    PLACE_PREPOSITIONS,
    WEEKDAYS,
)


def read_hit(scan: Scan, i: int) -> int | None:
    """A gazetteer name at token ``i``: an organisation or body, a country, a capital or a
    demonym, or the start of a larger name."""
    hit = scan.tokens[i].hit
    if hit is None:
        return None
    if _starts_larger(scan, i):
        done = _larger_name(scan, i)
        if done is not None:
            return done
    if hit.kind in ("organisation", "body"):
        _organisation(scan, i)
    else:
        _place(scan, i)
    return i + 1


def _starts_larger(scan: Scan, i: int) -> bool:
    """Whether the place name at token ``i`` is followed by a capitalised word that may make
    it part of a larger name."""
    token = scan.tokens[i]
    hit = token.hit
    following = scan.at(i + 1)
    return (
        hit is not None
        and following is not None
        and adjoins(following)
        and following.capitalised
        and following.hit is None
        and following.lower not in FUNCTION_WORDS
        and following.lower not in WEEKDAYS
        and following.lower not in MONTHS
        and not token.possessive
        and hit.kind in ("country", "capital", "demonym")
    )


def _organisation(scan: Scan, i: int) -> None:
    """An organisation or body of the gazetteer at token ``i``; a body after a demonym or a
    country's "'s" is that country's ("the Brazilian Congress", "Brazil's Congress")."""
    token = scan.tokens[i]
    hit = token.hit
    assert hit is not None
    before = scan.tokens[i - 1] if i > 0 and scan.joined(i) else None
    origin = before.hit if before is not None else None
    previous = scan.found[-1] if scan.found else None
    if (
        hit.kind == "body"
        and before is not None
        and origin is not None
        and origin.code != hit.code
        and (origin.kind == "demonym" or (origin.kind == "country" and before.possessive))
        and previous is not None
        and previous.start == before.start
    ):
        # "the Brazilian Congress", "Brazil's Congress": that country's body
        scan.found.pop()
        country = scan.gazetteer.country(origin.code)
        name = f"{country.demonym if country else before.text} {hit.name}"
        scan.found.append(
            Found(before.start, token.end, "organisation", name, name, origin.code, hit.sector)
        )
        return
    if hit.kind == "body" and before is not None and before.lower in ("its", "their"):
        # "before its Congress": whose, the gazetteer cannot say
        scan.found.append(
            Found(token.start, token.end, "organisation", hit.name, hit.name, None, hit.sector)
        )
        return
    scan.found.append(
        Found(token.start, token.end, "organisation", hit.name, hit.name, hit.code, hit.sector)
    )


def _place(scan: Scan, i: int) -> None:
    """A country, capital or demonym of the gazetteer at token ``i``: a place, with the
    sector of the group named after it; a capital acting is its country's government."""
    token = scan.tokens[i]
    hit = token.hit
    assert hit is not None
    if hit.kind == "capital":
        if _acts(scan, i):
            scan.found.append(
                Found(
                    token.start, token.end, "place", hit.name, hit.code or hit.name, hit.code, "GOV"
                )
            )
        else:
            city = scan.gazetteer.canonical(hit.text)
            scan.found.append(
                Found(token.start, token.end, "place", city, "capital:" + city, hit.code)
            )
        return
    if hit.kind == "country" and (state := meant_state(scan, i)) is not None:
        # "Georgia Governor Brian Kemp", "Police in Atlanta ... Georgia": the US state
        key = f"state:{state.name}, {state.code}"
        scan.found.append(Found(token.start, token.end, "place", state.name, key, state.code))
        return
    if hit.kind == "country":
        group = scan.role_at(i + 1, ("group",)) if scan.joined(i + 1) else None
        sector = group[1].sector if group and not token.possessive else None
    elif hit.kind == "demonym":
        sector = _group_sector(scan, i)
    else:
        return
    scan.found.append(
        Found(token.start, token.end, "place", hit.name, hit.code or hit.name, hit.code, sector)
    )


def _acts(scan: Scan, i: int) -> bool:
    """Whether the capital at token ``i`` stands for its government."""
    token = scan.tokens[i]
    if token.possessive:
        return True
    before = scan.at(i - 1)
    if before is not None and adjoins(token):
        if before.lower == "by":
            return True
        if before.lower in PLACE_PREPOSITIONS:
            return False  # "sources in Moscow told"
    after = scan.at(i + 1)
    if after is None:
        return False
    if adjoins(after) and after.lower in ACTOR_VERBS:
        return True
    if after.gap.strip() != "," or after.lower != "which":
        return False
    # "Moscow, which has opposed it": acting; "Paris, which is home to": a place.
    verb = scan.at(i + 2)
    return verb is not None and verb.lower in ACTOR_VERBS and verb.lower not in COPULAS


def _group_sector(scan: Scan, i: int) -> str | None:
    """The sector of the group noun after a demonym: "Israeli troops", "Hungarian and
    Romanian officials", "Russian nuclear officials"."""
    j = i + 1
    adjectives = 0
    while j < len(scan.tokens):
        token = scan.tokens[j]
        demonym = token.hit is not None and token.hit.kind == "demonym"
        if demonym and token.gap.strip() == ",":
            j += 1  # "Hungarian, Romanian and Bulgarian officials"
            continue
        if not adjoins(token) or scan.tokens[j - 1].possessive:
            return None
        if token.hit is not None:
            return None
        if token.lower in ("and", "or"):
            after = scan.at(j + 1)
            if after is not None and after.hit is not None and after.hit.kind == "demonym":
                j += 2
                continue
            return None
        found = scan.role_at(j)
        if found is not None:
            return found[1].sector
        if token.capitalised or token.lower in FUNCTION_WORDS or token.lower in ACTOR_VERBS:
            return None
        if token.possessive or adjectives >= 2:
            return None
        adjectives += 1
        j += 1
    return None


def _larger_name(scan: Scan, i: int) -> int | None:
    """A place name followed by capitalised words: an organisation ("Chinese Communist
    Party", "Moscow State University"), a person ("Paris Hilton"), a demonym whose role
    words give it a sector ("Israeli Defense Forces"), or a name of something else ("The
    Washington Times") in which the place is not a mention."""
    token = scan.tokens[i]
    hit = token.hit
    assert hit is not None
    end = scan.capitalised_run(i)
    while end > i + 1 and scan.tokens[end - 1].lower in PARTICLES:
        end -= 1
    run = scan.tokens[i + 1 : end]
    if not run:
        return None
    if org_word(run[-1]):
        name = scan.text[token.start : run[-1].end]
        last = run[-1].lower.rstrip(".")
        scan.found.append(
            Found(
                token.start,
                run[-1].end,
                "organisation",
                name,
                name,
                hit.code,
                scan.gazetteer.sector_of(last),
            )
        )
        return end
    if hit.kind == "demonym":
        return _demonym_name(scan, i, end)
    names = scan.name_run(i + 1)
    if hit.kind == "capital" and names > i + 1 and names == end:
        people = scan.tokens[i:names]
        name = " ".join(t.text for t in people)
        scan.found.append(Found(token.start, people[-1].end, "person", name, name))
        return names
    if hit.kind == "capital":
        return end  # "The Washington Times", "Beijing Time"
    return None


def _demonym_name(scan: Scan, i: int, end: int) -> int:
    """A demonym at token ``i`` before capitalised words (to ``end``): the country with the
    sector a role word among them gives ("Israeli Defense Forces"), its civilians before a
    people's plural ("Iraqi Kurds", "Lebanese Shiites"), else no mention ("American Pie")."""
    token = scan.tokens[i]
    hit = token.hit
    assert hit is not None
    run = scan.tokens[i + 1 : end]
    role = next((found for k in range(i + 1, end) if (found := scan.role_at(k))), None)
    if role is not None:
        sector = role[1].sector
    elif len(run) == 1 and run[0].text.endswith("s") and run[0].text[1:].islower():
        sector = "CVL"  # people of the country, not a name
    else:
        return i + 1
    scan.found.append(
        Found(token.start, token.end, "place", hit.name, hit.code or hit.name, hit.code, sector)
    )
    return i + 1
