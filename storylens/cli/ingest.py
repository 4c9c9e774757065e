"""storylens ingest: articles from files and folders into the database, with a progress bar.

Exit status 0 when every input was stored, 3 when some were rejected (the rest stored).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .._util import plural
from ..model import ENGLISH_ONLY
from ..options import Options
from ..pipeline.ingestor import IngestSummary
from ..pipeline.ingestor import ingest as run_ingest
from ..read.stored import refresh_story_views
from ..store import Store
from .database import DbOption, open_store
from .output import JsonOption, err, out, print_json, say_skipped_and_rejected
from .settings import SettingOption, options_from

EXIT_REJECTED = 3


def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Files or folders (walked recursively)."),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    setting: SettingOption = None,
) -> None:
    """Ingest articles: .txt, .html/.htm, .json/.jsonl, RSS/Atom feeds, web archives
    (.warc, .warc.gz), any of them gzipped.

    Exit status 0 when every input was stored, 3 when some were rejected (the rest are
    stored; 'storylens rejects' lists why), 2 on a usage error.
    """
    options = options_from(setting)
    with open_store(db, create=True) as store:
        summary = _ingest_with_progress(paths, store, options, show=not (quiet or as_json))
    if as_json:
        print_json(summary.as_dict())
    else:
        out.print(
            f"{summary.stored} stored, {plural(summary.duplicates, 'duplicate')}, "
            f"{summary.rejected} rejected, "
            f"{plural(summary.new_stories, 'new story', 'new stories')} "
            f"({plural(summary.inputs, 'input')} in {summary.seconds:.1f} s)"
        )
        if summary.not_analysed:
            out.print(not_analysed_line(summary.not_analysed), highlight=False)
        say_skipped_and_rejected(summary.skipped, summary.rejects)
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def not_analysed_line(counts: Counter[str]) -> str:
    """The line of an ingest's summary that counts the articles not analysed, by language."""
    languages = ", ".join(f"{language} {count}" for language, count in sorted(counts.items()))
    return (
        f"{plural(sum(counts.values()), 'article')} not analysed, by language ({languages}): "
        f"{ENGLISH_ONLY}"
    )


def _ingest_with_progress(
    paths: list[Path], store: Store, options: Options, show: bool
) -> IngestSummary:
    """Ingest the paths, with a progress bar on standard error when it is a terminal and
    ``show`` allows; the summary."""
    if not (show and err.is_terminal):
        return run_ingest(paths, store, options, views=refresh_story_views)
    with Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None)
        return run_ingest(
            paths, store, options,
            progress=lambda n: bar.advance(task, n),
            on_total=lambda total: bar.update(task, total=total),
            views=refresh_story_views,
        )
