"""The commands about what the articles say: entities, entity and events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from .._util import plural
from ..errors import UsageError
from ..extract.events import TYPES
from ..model import Event
from ..read.compute import all_events, event_outlets
from ..read.views import entity_detail, entity_view, event_view
from .database import DbOption, open_store
from .output import (
    Format,
    FormatOption,
    JsonOption,
    chosen_format,
    out,
    print_json,
    print_rows,
    say,
)


def entities(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int, typer.Option(help="Show at most this many, those in the most articles first.")
    ] = 100,
    search_text: Annotated[
        str | None,
        typer.Option("--search", help="Only names or written forms containing this text."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List entities (people, organisations, places): name, kind, code, sector, articles and
    mentions, those in the most articles first."""
    with open_store(db) as store:
        found = store.entities(limit=limit, query=search_text)
    chosen = chosen_format(fmt, as_json)
    if chosen is Format.json:
        print_json([entity_view(e) for e in found])
        return
    columns = ("id", "name", "kind", "code", "sector", "articles", "mentions")
    rows = [
        [e.id, e.name, e.kind, e.code or "-", e.sector or "-", str(e.articles), str(e.mentions)]
        for e in found
    ]
    print_rows(
        columns, rows, chosen, right=("articles", "mentions"),
        fixed=("id", "kind", "code", "articles", "mentions"), spare=("sector",),
    )


def entity(
    name_or_id: Annotated[
        str, typer.Argument(metavar="NAME_OR_ID", help="Entity id, name or written form.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show an entity: its names and titles, the stories that mention it over time and the
    events it is a source or target of."""
    with open_store(db) as store:
        view = entity_detail(store, name_or_id)
    if as_json:
        print_json(view)
        return
    coded = " ".join(x for x in (view["code"], view["sector"]) if x)
    say(f"{view['name']} ({view['kind']}{', ' + coded if coded else ''})  {view['id']}")
    say(f"{plural(view['articles'], 'article')}, {plural(view['mentions'], 'mention')}")
    if view["titles"]:
        say(f"titles: {', '.join(view['titles'])}")
    say(f"written as: {', '.join(view['aliases'])}")
    if view["joined_from"]:
        say(f"{view['joined_from']!r} is {view['name']} in the stories that name it in full")
    for join in view["joins"]:
        say(f"joined in story {join['story_id']} to {join['name']}  {join['id']}")
    out.print()
    out.print(f"stories ({len(view['stories'])}):")
    for s in view["stories"]:
        say(
            f"  {s['first_published'] or 'undated'}  {s['id']}  "
            f"{s['articles_mentioning']}/{plural(s['article_count'], 'article')}  "
            f"{s['title'] or '-'}"
        )
    out.print()
    out.print(f"events ({len(view['events'])}):")
    for e in view["events"]:
        say(
            f"  {e['date'] or 'undated'}  {e['type']}  {_actors(e['source'])} -> "
            f"{_actors(e['target'])}  ({plural(e['num_articles'], 'article')}; {e['role']})"
        )


def _actors(actors: list[dict[str, Any]]) -> str:
    """The actors' names joined by semicolons, or '-' when there are none."""
    return "; ".join(a["name"] for a in actors) or "-"


def events(
    db: DbOption = None,
    as_json: JsonOption = False,
    story_id: Annotated[
        str | None, typer.Option("--story", metavar="ID", help="Only this story's events.")
    ] = None,
    event_type: Annotated[
        list[str] | None,
        typer.Option("--type", metavar="TYPE", show_default=False,
                     help=f"Only events of this PLOVER type (repeatable): {', '.join(TYPES)}."),
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", metavar="YYYY-MM-DD",
                                 help="Only events dated on or after this day.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", metavar="YYYY-MM-DD",
                                 help="Only events dated on or before this day.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, show_default=False,
                                 help="Show at most this many events. Default: all.")
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List events (who did what to whom, PLOVER types), each counted once in its story with
    how many articles and outlets report it."""
    keep = _event_filter(event_type, date_from, date_to)
    with open_store(db) as store:
        found = [e for e in all_events(store, story_id) if keep(e)][:limit]
        outlets = event_outlets(store, found)
    views = [event_view(e, outlets) for e in found]
    chosen = chosen_format(fmt, as_json)
    if chosen is Format.json:
        print_json(views)
        return
    columns = ("date", "story", "type", "mode", "source", "target", "articles", "outlets")
    rows = [
        [e["date"] or "-", e["story_id"] or "-", e["type"], e["mode"] or "-",
         _actors(e["source"]), _actors(e["target"]), str(e["num_articles"]),
         str(e["num_outlets"])]
        for e in views
    ]
    print_rows(
        columns, rows, chosen, right=("articles", "outlets"),
        fixed=("date", "story", "type", "mode", "articles", "outlets"),
    )


def _event_filter(
    types: list[str] | None, date_from: str | None, date_to: str | None
) -> Callable[[Event], bool]:
    """Whether an event has one of the types (any case) and a date within the days (an
    undated event is outside any range); UsageError on an unknown type or a bad day."""
    wanted = {t.strip().upper() for t in types or [] if t.strip()}
    unknown = sorted(wanted - set(TYPES))
    if unknown:
        raise UsageError(f"unknown event type {unknown[0]!r}: one of {', '.join(TYPES)}")
    first = _day(date_from, "--from") if date_from else None
    last = _day(date_to, "--to") if date_to else None

    def keep(event: Event) -> bool:
        if wanted and event.type not in wanted:
            return False
        if first is None and last is None:
            return True
        day = (event.date or "")[:10]
        return bool(day) and (first is None or day >= first) and (last is None or day <= last)

    return keep


def _day(value: str, name: str) -> str:
    """A day given as YYYY-MM-DD, checked; UsageError when it is not one."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise UsageError(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
