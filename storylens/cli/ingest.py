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
from ..alerts import after_ingest, sender_for
from ..errors import StorylensError
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
    """Ingest articles: .txt, .html/.htm, .json/.jsonl, .csv/.tsv tables with a header row
    (one article a row), RSS/Atom feeds, web archives (.warc, .warc.gz), any of them gzipped.
    PDF, images, office files and archives other than gzip are rejected.

    Exit status 0 when every input was stored, 3 when some were rejected (the rest are
    stored; 'storylens rejects' lists why), 2 on a usage error. Then the alerts are checked
    ('storylens alerts'), and their webhooks given a few seconds (ingest_webhook_wait_seconds)
    before what is not sent is left queued for the next run.
    """
    options = options_from(setting)
    with open_store(db, create=True) as store:
        summary = _ingest_with_progress(paths, store, options, show=not (quiet or as_json))
        matched = _check_alerts(store, options)
        queued = _wait_for_webhooks(store.path, options)
    if as_json:
        print_json({**summary.as_dict(), "alert_entries": matched, "webhooks_queued": queued})
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
        if matched:
            out.print(f"alerts: {plural(matched, 'new entry', 'new entries')}", markup=False)
    if queued:
        err.print(f"storylens: {plural(queued, 'webhook delivery', 'webhook deliveries')} "
                  "not sent yet: queued for the next run", markup=False)
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _check_alerts(store: Store, options: Options) -> int:
    """Check the alerts against what was stored (storylens.alerts.after_ingest): how many
    new entries. What was stored stays stored whatever the check meets: a failure is said
    on standard error, and the next ingest checks again."""
    try:
        return len(after_ingest(store, options))
    except StorylensError as error:
        store.rollback_open()
        err.print(f"storylens: checking the alerts failed: {error}", markup=False)
        return 0


def _wait_for_webhooks(db: str, options: Options) -> int:
    """Wait at most ``ingest_webhook_wait_seconds`` for the webhook deliveries of the alerts'
    new entries (sent by a background thread, see storylens.alerts): how many are left
    queued for the next run."""
    return sender_for(db, options).wait(options.ingest_webhook_wait_seconds)


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
