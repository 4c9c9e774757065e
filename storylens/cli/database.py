"""The database the commands work on: the --db option and opening the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..store import Store

DEFAULT_DB = "storylens.db"
# Where 'make demo' puts the demo corpus's database.
DEMO_DB = "demo.db"

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help=f"Database file. Default: $STORYLENS_DB, else ./{DEFAULT_DB}.",
        show_default=False,
    ),
]


def db_path(db: Path | None) -> Path:
    """The database file: --db if given, else $STORYLENS_DB, else ./storylens.db."""
    return db or Path(os.environ.get("STORYLENS_DB") or DEFAULT_DB)


def open_store(db: Path | None, *, create: bool = False) -> Store:
    """The store over the database file the options name."""
    return Store(db_path(db), create=create)
