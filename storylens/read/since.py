"""A story's developments since a date or a time: what a reader returning to a story has not
seen. The developments are computed with the stored view (compare.developments, at ingest);
this only selects from them, per request (``/stories/ID?since=``, ``story ID --since``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..errors import UsageError

SINCE_HELP = "a date as YYYY-MM-DD (from its start, UTC) or an ISO 8601 time (UTC if no zone)"


def parse_since(value: str) -> tuple[float, str]:
    """Seconds since 1970 (UTC) at which "since ``value``" starts, and how it is shown: a
    date ("2025-11-04") from the start of that day in UTC, a time ("2025-11-04T09:00",
    "2025-11-04T09:00:00+01:00") at that moment, UTC when no zone is given. UsageError for
    anything else."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp(), text
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if len(text) < 13 or "T" not in text.upper() and " " not in text:
            raise ValueError(text)
    except (ValueError, OverflowError):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(f"since must be {SINCE_HELP}, not {shown!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.timestamp(), moment.strftime("%Y-%m-%d %H:%M UTC")


def published_moment(published: str | None) -> float | None:
    """A stored publication time in seconds since 1970, a date alone at its midday (as the
    grouping places it); None when undated or unreadable."""
    if not published:
        return None
    text = published.replace("Z", "+00:00")
    if len(text) == 10:
        text += "T12:00:00+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def developments_since(view: dict[str, Any], since: str) -> dict[str, Any]:
    """A copy of a story's view with only the developments published at or after ``since``
    (an undated one is never after a date), and ``since`` as it was read."""
    start, shown = parse_since(since)
    kept = [
        d for d in view.get("developments", [])
        if (moment := published_moment(d["published"])) is not None and moment >= start
    ]
    return {**view, "developments": kept, "since": shown}
