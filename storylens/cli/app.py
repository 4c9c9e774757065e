"""The storylens command line (typer): the app, its commands in the order --help lists them,
and ``main``.

Errors raised by the library become one line on standard error and an exit status:
0 all stored, 3 some inputs rejected (the rest stored), 2 usage or database error,
4 not found, 1 anything else.
"""

from __future__ import annotations

import sys

import typer

from ..errors import StorylensError
from .bench import bench_app
from .demo import demo
from .export import export_app
from .ingest import ingest
from .knowledge import entities, entity, events
from .output import err
from .read import article, rejects, report, search, stories, story
from .serve import serve
from .settings import settings
from .spark import import_command, spark_command

app = typer.Typer(
    name="storylens",
    help="Turn news articles from many outlets into deduplicated stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(bench_app, name="bench")
app.add_typer(export_app, name="export")

for command in (
    ingest, stories, story, article, rejects, search, report, entities, entity, events,
    settings,
):
    app.command()(command)
app.command("spark")(spark_command)
app.command("import")(import_command)
app.command()(serve)
app.command()(demo)


def main() -> None:
    """Entry point: typer handles usage errors (exit 2), --help and exit codes; storylens
    errors become one line on standard error and their exit status."""
    try:
        app()
    except StorylensError as error:
        err.print(f"storylens: error: {error}", markup=False, highlight=False)
        sys.exit(error.exit_status)
