"""The stories: their state as grouping keeps it (centroid, time span, members, and the
term frequencies over all articles), and their summaries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Protocol

import numpy as np

from ..errors import NotFoundError
from ..model import Assignment, Story, StoryValues
from .codec import story_from_row
from .connection import StoreBase, chunks
from .records import StoryRow

# How many of a story's latest members are read back with their signatures (grouping keeps
# as many to find wire copies among).
MEMBERS_READ = 50


class GroupedStory(StoryValues, Protocol):
    """A story's grouping state as written (see StoryValues) with the members its title is
    chosen among, in grouping's stored form (JSON; None when it keeps none)."""

    @property
    def title_candidates(self) -> str | None: ...


class GroupingState(Protocol):
    """What a batch changed of the grouping's state (grouping's StoryIndex has this shape):
    the stories changed, the new counts of documents per term, and the documents counted."""

    @property
    def stories(self) -> Mapping[str, GroupedStory]: ...
    @property
    def changed(self) -> set[str]: ...
    @property
    def df_delta(self) -> MutableMapping[str, int]: ...
    @property
    def documents(self) -> int: ...


def write_story_state(
    db: sqlite3.Connection, state: GroupingState, assignments: list[Assignment], now: str
) -> None:
    """Write the changed stories, the new members and the term frequencies of a batch."""
    for story_id in sorted(state.changed):
        story = state.stories[story_id]
        db.execute(
            "INSERT INTO stories (id, title, title_candidates, first_ts, last_ts, size, "
            "centroid, embedding, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (id) DO UPDATE "
            "SET title = excluded.title, title_candidates = excluded.title_candidates, "
            "first_ts = excluded.first_ts, "
            "last_ts = excluded.last_ts, size = excluded.size, "
            "centroid = excluded.centroid, embedding = excluded.embedding, "
            "updated_at = excluded.updated_at",
            (
                story.id, story.title, story.title_candidates, story.first_ts,
                story.last_ts, story.size, json.dumps(story.centroid),
                None if story.embedding is None
                else story.embedding.astype(np.float32).tobytes(),
                now, now,
            ),
        )
    db.executemany(
        "INSERT INTO story_members (article_id, story_id, similarity, wire_copy_of, "
        "position) VALUES (?,?,?,?,?)",
        [
            (m.article_id, m.story_id, m.similarity, m.wire_copy_of, m.position)
            for m in assignments
        ],
    )
    db.executemany(
        "INSERT INTO term_df (term, df) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        list(state.df_delta.items()),
    )
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('documents', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(state.documents),),
    )


class StoryTables(StoreBase):
    """The stories and their members: what Store reads and writes of them."""

    _STORY_SQL = """
        SELECT s.id, s.title, COUNT(m.article_id) AS article_count,
               MIN(a.published) AS first_published, MAX(a.published) AS last_published,
               SUM(m.wire_copy_of IS NOT NULL) AS wire_copies,
               json_group_array(json_array(a.outlet, a.url)) AS outlets,
               json_group_array(DISTINCT a.language) AS languages
        FROM stories s JOIN story_members m ON m.story_id = s.id
        JOIN articles a ON a.id = m.article_id
    """

    # -- grouping state --------------------------------------------------------------------

    def documents(self) -> int:
        """How many articles the grouping's term frequencies count."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()
        return int(row[0]) if row else 0

    def add_documents(self, count: int) -> None:
        """Count more articles into the grouping's documents."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('documents', ?) ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
                (str(count),),
            )

    def term_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many articles contain each of these terms (those any article contains)."""
        found: dict[str, int] = {}
        for chunk in chunks(terms, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    def open_story_ids(
        self, ts_range: tuple[float, float] | None, window_seconds: float
    ) -> list[str]:
        """The stories open to articles of a time range: those whose span, widened by the
        window, meets it, and the undated ones; without a range (undated articles), the
        2000 stories updated last."""
        if ts_range is None:
            ids = self.db.execute(
                "SELECT id FROM stories ORDER BY updated_at DESC, rowid DESC LIMIT 2000"
            )
        else:
            low, high = ts_range
            ids = self.db.execute(
                "SELECT id FROM stories WHERE last_ts IS NULL OR "
                "(last_ts >= ? AND first_ts <= ?)",
                (low - window_seconds, high + window_seconds),
            )
        return [r[0] for r in ids.fetchall()]

    def story_rows(self, story_ids: Iterable[str]) -> list[StoryRow]:
        """The stored state of each of these stories, in the order given (an id with no
        stored story is passed over)."""
        found = []
        for story_id in story_ids:
            r = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
            if r is None:
                continue
            members = self.db.execute(
                "SELECT m.article_id, a.minhash FROM story_members m JOIN articles a "
                "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY m.position DESC "
                f"LIMIT {MEMBERS_READ}",
                (r["id"],),
            ).fetchall()
            found.append(StoryRow(
                id=r["id"],
                centroid=json.loads(r["centroid"]),
                first_ts=r["first_ts"],
                last_ts=r["last_ts"],
                size=r["size"],
                title=r["title"],
                title_candidates=r["title_candidates"],
                embedding=None if r["embedding"] is None
                else np.frombuffer(r["embedding"], dtype=np.float32).copy(),
                members=tuple(
                    (m[0], np.frombuffer(m[1], dtype=np.uint64))
                    for m in reversed(members)
                    if m[1] is not None
                ),
            ))
        return found

    # -- summaries -------------------------------------------------------------------------

    def story_ids(self) -> list[str]:
        """Every story's id, in order."""
        return [row[0] for row in self.db.execute("SELECT id FROM stories ORDER BY id")]

    def story_of_articles(self) -> dict[str, str]:
        """The story of every stored article, by article id."""
        return dict(self.db.execute("SELECT article_id, story_id FROM story_members"))

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Story summaries, newest first (by their latest article)."""
        sql = self._STORY_SQL + " GROUP BY s.id ORDER BY last_published DESC, s.rowid DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [story_from_row(r) for r in self.db.execute(sql)]

    def story(self, story_id: str) -> Story:
        """One story's summary; NotFoundError for an unknown id."""
        row = self.db.execute(self._STORY_SQL + " WHERE s.id = ? GROUP BY s.id", (story_id,))
        found = row.fetchone()
        if found is None:
            raise NotFoundError(f"no story with id {story_id}")
        return story_from_row(found)

    def story_version(self, story_id: str) -> tuple[int, str]:
        """What changes whenever a story changes (its size and last update): a key for
        caching what is computed from it. NotFoundError for an unknown id."""
        row = self.db.execute(
            "SELECT size, updated_at FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id}")
        return int(row[0]), str(row[1])
