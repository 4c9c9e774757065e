"""The date an event sentence refers to, resolved against the article's publication date (pure).

News dates events from the day the article appeared: "on Friday", "yesterday", "Tuesday's
talks", "on January 10". The rules, and the choices they make:

- A weekday ("on Friday", "Friday's talks", "late Tuesday", "Monday night") is the most recent
  such day on or before the publication date: an article of a Friday saying "on Friday" means
  that day. With ``future`` (the event coder passes it for "will", "is to", "plans to") it is
  the next such day on or after. "last Friday" and "past Friday" are strictly before the
  publication day, "next Friday" strictly after, "coming Friday" on or after; "this Friday"
  reads like a bare "Friday". Named days ("Good Friday", "Black Monday", "Super Tuesday",
  "Bloody Sunday") are not dates.
- "today", "tonight", "this morning", "this afternoon", "this evening" are the publication day;
  "yesterday", "last night", "last evening" the day before; "the day before yesterday" two
  days before; "tomorrow" the day after, "the day after tomorrow" two days after; "N days
  ago" N days before. The publication day is taken as given (a date-time's own date, whatever
  its time zone): a late-night story stamped in UTC may be a day off.
- A date with a year ("January 10, 2003", "Jan. 10 2003", "10 January 2003", "Friday,
  January 10, 2003") is taken as written. A month and day without a year ("January 10", "Jan.
  10", "10th of January") take the publication year, moved back a year when that would be
  more than 60 days after publication (an event reported in early January as "on December
  30" happened the December before); with ``future``, the first such day on or after
  publication instead. A weekday written with a date ("Friday, January 10") is the date.
- Vague spans are not dates: "last week", "earlier this month", "in March", "recently",
  "overnight". Numeric dates ("10/1") are skipped too: day and month order differ between
  countries. Month names must be capitalised, so that "may" and "march" stay verbs.
- Of several dates, the first one written after "on" ("on Friday", "on January 10") is the
  event's; else the first of any. A sentence such as "said on Friday that the attack on
  Tuesday ..." is therefore dated Friday: the coder passes whole sentences.
- Without a publication date only dates with a year can be resolved; else the answer is None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...ingest.dates import MONTHS, parse_date
from ..wordlists import word_set

# How far after publication a month-day without a year may fall and still be this year's.
AHEAD_DAYS = 60

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
# Words that make a weekday a named day, not a date.
_NAMED_DAY = word_set("storylens.extract.events", "named_days")
_MONTH_NAMES = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_MONTH = r"(?P<month>" + _MONTH_NAMES + r")(?:\.|(?![A-Za-z]))"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
# An optional weekday before a date belongs to the date: "Friday, January 10".
_ON_WEEKDAY = r"(?:(?:" + _WEEKDAY_NAMES + r"),?\s+(?:the\s+)?)?"
_MONTH_DAY = re.compile(r"\b" + _ON_WEEKDAY + _MONTH + r"\s+" + _DAY + _YEAR)
_DAY_MONTH = re.compile(r"\b" + _ON_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + _YEAR)
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<modifier>(?i:last|past|next|coming|this))\s+)?(?P<weekday>" + _WEEKDAY_NAMES + r")\b"
)
_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_RELATIVE = re.compile(
    r"\b(?:(?P<before_yesterday>the\s+day\s+before\s+yesterday)"
    r"|(?P<after_tomorrow>the\s+day\s+after\s+tomorrow)"
    r"|(?P<yesterday>yesterday|last\s+night|last\s+evening)"
    r"|(?P<tomorrow>tomorrow)"
    r"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<count>\d{1,2}|" + "|".join(_NUMBERS) + r")\s+days?\s+ago)\b",
    re.IGNORECASE,
)
_ON_BEFORE = re.compile(r"\b[Oo]n\s+$")
_PUBLISHED = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)")


def _publication_day(published: str | None) -> date | None:
    if not published:
        return None
    match = _PUBLISHED.match(published)
    if match is None:
        parsed = parse_date(published)
        match = _PUBLISHED.match(parsed) if parsed else None
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(
    month: int, day: int, year: int | None, published: date | None, future: bool
) -> date | None:
    if year is not None:
        return _valid(year, month, day)
    if published is None or not 1 <= day <= 31:
        return None
    if future:
        for later in range(published.year, published.year + 9):  # 8 years covers 29 February
            found = _valid(later, month, day)
            if found is not None and found >= published:
                return found
        return None
    limit = published + timedelta(days=AHEAD_DAYS)
    for earlier in range(published.year, published.year - 9, -1):
        found = _valid(earlier, month, day)
        if found is not None and found <= limit:
            return found
    return None


def _weekday(name: str, modifier: str, published: date, future: bool) -> date:
    wanted = WEEKDAYS.index(name)
    back = (published.weekday() - wanted) % 7
    ahead = (wanted - published.weekday()) % 7
    modifier = modifier.lower()
    if modifier in ("last", "past"):
        return published - timedelta(days=back or 7)
    if modifier == "next":
        return published + timedelta(days=ahead or 7)
    if modifier == "coming" or future:
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def _relative(match: re.Match[str], published: date) -> date:
    if match["before_yesterday"]:
        return published - timedelta(days=2)
    if match["after_tomorrow"]:
        return published + timedelta(days=2)
    if match["yesterday"]:
        return published - timedelta(days=1)
    if match["tomorrow"]:
        return published + timedelta(days=1)
    if match["today"]:
        return published
    count = match["count"].lower()
    return published - timedelta(days=int(count) if count.isdigit() else _NUMBERS[count])


def _candidates(sentence: str, published: date | None, future: bool) -> list[tuple[int, date]]:
    """Each date the sentence names that can be resolved, with where it starts."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ISO_DATE, _MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            month_text = match["month"]
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            year = int(match["year"]) if match["year"] else None
            taken.append(match.span())
            value = _month_day(month, int(match["day"]), year, published, future)
            if value is not None:
                found.append((match.start(), value))
    if published is None:
        return found
    for match in _WEEKDAY.finditer(sentence):
        if any(start <= match.start("weekday") < end for start, end in taken):
            continue
        before = sentence[: match.start()].split()
        if not match["modifier"] and before and before[-1].lower() in _NAMED_DAY:
            continue
        value = _weekday(match["weekday"], match["modifier"] or "", published, future)
        found.append((match.start(), value))
    for match in _RELATIVE.finditer(sentence):
        if match["today"] and sentence[: match.start()].rstrip().endswith("USA"):
            continue  # the newspaper
        found.append((match.start(), _relative(match, published)))
    return sorted(found, key=lambda item: item[0])


def event_date(sentence: str, published: str | None, future: bool = False) -> str | None:
    """The day ("YYYY-MM-DD") an event sentence refers to, or None when it names none that
    can be resolved. ``published`` is the article's date ("YYYY-MM-DD" or an ISO date-time;
    None when unknown); ``future`` says the sentence speaks of what is to come. See the
    module's docstring for the rules."""
    day = _publication_day(published)
    candidates = _candidates(sentence, day, future)
    if not candidates:
        return None
    after_on = [value for start, value in candidates if _ON_BEFORE.search(sentence[:start])]
    return (after_on or [candidates[0][1]])[0].isoformat()
