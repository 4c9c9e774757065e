"""The registry of schema migrations: each a named step, run once, in the order defined
(the steps are in schema_first and schema_later; migrations runs them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

Step = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    """One change of the schema: its name, recorded once it is applied, and the step that
    makes it (called with the connection, inside the caller's transaction)."""

    name: str
    step: Step

    def __call__(self, db: sqlite3.Connection) -> None:
        self.step(db)


MIGRATIONS: list[Migration] = []


def migration(name: str) -> Callable[[Step], Step]:
    """Register a schema migration under a name; they run once each, in the order they are
    defined."""

    def register(step: Step) -> Step:
        MIGRATIONS.append(Migration(name, step))
        return step

    return register


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction (executescript would
    commit it)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                db.execute(statement)
            statement = ""
