"""The store's connection to its database file: opening it (WAL mode, one writer), write
transactions, and the one place where SQLite's own errors become storylens errors.

Every statement the store runs goes through ``Connection.execute`` or ``executemany``; an
``sqlite3.Error`` raised there leaves as a StoreError (StoreBusy for a lock held too long,
StoreConflict for a broken schema rule, StoreDamaged for a damaged file, StoreQueryError for
a statement refused for what it says), with the SQLite error as its cause.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from ..errors import (
    StoreBusy,
    StoreConflict,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreQueryError,
    StoreReadOnly,
)
from .migrations import check_current, is_up_to_date, upgrade

# SQLite's primary result codes for a database another connection holds locked.
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


class _IntegrityConflict(StoreConflict, sqlite3.IntegrityError):
    """A StoreConflict that is still an ``sqlite3.IntegrityError``, for callers written
    against the sqlite3 class before the store translated its errors."""


# Primary result codes that say what is wrong with the file rather than the statement.
_READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 8, 11, 13, 14, 26
# SQLite's generic result code: a statement refused for what it says (a full-text query's
# syntax, a column it names), never for the state of the file.
_SQL_ERROR = 1


def translate(error: sqlite3.Error, path: str) -> StoreError:
    """The storylens error (one line) for an SQLite error met on the database at ``path``:
    busy, a broken rule, a damaged file, a read-only file or folder, a full disk, or else
    the SQLite message itself (a StoreQueryError when SQLite refused the statement for what
    it says)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    text = str(error).replace("\n", " ")
    if isinstance(error, sqlite3.OperationalError) and (
        primary in _BUSY_CODES or "locked" in text
    ):
        return StoreBusy(f"the database {path} is busy (another process is writing it): {text}")
    if isinstance(error, sqlite3.IntegrityError):
        return _IntegrityConflict(f"the database {path} refused a write: {text}")
    if primary in (_CORRUPT, _NOTADB) or text.startswith("Could not decode to UTF-8"):
        return StoreDamaged(f"the database {path} is damaged ({_first_words(text)})")
    if primary == _READONLY:
        return StoreReadOnly(f"the database {path} is read-only, or its folder is ({text})")
    if primary == _FULL:
        return StoreFull(f"the database {path} could not be written: the disk is full ({text})")
    if isinstance(error, sqlite3.OperationalError) and code == _SQL_ERROR:
        return StoreQueryError(f"the database {path} could not be used: {text}")
    return StoreError(f"the database {path} could not be used: {text}")


def _first_words(text: str) -> str:
    """SQLite's message, cut short: a decoding error quotes the damaged text itself."""
    return text if len(text) <= 80 else text[:77] + "..."


def sqlite_cause(error: StoreError) -> sqlite3.Error | None:
    """The SQLite error a StoreError was translated from, if it was."""
    cause = error.__cause__
    return cause if isinstance(cause, sqlite3.Error) else None


class Cursor(sqlite3.Cursor):
    """A cursor whose rows, fetched after the statement started, raise StoreError too: a
    damaged page or undecodable text is met only when its row is read."""

    def _path(self) -> str:
        return getattr(self.connection, "path", ":memory:")

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as error:
            raise translate(error, self._path()) from error

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        try:
            return super().fetchmany(size if size is not None else self.arraysize)
        except sqlite3.Error as error:
            raise translate(error, self._path()) from error

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as error:
            raise translate(error, self._path()) from error

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as error:
            raise translate(error, self._path()) from error


class Connection(sqlite3.Connection):
    """An SQLite connection whose statements, and the rows they return, raise StoreError
    instead of ``sqlite3.Error`` (see translate)."""

    path = ":memory:"

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return self.cursor(Cursor).execute(sql, parameters)
        except sqlite3.Error as error:
            raise translate(error, self.path) from error

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        try:
            return self.cursor(Cursor).executemany(sql, parameters)
        except sqlite3.Error as error:
            raise translate(error, self.path) from error


def now_utc() -> str:
    """The time now (UTC) as the store writes it: ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """The items, ``size`` at a time (SQLite bounds the parameters of one statement)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


class StoreBase:
    """A storylens database, opened: the connection (``db``), its file's identity for the
    process-wide caches, and transactions. The table families of Store build on it."""

    def __init__(
        self, path: str | Path, *, create: bool = True, read_only: bool = False
    ) -> None:
        """Open the database at ``path``: created if ``create`` allows, its schema upgraded.
        ``read_only`` opens it without writing anything (no upgrade, no WAL switch): its
        schema must be current. A database that exists but cannot be written (its file or
        folder is read-only) is opened read-only when ``create`` is false."""
        self.path = str(path)
        self.read_only = read_only and self.path != ":memory:"
        self._identity: object = object()  # what the process-wide caches know this file by
        if self.path != ":memory:":
            if not (create and not read_only) and not Path(self.path).exists():
                raise StoreError(f"no database at {self.path} (run 'storylens ingest' first)")
            parent = Path(self.path).parent
            if not parent.exists():
                raise StoreError(f"cannot create the database {self.path}: no folder {parent}")
        try:
            self.db = self._open(create)
            self._identity = self._file_identity()
        except sqlite3.Error as error:
            raise _opening(translate(error, self.path), self.path) from error
        except StoreError as error:
            cause = sqlite_cause(error)
            if cause is None:
                raise
            raise _opening(error, self.path) from cause

    def _open(self, create: bool) -> Connection:
        """The connection, writable and upgraded, or read-only (asked for, or because the
        file or its folder refused a write and ``create`` is false)."""
        if self.read_only:
            return self._connect_read_only()
        try:
            self.db = self._connect()
            if not is_up_to_date(self.db):
                with self.transaction():
                    upgrade(self.db, self.path)
            return self.db
        except (sqlite3.Error, StoreError) as error:
            if create or not _write_refused(error):
                raise
        if hasattr(self, "db"):
            self.db.close()
        self.read_only = True
        return self._connect_read_only()

    def _connect(self, uri: str | None = None) -> Connection:
        """Connect (to ``uri``, read-only, when given: then without the WAL switch), switch
        to WAL mode and set the connection's pragmas and functions."""
        # The busy timeout is set first (timeout=): switching to WAL takes a lock too, and
        # another process may be creating or migrating the same database right now.
        db = sqlite3.connect(
            uri or self.path, isolation_level=None, check_same_thread=False, timeout=10.0,
            factory=Connection, uri=uri is not None,
        )
        db.path = self.path
        db.row_factory = sqlite3.Row
        if uri is None:
            _use_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        # Case-insensitive matching beyond ASCII (SQLite's LIKE and lower() stop there).
        db.create_function("casefold", 1, _casefold, deterministic=True)
        return db

    def _connect_read_only(self) -> Connection:
        """Connect read-only (SQLite's ``mode=ro``); the schema must be current. In a
        read-only folder SQLite cannot make the write-ahead log's index beside the file: with
        no log there, no one can be writing the file, so it is read as immutable."""
        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        db = self._connect(uri)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except StoreError as error:
            db.close()
            if not _write_refused(error) or Path(self.path + "-wal").exists():
                raise
            db = self._connect(uri + "&immutable=1")
        try:
            check_current(db, self.path)
        except StoreError:
            db.close()
            raise
        return db

    def _file_identity(self) -> object:
        """The database file, by its path, device and inode (a file deleted and made again
        is, nearly always, another inode)."""
        if self.path == ":memory:":
            return object()
        info = os.stat(self.path)
        return (os.path.realpath(self.path), info.st_dev, info.st_ino)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        """How many migrations have run on this database (its ``user_version``)."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; rolled back whole if anything in it fails. Inside another,
        it is part of that one (the outer one commits or rolls back the whole)."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this store's connection."""
        return self.db.in_transaction

    def rollback_open(self) -> None:
        """End an open transaction by rolling it back (a failed write leaves none behind)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


def _write_refused(error: sqlite3.Error | StoreError) -> bool:
    """Whether opening failed because the file or its folder cannot be written."""
    cause = sqlite_cause(error) if isinstance(error, StoreError) else error
    code = getattr(cause, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_READONLY, _CANTOPEN)


def _opening(error: StoreError, path: str) -> StoreError:
    """The error met opening the database, said as such, in one line."""
    prefix = f"the database {path} "
    text = str(error)
    if text.startswith(prefix + "could not be used: "):
        text = text[len(prefix + "could not be used: "):]
    elif text.startswith(prefix):
        text = "it " + text[len(prefix):]
    return type(error)(f"cannot open the database {path}: {text}")


def _use_wal(db: Connection) -> None:
    """Switch to WAL mode. SQLite may answer 'locked' at once, without waiting out the busy
    timeout, while another connection is switching the same new file: so retry a while."""
    deadline = time.monotonic() + 10.0
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except StoreBusy as error:
            cause = sqlite_cause(error)
            if "locked" not in str(cause) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
