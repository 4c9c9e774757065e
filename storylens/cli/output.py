"""What the commands print: the two consoles, plain text, JSON, tables and figures, and a
standard output whose reader may go away (``storylens events | head -1``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Reject

# A table is this wide when standard output is not a terminal.
PIPE_WIDTH = 80


class OutputClosed(Exception):
    """The reader of standard output closed it (a pipe into ``head``): nothing more can be
    printed, and the command ends quietly."""


class _Stdout:
    """Standard output as it is at each write (so that whoever replaces sys.stdout sees what
    is printed), a closed pipe raised as OutputClosed."""

    def write(self, text: str) -> int:
        """Write text to standard output."""
        try:
            return sys.stdout.write(text)
        except BrokenPipeError as error:
            raise OutputClosed from error

    def flush(self) -> None:
        """Flush standard output."""
        try:
            sys.stdout.flush()
        except BrokenPipeError as error:
            raise OutputClosed from error

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)


def quiet_closed_output() -> None:
    """Point standard output at the null device, so that nothing more written to it (the
    interpreter's last flush) fails on the closed pipe."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (a test's capture): nothing to quiet
        pass


out = Console(
    file=_Stdout(),  # type: ignore[arg-type]
    soft_wrap=True,
    width=None if sys.stdout.isatty() else 200,
)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


class Format(StrEnum):
    """How a command that prints a table prints it."""

    table = "table"
    json = "json"
    tsv = "tsv"


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", show_default=False,
        help="table (fits the terminal, 80 columns when not one), json, or tsv (a header line "
        "and one line per row, tab-separated). Default: table (json with --json).",
    ),
]


def chosen_format(fmt: Format | None, as_json: bool) -> Format:
    """The format asked for: --format, else json with --json, else a table."""
    return fmt or (Format.json if as_json else Format.table)


def say(text: str) -> None:
    """Print text as it is (no rich markup or highlighting: it is article text)."""
    out.print(text, markup=False, highlight=False)


def print_json(value: Any) -> None:
    """Print a value as indented JSON, non-ASCII characters kept as they are."""
    _Stdout().write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def print_rows(
    columns: Sequence[str], rows: Sequence[Sequence[str]], fmt: Format,
    *, right: Sequence[str] = (), fixed: Sequence[str] = (), spare: Sequence[str] = (),
) -> None:
    """Print rows as a table or as tab-separated lines. A table fits the terminal's width (80
    columns when standard output is not a terminal): the ``fixed`` columns keep their width,
    the others are cut short with an ellipsis, never wrapped, the ``spare`` ones first;
    ``right`` columns are right-aligned."""
    if fmt is Format.tsv:
        writer = _Stdout()
        writer.write("\t".join(columns) + "\n")
        for row in rows:
            writer.write("\t".join(" ".join(cell.split()) for cell in row) + "\n")
        return
    width = out.width if out.is_terminal else PIPE_WIDTH
    natural = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(columns)]
    available = width - 2 * (len(columns) - 1)
    spared = [name in spare for name in columns]
    widths = _fit(natural, spared, available, least=7)
    widths = _fit(widths, [name not in fixed for name in columns], available, least=5)
    table = Table(box=None, pad_edge=False)
    for name, column_width in zip(columns, widths, strict=True):
        table.add_column(
            name, justify="right" if name in right else "left", no_wrap=True,
            overflow="ellipsis", width=column_width,
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out.print(table, width=width, markup=False, highlight=False, soft_wrap=False)


def _fit(natural: list[int], flexible: list[bool], available: int, least: int) -> list[int]:
    """Column widths within ``available`` characters: the flexible columns cut, the widest
    first, until they fit or each is down to ``least`` characters; the others as they are."""
    widths = list(natural)
    while sum(widths) > available:
        cuttable = [i for i, f in enumerate(flexible) if f and widths[i] > least]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def print_figures(figures: dict[str, Any], as_json: bool) -> None:
    """Print a benchmark's figures as JSON, or one ``name  value`` line each."""
    if as_json:
        print_json(figures)
        return
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        say(f"{key:<{width}}  {value}")


def say_skipped_and_rejected(skipped: dict[str, int], rejects: list[Reject]) -> None:
    """The web archive records skipped, by type, and the first rejects with their reasons."""
    if skipped:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        out.print(f"web archive records skipped (not documents): {counts}", markup=False)
    for reject in rejects[:20]:
        err.print(f"rejected {reject.source}: {reject.reason}: {reject.detail}", markup=False)
    if len(rejects) > 20:
        err.print(f"... and {len(rejects) - 20} more ('storylens rejects' lists all)")
