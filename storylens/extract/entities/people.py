"""The rules for people: a description standing for someone named elsewhere ("the Japanese
premier"), a name with its origin and title ("Japanese Prime Minister Junichiro Koizumi",
"Mr. Koizumi"), and a lone capitalised word that may be a surname."""

from __future__ import annotations

from .gazetteer import Hit, Role
from .locality_rules import as_meant, country_role_at, read_locality
from .scan import Found, Scan, origin_at
from .tokens import INITIAL, adjoins, name_word, org_word
from .vocabulary import AND, ARTICLES, HONORIFICS, THING_WORDS


def read_description(scan: Scan, i: int) -> int | None:
    """ "the Japanese premier", "the spokesman", "the Foreign Ministry", "the ministry"."""
    if scan.tokens[i].text not in ARTICLES or not scan.joined(i + 1):
        return None
    j = i + 1
    origin = as_meant(scan, j, origin_at(scan, j))
    if origin is not None:
        j += 1
    title = scan.title_at(j)
    if title is not None:
        return _described_person(scan, i, j, origin, title[:2])
    if origin is None:
        return _described_body(scan, i, j)
    return None


def _described_person(
    scan: Scan, i: int, j: int, origin: Hit | None, title: tuple[int, Role]
) -> int | None:
    """A person described by title from token ``i`` ("the Japanese premier"), the title at
    ``j``: resolved to the one person of that title in the article, else dropped, leaving the
    demonym with the title's sector when there is one."""
    end, role = title
    after = scan.at(end)
    if after is not None and adjoins(after) and name_word(after):
        return None  # "the Russian President Vladimir Putin": a name follows
    last = scan.tokens[end - 1]
    fallback = None
    if origin is not None:
        fallback = Found(
            scan.tokens[j - 1].start,
            scan.tokens[j - 1].end,
            "place",
            origin.name,
            origin.code or origin.name,
            origin.code,
            role.sector,
        )
    scan.found.append(
        Found(
            scan.tokens[i].start,
            last.end,
            "person",
            "",
            "",
            origin.code if origin else None,
            role.sector,
            None,
            role,
            pending="description",
            must_resolve=True,
        )
    )
    if fallback is not None:
        scan.found[-1].origin = fallback
    return end


def _described_body(scan: Scan, i: int, j: int) -> int | None:
    """A government body described from token ``i`` ("the Foreign Ministry", "the
    ministry"), the body at ``j``: resolved to the one such body named in the article."""
    body = scan.body_at(j)
    if body is None:
        return None
    end, role = body
    following = scan.at(end)
    if following is not None and following.lower == "of" and scan.joined(end):
        return None  # "the Foreign Ministry of Russia"
    scan.found.append(
        Found(
            scan.tokens[i].start,
            scan.tokens[end - 1].end,
            "organisation",
            "",
            "",
            None,
            role.sector,
            None,
            role,
            pending="body",
            must_resolve=True,
        )
    )
    return end


def read_person(scan: Scan, i: int) -> int | None:
    """[origin] [title | honorific] name: "Japanese Prime Minister Junichiro Koizumi",
    "Mr. Koizumi", "Russia's Vladimir Putin", "spokesman Alexander Yakovenko"."""
    j = i
    origin = as_meant(scan, j, origin_at(scan, j))
    if origin is not None:
        j += 1
    title = scan.title_at(j)
    if title is None and origin is not None and scan.tokens[j - 1].possessive:
        title = country_role_at(scan, j)  # "North Korea's leader Kim Jong Il"
    honorific = None
    role: Role | None = None
    title_text: str | None = None
    if title is not None:
        j, role, title_text = title
        if not scan.joined(j) or scan.tokens[j - 1].possessive:
            return None
    elif scan.tokens[j].lower in HONORIFICS:
        honorific = scan.tokens[j]
        j += 1
        if not scan.joined(j):
            return None
    if scan.tokens[j].headline:
        return None
    end = scan.name_run(j)
    words = end - j
    bare = origin is None and title is None and honorific is None
    if bare and (place := read_locality(scan, j)) is not None:
        return place  # "Atlanta", "New Mexico"
    if bare and words and org_word(scan.tokens[scan.capitalised_run(j, AND) - 1]):
        return None  # "Alexander Rumyantsev Foundation": an organisation
    if words and scan.tokens[scan.capitalised_run(j, AND) - 1].lower in THING_WORDS:
        return scan.capitalised_run(j, AND)  # "Atlantic Seabed Research Accord": no one
    if words == 0 or (words == 1 and title is None and honorific is None):
        return _single(scan, j) if words == 1 and bare else None
    run = scan.tokens[j:end]
    if bare and sum(1 for t in run if not INITIAL.fullmatch(t.text)) < 2:
        return None  # "U. S. Geological Survey"
    name = " ".join(t.text for t in run)
    start = (honorific or run[0]).start
    found = Found(
        start,
        run[-1].end,
        "person",
        name,
        name,
        origin.code if origin else None,
        role.sector if role else None,
        title_text,
        role,
        pending="surname" if words == 1 else None,
    )
    _complete(scan, i, end, found, origin, title is not None)
    scan.found.append(found)
    return end



def _complete(
    scan: Scan, i: int, end: int, found: Found, origin: Hit | None, titled: bool
) -> None:
    """A person's mention (tokens ``i`` to ``end``) completed from what is around it: the
    organisation before "'s" whose title it has, the sector of its title when a country comes
    first, the country after "of"."""
    previous = scan.found[-1] if scan.found else None
    if (
        origin is None
        and previous is not None
        and previous.kind == "organisation"
        and i > 0
        and scan.tokens[i - 1].end == previous.end
        and scan.tokens[i - 1].possessive
        and titled
    ):
        found.origin = previous  # "the Foreign Ministry's spokesman Pavel Ostrogin"
    if found.sector is None and origin is not None and titled:
        found.sector = scan.gazetteer.sector_of(found.title or "")
    if found.code is None and titled and end + 1 < len(scan.tokens):
        after, place = scan.tokens[end], scan.tokens[end + 1]
        if (
            after.lower == "of"
            and scan.joined(end)
            and scan.joined(end + 1)
            and place.hit is not None
            and place.hit.kind == "country"
        ):
            found.code = place.hit.code  # "King Hassan of Morocco"


def _single(scan: Scan, i: int) -> int | None:
    """A lone capitalised word: a person when it is the surname (or given name) of exactly
    one person named in the article; decided once the whole article is read."""
    token = scan.tokens[i]
    if token.hit is not None or token.headline or INITIAL.fullmatch(token.text):
        return None
    after = scan.at(i + 1)
    if after is not None and adjoins(after) and after.capitalised and not token.possessive:
        return None
    scan.found.append(
        Found(
            token.start,
            token.end,
            "person",
            token.text,
            token.text,
            pending="surname",
            must_resolve=True,
        )
    )
    return i + 1
