"""The values the store hands out beyond the model's records: story cards, stored story
views, and the stored state of a story for grouping."""

from __future__ import annotations

from dataclasses import dataclass

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
