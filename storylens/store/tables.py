"""Whole corpus tables, a chunk of rows at a time: storylens spark writes them to Parquet,
storylens import reads them back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import UsageError
from .connection import StoreBase


class CorpusTables(StoreBase):
    """The tables that hold a corpus, read and loaded whole."""

    # The tables that hold a corpus, in the order they load (each after those it refers to).
    # story_views are left out: they are recomputed from these.
    CORPUS_TABLES = (
        "articles", "sentences", "stories", "story_members", "attributions",
        "entity_mentions", "event_mentions", "term_df", "rejects",
    )

    def table_columns(self, table: str) -> list[tuple[str, str]]:
        """(name, declared type) of each column of a corpus table."""
        if table not in self.CORPUS_TABLES:
            raise UsageError(f"not a corpus table: {table}")
        return [(r[1], str(r[2]).upper()) for r in self.db.execute(f"PRAGMA table_info({table})")]

    def table_rows(self, table: str, chunk: int = 2000) -> Iterator[list[tuple[Any, ...]]]:
        """A corpus table's rows (columns as table_columns lists them), a chunk at a time."""
        names = ", ".join(name for name, _ in self.table_columns(table))
        cursor = self.db.execute(f"SELECT {names} FROM {table}")
        while rows := cursor.fetchmany(chunk):
            yield [tuple(r) for r in rows]

    def load_table(
        self, table: str, columns: list[str], chunks: Iterable[list[tuple[Any, ...]]]
    ) -> int:
        """Add rows to a corpus table (in one transaction with the caller's), keeping what is
        there (term frequencies add up); how many rows were read."""
        known = {name for name, _ in self.table_columns(table)}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise UsageError(f"the {table} table has no column {unknown[0]!r}")
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        if table == "term_df":
            sql = (f"INSERT INTO term_df ({names}) VALUES ({marks}) "
                   "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df")
        else:
            sql = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"
        count = 0
        with self.transaction() as db:
            for rows in chunks:
                db.executemany(sql, rows)
                count += len(rows)
        return count
