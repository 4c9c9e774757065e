"""storylens alerts: saved searches whose new and grown stories make an Atom feed (served by
``storylens serve`` at /alerts/NAME.atom) and, optionally, webhook POSTs."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from ..errors import UsageError
from ..store import Alert, AlertEntry, AlertStatus, entry_payload
from ..store.alerts import BASELINE_STORIES
from .database import DbOption, open_store
from .helptext import Command
from .output import Format, FormatOption, JsonOption, chosen_format, print_json, print_rows, say

alerts_app = typer.Typer(
    help="Saved searches: an Atom feed (and optionally a webhook) of the stories that match.",
    no_args_is_help=True,
)

# An alert's name is part of its feed's URL: letters, digits, "-" and "_".
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"an alert's name is 1 to 64 letters, digits, '-' or '_' (it is part of its feed's "
            f"URL), not {name!r}"
        )
    return name


def _check_url(url: str | None, what: str) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} must be an http:// or https:// URL, not {url!r}")
    return url.strip()


@alerts_app.command("add", cls=Command)
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The alert's name (letters, "
                                        "digits, '-', '_'): its feed is /alerts/NAME.atom.")],
    query: Annotated[str, typer.Option("--query", "-q", metavar="TEXT", help="Words one of a "
                                       "story's articles holds, as 'storylens stories "
                                       "--query' reads them.")],
    entity: Annotated[str | None, typer.Option(metavar="NAME_OR_ID", help="Also: an entity "
                                               "one of its articles mentions.")] = None,
    outlet: Annotated[str | None, typer.Option(metavar="NAME", help="Also: an outlet that "
                                               "reports it (exact name, any case).")] = None,
    webhook: Annotated[str | None, typer.Option(metavar="URL", help="POST each new entry "
                                                "to this URL as JSON.")] = None,
    site_url: Annotated[str, typer.Option("--site-url", metavar="URL", help="Where "
                                          "'storylens serve' is reached: the story links sent "
                                          "to the webhook start with it.")]
    = "http://127.0.0.1:8000",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Save a search as an alert.

    Its feed starts with the newest stories that match now (at most 50), then gains an entry
    after each ingest for every story that newly matches or has grown (more articles) since
    it last matched; a story that grows from 2 to 3 articles gets a second entry. Only the
    entries after the alert was made go to the webhook.
    """
    _check_name(name)
    webhook = _check_url(webhook, "--webhook")
    site = _check_url(site_url, "--site-url") or site_url
    with open_store(db, create=True) as store:
        alert = store.add_alert(name, query=query.strip() or None, entity=entity,
                                outlet=outlet, webhook=webhook, site_url=site)
        entries = store.alert_entries(alert, BASELINE_STORIES)
    if as_json:
        print_json({**_alert_dict(alert), "entries": len(entries)})
        return
    say(f"alert {alert.name} saved: {len(entries)} matching stories start its feed "
        f"(/alerts/{alert.name}.atom)")


def _alert_dict(alert: Alert) -> dict[str, Any]:
    return {"name": alert.name, "query": alert.query, "entity": alert.entity,
            "outlet": alert.outlet, "webhook": alert.webhook, "site_url": alert.site_url,
            "created_at": alert.created_at, "feed": f"/alerts/{alert.name}.atom"}


def _status_dict(status: AlertStatus) -> dict[str, Any]:
    return {**_alert_dict(status.alert), "entries": status.entries,
            "last_match": status.last_match,
            "deliveries": {"sent": status.sent, "pending": status.pending,
                           "failed": status.failed, "last_attempt": status.last_delivery,
                           "last_reason": status.last_reason}}


@alerts_app.command("list", cls=Command)
def list_alerts(db: DbOption = None, as_json: JsonOption = False,
                fmt: FormatOption = None) -> None:
    """List the alerts: name, filters, entries, latest match, webhook deliveries."""
    with open_store(db) as store:
        statuses = store.alert_statuses()
    chosen = chosen_format(fmt, as_json)
    if chosen is Format.json:
        print_json([_status_dict(s) for s in statuses])
        return
    filters = [
        "; ".join(f"{k} {v}" for k, v in (("query", s.alert.query), ("entity", s.alert.entity),
                                          ("outlet", s.alert.outlet)) if v)
        for s in statuses
    ]
    rows = [
        [s.alert.name, str(s.entries), s.last_match or "-",
         f"{s.sent} sent, {s.pending} waiting, {s.failed} failed" if s.alert.webhook else "-",
         said]
        for s, said in zip(statuses, filters, strict=True)
    ]
    print_rows(["name", "entries", "last match", "webhook", "filters"], rows, chosen,
               right=("entries",), fixed=("name", "entries", "last match"),
               spare=("filters",))


@alerts_app.command("remove", cls=Command)
def remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The alert to remove.")],
    db: DbOption = None,
) -> None:
    """Remove an alert, with its entries and queued webhook deliveries."""
    with open_store(db) as store:
        store.remove_alert(name)
    say(f"alert {name} removed")


@alerts_app.command("show", cls=Command)
def show(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The alert to show.")],
    limit: Annotated[int, typer.Option(min=0, help="Show at most this many entries.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """An alert's recent matches, newest first: when, story id, articles, outlets, title."""
    with open_store(db) as store:
        alert = store.alert(name)
        entries = store.alert_entries(alert, limit)
    chosen = chosen_format(fmt, as_json)
    if chosen is Format.json:
        print_json({**_alert_dict(alert), "entries": [_entry_dict(alert, e) for e in entries]})
        return
    rows = [[e.matched_at, e.story_id, str(e.size), ", ".join(e.outlets) or "-",
             e.title or "-"] for e in entries]
    print_rows(["matched", "story", "articles", "outlets", "title"], rows, chosen,
               right=("articles",), fixed=("matched", "story", "articles"),
               spare=("outlets",))


def _entry_dict(alert: Alert, entry: AlertEntry) -> dict[str, Any]:
    return {**entry_payload(alert, entry), "baseline": entry.baseline}
