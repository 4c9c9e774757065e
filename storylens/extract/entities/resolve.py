"""The whole article: surnames, descriptions and bare bodies resolved to the person or
organisation they stand for, and every mention of one person given what any of them says."""

from __future__ import annotations

from .gazetteer import Role
from .scan import Found
from .tokens import INITIAL
from .vocabulary import PARTICLES, SAME_ROLE


def _role_key(role: Role | None) -> str | None:
    if role is None:
        return None
    return SAME_ROLE.get(role.canonical, role.canonical)


def resolve(found: list[Found]) -> list[Found]:
    """Surnames, descriptions and bare bodies to the person or organisation they stand for,
    and every mention of a person given the title and code any of them has."""
    people: dict[str, list[Found]] = {}
    named = [f for f in found if f.kind == "person" and f.pending is None and " " in f.name]
    fullest: dict[str, str] = {}  # "Mark Felt" and "W. Mark Felt": the longer
    for item in named:
        key = person_key(item.name)
        if len(item.name.split()) > len(fullest.get(key, "").split()):
            fullest[key] = item.name
    for item in named:
        item.name = item.key = fullest[person_key(item.name)]
        people.setdefault(item.name, []).append(item)
    resolved: list[Found] = []
    for index, item in enumerate(found):
        if item.pending == "surname":
            # A name after a title ("President Putin") may come before the full name.
            match = _by_part(item.name, people, item.start if item.must_resolve else None)
            if match is not None:
                item.name = item.key = match
                item.pending = None
                people[match].append(item)
            elif not item.must_resolve:
                item.pending = None
                people.setdefault(item.name, []).append(item)
        elif item.pending == "description":
            match = _by_role(item, people, found[:index])
            if match is not None:
                item.name = item.key = match
                item.pending = None
                item.origin = None
                people[match].append(item)
            elif item.origin is not None:
                resolved.append(item.origin)  # the demonym alone, with the role's sector
                continue
        elif item.pending == "body":
            body = _by_body(item, found[:index])
            if body is not None:
                item.name, item.key = body.name, body.key
                item.code, item.sector = body.code, body.sector or item.sector
                item.pending = None
        if item.pending is None:
            resolved.append(item)
    for mentions in people.values():
        _share(mentions)
    for item in resolved:
        if item.kind == "person" and item.origin is not None and item.code is None:
            item.code = item.origin.code
            item.sector = item.sector or item.origin.sector
    return resolved


def person_key(name: str) -> str:
    """The key of a person's entity: the name without initials ("Richard M. Nixon" and
    "Richard Nixon" are one person), when two words or more are left."""
    words = name.split()
    kept = [w for w in words if not INITIAL.fullmatch(w)]
    return " ".join(kept) if len(kept) >= 2 else name


def _parts(name: str) -> list[str]:
    return [w for w in name.split() if w.lower() not in PARTICLES and not INITIAL.fullmatch(w)]


def _by_part(word: str, people: dict[str, list[Found]], before: int | None) -> str | None:
    """The one person named (before ``before``, if given) of whose name ``word`` is a part."""
    matches = [
        name
        for name, mentions in people.items()
        if name != word
        and word in _parts(name)
        and (before is None or any(m.start < before for m in mentions))
    ]
    return matches[0] if len(matches) == 1 else None


def _by_role(item: Found, people: dict[str, list[Found]], earlier: list[Found]) -> str | None:
    """The one person named earlier with the description's role (and country, if given)."""
    wanted = _role_key(item.role)
    names: list[str] = []
    for other in earlier:
        if other.kind != "person" or other.pending is not None or other.name not in people:
            continue
        mentions = people[other.name]
        roles = {_role_key(m.role) for m in mentions if m.role is not None}
        codes = {m.code for m in mentions if m.code} | {
            m.origin.code for m in mentions if m.origin is not None and m.origin.code
        }
        fits = wanted in roles and (item.code is None or item.code in codes)
        if fits and other.name not in names:
            names.append(other.name)
    return names[0] if len(names) == 1 else None


def _by_body(item: Found, earlier: list[Found]) -> Found | None:
    """The one organisation named earlier with the same body ("the Foreign Ministry": the
    Russian Foreign Ministry; "the ministry": the one ministry)."""
    assert item.role is not None
    head = item.role.canonical.split()[-1]
    multiword = " " in item.role.canonical
    keys: dict[str, Found] = {}
    for other in earlier:
        if other.kind != "organisation" or other.role is None or other.pending is not None:
            continue
        if multiword and other.role != item.role:
            continue
        if other.role.canonical.split()[-1] != head:
            continue
        keys.setdefault(other.key, other)
    return next(iter(keys.values())) if len(keys) == 1 else None


def _share(mentions: list[Found]) -> None:
    """Every mention of one person gets the code, title and sector any of them has."""
    code = next((m.code for m in mentions if m.code), None)
    if code is None:
        code = next((m.origin.code for m in mentions if m.origin and m.origin.code), None)
    title = next((m.title for m in mentions if m.title), None)
    role = next((m.role for m in mentions if m.role), None)
    sector = next((m.sector for m in mentions if m.sector), None)
    for mention in mentions:
        mention.code = mention.code or code
        mention.title = mention.title or title
        mention.role = mention.role or role
        mention.sector = mention.sector or sector
