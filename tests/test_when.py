"""Tests of storylens.extract.events.when: the date an event sentence refers to."""

from __future__ import annotations

import pytest

from storylens.extract.events.when import event_date

FRIDAY = "2003-01-10"  # a Friday


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The two leaders met on Friday.", "2003-01-10"),  # the article's own day
        ("Friday's talks ended without a deal.", "2003-01-10"),
        ("Troops shelled the town late Tuesday.", "2003-01-07"),
        ("Rebels attacked a convoy on Monday night.", "2003-01-06"),
        ("The minister visited Cairo on Saturday.", "2003-01-04"),
        ("The ministers met last Friday.", "2003-01-03"),
        ("They met this Thursday.", "2003-01-09"),
    ],
)
def test_when_weekday_is_the_latest_such_day_on_or_before_publication(
    sentence: str, expected: str
) -> None:
    assert event_date(sentence, FRIDAY) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The leaders will meet on Tuesday.", "2003-01-14"),
        ("The vote is to take place on Friday.", "2003-01-10"),
        ("Talks are planned for next Friday.", "2003-01-17"),
        ("He plans to visit Seoul on Sunday.", "2003-01-12"),
    ],
)
def test_when_weekday_in_the_future(sentence: str, expected: str) -> None:
    assert event_date(sentence, FRIDAY, future=True) == expected


def test_when_next_weekday_is_after_even_without_future() -> None:
    assert event_date("Talks resume next Friday.", FRIDAY) == "2003-01-17"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Police arrested him today.", "2003-01-10"),
        ("The talks resume tonight.", "2003-01-10"),
        ("Protesters marched this morning.", "2003-01-10"),
        ("Gunmen attacked the base this afternoon.", "2003-01-10"),
        ("The army withdrew yesterday.", "2003-01-09"),
        ("Yesterday's attack killed five.", "2003-01-09"),
        ("Rockets hit the city last night.", "2003-01-09"),
        ("The envoy arrives tomorrow.", "2003-01-11"),
        ("The strike began the day before yesterday.", "2003-01-08"),
        ("The talks ended three days ago.", "2003-01-07"),
    ],
)
def test_when_relative_day_words(sentence: str, expected: str) -> None:
    assert event_date(sentence, FRIDAY) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks collapsed last week.",
        "Fighting flared earlier this month.",
        "The ceasefire was signed in March.",
        "The treaty was signed on 10/1.",
        "Protesters gathered on Good Friday.",
        "Markets fell on Black Monday.",
        "Officials may march on the capital.",
        "The ministers met recently.",
        "USA Today reported the deal.",
    ],
)
def test_when_vague_or_ambiguous_spans_give_none(sentence: str) -> None:
    assert event_date(sentence, FRIDAY) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The accord was signed on January 10, 2003.", "2003-01-10"),
        ("The accord was signed on Jan. 8, 2003.", "2003-01-08"),
        ("The accord was signed on 8 January 2003.", "2003-01-08"),
        ("Troops entered the town on January 8.", "2003-01-08"),
        ("Troops entered the town on Jan. 8.", "2003-01-08"),
        ("Troops entered the town on 8 January.", "2003-01-08"),
        ("Troops entered the town on the 8th of January.", "2003-01-08"),
        ("The vote, held on Wednesday, January 8, passed.", "2003-01-08"),
        ("The 1999 treaty of May 5, 1999 lapsed.", "1999-05-05"),
    ],
)
def test_when_absolute_dates(sentence: str, expected: str) -> None:
    assert event_date(sentence, FRIDAY) == expected


@pytest.mark.parametrize(
    ("published", "sentence", "future", "expected"),
    [
        ("2003-01-03", "Rebels seized the town on December 30.", False, "2002-12-30"),
        ("2003-01-03", "Rebels seized the town on Dec. 30.", False, "2002-12-30"),
        ("2003-01-03", "The summit was held on January 2.", False, "2003-01-02"),
        ("2003-03-01", "The vote was held on April 20.", False, "2003-04-20"),  # within 60 days
        ("2003-03-01", "The vote was held on June 20.", False, "2002-06-20"),
        ("2002-12-28", "The talks will resume on January 5.", True, "2003-01-05"),
        ("2003-01-03", "Elections will be held on December 30.", True, "2003-12-30"),
        ("2003-01-10T23:30:00Z", "The leaders met on Friday.", False, "2003-01-10"),
        ("2003-01-06", "The two sides met on Saturday.", False, "2003-01-04"),  # across weeks
        ("2003-01-01", "Fighting erupted yesterday.", False, "2002-12-31"),
        ("2004-03-01", "The truce began on February 29.", False, "2004-02-29"),
    ],
)
def test_when_year_boundaries_and_publication_forms(
    published: str, sentence: str, future: bool, expected: str
) -> None:
    assert event_date(sentence, published, future) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister said on Friday that the attack on Tuesday killed 12.", "2003-01-10"),
        ("On Thursday, after the talks of Tuesday, the envoy left.", "2003-01-09"),
        ("Tuesday's raid, the second since Sunday, killed two.", "2003-01-07"),
        ("Yesterday the rebels agreed to meet on Monday.", "2003-01-06"),
    ],
)
def test_when_prefers_the_date_after_on_then_the_first(sentence: str, expected: str) -> None:
    assert event_date(sentence, FRIDAY) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The accord was signed on January 10, 2003.", "2003-01-10"),
        ("The accord was signed on Friday.", None),
        ("The accord was signed yesterday.", None),
        ("The accord was signed on January 10.", None),
    ],
)
def test_when_without_publication_date_only_full_dates(sentence: str, expected: str | None) -> None:
    assert event_date(sentence, None) == expected
    assert event_date(sentence, "not a date") == expected


def test_when_no_date_at_all() -> None:
    assert event_date("The rebels attacked the convoy.", FRIDAY) is None
