"""The articles, their sentences, and the rejected inputs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..errors import NotFoundError, StoreQueryError, UsageError
from ..model import Article, Reject
from .codec import article_from_row
from .connection import StoreBase, chunks, now_utc, sqlite_cause
from .fts import fts_query
from .records import SearchHit


def insert_articles(
    db: sqlite3.Connection, articles: list[Article], signatures: dict[str, bytes], now: str
) -> None:
    """Add articles (each with its MinHash signature, where there is one) and their
    sentences."""
    db.executemany(
        "INSERT INTO articles (id, source, kind, url, outlet, title, published, "
        "published_ts, place, wire, external_id, text, raw, removed, minhash, "
        "ingested_at, language) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                a.id, a.source, a.kind, a.url, a.outlet, a.title, a.published,
                a.timestamp, a.place, a.wire, a.external_id, a.text, a.raw,
                json.dumps(a.removed, ensure_ascii=False),
                signatures.get(a.id) or None, now, a.language,
            )
            for a in articles
        ],
    )
    db.executemany(
        "INSERT INTO sentences (article_id, idx, paragraph, start, end) "
        "VALUES (?,?,?,?,?)",
        [
            (a.id, s.index, s.paragraph, s.start, s.end)
            for a in articles
            for s in a.sentences
        ],
    )


def clear_rejects(db: sqlite3.Connection, sources: Iterable[str]) -> None:
    """Forget the rejects of these sources (stored now, they are rejects no longer)."""
    db.executemany("DELETE FROM rejects WHERE source = ?", [(s,) for s in sources])


def write_rejects(db: sqlite3.Connection, rejects: list[Reject], now: str) -> None:
    """Record rejected inputs; a source rejected again for the same reason is updated."""
    db.executemany(
        "INSERT INTO rejects (source, reason, detail, created_at) VALUES (?,?,?,?) "
        "ON CONFLICT (source, reason) DO UPDATE SET detail = excluded.detail, "
        "created_at = excluded.created_at",
        [(r.source, r.reason, r.detail, now) for r in rejects],
    )


class ArticleTables(StoreBase):
    """The articles, their sentences and the rejects: what Store reads and writes of them."""

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of these article ids already stored."""
        ids = list(ids)
        found: set[str] = set()
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def known_input(self, key: str) -> int | None:
        """How many articles the raw input of this hash gave when it was stored, or None for
        an input not stored before."""
        row = self.db.execute("SELECT articles FROM inputs WHERE hash = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def add_inputs(self, inputs: list[tuple[str, str, int]]) -> None:
        """Record stored raw inputs (hash, source, articles given); one met before keeps its
        first record."""
        with self.transaction() as db:
            now = now_utc()
            db.executemany(
                "INSERT OR IGNORE INTO inputs (hash, source, articles, first_seen) "
                "VALUES (?, ?, ?, ?)",
                [(key, source, count, now) for key, source, count in inputs],
            )

    def add_rejects(self, rejects: list[Reject]) -> None:
        """Record rejected inputs in a transaction of their own (or the caller's)."""
        with self.transaction() as db:
            write_rejects(db, rejects, now_utc())

    def counts(self) -> dict[str, int]:
        """How many articles, stories and rejects are stored."""
        one = self.db.execute
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "stories": one("SELECT COUNT(*) FROM stories").fetchone()[0],
            "rejects": one("SELECT COUNT(*) FROM rejects").fetchone()[0],
        }

    def first_articles(self, story_ids: Iterable[str]) -> list[tuple[str | None, str]]:
        """(title, text) of the first article of each of these stories."""
        return [
            (row[0], row[1]) for row in self.db.execute(
                "SELECT a.title, a.text FROM story_members m JOIN articles a "
                "ON a.id = m.article_id WHERE m.position = 0 AND m.story_id IN "
                "(SELECT value FROM json_each(?))", (json.dumps(list(story_ids)),)
            )
        ]

    def story_articles(self, story_id: str) -> list[tuple[Article, dict[str, Any]]]:
        """The articles of a story in publication order, each with its membership record."""
        rows = self.db.execute(
            "SELECT a.*, m.similarity, m.wire_copy_of, m.position FROM story_members m "
            "JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? "
            "ORDER BY a.published_ts IS NULL, a.published_ts, m.position",
            (story_id,),
        ).fetchall()
        return [
            (
                self._article(r),
                {"similarity": r["similarity"], "wire_copy_of": r["wire_copy_of"]},
            )
            for r in rows
        ]

    def outlets(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Article id -> its outlet (None where not named), for the articles that exist."""
        found: dict[str, str | None] = {}
        for chunk in chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, outlet FROM articles WHERE id IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    def article(self, article_id: str) -> Article:
        """One article with its sentences; NotFoundError for an unknown id."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return self._article(row)

    def article_story(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if it is stored in one."""
        row = self.db.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def _article(self, row: sqlite3.Row) -> Article:
        sentences = self.db.execute(
            "SELECT * FROM sentences WHERE article_id = ? ORDER BY idx", (row["id"],)
        ).fetchall()
        return article_from_row(row, sentences)

    def rejects(self) -> list[dict[str, str]]:
        """The rejected inputs, by source and reason."""
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT source, reason, detail, created_at FROM rejects ORDER BY source, reason"
            )
        ]

    def search(
        self, query: str, limit: int = 20, *, advanced: bool = True
    ) -> list[tuple[str, str | None]]:
        """Article ids and titles matching a query, best first: an FTS5 query, or with
        ``advanced`` false a reader's plain text (see fts_query). UsageError for a bad query or
        one over the limits; a damaged database or row, a lock held too long, is its
        StoreError: not the query's fault."""
        return [(h.id, h.title) for h in self.search_hits(query, limit, advanced=advanced)]

    # Marks around the matched words of a snippet: control characters no text stores.
    SNIPPET_MARKS = ("\x02", "\x03")

    def search_hits(
        self, query: str, limit: int = 20, *, advanced: bool = False
    ) -> list[SearchHit]:
        """The articles matching a reader's search text (plain unless ``advanced``: see
        fts_query), best first: each with its outlet, date, story and a snippet of its
        text around the matched words (marked by SNIPPET_MARKS). UsageError for a bad
        advanced query or one over the limits; a damaged database or row is its
        StoreError."""
        match = fts_query(query, advanced=advanced)
        if not match:
            return []
        start, end = self.SNIPPET_MARKS
        try:
            rows = self.db.execute(
                "SELECT a.id, a.title, a.outlet, a.published, m.story_id, "
                "snippet(articles_fts, -1, ?, ?, '\u2026', 16) "
                "FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                "LEFT JOIN story_members m ON m.article_id = a.id "
                "WHERE articles_fts MATCH ? ORDER BY f.rank, a.rowid LIMIT ?",
                (start, end, match, limit),
            ).fetchall()
        except StoreQueryError as error:
            cause = sqlite_cause(error)
            raise UsageError(f"bad search query {query!r}: {cause}") from cause
        return [SearchHit(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]
