"""storylens export: what storylens found, written for other tools: the events
(GDELT-like, TSV, CSV, JSON Lines or Parquet) and the lists (stories, articles, entities,
attributions) as CSV or JSON Lines, with the columns and filters of the API's CSV routes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from .._util import plural
from ..errors import UsageError
from ..model import StoryFilter
from ..read.compute import all_events
from ..read.export import export_rows, write_csv, write_events
from ..read.facets import article_filter
from ..read.lists import LIST_COLUMNS, MAX_EXPORT_ROWS, article_rows, entity_rows, story_rows
from ..store import Store
from .database import DbOption, open_store
from .helptext import Command
from .output import say

export_app = typer.Typer(help="Export what storylens found, for other tools.", no_args_is_help=True)


class ExportFormat(StrEnum):
    """The file formats events are exported in."""

    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class ListFormat(StrEnum):
    """The file formats a list is exported in."""

    csv = "csv"
    jsonl = "jsonl"


@export_app.command("events", cls=Command)
def export_events(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE",
            help="File to write. Default: standard output (tsv, csv, jsonl); parquet needs a "
            "file.",
            show_default=False,
        ),
    ] = None,
    story_id: Annotated[
        str | None, typer.Option("--story", metavar="ID", help="Only this story's events.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export events counted once, one row each, GDELT-like: event_id, story_id, date,
    source_code, source_name, source_sector, type, mode, target_code, target_name,
    target_sector, place, num_articles, num_outlets, confidence, first_url, evidence."""
    if fmt is ExportFormat.parquet and output is None:
        raise UsageError("the parquet format needs --output FILE")
    with open_store(db) as store:
        rows = export_rows(all_events(store, story_id))
    write_events(rows, fmt.value, output)
    if output is not None:
        say(f"wrote {plural(len(rows), 'event')} to {output}")



ListFormatOption = Annotated[
    ListFormat, typer.Option("--format", help="File format: csv (a header line, RFC 4180) or "
                             "jsonl (one JSON object a line).")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", show_default=False,
                 help="File to write. Default: standard output."),
]
LimitOption = Annotated[
    int, typer.Option(min=1, max=MAX_EXPORT_ROWS, help="At most this many rows.")
]
FromOption = Annotated[
    str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="On or after this day (UTC).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="On or before this day (UTC).")
]
QueryOption = Annotated[
    str | None, typer.Option("--query", "-q", metavar="TEXT",
                             help="Words or quoted phrases an article's title or text holds.")
]
OutletOption = Annotated[
    str | None, typer.Option(metavar="NAME", help="This outlet's (exact name, any case).")
]
LanguageOption = Annotated[
    str | None, typer.Option(metavar="CODE", help="In this language (ISO 639-1 code).")
]


def _export_list(
    kind: str, fmt: ListFormat, output: Path | None, db: Path | None,
    read: Callable[[Store], list[dict[str, Any]]],
) -> None:
    """Read a list's rows from the database and write them (LIST_COLUMNS[kind]) as CSV or
    JSON Lines to a file, or to standard output."""
    with open_store(db) as store:
        rows = read(store)
    columns = LIST_COLUMNS[kind]

    def write(stream: TextIO) -> None:
        if fmt is ListFormat.csv:
            write_csv(columns, rows, stream)
            return
        for row in rows:
            stream.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")

    if output is None:
        write(sys.stdout)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as stream:
            write(stream)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error}") from error
    say(f"wrote {plural(len(rows), 'row')} to {output}")


@export_app.command("stories", cls=Command)
def export_stories(
    fmt: ListFormatOption,
    output: OutputOption = None,
    query: QueryOption = None,
    outlet: OutletOption = None,
    entity: Annotated[str | None, typer.Option(
        metavar="NAME_OR_ID", help="Mentioning this entity (id, name or written form).")] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    language: LanguageOption = None,
    event_type: Annotated[str | None, typer.Option(
        metavar="TYPE", help="Reporting an event of this PLOVER type.")] = None,
    limit: LimitOption = 1000,
    db: DbOption = None,
) -> None:
    """Export the stories the filters keep (as `storylens stories` reads them), newest first:
    id, title, first_published, last_published, article_count, outlet_count, outlets,
    unnamed_articles, wire_copies, languages, top_entities."""
    filters = StoryFilter(query, outlet, entity, date_from, date_to, False, language, event_type)
    _export_list("stories", fmt, output, db,
                 lambda store: story_rows(store, filters, limit=limit))


@export_app.command("articles", cls=Command)
def export_articles(
    fmt: ListFormatOption,
    output: OutputOption = None,
    query: QueryOption = None,
    outlet: OutletOption = None,
    language: LanguageOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    story_id: Annotated[str | None, typer.Option(
        "--story", metavar="ID", help="Only this story's articles.")] = None,
    limit: LimitOption = 1000,
    db: DbOption = None,
) -> None:
    """Export the articles the filters keep, newest first: id, story_id, outlet, title,
    published, language, url, place, wire."""
    filters = article_filter(query, outlet, language, date_from, date_to, story_id)
    _export_list("articles", fmt, output, db,
                 lambda store: article_rows(store, filters, limit=limit))


@export_app.command("entities", cls=Command)
def export_entities(
    fmt: ListFormatOption,
    output: OutputOption = None,
    search_text: Annotated[str | None, typer.Option(
        "--search", help="Only names or written forms containing this text.")] = None,
    limit: LimitOption = 1000,
    db: DbOption = None,
) -> None:
    """Export the entities, those in the most articles first: id, name, kind, code, sector,
    articles, mentions, titles, aliases."""
    _export_list("entities", fmt, output, db,
                 lambda store: entity_rows(store, search_text, limit=limit))


@export_app.command("attributions", cls=Command)
def export_attributions(
    fmt: ListFormatOption,
    output: OutputOption = None,
    story_id: Annotated[str | None, typer.Option(
        "--story", metavar="ID", help="Only this story's attributions.")] = None,
    speaker: Annotated[str | None, typer.Option(
        metavar="NAME", help="Only this speaker's (exact name).")] = None,
    limit: LimitOption = 1000,
    db: DbOption = None,
) -> None:
    """Export the attributions (quotes and reported speech), those of the newest articles
    first: article_id, story_id, outlet, published, kind, speaker, speaker_text, cue,
    content."""
    _export_list("attributions", fmt, output, db, lambda store: store.attribution_rows(
        story_id=story_id, speaker=speaker, limit=limit))
