"""Each story's stored view, card and page: computed by the ingest that changed the story,
read by serving instead of computing them."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import NotFoundError
from .codec import card_json
from .connection import StoreBase, chunks
from .records import StoredView


class StoryViewTables(StoreBase):
    """The story_views table: what Store reads and writes of it."""

    def stored_story_view(
        self, story_id: str, view_format: int
    ) -> tuple[tuple[int, str], bytes | None]:
        """The story's version and its stored view (compressed JSON, see ``story_views``)
        when one was stored for this version of the story and of the view code, else None.
        NotFoundError for an unknown id."""
        row = self.db.execute(
            "SELECT s.size, s.updated_at, v.body FROM stories s LEFT JOIN story_views v "
            "ON v.story_id = s.id AND v.size = s.size AND v.updated_at = s.updated_at "
            "AND v.format = ? WHERE s.id = ?",
            (view_format, story_id),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id}")
        return (int(row[0]), str(row[1])), row[2]

    def stored_story_page(
        self, story_id: str, view_format: int, page_format: str
    ) -> bytes | None:
        """The story page's content stored for the story's current version, rendered by
        templates of ``page_format`` from a view of ``view_format``; None when there is none
        such (compressed: see storypage.decode_page)."""
        row = self.db.execute(
            "SELECT v.page FROM stories s JOIN story_views v ON v.story_id = s.id "
            "AND v.size = s.size AND v.updated_at = s.updated_at AND v.format = ? "
            "AND v.page_format = ? WHERE s.id = ?",
            (view_format, page_format, story_id),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def stale_story_views(
        self, view_format: int, page_format: str, among: Iterable[str] | None = None
    ) -> list[str]:
        """The stories (of ``among``, when given) whose stored view is missing or was
        computed for another version of the story, of the view code or of the page
        templates, oldest first."""
        sql = (
            "SELECT s.rowid, s.id FROM stories s LEFT JOIN story_views v ON v.story_id = s.id "
            "WHERE (v.story_id IS NULL OR v.size != s.size OR v.updated_at != s.updated_at "
            "OR v.format != ? OR v.page_format != ?)"
        )
        if among is None:
            rows = self.db.execute(sql + " ORDER BY s.rowid", (view_format, page_format))
            return [r[1] for r in rows]
        found: list[tuple[int, str]] = []
        for chunk in chunks(list(among), 500):
            marks = ",".join("?" * len(chunk))
            found.extend(
                (r[0], r[1])
                for r in self.db.execute(
                    sql + f" AND s.id IN ({marks})", (view_format, page_format, *chunk)
                )
            )
        return [story_id for _, story_id in sorted(found)]

    def put_story_views(self, views: Iterable[StoredView]) -> None:
        """Store each story's view, card and page content for its current version."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO story_views (story_id, size, updated_at, format, body, card, page, "
                "page_format) SELECT id, size, updated_at, ?, ?, ?, ?, ? FROM stories "
                "WHERE id = ? ON CONFLICT (story_id) DO UPDATE SET size = excluded.size, "
                "updated_at = excluded.updated_at, format = excluded.format, "
                "body = excluded.body, card = excluded.card, page = excluded.page, "
                "page_format = excluded.page_format",
                [
                    (v.view_format, v.body, card_json(v.card), v.page, v.page_format,
                     v.story_id)
                    for v in views
                ],
            )
