"""The schema, built by named migrations run once each, in order.

Each migration has a name (``0001_base_tables``, ...); the names of those applied are recorded
in the ``migrations`` table, as sqlite-utils and Datasette do, and ``PRAGMA user_version``
is kept at their number for older readers. A database written before the table existed
(its ``user_version`` counting the migrations applied) has its first ``user_version``
migrations recorded as applied, then the rest run.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from ..errors import StoreError, StoreOutdated
from . import schema_first, schema_later  # noqa: F401 - importing them registers their steps, in order
from .registry import MIGRATIONS, Migration, migration, run_script

__all__ = ["MIGRATIONS", "Migration", "migration", "run_script"]


# The record of the migrations applied (not a migration itself: it records them).
_RECORD = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"


def is_up_to_date(db: sqlite3.Connection) -> bool:
    """Whether every migration is applied and recorded: one query, for every opening (the
    migrations table and ``user_version`` are always written together, by upgrade)."""
    version, recorded = db.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT COUNT(*) FROM "
        "sqlite_master WHERE type = 'table' AND name = 'migrations')"
    ).fetchone()
    return int(version) == len(MIGRATIONS) and bool(recorded)


def check_current(db: sqlite3.Connection, path: str) -> None:
    """Refuse, in one line, a database opened read-only whose schema is not this release's:
    an older one must be upgraded by a command that writes it, a newer one is not read."""
    if is_up_to_date(db):
        return
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"the database {path} was written by a newer storylens (schema {version})")
    raise StoreOutdated(
        f"the database {path} has an older schema than this storylens reads "
        "and can only be read here: run a command that writes it ('storylens ingest') where "
        "it can be written, to upgrade it"
    )


def applied_migrations(db: sqlite3.Connection) -> list[str]:
    """The names of the migrations recorded as applied, in the order they were applied."""
    return [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def upgrade(db: sqlite3.Connection, path: str) -> None:
    """Apply the migrations not yet applied, in order, each recorded by name; inside the
    caller's write transaction. A database of before the record (its ``user_version``
    counting what ran) has its first ``user_version`` migrations recorded first. A database
    of a newer storylens (a higher ``user_version``, or a migration this one does not know)
    is refused."""
    # Read under the write lock: another process may have just migrated.
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"the database {path} was written by a newer storylens (schema {version})")
    db.execute(_RECORD)
    applied = set(applied_migrations(db))
    if not applied and version:
        _record(db, MIGRATIONS[:version])
        applied = {m.name for m in MIGRATIONS[:version]}
    unknown = sorted(applied - {m.name for m in MIGRATIONS})
    if unknown:
        raise StoreError(
            f"the database {path} was written by a newer storylens (migration {unknown[0]})"
        )
    for step in MIGRATIONS:
        if step.name not in applied:
            step(db)
            _record(db, [step])
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")


def _record(db: sqlite3.Connection, applied: list[Migration]) -> None:
    """Record migrations as applied now."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.executemany(
        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
        [(m.name, now) for m in applied],
    )
