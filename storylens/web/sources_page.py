"""The Sources page: each source storylens watch collects from, with its health (last poll,
status, the reason of its last error, articles in the last day, consecutive failures), so
that a broken feed is seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .deps import StoreDep
from .render import render

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The sources, each with its health."""
    now = datetime.now(UTC)
    since = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sources = store.source_health(since)
    for source in sources:
        source["health"] = _health(source)
        due = source["next_due"]
        source["next_poll"] = (
            datetime.fromtimestamp(due, UTC).strftime("%Y-%m-%d %H:%M UTC") if due else "now"
        )
    return render(request, "sources.html.j2", {"nav": "sources", "sources": sources})


def _health(source: dict[str, object]) -> str:
    """One word for a source's health: new (never polled), failing (its last poll failed),
    partly (read, but a feed or sitemap it names failed) or ok."""
    if not source["last_poll"]:
        return "new"
    if source["last_status"] == "error":
        return "failing"
    return "partly" if source["last_error"] else "ok"
