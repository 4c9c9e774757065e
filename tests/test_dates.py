"""Tests of storylens.ingest.dates: find_date and parse_date."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storylens.errors import RejectedInput
from storylens.ingest.dates import find_date, parse_date, record_date, struct_date

# Text shaped like the dates metadata gives (RFC 822, ISO 8601, epoch), with any numbers in
# them, so that the property test reaches the readers' arithmetic, not only their refusals.
_DATE_LIKE = (
    r"((Mon|Fri), )?\d{1,2} (Jan|Feb|Dec) \d{1,5} \d{2}:\d{2}(:\d{2})? ([+-]\d{4}|GMT|UT)"
    r"|\d{1,5}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{9,13}"
)

# -- find_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Friday, January 10, 2003", "2003-01-10"),
        ("10 Jan 2003", "2003-01-10"),
        ("Jan. 10, 2003", "2003-01-10"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("3rd September 2019", "2019-09-03"),
        ("march 4th, 2021", "2021-03-04"),
        ("2003-01-10", "2003-01-10"),
    ],
)
def test_dates_find_date_reads_english_and_iso_forms(line: str, expected: str) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jan. 10, 2003 at 3:05 p.m.", "2003-01-10T15:05:00Z"),
        ("Jan. 10, 2003 at 3:05 a.m.", "2003-01-10T03:05:00Z"),
        ("January 10, 2003, 12:15 p.m.", "2003-01-10T12:15:00Z"),
        ("January 10, 2003, 12:15 a.m.", "2003-01-10T00:15:00Z"),
        ("10 January 2003 17:45:09", "2003-01-10T17:45:09Z"),
    ],
)
def test_dates_find_date_reads_time_of_day_with_am_pm(line: str, expected: str) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == expected


def test_dates_find_date_gives_the_span_of_the_date_in_the_line() -> None:
    line = "The Example Gazette - Friday, January 10, 2003 - Page 4"
    found = find_date(line)
    assert found is not None
    value, (start, end) = found
    assert value == "2003-01-10"
    assert line[start:end] == "January 10, 2003"


def test_dates_find_date_returns_the_first_date_of_the_line() -> None:
    found = find_date("Posted 12 March 2004; updated March 14, 2004 and 2004-03-20")
    assert found is not None
    assert found[0] == "2004-03-12"


def test_dates_find_date_converts_an_iso_offset_to_utc() -> None:
    found = find_date("Posted 2003-01-10T14:30:00+02:00 by the desk")
    assert found is not None
    assert found[0] == "2003-01-10T12:30:00Z"


@pytest.mark.parametrize(
    "line",
    [
        "",
        "Nothing in this sentence is a date at all.",
        "The 12 jurors met in 2003 to decide.",
        "She arrived on Jan. 10 without a year.",
        "February 30, 2003",
        "2003-13-01",
        "He said he may 10 times consider it in 1850.",
    ],
)
def test_dates_find_date_returns_none_without_a_valid_full_date(line: str) -> None:
    assert find_date(line) is None


# -- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2003-01-10", "2003-01-10"),
        ("2003-01-10T14:30:00Z", "2003-01-10T14:30:00Z"),
        ("2003-01-10T14:30:00.250Z", "2003-01-10T14:30:00Z"),
        ("2003-01-10T14:30:00+02:00", "2003-01-10T12:30:00Z"),
        ("2003-01-10T14:30:00-0530", "2003-01-10T20:00:00Z"),
        ("2003-01-10 23:30", "2003-01-10T23:30:00Z"),
        ("2003-01-10T23:00:00-02:00", "2003-01-11T01:00:00Z"),
    ],
)
def test_dates_parse_date_reads_iso_8601_as_utc(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 10 Jan 2003 14:30:00 +0100", "2003-01-10T13:30:00Z"),
        ("Fri, 10 Jan 2003 14:30:00 GMT", "2003-01-10T14:30:00Z"),
        ("Thu, 09 Jan 2003 22:00:00 -0500", "2003-01-10T03:00:00Z"),
    ],
)
def test_dates_parse_date_reads_rfc_822(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1042208400", "2003-01-10T14:20:00Z"),
        ("1042208400000", "2003-01-10T14:20:00Z"),
        (" 1042208400 ", "2003-01-10T14:20:00Z"),
    ],
)
def test_dates_parse_date_reads_epoch_seconds_and_milliseconds(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Friday, January 10, 2003", "2003-01-10"),
        ("10 Jan 2003", "2003-01-10"),
        ("Published Jan. 10, 2003 at 9:05 a.m.", "2003-01-10T09:05:00Z"),
    ],
)
def test_dates_parse_date_reads_english_dates(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "not a date", "2003-02-30", "sometime soon"])
def test_dates_parse_date_returns_none_for_values_without_a_date(value: str) -> None:
    assert parse_date(value) is None


# -- any text: ISO of the years 1000 to 9999, or None (issue 16) ---------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.from_regex(_DATE_LIKE, fullmatch=True))
@example("Fri, 31 Dec 9999 23:59:59 -2359")
@example("Fri, 28 Feb 999 05:33:20 GMT")
@example("Mon, 01 Jan 0001 00:00:00 +2359")
@example("99999999999")
@example("9999999999999")
def test_dates_parse_date_gives_iso_of_four_digit_years_or_none(value: str) -> None:
    found = parse_date(value)
    if found is not None:
        moment = datetime.fromisoformat(found.replace("Z", "+00:00"))
        assert 1000 <= moment.year <= 9999
        assert found[:4].isdigit() and found[4] == "-"


@pytest.mark.parametrize(
    "value", ["Fri, 31 Dec 9999 23:59:59 -2359", "Fri, 28 Feb 999 05:33:20 GMT"]
)
def test_dates_record_date_rejects_a_date_out_of_range_as_bad_date(value: str) -> None:
    assert parse_date(value) is None
    with pytest.raises(RejectedInput) as raised:
        record_date(value)
    assert raised.value.reason == "bad-date"
    assert value in raised.value.detail


def test_dates_struct_date_reads_feed_times_and_rejects_out_of_range() -> None:
    assert struct_date(time.gmtime(1_000_000_000)) == "2001-09-09T01:46:40Z"
    with pytest.raises(RejectedInput) as raised:
        struct_date(time.struct_time((999, 2, 28, 5, 33, 20, 3, 59, 0)))
    assert raised.value.reason == "bad-date"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Fri Aug 2, 2013 6:50pm EDT", "2013-08-02T22:50:00Z"),
        ("Thu Jun 13, 2013 08:45 AM PDT", "2013-06-13T15:45:00Z"),
        ("Thu Jan 10, 2013 08:45 AM PST", "2013-01-10T16:45:00Z"),
        ("Nov 10, 2011 3:00pm EST", "2011-11-10T20:00:00Z"),
        ("Tue, 02 Jul 2013 12:28 CDT", "2013-07-02T17:28:00Z"),
        ("Tue Jul 2, 2013 1:28PM GMT", "2013-07-02T13:28:00Z"),
        ("2 July 2013 13:28 BST", "2013-07-02T12:28:00Z"),
        ("2 July 2013 13:28 CEST", "2013-07-02T11:28:00Z"),
        ("2 January 2013 13:28 CET", "2013-01-02T12:28:00Z"),
        ("2 July 2013 21:00 JST", "2013-07-02T12:00:00Z"),
        ("11 Nov 2011 09:56 IST", "2011-11-11T04:26:00Z"),
        ("March 4, 2025 14:00 Beijing Time", "2025-03-04T06:00:00Z"),
        ("March 4, 2025 14:00 (Beijing Time)", "2025-03-04T06:00:00Z"),
        ("10 Jan 2003 14:30 +0530", "2003-01-10T09:00:00Z"),
        ("10 Jan 2003 14:30 +05:30", "2003-01-10T09:00:00Z"),
        ("Jan 10, 2003 9:00 UTC+8", "2003-01-10T01:00:00Z"),
        ("Jan 10, 2003 9:00 GMT-5", "2003-01-10T14:00:00Z"),
    ],
)
def test_dates_find_date_turns_a_time_with_its_zone_to_utc(line: str, expected: str) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == expected
    assert parse_date(line) == expected


def test_dates_find_date_spans_the_zone_after_the_time() -> None:
    line = "Posted Fri Aug 2, 2013 6:50pm EDT by the desk"
    found = find_date(line)
    assert found is not None
    assert line[found[1][0]:found[1][1]] == "Aug 2, 2013 6:50pm EDT"


def test_dates_find_date_leaves_a_time_without_a_zone_as_written() -> None:
    found = find_date("Jan 10, 2003 9:00 ESTATE SALE")
    assert found is not None
    assert found[0] == "2003-01-10T09:00:00Z"


# -- times written with a space after the colon, as tokenised text has them (issue 18) --------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted: Tuesday, October 14, 2014 3: 12 pm", "2014-10-14T15:12:00Z"),
        ("October 14, 2014 - 9: 05 am", "2014-10-14T09:05:00Z"),
        ("14 October 2014, 21: 40", "2014-10-14T21:40:00Z"),
        ("Oct. 14, 2014 | 7: 30pm", "2014-10-14T19:30:00Z"),
        ("October 14, 2014 at 11: 02: 09 PM", "2014-10-14T23:02:09Z"),
        ("Published: Tuesday, Oct. 14 2014 6: 15 p. m.", "2014-10-14T18:15:00Z"),
        ("on Oct 14 2014, 4: 20p", "2014-10-14T16:20:00Z"),
        ("Oct 14, 2014 / 10: 45 am (Orvelle Tide)", "2014-10-14T10:45:00Z"),
    ],
)
def test_dates_find_date_reads_a_time_with_a_space_after_its_colon(
    line: str, expected: str
) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == expected
    assert parse_date(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("October 14, 2014 3: 12 PM EDT", "2014-10-14T19:12:00Z"),
        ("14 October 2014, 09: 30 (GMT+05: 30)", "2014-10-14T04:00:00Z"),
        ("October 14, 2014 - - 08: 10 GMT (01: 10 PDT)", "2014-10-14T08:10:00Z"),
        ("Posted: 14 Jan 2014 6: 07: 15 PM GMT+01: 00", "2014-01-14T17:07:15Z"),
    ],
)
def test_dates_find_date_turns_a_spaced_time_with_its_zone_to_utc(
    line: str, expected: str
) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == expected


@pytest.mark.parametrize(
    ("line", "expected", "span"),
    [
        ("4: 12 pm October 14, 2014", "2014-10-14T16:12:00Z", "4: 12 pm October 14, 2014"),
        ("9: 48 a. m. PDT Oct. 14, 2014", "2014-10-14T16:48:00Z", "9: 48 a. m. PDT Oct. 14, 2014"),
        ("UPDATED: 13: 05 GMT, 14 October 2014", "2014-10-14T13:05:00Z",
         "13: 05 GMT, 14 October 2014"),
        ("Posted at 8: 20 am, Tuesday, October 14, 2014", "2014-10-14T08:20:00Z",
         "8: 20 am, Tuesday, October 14, 2014"),
        ("10: 55 AM, TUE 14 OCT 2014", "2014-10-14T10:55:00Z", "10: 55 AM, TUE 14 OCT 2014"),
        ("7: 30am UK, Tuesday 14 October 2014", "2014-10-14T06:30:00Z",
         "7: 30am UK, Tuesday 14 October 2014"),
    ],
)
def test_dates_find_date_reads_a_time_written_before_the_date(
    line: str, expected: str, span: str
) -> None:
    found = find_date(line)
    assert found is not None
    value, (start, end) = found
    assert value == expected
    assert line[start:end] == span


@pytest.mark.parametrize(
    "line", ["Page 4: 12 stories, October 14, 2014", "Room 12: October 14, 2014"]
)
def test_dates_find_date_reads_a_date_alone_when_nothing_before_it_is_a_time(line: str) -> None:
    found = find_date(line)
    assert found is not None
    value, (start, end) = found
    assert value == "2014-10-14"
    assert line[start:end] == "October 14, 2014"
