"""The values the store hands out beyond the model's records: story cards, stored story
views, and the stored state of a story for grouping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Entity, Story

# How many top entities a stored card keeps (the story list shows 5).
STORED_TOP = 5


@dataclass(frozen=True)
class StoryCard:
    """A story's summary with its most mentioned entities (the story list's line)."""

    story: Story
    top_entities: tuple[Entity, ...]


@dataclass(frozen=True)
class StoredView:
    """What the ingest stores for a story (see the story_views table): its view (compressed
    JSON) of ``view_format``, its card (with its top STORED_TOP entities), and its page
    content (compressed) rendered by templates of ``page_format``."""

    story_id: str
    view_format: int
    body: bytes
    card: StoryCard
    page: bytes
    page_format: str


@dataclass(frozen=True)
class StoryRow:
    """A stored story as grouping reads it back: its term centroid, time span, size and
    title, the sum of its sentence embeddings (if kept), and its latest members (at most 50,
    oldest first) with their MinHash signatures; and the members its title is chosen among,
    as grouping stores them."""

    id: str
    centroid: dict[str, float]
    first_ts: float | None
    last_ts: float | None
    size: int
    title: str | None
    embedding: np.ndarray | None
    members: tuple[tuple[str, np.ndarray], ...]
    title_candidates: str | None = None  # the members the title is chosen among (grouping's)


@dataclass(frozen=True)
class SearchHit:
    """An article a search found: its id, title, outlet, date as written, story, and a
    snippet of its title or text with the matched words between Store.SNIPPET_MARKS."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    story_id: str | None
    snippet: str

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as pieces of text, each with whether it is a matched word."""
        parts: list[tuple[str, bool]] = []
        for number, piece in enumerate(self.snippet.replace("\x03", "\x02").split("\x02")):
            if piece:
                parts.append((piece, number % 2 == 1))
        return parts

    def plain_snippet(self) -> tuple[str, list[tuple[int, int]]]:
        """The snippet as plain text, and the [start, end) offsets of its matched words."""
        text, spans = "", []
        for piece, matched in self.snippet_parts():
            if matched:
                spans.append((len(text), len(text) + len(piece)))
            text += piece
        return text, spans

    def as_dict(self) -> dict[str, Any]:
        """The hit as JSON shows it: the snippet as plain text, with ``highlights`` the
        [start, end) offsets of its matched words."""
        text, spans = self.plain_snippet()
        return {
            "id": self.id, "title": self.title, "story_id": self.story_id,
            "outlet": self.outlet, "published": self.published,
            "snippet": text, "highlights": [list(span) for span in spans],
        }
