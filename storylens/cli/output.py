"""What the commands print: the two consoles, plain text, JSON and figures."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from ..model import Reject

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def say(text: str) -> None:
    """Print text as it is (no rich markup or highlighting: it is article text)."""
    out.print(text, markup=False, highlight=False)


def print_json(value: Any) -> None:
    """Print a value as indented JSON, non-ASCII characters kept as they are."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


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
