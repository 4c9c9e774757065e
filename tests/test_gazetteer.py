"""The gazetteer: countries, capitals, demonyms, organisations, bodies and role words."""

from __future__ import annotations

import re
import time

import pytest

from storylens.extract.entities.gazetteer import Gazetteer, Hit, build_gazetteer, load_gazetteer

TABLES = {
    "countries.tsv": (
        "# a comment\n"
        "code\tname\taliases\tcapitals\tdemonyms\n"
        "PRK\tNorth Korea\tDPRK|D.P.R.K.|Democratic People's Republic of Korea|N. Korea"
        "\tPyongyang\tNorth Korean|North Koreans\n"
        "KOR\tSouth Korea\tROK\tSeoul\tSouth Korean|South Koreans\n"
        "USA\tUnited States\tUS|U.S.|United States of America\tWashington\tAmerican\n"
        "GNB\tGuinea-Bissau\t\tBissau\tBissau-Guinean\n"
        "GIN\tGuinea\t\tConakry\tGuinean\n"
    ),
    "organisations.tsv": (
        "name\taliases\tcode\tsector\tcountry\nUnited Nations\tUN|U.N.\tIGO\tIGO\t\n"
    ),
    "bodies.tsv": "name\taliases\tcode\tsector\nWhite House\t\tUSA\tGOV\n",
    "roles.tsv": (
        "words\tsector\tkind\n"
        "prime minister|premier\tGOV\ttitle\n"
        "officials|official\tGOV\tgroup\n"
        "troops\tMIL\tgroup\n"
    ),
}


@pytest.fixture(scope="module")
def small() -> Gazetteer:
    return build_gazetteer(TABLES)


def _names(hits: list[Hit]) -> list[tuple[str, str, str]]:
    return [(h.text, h.name, h.kind) for h in hits]


def test_gazetteer_loads_package_data() -> None:
    gazetteer = load_gazetteer()
    korea = gazetteer.country("PRK")
    assert korea is not None
    assert korea.name == "North Korea"
    assert "DPRK" in korea.aliases
    assert "Pyongyang" in korea.capitals
    assert gazetteer.country("XXX") is None
    assert load_gazetteer() is gazetteer  # read once


@pytest.mark.parametrize(
    "written", ["North Korea", "DPRK", "D.P.R.K.", "Democratic People's Republic of Korea"]
)
def test_gazetteer_aliases_name_the_country(small: Gazetteer, written: str) -> None:
    hits = small.find(f"Talks with {written} resumed.")
    assert [(h.name, h.kind, h.code) for h in hits] == [("North Korea", "country", "PRK")]
    assert hits[0].text == written


def test_gazetteer_curly_apostrophe_in_a_name(small: Gazetteer) -> None:
    hits = small.find("the Democratic People’s Republic of Korea")
    assert _names(hits) == [("Democratic People’s Republic of Korea", "North Korea", "country")]


@pytest.mark.parametrize("mark", ["'", "’"])
def test_gazetteer_possessive_outside_the_span(small: Gazetteer, mark: str) -> None:
    text = f"North Korea{mark}s announcement"
    (hit,) = small.find(text)
    assert (hit.start, hit.end, hit.possessive) == (0, 11, True)
    assert text[hit.start : hit.end] == "North Korea"


def test_gazetteer_longest_match_first(small: Gazetteer) -> None:
    hits = small.find("South Korea and North Korean troops; Guinea-Bissau and Guinea")
    assert _names(hits) == [
        ("South Korea", "South Korea", "country"),
        ("North Korean", "North Korea", "demonym"),
        ("Guinea-Bissau", "Guinea-Bissau", "country"),
        ("Guinea", "Guinea", "country"),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the US said", ["US"]),
        ("let us go", []),
        ("USAID is no country", []),
        ("the U.S. said", ["U.S."]),
        ("the U.S.", ["U.S."]),
        ("pro-US rally", ["US"]),
        ("Koreans", []),
    ],
)
def test_gazetteer_whole_words_case_sensitive(
    small: Gazetteer, text: str, found: list[str]
) -> None:
    assert [h.text for h in small.find(text)] == found


def test_gazetteer_kinds(small: Gazetteer) -> None:
    hits = small.find("Pyongyang, the North Koreans, the U.N. and the White House")
    assert [(h.text, h.name, h.kind, h.code, h.sector) for h in hits] == [
        ("Pyongyang", "North Korea", "capital", "PRK", None),
        ("North Koreans", "North Korea", "demonym", "PRK", None),
        ("U.N.", "United Nations", "organisation", "IGO", "IGO"),
        ("White House", "White House", "body", "USA", "GOV"),
    ]


def test_gazetteer_capitals_matched_in_capitals(small: Gazetteer) -> None:
    assert _names(small.find("SEOUL, Jan. 10")) == [("SEOUL", "South Korea", "capital")]
    assert small.canonical("SEOUL") == "Seoul"
    assert small.canonical("DPRK") == "North Korea"
    assert small.canonical("Atlantis") == "Atlantis"


def test_gazetteer_names_across_a_line_break_are_not_joined(small: Gazetteer) -> None:
    assert [h.text for h in small.find("South\nKorea")] == []


def test_gazetteer_hits_do_not_overlap(small: Gazetteer) -> None:
    hits = small.find("United States of America, United States and DPRK's D.P.R.K.")
    assert [h.text for h in hits] == [
        "United States of America",
        "United States",
        "DPRK",
        "D.P.R.K.",
    ]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


def test_gazetteer_matches_a_plain_alternation() -> None:
    """The character tree finds what one alternation of all names, longest first, finds."""
    gazetteer = load_gazetteer()
    forms = sorted(gazetteer.entries, key=lambda f: (-len(f), f))
    alternation = "|".join(
        r"[^\S\n]+".join(re.escape(w).replace("'", "['’]") for w in f.split()) for f in forms
    )
    plain = re.compile(rf"(?<!\w)({alternation})(?:['’]s(?![\w'’])|(?<=s)['’](?![\w'’])|(?!\w))")
    text = (
        "MOSCOW, March 3 (Reuters) — Envoys of Russia and Japan met. North Korea's move "
        "worried the United States, the U.S. Congress, South Korea and Papua New Guinea; "
        "the Democratic People's Republic of Korea (DPRK) and Guinea-Bissau, Guinea, the UN "
        "and U.N. officials, Congo's and the Democratic Republic of the Congo's. us."
    )
    expected = [(m.start(1), m.end(1)) for m in plain.finditer(text)]
    assert [(h.start, h.end) for h in gazetteer.find(text)] == expected


@pytest.mark.parametrize(
    ("word", "sector"),
    [
        ("troops", "MIL"),
        ("official", "GOV"),
        ("officials", "GOV"),
        ("prime minister", "GOV"),
        ("Premier", "GOV"),
        ("weather", None),
    ],
)
def test_gazetteer_sector_of(small: Gazetteer, word: str, sector: str | None) -> None:
    assert small.sector_of(word) == sector


def test_gazetteer_titles(small: Gazetteer) -> None:
    assert small.is_title("prime minister")
    assert small.is_title("Prime Minister")
    assert not small.is_title("troops")
    assert small.title_sector("premier") == "GOV"
    assert small.title_sector("officials") is None


def test_gazetteer_package_roles() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.sector_of("troops") == "MIL"
    assert gazetteer.sector_of("officials") == "GOV"
    assert gazetteer.is_title("prime minister")
    assert gazetteer.title_sector("spokesman") == "GOV"


def test_gazetteer_find_is_fast() -> None:
    gazetteer = load_gazetteer()
    text = " ".join(["The leaders of Russia and Japan met in Moscow on Friday."] * 30)
    gazetteer.find(text)
    start = time.perf_counter()
    for _ in range(20):
        gazetteer.find(text)
    per_text = (time.perf_counter() - start) / 20
    assert per_text < 0.02  # about 0.1 ms here: a regression to a plain alternation is 5 ms
