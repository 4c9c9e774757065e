"""Reading publication dates out of metadata values and header lines.

A hand-written reader on purpose: the header lines of news pages use a handful of English
forms ("Friday, January 10, 2003", "10 Jan 2003", ISO 8601, RFC 822), and a general fuzzy date
parser (dateutil, dateparser) finds dates in ordinary sentences too, which here would be wrong.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import RejectedInput

# The years a date may have: four digits, as ISO 8601 writes them without an agreement to
# widen them, and as datetime (up to 9999) and Article.timestamp read them.
FIRST_YEAR, LAST_YEAR = 1000, 9999

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# A time of day as pages write it, tokenised text too: "2:39 pm", "2: 39 pm" (a space after the
# colon), "6:07:15 PM", "7: 08 p. m.", "5:03p".
_CLOCK = (
    r"(?<![\d:])(?P<hour>\d{1,2}):\s?(?P<minute>\d{2})(?::\s?(?P<second>\d{2}))?"
    r"(?P<ampm>\s*[ap]\.?\s?m\b\.?|[ap]\b)?"
)
# A time after a date, set off from it by spaces, commas, "at", "@", "|", "/" or dashes
# ("August 7, 2012 - 5: 46 pm", "May 2, 2013 | 5: 03pm").
_TIME = r"(?:(?:[\s,|@/\u2013\u2014-]|\bat\b)*" + _CLOCK + r")?"
_ISO = re.compile(
    r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)"
    r"(?:[T ](?P<hour>\d\d):(?P<minute>\d\d)(?::(?P<second>\d\d)(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d\d:?\d\d)?)?"
)
_MDY = re.compile(
    r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b" + _TIME,
    re.IGNORECASE,
)
_DMY = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b" + _TIME,
    re.IGNORECASE,
)
_EPOCH = re.compile(r"^\d{9,13}$")

# The zone names news pages write after a time, to the IANA zone whose rules give the offset.
# Abbreviations are not unique and are not in the IANA database as names (CST is also China's,
# IST also Ireland's and Israel's), so each is read here as English-language news most often
# means it; the offset itself, summer time included, always comes from zoneinfo. A page that
# writes "EST" in July means the Eastern local time, which the zone's rules give.
ZONE_NAMES = {
    "gmt": "UTC", "utc": "UTC",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage", "akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
    "bst": "Europe/London", "cet": "Europe/Paris", "cest": "Europe/Paris",
    "eet": "Europe/Athens", "eest": "Europe/Athens", "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata", "pkt": "Asia/Karachi", "hkt": "Asia/Hong_Kong",
    "sgt": "Asia/Singapore", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland", "beijing time": "Asia/Shanghai", "uk": "Europe/London",
}
# A zone right after a time: an offset ("+0530", "+05:30", "UTC+8", "GMT-5", "GMT+05: 00") or
# a name of ZONE_NAMES, either in brackets or not ("6:50pm EDT", "14:00 (Beijing Time)").
_ZONE = (
    r"\s*\(?\s*(?:(?:UTC|GMT)\s?(?P<short>[+-]\d{1,2}(?::?\s?\d\d)?)|"
    r"(?P<offset>[+-]\d\d(?::\s?)?\d\d)|"
    r"(?P<name>" + "|".join(sorted(ZONE_NAMES, key=len, reverse=True)) + r"))\)?(?![\w+-])"
)
_ZONE_AFTER = re.compile(_ZONE, re.IGNORECASE)
# A time, with its zone if one is given, written before a date and its weekday ("12: 52 p. m.
# EDT May 2, 2013", "PUBLISHED: 02: 31 GMT, 12 March 2013", "10: 24 AM, MON 22 JUL 2013").
_TIME_BEFORE = re.compile(
    _CLOCK + r"(?:" + _ZONE + r")?[\s,]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?$",
    re.IGNORECASE,
)
# How far before a date find_date looks for a time written before it, in characters.
TIME_BEFORE_CHARS = 60


class _OutOfRange(ValueError):
    """A date that is read but falls outside the years FIRST_YEAR to LAST_YEAR."""


def _utc_text(moment: datetime) -> str:
    """A time of day in UTC (naive, or aware and turned to UTC) as "YYYY-MM-DDTHH:MM:SSZ";
    raises _OutOfRange when it is not in the years FIRST_YEAR to LAST_YEAR."""
    try:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError as error:  # the offset moves it past year 1 or 9999
        raise _OutOfRange(str(error)) from error
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise _OutOfRange(f"year {moment.year}")
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _iso(year: int, month: int, day: int, hour: int | None = None, minute: int = 0,
         second: int = 0, tz: str | None = None) -> str | None:
    try:
        if hour is None:
            return date(year, month, day).isoformat()
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        moment = datetime.fromtimestamp(
            moment.replace(tzinfo=UTC).timestamp() - offset * 60, tz=UTC
        ).replace(tzinfo=None)
    return _utc_text(moment)


def _zone_offset(zone: re.Match[str], parts: dict[str, str | None]) -> str | None:
    """The offset from UTC a zone written with a time gives, as "+HH:MM", at the date and time
    read (``parts``), or None when there is no zone or the date is not one."""
    offset = zone.group("short") or zone.group("offset")
    if offset:
        sign, digits = offset[0], re.sub(r"[\s:]", "", offset[1:])
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "00")
        return f"{sign}{int(hours):02d}:{minutes}"
    name = zone.group("name")
    text = _from_parts(parts) if name else None
    if text is None or name is None:
        return None
    try:
        zone_info = ZoneInfo(ZONE_NAMES[name.lower()])
    except ZoneInfoNotFoundError:  # no time zone database on this system
        return None
    moment = datetime.fromisoformat(text.rstrip("Z")).replace(tzinfo=zone_info)
    shift = moment.utcoffset() or timedelta(0)
    minutes_total = int(shift.total_seconds()) // 60
    sign = "+" if minutes_total >= 0 else "-"
    return f"{sign}{abs(minutes_total) // 60:02d}:{abs(minutes_total) % 60:02d}"


def _from_match(match: re.Match[str], zone: str | None = None) -> str | None:
    return _from_parts(match.groupdict(), zone)


def _from_parts(parts: dict[str, str | None], zone: str | None = None) -> str | None:
    """The ISO text of a date's parts as its pattern's groups name them, or None when they
    are not a date (or not a time of day)."""
    month_text = parts["month"] or ""
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
    hour = parts.get("hour")
    hour_value = int(hour) if hour else None
    ampm = (parts.get("ampm") or "").strip().lower()
    if hour_value is not None and ampm.startswith("p") and hour_value < 12:
        hour_value += 12
    if hour_value is not None and ampm.startswith("a") and hour_value == 12:
        hour_value = 0
    return _iso(
        int(parts["year"] or 0),
        month,
        int(parts["day"] or 0),
        hour_value,
        int(parts.get("minute") or 0),
        int(parts.get("second") or 0),
        zone or parts.get("tz"),
    )


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first full date (with year) in a line of text, as ISO, with its character span.
    A time after the date, or written just before it ("12: 52 p. m. EDT May 2, 2013"), is
    read too, and is part of the span; a time with a zone ("6:50pm EDT", "14:00 +0530",
    "(Beijing Time)") is turned to UTC, and the zone is part of the span."""
    found: list[tuple[int, str, tuple[int, int]]] = []
    for pattern in (_ISO, _MDY, _DMY):
        match = pattern.search(text)
        if not match:
            continue
        read = _read_match(text, match) if pattern is not _ISO else None
        value = read[0] if read else _from_match(match)
        span = read[1] if read else match.span()
        if value:
            found.append((span[0], value, span))
    if not found:
        return None
    _, value, span = min(found)
    return value, span


def _read_match(text: str, match: re.Match[str]) -> tuple[str, tuple[int, int]] | None:
    """A date written in words with its time and zone, and their span: the time after the
    date with the zone after that, or else a time (and zone) just before the date; None when
    no time is read, or the time and zone give no date."""
    parts: dict[str, str | None] = match.groupdict()
    start, end = match.span()
    if parts["hour"]:
        zone = _ZONE_AFTER.match(text, end)
        offset = _zone_offset(zone, parts) if zone else None
        value = _from_parts(parts, offset)
        return (value, (start, zone.end() if zone and offset else end)) if value else None
    before = _TIME_BEFORE.search(text, max(0, start - TIME_BEFORE_CHARS), start)
    if before is None:
        return None
    parts.update({name: before.group(name) for name in ("hour", "minute", "second", "ampm")})
    offset = _zone_offset(before, parts)
    value = _from_parts(parts, offset)
    return (value, (before.start(), end)) if value else None


def parse_date(value: str) -> str | None:
    """A metadata date value (ISO 8601, RFC 822, epoch seconds or milliseconds, or English)
    as ISO 8601 in UTC, or None when it gives no date of the years 1000 to 9999. Never raises:
    any text is either a date or not one."""
    try:
        return _parse(value)
    except (ValueError, OverflowError, OSError):  # _OutOfRange is a ValueError
        return None


def record_date(value: str) -> str | None:
    """A record's date value as parse_date reads it, except that a value naming a date
    outside the years 1000 to 9999 ("Fri, 28 Feb 999 05:33:20 GMT") raises
    RejectedInput("bad-date"): the record's metadata is broken, not merely unreadable."""
    try:
        return _parse(value)
    except _OutOfRange as error:
        raise RejectedInput("bad-date", _out_of_range(value)) from error
    except (ValueError, OverflowError, OSError):
        return None


def struct_date(moment: time.struct_time) -> str:
    """A UTC time as feedparser reads it as ISO 8601; raises RejectedInput("bad-date") when
    it is not in the years 1000 to 9999."""
    try:
        seconds = calendar.timegm(moment)
        return _utc_text(datetime(1970, 1, 1) + timedelta(seconds=seconds))
    except (ValueError, OverflowError) as error:
        shown = f"{moment.tm_year:04d}-{moment.tm_mon:02d}-{moment.tm_mday:02d}"
        raise RejectedInput("bad-date", _out_of_range(shown)) from error


def _out_of_range(value: str) -> str:
    shown = value if len(value) <= 80 else value[:80] + "…"
    return f"the date {shown!r} is not in the years {FIRST_YEAR} to {LAST_YEAR}"


def _parse(value: str) -> str | None:
    """parse_date's reading; raises _OutOfRange for a date outside the years it takes."""
    value = value.strip()
    if not value:
        return None
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) > 11 else 1)
        return _utc_text(datetime.fromtimestamp(seconds, tz=UTC))
    match = _ISO.match(value)
    if match:
        return _from_match(match)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        moment = None
    found = find_date(value)
    if moment is not None and (moment.tzinfo is not None or not found):
        return _utc_text(moment)
    # email.utils leaves a time naive when it does not know the zone written after it
    # ("08:45 AM PDT"): find_date reads those zones.
    return found[0] if found else None
