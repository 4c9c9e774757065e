"""The gazetteer: countries (names, aliases, capitals, demonyms), organisations, government
bodies and role words, read once from the data files beside this module (*.tsv).

Each file is tab-separated with a header line; lines starting with "#" are comments and list
fields are separated by "|". ``find`` locates every name in a text with one precompiled
regular expression (alternatives sorted longest first), whole words only and case-sensitive,
so that "US" is the country but "us" is not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

TABLES = ("countries.tsv", "organisations.tsv", "bodies.tsv", "roles.tsv")
# Upper-case copies ("MOSCOW, Jan. 10") are matched for place names at least this long, so
# that short words written in capitals ("IN", "US") keep meaning only what they say.
UPPER_MIN = 4


@dataclass(frozen=True)
class Country:
    """A country of countries.tsv: its code, name and the other names it goes by."""

    code: str  # ISO 3166 alpha-3
    name: str
    aliases: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

    @property
    def demonym(self) -> str:
        """The adjective for the country ("Russian"): its first demonym, else its name."""
        return self.demonyms[0] if self.demonyms else self.name


@dataclass(frozen=True)
class Role:
    """One line of roles.tsv: the forms of a role word (the first is canonical), its sector
    and kind ("title" for a person's title, "group" for a group or body)."""

    words: tuple[str, ...]
    sector: str | None
    kind: str

    @property
    def canonical(self) -> str:
        return self.words[0]


@dataclass(frozen=True)
class Entry:
    """What a written name stands for."""

    name: str  # canonical: the country's name, the organisation's name, the capital itself
    kind: str  # "country", "capital", "demonym", "organisation" or "body"
    code: str | None
    sector: str | None


@dataclass(frozen=True)
class Hit:
    """A gazetteer name found in a text. ``end`` excludes a possessive "'s" after the name,
    which sets ``possessive``."""

    start: int
    end: int
    text: str  # as written
    name: str  # canonical: the country's name for a country, alias, demonym or capital
    kind: str
    code: str | None
    sector: str | None
    possessive: bool = False


def normal(text: str) -> str:
    """A written name as looked up: single spaces, straight apostrophes."""
    return " ".join(text.replace("’", "'").split())


_END = ""  # marks the end of a name in the character tree


def _symbol(char: str) -> str:
    if char == " ":
        return r"[^\S\n]+"  # any run of spaces, within a line
    if char == "'":
        return "['’]"
    return re.escape(char)


def _alternation(tree: dict[str, object]) -> str:
    """The regular expression of a character tree: its branches sorted longest first, and the
    end of a shorter name after them, so the longest name that fits is matched (and a
    shorter one when what follows the longer one is not a word boundary)."""
    branches: list[tuple[int, str]] = []
    for char, child in tree.items():
        if char == _END:
            continue
        assert isinstance(child, dict)
        branches.append((-_depth(child), _symbol(char) + _alternation(child)))
    branches.sort()
    if not branches:
        return ""
    body = "|".join(b for _, b in branches)
    grouped = body if len(branches) == 1 and _END not in tree else f"(?:{body})"
    return grouped + "?" if _END in tree else grouped


def _depth(tree: dict[str, object]) -> int:
    return max(
        (1 + _depth(c) for k, c in tree.items() if k != _END and isinstance(c, dict)), default=0
    )


def _pattern(forms: list[str]) -> re.Pattern[str]:
    """One regular expression for every form: the alternation of all the names, written as
    a tree of their characters so that matching costs the same however many there are."""
    tree: dict[str, object] = {}
    for form in forms:
        node = tree
        for char in form:
            child = node.setdefault(char, {})
            assert isinstance(child, dict)
            node = child
        node[_END] = True
    alternation = _alternation(tree) or r"(?!x)x"
    return re.compile(
        rf"(?<!\w)(?P<name>{alternation})"
        r"(?:(?P<pos>['’]s)(?![\w'’])|(?<=s)(?P<pos2>['’])(?![\w'’])|(?![\w]))"
    )


@dataclass(frozen=True)
class Gazetteer:
    """Every name of the data files, what it stands for, and one pattern to find them all."""

    countries: Mapping[str, Country]  # by code
    entries: Mapping[str, Entry]  # by normal(written form)
    roles: Mapping[str, Role]  # by lower-case form
    pattern: re.Pattern[str]
    longest_role: int  # words in the longest role phrase
    role_prefixes: frozenset[str]  # the first words of every role phrase, and whole ones

    def may_start_role(self, words: str) -> bool:
        """Whether a role phrase starts with these lower-case words (or is them, or their
        singular)."""
        prefixes = self.role_prefixes
        return words in prefixes or (
            words.endswith("s") and (words[:-1] in prefixes or words[:-2] in prefixes)
        )

    def find(self, text: str) -> list[Hit]:
        """Every gazetteer name in ``text``, left to right, longest first, not overlapping."""
        return list(self._hits(text))

    def _hits(self, text: str) -> Iterator[Hit]:
        for match in self.pattern.finditer(text):
            written = match.group("name")
            entry = self.entries.get(normal(written))
            if entry is None:
                continue
            name = entry.name
            if entry.kind == "capital":
                country = self.countries.get(entry.code or "")
                name = country.name if country else name
            yield Hit(
                start=match.start("name"),
                end=match.end("name"),
                text=written,
                name=name,
                kind=entry.kind,
                code=entry.code,
                sector=entry.sector,
                possessive=match.group("pos") is not None or match.group("pos2") is not None,
            )

    def canonical(self, written: str) -> str:
        """The name a written form stands for as itself: "MOSCOW" is "Moscow", "DPRK" is
        "North Korea"; a form not in the gazetteer as written."""
        entry = self.entries.get(normal(written))
        return entry.name if entry else written

    def country(self, code: str | None) -> Country | None:
        return self.countries.get(code) if code else None

    def role(self, words: str) -> Role | None:
        """The role a lower-case word or phrase names ("premier", "foreign ministry"), also
        for a plural in -s or -es of a listed form."""
        key = " ".join(words.lower().split())
        found = self.roles.get(key)
        if found is None and key.endswith("s"):
            found = self.roles.get(key[:-1])
            if found is None and key.endswith("es"):
                found = self.roles.get(key[:-2])
        return found

    def sector_of(self, word: str) -> str | None:
        """The sector a role or group word or phrase gives ("troops": MIL), if listed."""
        role = self.role(word)
        return role.sector if role else None

    def is_title(self, words: str) -> bool:
        role = self.role(words)
        return role is not None and role.kind == "title"

    def title_sector(self, title: str) -> str | None:
        role = self.role(title)
        return role.sector if role is not None and role.kind == "title" else None


def _rows(text: str) -> Iterator[dict[str, str]]:
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.rstrip("\r\n").split("\t")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        cells += [""] * (len(header) - len(cells))
        yield dict(zip(header, cells, strict=False))


def _list(cell: str | None) -> tuple[str, ...]:
    return tuple(normal(p) for p in (cell or "").split("|") if p.strip())


def _countries(text: str) -> dict[str, Country]:
    """The countries of countries.tsv, by code."""
    countries: dict[str, Country] = {}
    for row in _rows(text):
        code, name = row.get("code", ""), normal(row.get("name", ""))
        if code and name:
            countries[code] = Country(
                code,
                name,
                _list(row.get("aliases")),
                _list(row.get("capitals")),
                _list(row.get("demonyms")),
            )
    return countries


def _roles(text: str) -> dict[str, Role]:
    """The roles of roles.tsv, by each of their lower-case forms (the first line listing a
    form keeps it)."""
    roles: dict[str, Role] = {}
    for row in _rows(text):
        words = tuple(w.lower() for w in _list(row.get("words")))
        if not words:
            continue
        role = Role(words, row.get("sector") or None, (row.get("kind") or "group").lower())
        for word in words:
            roles.setdefault(word, role)
    return roles


def build_gazetteer(tables: Mapping[str, str]) -> Gazetteer:
    """A gazetteer from the texts of the data files, by file name (see ``TABLES``)."""
    countries = _countries(tables.get("countries.tsv", ""))
    entries: dict[str, Entry] = {}
    places: set[str] = set()  # forms that get an upper-case copy

    def add(form: str, entry: Entry, place: bool = False) -> None:
        if form and form not in entries:
            entries[form] = entry
            if place:
                places.add(form)

    for country in countries.values():
        add(country.name, Entry(country.name, "country", country.code, None), True)
    for country in countries.values():
        for alias in country.aliases:
            add(alias, Entry(country.name, "country", country.code, None))
    for file, kind in (("organisations.tsv", "organisation"), ("bodies.tsv", "body")):
        for row in _rows(tables.get(file, "")):
            name = normal(row.get("name", ""))
            if not name:
                continue
            entry = Entry(name, kind, row.get("code") or None, row.get("sector") or None)
            for form in (name, *_list(row.get("aliases"))):
                add(form, entry)
    for country in countries.values():
        for capital in country.capitals:
            add(capital, Entry(capital, "capital", country.code, None), True)
    for country in countries.values():
        for demonym in country.demonyms:
            add(demonym, Entry(country.name, "demonym", country.code, None), True)
    for form in sorted(places):
        upper = form.upper()
        if upper != form and len(form) >= UPPER_MIN and upper not in entries:
            entries[upper] = entries[form]
    roles = _roles(tables.get("roles.tsv", ""))
    return Gazetteer(
        countries=MappingProxyType(countries),
        entries=MappingProxyType(entries),
        roles=MappingProxyType(roles),
        pattern=_pattern(list(entries)),
        longest_role=max((len(w.split()) for w in roles), default=1),
        role_prefixes=frozenset(
            " ".join(w.split()[:n]) for w in roles for n in range(1, len(w.split()) + 1)
        ),
    )


def _read_table(name: str) -> str:
    return resources.files("storylens.extract.entities").joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The package's gazetteer, read once."""
    return build_gazetteer({name: _read_table(name) for name in TABLES})
