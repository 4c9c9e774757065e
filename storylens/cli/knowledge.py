"""The commands about what the articles say: entities, entity and events."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..read.compute import all_events, event_outlets
from ..read.views import entity_detail, entity_view, event_view
from .database import DbOption, open_store
from .output import JsonOption, out, print_json, say


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
) -> None:
    """List entities (people, organisations, places): name, kind, code, sector, articles and
    mentions, those in the most articles first."""
    with open_store(db) as store:
        found = store.entities(limit=limit, query=search_text)
    if as_json:
        print_json([entity_view(e) for e in found])
        return
    table = Table(box=None)
    for column in ("id", "name", "kind", "code", "sector"):
        table.add_column(column, no_wrap=column == "id")
    table.add_column("articles", justify="right")
    table.add_column("mentions", justify="right")
    for e in found:
        table.add_row(
            e.id, escape(e.name), e.kind, e.code or "-", e.sector or "-", str(e.articles),
            str(e.mentions),
        )
    out.print(table)


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
    say(f"{view['articles']} articles, {view['mentions']} mentions")
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
            f"{s['articles_mentioning']}/{s['article_count']} articles  {s['title'] or '-'}"
        )
    out.print()
    out.print(f"events ({len(view['events'])}):")
    for e in view["events"]:
        say(
            f"  {e['date'] or 'undated'}  {e['type']}  {_actors(e['source'])} -> "
            f"{_actors(e['target'])}  ({e['num_articles']} articles; {e['role']})"
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
) -> None:
    """List events (who did what to whom, PLOVER types), each counted once in its story with
    how many articles and outlets report it."""
    with open_store(db) as store:
        found = all_events(store, story_id)
        outlets = event_outlets(store, found)
    views = [event_view(e, outlets) for e in found]
    if as_json:
        print_json(views)
        return
    table = Table(box=None)
    for column in ("date", "story", "type", "mode", "source", "target"):
        table.add_column(column, no_wrap=column in ("date", "story", "type"))
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    for e in views:
        table.add_row(
            e["date"] or "-", e["story_id"] or "-", e["type"], e["mode"] or "-",
            escape(_actors(e["source"])), escape(_actors(e["target"])), str(e["num_articles"]),
            str(e["num_outlets"]),
        )
    out.print(table)
