"""storylens export: what storylens found, written for other tools."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .._util import plural
from ..errors import UsageError
from ..read.compute import all_events
from ..read.export import export_rows, write_events
from .database import DbOption, open_store
from .helptext import Command
from .output import say

export_app = typer.Typer(help="Export what storylens found, for other tools.", no_args_is_help=True)


class ExportFormat(StrEnum):
    """The file formats events are exported in."""

    tsv = "tsv"
    jsonl = "jsonl"
    parquet = "parquet"


@export_app.command("events", cls=Command)
def export_events(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE",
            help="File to write. Default: standard output (tsv, jsonl); parquet needs a file.",
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

