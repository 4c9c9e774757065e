"""Tests of storylens.clean.header: the outlet, URL and date a text's header lines give
(issue 18: outlets read from the wrong line, URL lines lost, time zones ignored)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from conftest import shared_path

from storylens.clean.cleaner import clean
from storylens.clean.header import is_outlet_name, site_of, url_line
from storylens.ingest import parse_input
from storylens.ingest.sources import input_of
from storylens.model import Article, Draft

LEAD = (
    "ORVELLE, Maine — The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier "
    "before the spring fishing season, ending a year of argument over the structure."
)
UNDATED_LEAD = (
    "The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier before the spring "
    "fishing season, ending a year of argument over the structure."
)
SECOND = (
    "Board chair Hettie Marlowe said the work would cost about $3.4 million, most of it from a "
    "state coastal grant awarded in January."
)


def _article(*lines: str, url: str | None = None) -> Article:
    text = "\n\n".join(lines)
    result = clean(Draft(source="orvelle.txt", kind="text", raw=text, text=text, url=url))
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize(
    "line, published",
    [
        ("Fri Aug 2, 2013 6:50pm EDT", "2013-08-02T22:50:00Z"),
        ("Posted on Thu Jun 13, 2013 08:45 AM PDT", "2013-06-13T15:45:00Z"),
        ("Sun., Aug. 4, 2013 11:29 AM PDT", "2013-08-04T18:29:00Z"),
        ("First Published: June 13, 2013 4:59 PM EDT", "2013-06-13T20:59:00Z"),
        ("Story Created: Aug 7, 2012 at 9:56 AM AKDT", "2012-08-07T17:56:00Z"),
        ("Found March 08, 2013", "2013-03-08"),
        ("WASHINGTON, DC, April 28, 2009", "2009-04-28"),
        ("March 14, 2013 - UNITED STATES -", "2013-03-14"),
    ],
)
def test_header_date_line_names_no_weekday_label_or_place_as_outlet(
    line: str, published: str
) -> None:
    article = _article(line, UNDATED_LEAD, SECOND)
    assert article.outlet is None
    assert article.published == published
    assert ("header-date", line) in article.removed


def test_header_date_line_still_names_an_outlet_set_off_from_its_date() -> None:
    article = _article("The Orvelle Tide | Fri Aug 2, 2013 6:50pm EDT", UNDATED_LEAD, SECOND)
    assert article.outlet == "The Orvelle Tide"
    assert article.published == "2013-08-02T22:50:00Z"


@pytest.mark.parametrize(
    "headline", ["FIRED IN PHILLY!!", "FERRY SERVICE RESUMES AFTER THE STORM", "APR 28"]
)
def test_header_capitals_headline_is_not_a_masthead(headline: str) -> None:
    article = _article(headline, UNDATED_LEAD, SECOND)
    assert article.outlet is None


def test_header_long_capitals_line_is_not_a_masthead_even_before_a_date() -> None:
    article = _article(
        "http://www.orvelletide.example.com/news/ferry",
        "FERRY SERVICE RESUMES AFTER LONG STORM",
        "16 August 2011",
        UNDATED_LEAD,
        SECOND,
    )
    assert article.outlet == "example.com"


def test_header_url_first_line_is_kept_as_the_url_and_its_site_is_the_outlet() -> None:
    url = "https://news.orvelletide.co.uk/2025/03/04/harbor-board-votes"
    article = _article(url, UNDATED_LEAD, SECOND)
    assert article.url == url
    assert article.outlet == "orvelletide.co.uk"
    assert ("url", url) in article.removed
    assert article.paragraphs == [UNDATED_LEAD, SECOND]


def test_header_tokenised_url_first_line_is_read_as_its_url() -> None:
    line = "http: / / www. orvelletide. com / harbor - board - votes - 5 - 2 /"
    article = _article(line, UNDATED_LEAD, SECOND)
    assert article.url == "http://www.orvelletide.com/harbor-board-votes-5-2/"
    assert article.outlet == "orvelletide.com"


def test_header_name_given_wins_over_the_site_of_the_url() -> None:
    article = _article(
        "https://www.orvelletide.com/harbor", "By Jane Roe, The Orvelle Tide", LEAD, SECOND
    )
    assert article.outlet == "The Orvelle Tide"
    assert article.url == "https://www.orvelletide.com/harbor"


def test_header_site_of_a_record_url_is_the_outlet_when_none_is_named() -> None:
    article = _article(UNDATED_LEAD, SECOND, url="https://www.fenherald.org/a/1")
    assert article.outlet == "fenherald.org"


def test_header_site_of_a_url_is_none_for_local_addresses() -> None:
    assert site_of("file:///tmp/orvelle.txt") is None
    assert site_of("http://localhost:8000/a") is None
    assert site_of(None) is None
    assert url_line("Harbor board votes to rebuild the pier") is None


@pytest.mark.parametrize(
    "text", ["Fri", "Sun.", "Apr 28", "First Published:", "Fired In Philly!!", "INDONESIA",
             "WASHINGTON, DC", "Washington D. C.", "One Two Three Four Five Six Seven"]
)
def test_header_is_outlet_name_refuses_days_months_labels_places_sentences(text: str) -> None:
    assert not is_outlet_name(text)


@pytest.mark.parametrize("text", ["The Orvelle Tide", "Fen Herald", "TNN"])
def test_header_is_outlet_name_takes_names(text: str) -> None:
    assert is_outlet_name(text)


# -- acceptance: the ECB+ texts ----------------------------------------------------------------

_DAYS_AND_MONTHS = re.compile(
    r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday)?\b|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def _why_not_an_outlet(outlet: str, places: set[str]) -> str | None:
    """Why an outlet is a weekday, month, date, place or sentence; None when it is a name."""
    from storylens.extract.entities.gazetteer import normal

    if _DAYS_AND_MONTHS.search(outlet) and "." not in outlet.split()[-1]:
        return "a weekday or month"
    if any(c.isdigit() for c in outlet) and "." not in outlet:
        return "a date"
    if len(outlet.split()) > 5:
        return "a sentence"
    if re.search(r"[!?:;,]$|\.\s*$", outlet):
        return "ends as a sentence or label"
    if normal(outlet) in places or normal(outlet.split(",")[0]) in places:
        return "a place"
    return None


def test_header_outlets_of_the_ecbplus_texts_are_names_or_sites(tmp_path: Path) -> None:
    from storylens.extract.entities.gazetteer import load_gazetteer

    data = shared_path("data", "ecbplus", "ecbplus.jsonl.gz")
    with gzip.open(data, "rt", encoding="utf-8") as rows:
        records = [json.loads(line) for line in rows]
    assert len(records) == 982
    gazetteer = load_gazetteer()
    places = {
        form for form, entry in gazetteer.entries.items() if entry.kind in {"country", "capital"}
    }
    wrong: list[tuple[str, str, str]] = []
    sited = 0
    lost_urls: list[str] = []
    for record in records:
        path = tmp_path / f"{record['id']}.txt"
        path.write_text(record["text"], encoding="utf-8")
        for draft in parse_input(input_of(str(path), path.read_bytes(), 10_000_000)):
            assert isinstance(draft, Draft), draft
            article = clean(draft)
            if record["text"].startswith("http") and not getattr(article, "url", None):
                lost_urls.append(record["id"])
            if not isinstance(article, Article) or not article.outlet:
                continue
            sited += article.outlet == site_of(article.url)
            why = _why_not_an_outlet(article.outlet, places)
            if why:
                wrong.append((record["id"], article.outlet, why))
    assert wrong == []
    assert lost_urls == []  # a first line that is a URL is the article's URL
    assert sited > 400  # most ECB+ texts start with their URL


@pytest.mark.parametrize(
    "line, url",
    [
        ("http: / / www. orvelle. com / people / article / 0,, 2069, 00. html",
         "http://www.orvelle.com/people/article/0,,2069,00.html"),
        ("http: / / news. orvelle. com / 83 _ 3 - 574 / pier - from - $1199 /",
         "http://news.orvelle.com/83_3-574/pier-from-$1199/"),
        ("http: / / www. orvelle. com / article / 13 / harbor ’ s - pier - votes -",
         "http://www.orvelle.com/article/13/harbor’s-pier-votes-"),
    ],
)
def test_header_tokenised_url_with_commas_dollars_and_apostrophes(line: str, url: str) -> None:
    assert url_line(line) == url


def test_header_url_over_one_sentence_is_not_read_as_wrapped_text() -> None:
    text = "http: / / www. orvelle. com / news / 4417\n" + UNDATED_LEAD
    result = clean(Draft(source="orvelle.txt", kind="text", raw=text, text=text))
    assert isinstance(result, Article), result
    assert result.url == "http://www.orvelle.com/news/4417"
    assert result.paragraphs == [UNDATED_LEAD]


def test_header_text_of_only_an_address_date_and_headline_is_its_headline() -> None:
    headline = "Orvelle harbor board votes to rebuild the north pier"
    article = _article("https://www.orvelletide.com/video/4417", "March 04, 2025", headline)
    assert article.text == headline
    assert article.title == headline
    assert article.url == "https://www.orvelletide.com/video/4417"
    assert article.published == "2025-03-04"


@pytest.mark.parametrize(
    "line, published",
    [
        ("Posted: Tuesday, October 14, 2014 3: 12 pm", "2014-10-14T15:12:00Z"),
        ("October 14, 2014 - 9: 05 am", "2014-10-14T09:05:00Z"),
        ("Oct 14, 2014 6: 50pm EDT", "2014-10-14T22:50:00Z"),
        ("9: 48 a. m. PDT Oct. 14, 2014", "2014-10-14T16:48:00Z"),
    ],
)
def test_header_date_line_with_a_spaced_time_gives_the_time(line: str, published: str) -> None:
    article = _article(line, UNDATED_LEAD, SECOND)
    assert article.published == published
    assert article.outlet is None
    assert ("header-date", line) in article.removed


def test_header_one_sentence_a_line_under_a_header_is_not_read_as_wrapped() -> None:
    url = "http: / / www. orvelletide. com / news / harbor - board - votes"
    lines = [url, "Orvelle harbor board votes to rebuild pier", "Tuesday, 4 March 2025",
             UNDATED_LEAD, SECOND]
    text = "\n".join(lines)
    result = clean(Draft(source="orvelle.txt", kind="text", raw=text, text=text))
    assert isinstance(result, Article), result
    assert result.url == "http://www.orvelletide.com/news/harbor-board-votes"
    assert result.published == "2025-03-04"
    assert result.paragraphs == [UNDATED_LEAD, SECOND]


def test_header_hard_wrapped_text_is_still_joined() -> None:
    words = (UNDATED_LEAD + " " + SECOND).split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 64:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    text = "\n".join(lines)
    result = clean(Draft(source="orvelle.txt", kind="text", raw=text, text=text))
    assert isinstance(result, Article), result
    assert result.paragraphs == [UNDATED_LEAD + " " + SECOND]
