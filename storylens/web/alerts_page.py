"""The Alerts page: every saved search with its filters, its Atom feed, its latest matches and
its webhook's state. Read-only: alerts are made and removed with ``storylens alerts``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .deps import StoreDep
from .render import render

router = APIRouter(include_in_schema=False)

# The latest matches shown per alert.
MATCHES_SHOWN = 10


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Each alert with its filters, feed link, latest matches and webhook deliveries."""
    alerts = [
        {"status": status, "entries": store.alert_entries(status.alert, MATCHES_SHOWN)}
        for status in store.alert_statuses()
    ]
    return render(request, "alerts.html.j2", {"nav": "alerts", "alerts": alerts})
