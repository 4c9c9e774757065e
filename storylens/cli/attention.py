"""``storylens attention``: how many articles a story, an entity, a search or an outlet had
per hour, day or week, by outlet (the counts the web's attention charts draw), as a table,
JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..read.attention import TOP_OUTLETS, attention_csv, attention_view, one_selection
from .database import DbOption, open_store
from .output import Format, JsonOption, print_json, print_rows, say


def attention(
    story: Annotated[
        str | None, typer.Option("--story", metavar="ID", help="A story's articles.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", metavar="NAME_OR_ID",
                                 help="The articles mentioning an entity (id, name or written "
                                 "form).")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", "-q", metavar="TEXT",
                                 help="The articles holding these words or quoted phrases.")
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", metavar="NAME", help="An outlet's articles.")
    ] = None,
    advanced: Annotated[
        bool, typer.Option("--advanced", help="Read --query as SQLite FTS5 syntax.")
    ] = False,
    outlets: Annotated[
        int, typer.Option("--outlets", min=1, max=TOP_OUTLETS, metavar="N",
                          help="Name the N outlets with the most articles; sum the rest.")
    ] = TOP_OUTLETS,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV: a row per period, a column per outlet.")
    ] = False,
) -> None:
    """Articles per day (per hour over under three days of timed articles, per week over more
    than two years; UTC) about one of a story, an entity, a search or an outlet, by outlet.
    The table leaves out the periods with no article; --csv and --json list every one."""
    kind, value = one_selection({
        "--story": ("story", story), "--entity": ("entity", entity),
        "--query": ("query", query), "--outlet": ("outlet", outlet),
    })
    with open_store(db) as store:
        view = attention_view(store, kind, value, advanced=advanced, top=outlets)
    if as_json:
        print_json(view)
    elif as_csv:
        typer.echo(attention_csv(view), nl=False)
    else:
        _print_table(view)


def _print_table(view: dict[str, Any]) -> None:
    """A heading line, then the periods with articles, a column per outlet and the total."""
    undated = f", {view['undated']} undated" if view["undated"] else ""
    say(f"articles per {view['unit']} (UTC) about {view['label']}: {view['total']}{undated}")
    if not view["periods"]:
        return
    columns = [view["unit"], *(s["outlet"] for s in view["series"]), "total"]
    rows = [
        [period, *(str(s["counts"][i]) for s in view["series"]), str(view["totals"][i])]
        for i, period in enumerate(view["periods"])
        if view["totals"][i]
    ]
    print_rows(columns, rows, Format.table, right=columns[1:], fixed=(view["unit"], "total"))
    empty = len(view["periods"]) - len(rows)
    if empty:
        say(f"({empty} {view['unit']}s with no article left out; --csv lists every one)")
