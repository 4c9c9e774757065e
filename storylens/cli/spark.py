"""storylens spark and storylens import: the pipeline on Apache Spark, writing Parquet
tables, and those tables loaded into a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .._util import plural
from ..errors import UsageError
from .database import DbOption, open_store
from .output import JsonOption, out, print_json, say_skipped_and_rejected
from .settings import SettingOption, options_from


def spark_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Files, folders or URIs Spark can read (web archives, JSON Lines, HTML, text, "
            "feeds, gzipped or not); a path ending in .parquet is read as Parquet records.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the Parquet tables.")
    ],
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master (local[2], spark://HOST:7077, yarn ...); "
                     "default: spark-submit's, else local[*]."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Spark partitions of the inputs, and at most "
                     "as many grouping tasks (default: 4 times Spark's default parallelism)."),
    ] = None,
    setting: SettingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the pipeline on Apache Spark (extra: storylens[spark]): the same stage functions
    as ingest in Spark tasks, stories grouped in time blocks side by side
    (grouping_block_hours) and joined across them on the driver; writes the Parquet tables
    articles, sentences, stories, story_members, attributions, entity_mentions,
    event_mentions, events, term_df, rejects and meta. 'storylens import' loads them."""
    from ..spark import job as spark

    summary = spark.run(inputs, output, options_from(setting), master, partitions)
    if as_json:
        print_json(summary.as_dict())
        return
    out.print(
        f"{summary.stored} stored, {plural(summary.duplicates, 'duplicate')}, "
        f"{summary.rejected} rejected, {plural(summary.new_stories, 'story', 'stories')} "
        f"({plural(summary.inputs, 'file')}, {plural(summary.records, 'Parquet record')}, "
        f"{plural(summary.blocks, 'time block')} in {summary.seconds:.1f} s); tables "
        f"in {output}", markup=False,
    )
    say_skipped_and_rejected(summary.skipped, summary.rejects)


def import_command(
    folder: Annotated[
        Path, typer.Argument(metavar="PARQUET_DIR", help="Folder 'storylens spark' wrote.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the Parquet tables of 'storylens spark' into a new database (then 'serve' shows
    them); the stories' views are computed as an ingest computes them."""
    from ..spark.parquet import read_tables

    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    with open_store(db, create=True) as store:
        read = read_tables(store, folder)
    if as_json:
        print_json(read)
        return
    out.print(", ".join(f"{n} {table}" for table, n in read.items()), markup=False)
