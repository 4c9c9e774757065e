"""The Sources page: each source storylens watch collects from, with its health (last poll,
status, the reason of its last error, articles in the last day, consecutive failures), so
that a broken feed is seen: the failing and partly read sources come first, marked."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .deps import StoreDep
from .render import render

router = APIRouter(include_in_schema=False)

# The order of the healths on the page: what needs a look first.
HEALTH_ORDER = {"failing": 0, "partly": 1, "new": 2, "ok": 3}
# How a time is shown on the page (in UTC, as its column heading says).
SHOWN = "%Y-%m-%d %H:%M"


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The sources, each with its health, those that need a look first."""
    now = datetime.now(UTC)
    since = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sources = store.source_health(since)
    for source in sources:
        source["health"] = _health(source)
        _times(source, now)
    sources.sort(key=lambda s: HEALTH_ORDER[s["health"]])  # stable: the store's order within
    counts = Counter(s["health"] for s in sources)
    tally = [(health, counts[health]) for health in HEALTH_ORDER if counts[health]]
    return render(request, "sources.html.j2",
                  {"nav": "sources", "sources": sources, "tally": tally})


def _health(source: dict[str, object]) -> str:
    """One word for a source's health: new (never polled), failing (its last poll failed),
    partly (read, but a feed or sitemap it names failed) or ok."""
    if not source["last_poll"]:
        return "new"
    if source["last_status"] == "error":
        return "failing"
    return "partly" if source["last_error"] else "ok"


def _times(source: dict[str, Any], now: datetime) -> None:
    """Add the source's last and next poll as the page shows them: the time, and how long
    ago (or until) it is."""
    polled = source["last_poll"]
    if polled:
        when = datetime.strptime(polled, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        source["last_poll_shown"] = when.strftime(SHOWN)
        source["last_poll_ago"] = _span(now - when) + " ago"
    due = source["next_due"]
    source["next_poll"] = datetime.fromtimestamp(due, UTC).strftime(SHOWN) if due else "now"
    source["next_poll_in"] = (
        "in " + _span(datetime.fromtimestamp(due, UTC) - now)
        if due and due > now.timestamp() else ""
    )


def _span(length: timedelta) -> str:
    """A length of time in words, rounded down: 40 s, 12 min, 3 h, 2 days."""
    seconds = max(0, int(length.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    return f"{days} day" if days == 1 else f"{days} days"
