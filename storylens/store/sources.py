"""What storylens watch collects from: the sources with their polling state, and every article
URL fetched (normalised), so that a page is fetched once ever.

A URL is marked fetched in the transaction that stores its article or its reject (the caller
opens it: see ``Store.transaction``), so a collection killed at any moment neither loses an
article nor fetches its page again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from ..errors import NotFoundError
from .connection import StoreBase, chunks, now_utc


@dataclass
class Source:
    """A source and its state: ``kind`` (feed, sitemap, sitemap-index or page) as detected
    on its first poll; ``next_due`` a Unix time; ``last_status`` ok, not-modified or error,
    with ``last_error`` the reason of the last failure and ``last_detail`` its sentence."""

    url: str
    name: str | None = None
    every_minutes: float | None = None
    kind: str | None = None
    added: str = ""
    last_poll: str | None = None
    next_due: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_error: str | None = None
    last_detail: str | None = None
    articles_found: int = 0
    failures: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The source as JSON-ready values (what ``sources list --json`` prints)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Fetched:
    """How the fetch of one article URL ended: ``status`` stored, duplicate, rejected,
    refused (robots.txt) or failed; ``attempts`` made so far."""

    url: str
    status: str
    reason: str | None
    article_id: str | None
    attempts: int


_SOURCE_COLUMNS = [f.name for f in fields(Source)]


def _source(row: sqlite3.Row) -> Source:
    return Source(**{name: row[name] for name in _SOURCE_COLUMNS})


class SourceTables(StoreBase):
    """The sources and the article URLs fetched."""

    def add_source(self, url: str, name: str | None, every_minutes: float | None) -> bool:
        """Add a source, or give a known one its new name and interval (its state kept);
        whether it is new."""
        with self.transaction() as db:
            known = db.execute("SELECT 1 FROM sources WHERE url = ?", (url,)).fetchone()
            if known:
                db.execute(
                    "UPDATE sources SET name = coalesce(?, name), "
                    "every_minutes = coalesce(?, every_minutes) WHERE url = ?",
                    (name, every_minutes, url),
                )
            else:
                db.execute(
                    "INSERT INTO sources (url, name, every_minutes, added) VALUES (?, ?, ?, ?)",
                    (url, name, every_minutes, now_utc()),
                )
        return not known

    def remove_source(self, key: str) -> Source:
        """Remove the source of that URL or name (the URLs fetched from it stay fetched); it,
        as it was. Raises NotFoundError when there is none."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT * FROM sources WHERE url = ? OR name = ? ORDER BY url = ? DESC",
                (key, key, key),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no source with the URL or name {key!r}")
            db.execute("DELETE FROM sources WHERE url = ?", (row["url"],))
        return _source(row)

    def sources(self) -> list[Source]:
        """Every source, in the order they were added."""
        rows = self.db.execute("SELECT * FROM sources ORDER BY added, url").fetchall()
        return [_source(row) for row in rows]

    def due_sources(self, now: float) -> list[Source]:
        """The sources due at Unix time ``now`` (never polled, or their time has come), the
        longest waiting first."""
        rows = self.db.execute(
            "SELECT * FROM sources WHERE next_due <= ? ORDER BY next_due, added, url", (now,)
        ).fetchall()
        return [_source(row) for row in rows]

    def save_source(self, source: Source) -> None:
        """Write a source's state after its poll (its own transaction, unless in one); the
        articles found are not written from it: they are counted as they are stored."""
        # articles_found is counted as each article is stored (see mark_fetched)
        names = [n for n in _SOURCE_COLUMNS if n not in ("url", "added", "articles_found")]
        assignments = ", ".join(f"{n} = ?" for n in names)
        with self.transaction() as db:
            db.execute(
                f"UPDATE sources SET {assignments} WHERE url = ?",
                [*(getattr(source, n) for n in names), source.url],
            )

    def fetched(self, urls: Iterable[str]) -> dict[str, Fetched]:
        """What is recorded of each of these (normalised) URLs that was fetched before."""
        found: dict[str, Fetched] = {}
        for part in chunks(list(dict.fromkeys(urls)), 500):
            marks = ", ".join("?" * len(part))
            for row in self.db.execute(
                "SELECT url, status, reason, article_id, attempts FROM fetched_urls "
                f"WHERE url IN ({marks})", part,
            ):
                found[row[0]] = Fetched(*row)
        return found

    def mark_fetched(
        self, url: str, source_url: str | None, status: str, *, reason: str | None = None,
        detail: str | None = None, article_id: str | None = None,
    ) -> None:
        """Record how the fetch of a (normalised) URL ended; a URL tried again counts one
        more attempt; an article stored counts as found by its source. In the caller's
        transaction when one is open (the one that stores the article)."""
        with self.transaction() as db:
            if status == "stored" and source_url:
                db.execute(
                    "UPDATE sources SET articles_found = articles_found + 1 WHERE url = ?",
                    (source_url,),
                )
            db.execute(
                "INSERT INTO fetched_urls (url, source_url, status, reason, detail, "
                "article_id, fetched) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO "
                "UPDATE SET status = excluded.status, reason = excluded.reason, "
                "detail = excluded.detail, article_id = excluded.article_id, "
                "fetched = excluded.fetched, attempts = attempts + 1",
                (url, source_url, status, reason, detail, article_id, now_utc()),
            )

    def source_health(self, since: str) -> list[dict[str, Any]]:
        """Every source with its state and the articles stored from it since ``since`` (an
        ISO 8601 time as the store writes them): what the Sources page shows."""
        recent = dict(self.db.execute(
            "SELECT source_url, COUNT(*) FROM fetched_urls WHERE status = 'stored' "
            "AND fetched >= ? GROUP BY source_url", (since,),
        ).fetchall())
        return [{**s.as_dict(), "recent_articles": recent.get(s.url, 0)} for s in self.sources()]

    def fetched_urls(self) -> list[dict[str, Any]]:
        """Every URL fetched, with how it ended, in the order they were fetched."""
        rows = self.db.execute(
            "SELECT url, source_url, status, reason, detail, article_id, attempts, fetched "
            "FROM fetched_urls ORDER BY fetched, url"
        ).fetchall()
        return [dict(row) for row in rows]
