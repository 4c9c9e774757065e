"""storylens sources and storylens watch: name the feeds, sitemaps and sites to collect from,
then poll them, a round at a time, fetching each new article once.

``watch`` exits as ``ingest`` does: 0 when every article met was stored, 3 when some page,
feed item or source failed or was rejected (the rest stored), 2 on a usage error.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from .._util import plural
from ..collect import Collector, RoundSummary, add_sources, checked, read_sources_file
from ..errors import UsageError
from ..read.stored import refresh_story_views
from ..store import Source
from .database import DbOption, open_store
from .helptext import Command
from .ingest import EXIT_REJECTED
from .output import (
    Format,
    FormatOption,
    JsonOption,
    chosen_format,
    err,
    out,
    print_json,
    print_rows,
    say,
)
from .settings import SettingOption, options_from

# The exit status of a watch stopped at once by a second Ctrl-C (128 + SIGINT, as shells say).
EXIT_INTERRUPTED = 130
# The longest a watch sleeps between rounds.
SLEEP_MAX_SECONDS = 60.0

sources_app = typer.Typer(
    help="The feeds, sitemaps and sites storylens watch collects from.", no_args_is_help=True
)


@sources_app.command("add", cls=Command)
def sources_add(
    url: Annotated[
        str | None, typer.Argument(metavar="URL", help="A feed, sitemap or front page.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A name for the source.")] = None,
    every: Annotated[
        float | None,
        typer.Option("--every", metavar="MINUTES", help="Poll it this many minutes apart.",
                     show_default=False),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", metavar="FILE",
                     help="Add the sources of a file: URL [NAME] [MINUTES] a line, # comments."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a source (a URL), or the sources a file names; a known URL gets the new name and
    interval. Its kind is found from what it holds when it is first polled."""
    if (url is None) == (file is None):
        raise UsageError("give a URL or --file FILE (not both)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {file}: {error}") from error
        lines = read_sources_file(text, str(file))
    else:
        lines = [checked(str(url), name, every)]
    with open_store(db, create=True) as store:
        new = add_sources(store, lines)
    say(f"{plural(new, 'source')} added, {len(lines) - new} updated")


@sources_app.command("list", cls=Command)
def sources_list(
    db: DbOption = None, as_json: JsonOption = False, fmt: FormatOption = None
) -> None:
    """The sources with their state: kind, last poll, status, last error, articles found,
    consecutive failures, next poll."""
    with open_store(db) as store:
        found = store.sources()
    shape = chosen_format(fmt, as_json)
    if shape is Format.json:
        print_json([s.as_dict() for s in found])
        return
    if not found and shape is Format.table:
        out.print("no sources ('storylens sources add URL' adds one)")
        return
    wide = shape is not Format.table
    columns = ["name", "url", "kind", "status", "error", "articles", "failures", "last poll",
               "next poll"]
    rows = [_row(s, wide) for s in found]
    if not wide:  # a table keeps the URL whole and leaves the failures and next poll out
        columns, rows = columns[:6] + columns[7:8], [r[:6] + r[7:8] for r in rows]
    print_rows(columns, rows, shape, right=["articles", "failures"], fixed=["url", "articles"],
               spare=["name", "error", "kind"])


def _row(source: Source, wide: bool) -> list[str]:
    """A source as a row of the listing (times in UTC: whole, or month, day and minute
    in a table)."""
    shape = "%Y-%m-%dT%H:%M:%SZ" if wide else "%m-%d %H:%M"
    due = datetime.fromtimestamp(source.next_due, UTC).strftime(shape)
    polled = source.last_poll or ""
    if polled and not wide:
        polled = datetime.strptime(polled, "%Y-%m-%dT%H:%M:%SZ").strftime(shape)
    return [
        source.name or "", source.url, source.kind or "", source.last_status or "",
        source.last_error or "", str(source.articles_found), str(source.failures), polled,
        due if source.next_due else "now",
    ]


@sources_app.command("remove", cls=Command)
def sources_remove(
    key: Annotated[str, typer.Argument(metavar="URL|NAME", help="The source's URL or name.")],
    db: DbOption = None,
) -> None:
    """Remove a source (by URL or name); the articles collected from it stay."""
    with open_store(db) as store:
        removed = store.remove_source(checked(key).url if "://" in key else key)
    say(f"removed {removed.url}")


def watch(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress.")] = False,
    setting: SettingOption = None,
    parent: Annotated[
        int | None,
        typer.Option("--parent", hidden=True, help="Stop, as on Ctrl-C, once this process "
                     "(the one that started the watch: serve --watch) is gone."),
    ] = None,
) -> None:
    """Poll each due source and ingest its new articles (each fetched once ever), then sleep
    until the next source is due; --once does one round. Ctrl-C stops between requests.

    Exit status 0 when every article met was stored, 3 when some page or source failed or
    was rejected ('storylens sources list' and 'storylens rejects' say why), 2 on a usage
    error.
    """
    options = options_from(setting)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, _stopper(stop, again=parent is None))
    if parent is not None:
        _stop_without(parent, stop)
    failed = False
    try:
        with open_store(db, create=True) as store:
            if not store.sources():
                raise UsageError("no sources: add one with 'storylens sources add URL'")
            collector = Collector(store, options, views=refresh_story_views,
                                  stopping=stop.is_set)
            while not stop.is_set():
                summary = _round(collector, show=not (quiet or as_json) and err.is_terminal)
                _report(summary, as_json)
                failed = failed or summary.rejected > 0
                if once:
                    break
                # until the next source is due, but a minute at most: a source added
                # meanwhile is polled soon
                due = collector.next_due() or time.time() + SLEEP_MAX_SECONDS
                stop.wait(max(0.0, min(due - time.time(), SLEEP_MAX_SECONDS)))
    except KeyboardInterrupt:  # a second Ctrl-C: the open transaction was rolled back
        err.print("stopped")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    if failed:
        raise typer.Exit(EXIT_REJECTED)


def _stopper(
    stop: threading.Event, again: bool = True
) -> Callable[[int, FrameType | None], None]:
    """The Ctrl-C handler: the first asks the watch to stop between requests, a second
    stops it at once (status 130; what was not committed is rolled back, and the next
    watch takes it up). ``again``: the first says so (not when serve --watch, which has
    the terminal's Ctrl-C, asks)."""

    def handle(number: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping after this request"
                  + (" (Ctrl-C again to stop at once)" if again else ""))

    return handle


def _stop_without(parent: int, stop: threading.Event) -> None:
    """Ask the watch to stop between requests once process ``parent`` is no longer its
    parent (it ended, even by kill -9, without stopping the watch): checked every second by
    a thread of its own."""

    def check() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()  # first: whoever read the output may be gone with the parent
                err.print("the process that started this watch is gone: stopping")

    threading.Thread(target=check, name="watch-parent", daemon=True).start()


def _round(collector: Collector, show: bool) -> RoundSummary:
    """One round, with a line of progress on standard error when ``show``."""
    if not show:
        return collector.round()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err,
                  transient=True) as bar:
        task = bar.add_task("polling", total=None)
        count = 0

        def advance(url: str) -> None:
            nonlocal count
            count += 1
            bar.update(task, description=f"{count} articles: {url}")

        collector.progress = advance
        return collector.round()


def _report(summary: RoundSummary, as_json: bool) -> None:
    """The round's summary: as JSON, or a line (and the reasons of what failed)."""
    if as_json:
        print_json(summary.as_dict())
        return
    say(
        f"{plural(summary.sources, 'source')} polled ({summary.not_modified} not modified), "
        f"{plural(summary.pages, 'page')} fetched, {summary.from_feeds} from feeds, "
        f"{summary.stored} stored, {plural(summary.duplicates, 'duplicate')}, "
        f"{summary.rejected} rejected ({summary.seconds:.1f} s)"
        + (f", {plural(summary.alert_entries, 'new alert entry', 'new alert entries')}"
           if summary.alert_entries else "")
        + (", stopped" if summary.stopped else "")
    )
    for label, counts in (("source errors", summary.source_errors), ("rejects", summary.rejects)):
        if counts:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
            err.print(f"{label}: {reasons}", markup=False, highlight=False)
