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


class StoreQueryError(StoreError):
    """SQLite refused a statement for what it says (its generic SQLITE_ERROR): for a
    full-text search, the query's syntax or a column it names, not the database."""


class StoreReadOnly(StoreError):
    """The database cannot be written: its file or its folder is read-only (or it was
    opened read-only)."""


class StoreFull(StoreError):
    """The database could not be written because the disk (or its quota) is full: the write
    was rolled back; free space and try again."""


class StoreOutdated(StoreError):
    """A database opened read-only has an older schema than this storylens reads: a
    command that writes it must upgrade it first."""


class NotFoundError(StorylensError):
    """A story, article or other record with that id does not exist."""

    exit_status = 4


class RejectedInput(StorylensError):
    """One input (a file, a JSON line, a feed, a page) cannot become an article.

    ``reason`` is a short machine-readable code (``empty``, ``binary``, ``too-large``,
    ``unsupported-format``, ``bad-json``, ``bad-table``, ``bad-row``, ``too-deep``,
    ``number-too-large``, ``no-text``, ``no-article-body``, ``bad-feed``, ``unsafe-xml``,
    ``not-an-article``, ``bad-date``, ``undecodable``, ``unreadable``; ``analysis-failed``
    and ``broken-record`` are given as rejects directly), ``detail`` a sentence for people.
    The batch goes on without it; the reject is stored.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    @classmethod
    def of(cls, error: Exception) -> RejectedInput:
        """Any exception met while one input was prepared, as that input's rejection: itself
        when it is one; ``too-deep`` for a recursion too deep (JSON nested 100,000 levels),
        ``number-too-large`` for an integer of more digits than Python converts, else
        ``unreadable``; the detail names the exception's class and its message's first line."""
        if isinstance(error, RejectedInput):
            return error
        message = (str(error).strip().splitlines() or [""])[0]
        if len(message) > 200:
            message = message[:200] + "…"
        detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
        if isinstance(error, RecursionError):
            return cls("too-deep", f"the input is nested too deeply ({detail})")
        if isinstance(error, ValueError) and "integer string conversion" in message:
            return cls("number-too-large", f"the input holds a number too large ({detail})")
        return cls("unreadable", f"the input cannot be prepared ({detail})")


class FetchFailed(StorylensError):
    """A request storylens watch made did not give a usable answer: ``reason`` is a short
    code (``timeout``, ``too-large``, ``redirect-loop``, ``too-many-redirects``,
    ``http-500`` and other ``http-NNN``, ``not-xml``, ``robots-disallowed``,
    ``wrong-content-type``, ``connection-failed``, ``bad-url``), ``detail`` a sentence
    for people, ``retry_at`` (a Unix time) when the server said when to come back."""

    def __init__(self, reason: str, detail: str, retry_at: float | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_at = retry_at


class ModelUnavailable(StorylensError):
    """A language model that a stage needs (the spaCy English pipeline) is not installed or
    does not load."""

    exit_status = 5
