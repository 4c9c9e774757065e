"""The storylens command line (typer): the app, its commands in the order --help lists them,
and ``main``.

Errors raised by the library become one line on standard error and an exit status:
0 all stored, 3 some inputs rejected (the rest stored), 2 usage or database error,
4 not found, 1 anything else.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.core import TyperCommand

from .. import __version__
from ..errors import StorylensError
from .alerts import alerts_app
from .attention import attention
from .bench import bench_app
from .coverage import coverage
from .demo import demo
from .export import export_app
from .helptext import Command
from .ingest import ingest
from .knowledge import entities, entity, events
from .output import OutputClosed, err, quiet_closed_output
from .read import article, rejects, report, search, stories, story
from .serve import serve
from .settings import settings
from .spark import import_command, spark_command
from .watch import sources_app, watch

app = typer.Typer(
    name="storylens",
    help="Turn news articles from many outlets into deduplicated stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    """Print the version and stop (--version)."""
    if value:
        print(f"storylens {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn news articles from many outlets into deduplicated stories."""


for info in (*bench_app.registered_commands, *export_app.registered_commands,
             *sources_app.registered_commands):
    if info.cls is TyperCommand:  # their help names arguments plainly too (PATH..., FILE)
        info.cls = Command
app.add_typer(bench_app, name="bench")
app.add_typer(export_app, name="export")
app.add_typer(alerts_app, name="alerts")
app.add_typer(sources_app, name="sources")

for command in (
    ingest, watch, stories, story, article, rejects, search, report, entities, entity, events,
    attention, coverage, settings,
):
    app.command(cls=Command)(command)
app.command("spark", cls=Command)(spark_command)
app.command("import", cls=Command)(import_command)
app.command(cls=Command)(serve)
app.command(cls=Command)(demo)


def main() -> None:
    """Entry point: typer handles usage errors (exit 2), --help and exit codes; storylens
    errors become one line on standard error and their exit status; a standard output closed
    by its reader ends the command quietly, with status 0."""
    try:
        app()
    except StorylensError as error:
        err.print(f"storylens: error: {error}", markup=False, highlight=False)
        sys.exit(error.exit_status)
    except OutputClosed:  # the reader went away (| head): a quiet end
        quiet_closed_output()
        sys.exit(0)
    except SystemExit:
        try:  # what is still buffered, now, where a closed pipe can be told apart
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_closed_output()
        raise
