"""storylens coverage: who covered which of a set of stories, and each outlet's blindspots
(read.coverage), as tables, JSON or the matrix as CSV."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .._util import plural
from ..model import StoryFilter
from ..options import Options
from ..read.coverage import (
    MAX_OUTLETS,
    MAX_STORIES,
    OUTLETS_SHOWN,
    STORIES_SHOWN,
    CoverageLimits,
    coverage_csv,
)
from ..read.coverage import coverage as coverage_view
from .database import DbOption, open_store
from .filters import (
    FromOption,
    StoryEntityOption,
    StoryLanguageOption,
    StoryOutletOption,
    StoryQueryOption,
    ToOption,
)
from .output import Format, JsonOption, _Stdout, print_json, print_rows, say


def coverage(
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the matrix as CSV: a row per "
                                         "story, a column of article counts per outlet.")]
    = False,
    query: StoryQueryOption = None,
    outlet: StoryOutletOption = None,
    entity: StoryEntityOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    language: StoryLanguageOption = None,
    alert: Annotated[
        str | None, typer.Option(metavar="NAME", help="The stories of this alert (its query, "
                                 "entity and outlet; --from, --to and --language may be added).")
    ] = None,
    stories: Annotated[
        int, typer.Option(min=1, max=MAX_STORIES, help="The biggest stories shown (rows).")
    ] = STORIES_SHOWN,
    outlets: Annotated[
        int, typer.Option(min=1, max=MAX_OUTLETS, help="The outlets shown (columns): those "
                          "covering the most of the stories.")
    ] = OUTLETS_SHOWN,
    min_outlets: Annotated[
        int, typer.Option(min=1, help="A story is a blindspot of an outlet with no article in "
                          "it when at least this many other outlets covered it.")
    ] = Options.blindspot_min_outlets,
) -> None:
    """Coverage of a set of stories: which outlets published how many articles in each of
    the biggest ones, and each outlet's blindspots (big stories it missed that at least
    --min-outlets others covered). A wire reprint counts for the outlet that printed it."""
    filters = StoryFilter(query, outlet, entity, date_from, date_to, language=language)
    with open_store(db) as store:
        view = coverage_view(store, filters, CoverageLimits(stories, outlets, min_outlets),
                             alert)
    if as_json:
        print_json(view)
    elif as_csv:
        _Stdout().write(coverage_csv(view))
    else:
        _print_tables(view)


def _print_tables(view: dict[str, Any]) -> None:
    """The stories with their outlets, then the outlets with their blindspots."""
    if not view["stories"]:
        say("No stories match.")
        return
    say(f"The {plural(len(view['stories']), 'biggest story', 'biggest stories')} of "
        f"{view['stories_total']}, and {len(view['outlets'])} of their "
        f"{plural(view['outlets_total'], 'outlet')} (--csv or --json for the whole matrix).")
    names = [o["name"] for o in view["outlets"]]
    rows = [
        [s["id"], str(s["articles"]), str(s["outlet_count"]), s["title"] or "-",
         ", ".join(f"{names[i]} {n}" for i, n in enumerate(s["counts"]) if n) or "-"]
        for s in view["stories"]
    ]
    columns = ("id", "articles", "outlets", "title", "articles per outlet")
    print_rows(columns, rows, Format.table, right=("articles", "outlets"), fixed=columns[:3])
    say("")
    say(f"Blindspots: stories an outlet has no article in that at least "
        f"{plural(view['min_outlets'], 'other outlet')} covered.")
    rows = [
        [o["name"], str(o["stories"]), str(o["articles"]), str(o["blindspot_count"]),
         "; ".join(b["title"] or b["id"] for b in o["blindspots"]) or "-"]
        for o in view["outlets"]
    ]
    columns = ("outlet", "stories", "articles", "blindspots", "the most widely covered")
    print_rows(columns, rows, Format.table, right=columns[1:4], fixed=columns[1:4])
