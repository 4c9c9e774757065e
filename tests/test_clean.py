"""Tests of storylens.clean and storylens.boilerplate."""

from __future__ import annotations

import pytest

from storylens.clean.boilerplate import is_related_heading, line_reason
from storylens.clean.cleaner import clean, content_id
from storylens.model import Article, Draft, Reject

LEAD = (
    "ORVELLE, Maine — The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier "
    "before the spring fishing season, ending a year of argument over the structure."
)
SECOND = (
    "Board chair Hettie Marlowe said the work would cost about $3.4 million, most of it from a "
    "state coastal grant awarded in January."
)
THIRD = (
    "Lobstermen had warned that the pilings were rotting. \u201cEvery storm we lose another "
    "board,\u201d said Amos Kettridge, who has fished out of Orvelle for 31 years."
)
FOURTH = (
    "Construction is expected to begin in April and to last about ten weeks, the harbor master "
    "said on Wednesday afternoon."
)
UNDATED_LEAD = (
    "The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier before the spring "
    "fishing season, ending a year of argument over the structure."
)


def _clean(*lines: str, kind: str = "text", outlet: str | None = None) -> Article | Reject:
    text = "\n\n".join(lines)
    return clean(Draft(source="orvelle.txt", kind=kind, raw=text, text=text, outlet=outlet))


def _article(*lines: str, outlet: str | None = None) -> Article:
    result = _clean(*lines, outlet=outlet)
    assert isinstance(result, Article), result
    return result


# -- boilerplate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Sign up for our daily newsletter to get the latest news in your inbox", "newsletter"),
        ("Subscribe now", "newsletter"),
        ("Get the Morning Briefing delivered to your inbox", "newsletter"),
        ("Copyright 2003 The Example Gazette. All rights reserved.", "copyright"),
        ("© 2003 The Example Gazette", "copyright"),
        ("This material may not be published, broadcast, rewritten or redistributed.",
         "copyright"),
        ("Please read our comments policy before posting.", "comments"),
        ("View 14 comments", "comments"),
        ("Click to enlarge the map", "click"),
        ("Click here to read the full report", "click"),
        ("Share on Facebook", "share"),
        ("Share this article", "share"),
        ("Facebook Twitter LinkedIn Email", "share"),
        ("Print", "share"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("We use cookies to improve your experience on our site.", "cookies"),
        ("Read more: Ferry fares to rise in May", "teaser"),
        ("Tags: harbor, pier, Orvelle", "tags"),
    ],
)
def test_boilerplate_line_reason_names_the_kind_of_boilerplate(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    ["Related stories", "Related", "Read more", "More from The Example Gazette",
     "You might also like", "Most read"],
)
def test_boilerplate_is_related_heading_recognises_link_list_headings(line: str) -> None:
    assert is_related_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related charges were filed against two other men on Friday.",
        "More than 200 people attended the vigil on Sunday evening.",
    ],
)
def test_boilerplate_is_related_heading_ignores_sentences(line: str) -> None:
    assert not is_related_heading(line)


def test_clean_removes_boilerplate_lines_with_their_reasons() -> None:
    article = _article(
        LEAD,
        "Advertisement",
        SECOND,
        "Sign up for our daily newsletter to get the latest news in your inbox",
        "Click to enlarge the map",
        "Share on Facebook",
        THIRD,
        "Please read our comments policy before posting.",
        FOURTH,
        "Copyright 2003 The Orvelle Tide. All rights reserved.",
    )
    assert article.paragraphs == [LEAD, SECOND, THIRD, FOURTH]
    assert article.removed == [
        ("advertisement", "Advertisement"),
        ("newsletter", "Sign up for our daily newsletter to get the latest news in your inbox"),
        ("click", "Click to enlarge the map"),
        ("share", "Share on Facebook"),
        ("comments", "Please read our comments policy before posting."),
        ("copyright", "Copyright 2003 The Orvelle Tide. All rights reserved."),
    ]


def test_clean_removes_the_link_list_after_a_related_heading() -> None:
    article = _article(
        LEAD,
        SECOND,
        "Related stories",
        "Ferry fares to rise in May",
        "Gull Point lighthouse gets a new lamp",
        "Harbor master retires after 40 years",
    )
    assert article.paragraphs == [LEAD, SECOND]
    assert article.removed == [
        ("related", "Related stories"),
        ("related", "Ferry fares to rise in May"),
        ("related", "Gull Point lighthouse gets a new lamp"),
        ("related", "Harbor master retires after 40 years"),
    ]


def test_clean_ends_the_related_list_at_the_next_body_paragraph() -> None:
    article = _article(LEAD, "Related:", "Ferry fares to rise in May", SECOND, THIRD)
    assert article.paragraphs == [LEAD, SECOND, THIRD]
    assert [reason for reason, _ in article.removed] == ["related", "related"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares of Vantrell Polymers fell 8 percent in early trading on Tuesday.",
        "The board did not share details of the contract with reporters.",
        "Residents can share their views at a public meeting next month, the clerk said.",
        "The company said it owns the copyright to the lighthouse design and will defend it.",
        "Print sales at the Gazette fell by a fifth last year, the publisher said.",
        "Advertising revenue at the paper fell 12 percent in the quarter.",
        "Subscribers will see the new water rates on their March bills.",
        "Comments at the hearing were mostly in favor of the plan.",
        "Click, the family dog, was found safe on Tuesday.",
        "Related charges were filed against two other men on Friday.",
        pytest.param(
            "Copyright law has not kept pace with new technology, Judge Ana Ferro wrote."
        ),
        pytest.param(
            "The parish newsletter first reported the theft."
        ),
        pytest.param(
            "Register of Deeds Marta Lindqvist said her office would mail alerts to homeowners."
        ),
    ],
)
def test_clean_keeps_article_sentences_that_mention_boilerplate_words(sentence: str) -> None:
    article = _article(LEAD, sentence, SECOND)
    assert article.paragraphs == [LEAD, sentence, SECOND]
    assert article.removed == []


def test_clean_rejects_as_no_text_when_only_boilerplate_remains() -> None:
    result = _clean(
        "Advertisement",
        "Share on Facebook",
        "Sign up for our newsletter",
        "Copyright 2003 The Orvelle Tide. All rights reserved.",
    )
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("orvelle.txt", "no-text")


def test_clean_rejects_an_html_page_of_boilerplate_as_no_article_body() -> None:
    result = _clean("Advertisement", "Share on Facebook", kind="html")
    assert isinstance(result, Reject)
    assert result.reason == "no-article-body"


# -- repeated paragraphs ----------------------------------------------------------------------


def test_clean_removes_a_lead_repeated_right_after_itself_once() -> None:
    article = _article(LEAD, LEAD, SECOND, THIRD)
    assert article.paragraphs == [LEAD, SECOND, THIRD]
    assert article.removed == [("repeated", LEAD)]


def test_clean_keeps_a_short_paragraph_repeated_further_apart() -> None:
    question = "Q: What happens next?"
    article = _article(LEAD, question, SECOND, THIRD, question, FOURTH)
    assert article.paragraphs.count(question) == 2


# -- header lines: date, outlet, title, byline ------------------------------------------------


def test_clean_reads_date_and_outlet_from_a_header_date_line() -> None:
    line = "- The Example Gazette - Friday, January 10, 2003"
    article = _article(line, LEAD, SECOND)
    assert article.published == "2003-01-10"
    assert article.outlet == "The Example Gazette"
    assert ("header-date", line) in article.removed
    assert article.paragraphs == [LEAD, SECOND]


def test_clean_reads_the_date_but_no_outlet_from_an_updated_at_line() -> None:
    line = "Last updated at: (Beijing Time) Tuesday, March 4, 2025"
    article = _article(line, LEAD, SECOND)
    assert article.published == "2025-03-04"
    assert article.outlet is None
    assert ("header-date", line) in article.removed


def test_clean_reads_a_masthead_line_and_a_title_line() -> None:
    title = "Harbor board votes to rebuild the north pier"
    article = _article("THE EXAMPLE GAZETTE", title, LEAD, SECOND)
    assert article.outlet == "The Example Gazette"
    assert article.title == title
    assert article.removed == [("masthead", "THE EXAMPLE GAZETTE"), ("title", title)]
    assert article.paragraphs == [LEAD, SECOND]


def test_clean_reads_a_masthead_with_sections_named_by_the_metadata_outlet() -> None:
    article = _article(
        "The Orvelle Tide | Local | Business", LEAD, SECOND, outlet="The Orvelle Tide"
    )
    assert article.outlet == "The Orvelle Tide"
    assert ("masthead", "The Orvelle Tide | Local | Business") in article.removed


def test_clean_reads_the_outlet_from_a_byline() -> None:
    line = "By Jane Roe, The Example Gazette"
    article = _article(line, LEAD, SECOND)
    assert article.outlet == "The Example Gazette"
    assert ("byline", line) in article.removed
    assert article.paragraphs == [LEAD, SECOND]


def test_clean_reads_the_outlet_from_the_copyright_line_when_nothing_else_names_it() -> None:
    article = _article(LEAD, SECOND, "© 2003 The Orvelle Tide. All rights reserved.")
    assert article.outlet == "The Orvelle Tide"


def test_clean_prefers_the_metadata_outlet() -> None:
    article = _article("By Jane Roe, The Example Gazette", LEAD, SECOND, outlet="Fen Herald")
    assert article.outlet == "Fen Herald"


@pytest.mark.parametrize(
    "lines",
    [
        (LEAD, SECOND, THIRD),
        ("By Jane Roe, Staff Writer", LEAD, SECOND),
        ("Posted on Friday, January 10, 2003", LEAD, SECOND),
        ("Harbor board votes to rebuild the north pier", UNDATED_LEAD, SECOND),
    ],
)
def test_clean_leaves_the_outlet_empty_when_nothing_names_it(lines: tuple[str, ...]) -> None:
    assert _article(*lines).outlet is None


# -- datelines --------------------------------------------------------------------------------


MOSCOW_LEAD = (
    "MOSCOW, Jan. 10 (UPI) — City officials said on Friday that four new heating "
    "stations would open before the cold snap."
)

LISBON_LEAD = (
    "LISBON — The government said on Monday that it would extend the port workers' "
    "contract by a year after the talks ended."
)

DUNMORE_LEAD = (
    "Dunmore, Ohio — A small fire at the grain elevator was put out on Saturday morning "
    "before it spread, the fire chief said."
)

ORVELLE_LEAD = (
    "ORVELLE, Maine — The harbor board voted on Tuesday to rebuild the north pier "
    "before the spring season."
)

ST_ALBAN_LEAD = (
    "ST. ALBAN, Vt., March 3 (Meridian Wire) — The town's only grocery store will "
    "close at the end of the month, its owner said."
)

NEW_PELLHAM_LEAD = (
    "NEW PELLHAM, N.H. (AP) -- Voters approved a school budget of $14 million on "
    "Tuesday after a two-hour debate."
)


@pytest.mark.parametrize(
    ("lead", "place", "wire"),
    [
        (MOSCOW_LEAD, "Moscow", "UPI"),
        (LISBON_LEAD, "Lisbon", None),
        (DUNMORE_LEAD, "Dunmore, Ohio", None),
        (ORVELLE_LEAD, "Orvelle, Maine", None),
        (ST_ALBAN_LEAD, "St. Alban, Vt.", "Meridian Wire"),
        (NEW_PELLHAM_LEAD, "New Pellham, N.H.", "AP"),
    ],
)
def test_clean_reads_place_and_wire_from_the_dateline(
    lead: str, place: str, wire: str | None
) -> None:
    article = _article(lead, SECOND)
    assert (article.place, article.wire) == (place, wire)


def test_clean_finds_no_dateline_in_an_ordinary_lead() -> None:
    article = _article(UNDATED_LEAD, SECOND)
    assert (article.place, article.wire) == (None, None)


def test_clean_finds_no_dateline_in_a_lead_opening_with_a_name_and_a_dash() -> None:
    lead = (
        "Hettie Marlowe — the chair of the harbor board — said on Tuesday that the north pier "
        "would be rebuilt before the spring season."
    )
    article = _article(lead, SECOND)
    assert article.place is None


# -- text fixes and sentences -----------------------------------------------------------------


def test_clean_fixes_mojibake_and_keeps_curly_quotes() -> None:
    broken = (
        "CafÃ© owner RenÃ©e Castillo said \u201cwe will reopen soon\u201d after the flood, "
        "speaking outside the shop on Main Street on Tuesday."
    )
    article = _article(broken, SECOND)
    assert article.paragraphs[0] == (
        "Café owner Renée Castillo said \u201cwe will reopen soon\u201d after the flood, "
        "speaking outside the shop on Main Street on Tuesday."
    )


def test_clean_keeps_curly_quotes_and_apostrophes_in_clean_text() -> None:
    article = _article(THIRD, "The board\u2019s \u2018final\u2019 vote is due in May, the chair "
                       "said on Tuesday at the meeting in the town hall.")
    assert "\u201cEvery storm" in article.text
    assert "board\u2019s \u2018final\u2019 vote" in article.text


@pytest.mark.parametrize(
    "lines",
    [
        (LEAD, SECOND, THIRD, FOURTH),
        (
            (
                "Dr. Amos Kettridge of St. Brendan's Hospital said the U.S. Coast Guard called "
                "him at 4 a.m. on Tuesday. He left at once. \"Was anyone hurt?\" he asked! "
                "Nobody was."
            ),
            "Marlowe said... it was time.  Work starts in April (weather permitting). Really?",
        ),
        ("A line with a thin\u2009space and a narrow\u202fno-break space in it. Then more.",
         "CafÃ© owners met on Tuesday.\u00a0They agreed on a plan for the summer season."),
    ],
)
def test_clean_sentence_offsets_point_into_the_article_text(lines: tuple[str, ...]) -> None:
    article = _article(*lines)
    assert len(article.sentences) >= len(article.paragraphs)
    for sentence in article.sentences:
        assert article.text[sentence.start:sentence.end] == sentence.text
    assert [s.index for s in article.sentences] == list(range(len(article.sentences)))


def test_clean_splits_sentences_within_their_paragraphs() -> None:
    article = _article(LEAD, THIRD)
    assert [(s.paragraph, s.text) for s in article.sentences] == [
        (0, LEAD),
        (1, "Lobstermen had warned that the pilings were rotting."),
        (
            1,
            (
                "\u201cEvery storm we lose another board,\u201d said Amos Kettridge, who has "
                "fished out of Orvelle for 31 years."
            ),
        ),
    ]


def test_clean_joins_paragraphs_with_blank_lines() -> None:
    article = _article(LEAD, SECOND, THIRD)
    assert article.text == f"{LEAD}\n\n{SECOND}\n\n{THIRD}"


# -- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "Orvelle  votes\n\nto rebuild the pier.",
        "  Orvelle votes to rebuild the pier.\n",
        "Orvelle\tvotes\r\nto   rebuild\n the pier.",
    ],
)
def test_clean_content_id_is_stable_under_white_space_changes(variant: str) -> None:
    assert content_id(variant) == content_id("Orvelle votes to rebuild the pier.")


def test_clean_content_id_differs_for_different_text() -> None:
    assert content_id("Orvelle votes to rebuild the pier.") != content_id(
        "Orvelle votes to rebuild the ramp."
    )


def test_clean_article_id_is_the_content_id_of_the_raw_input() -> None:
    raw = f"{LEAD}\n\n{SECOND}"
    article = clean(Draft(source="a.txt", kind="text", raw=raw, text=raw))
    again = clean(Draft(source="b.txt", kind="text", raw=raw.replace("\n\n", "\n \n"), text=raw))
    assert isinstance(article, Article) and isinstance(again, Article)
    assert article.id == again.id == content_id(raw)


@pytest.mark.parametrize(
    ("lead", "published"),
    [
        ("HARLOW BAY, March 4, 2025 (MW) — The ferry service to the islands resumed on Tuesday "
         "after a week of storms, the operator said.", "2025-03-04"),
        ("HARLOW BAY, March 4 (MW) — The ferry service to the islands resumed on Tuesday after a "
         "week of storms, the operator said.", None),
    ],
)
def test_clean_dateline_with_year_gives_the_date(lead: str, published: str | None) -> None:
    article = clean(Draft(source="t", kind="text", raw=lead, text=lead + "\n\nMore follows."))
    assert isinstance(article, Article)
    assert article.place == "Harlow Bay"
    assert article.wire == "MW"
    assert article.published == published
