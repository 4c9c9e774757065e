"""The exceptions storylens raises.

The library raises these; the CLI turns each into one line and an exit status, and later the
HTTP API into one JSON error shape. Third-party errors are translated where they are met.
"""

from __future__ import annotations


class StorylensError(Exception):
    """Base class of every error storylens raises on purpose."""

    exit_status = 1


class UsageError(StorylensError):
    """The caller asked for something that cannot be done as asked (missing path, bad option)."""

    exit_status = 2


class StoreError(StorylensError):
    """The database cannot be opened, read or written."""

    exit_status = 2


class StoreBusy(StoreError):
    """Another connection kept the database locked for longer than the store waits (another
    ingest or import writing it, most often): trying again later may succeed."""


class StoreConflict(StoreError):
    """A write broke a rule of the schema (the same article stored twice, say): the whole
    transaction was rolled back."""


class StoreDamaged(StoreError):
    """The database file is damaged (not an SQLite database, or pages or text in it are
    corrupt): restore it from a copy, or ingest its inputs again into a new one."""


class StoreReadOnly(StoreError):
    """The database cannot be written: its file or its folder is read-only (or it was
    opened read-only)."""


class StoreOutdated(StoreError):
    """A database opened read-only has an older schema than this storylens reads: a
    command that writes it must upgrade it first."""


class NotFoundError(StorylensError):
    """A story, article or other record with that id does not exist."""

    exit_status = 4


class RejectedInput(StorylensError):
    """One input (a file, a JSON line, a feed, a page) cannot become an article.

    ``reason`` is a short machine-readable code (``empty``, ``binary``, ``too-large``,
    ``bad-json``, ``no-text``, ``no-article-body``, ``bad-feed``, ``undecodable``, ``unreadable``),
    ``detail`` a sentence for people. The batch goes on without it; the reject is stored.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class ModelUnavailable(StorylensError):
    """A language model that a stage needs (the spaCy English pipeline) is not installed or
    does not load."""

    exit_status = 5
