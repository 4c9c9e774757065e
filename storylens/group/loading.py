"""Filling the grouping's StoryIndex from stored rows: what a batch of articles needs of the
stored state (document frequencies of its terms, the stories open in its time range).

The rows come from a source of the StoredGrouping shape (the store has it); grouping knows
nothing of the store beyond that shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from ..model import StoryValues
from . import titles
from .stories import StoryIndex, StoryState


class StoredStory(StoryValues, Protocol):
    """A story's stored state (see StoryValues) with its latest members (oldest first) and
    their MinHash signatures."""

    @property
    def members(self) -> Sequence[tuple[str, np.ndarray]]: ...
    @property
    def title_candidates(self) -> str | None: ...


class StoredGrouping(Protocol):
    """Where the grouping's stored state is read from."""

    def documents(self) -> int: ...
    def term_frequencies(self, terms: list[str]) -> dict[str, int]: ...
    def open_story_ids(
        self, ts_range: tuple[float, float] | None, window_seconds: float
    ) -> list[str]: ...
    def story_rows(self, story_ids: Iterable[str]) -> Sequence[StoredStory]: ...


def story_state(row: StoredStory) -> StoryState:
    """A stored story as grouping works on it (its own copy of the centroid and members).
    A titled story stored without the candidates its title is chosen among (by an earlier
    storylens) has its title as one, standing at the stored centre (titles.standing)."""
    candidates = titles.decode(row.title_candidates)
    if not candidates and row.title:
        candidates = [titles.standing(row.centroid, row.title)]
    return StoryState(
        id=row.id,
        centroid=dict(row.centroid),
        first_ts=row.first_ts,
        last_ts=row.last_ts,
        size=row.size,
        title=row.title,
        embedding=row.embedding,
        members=list(row.members),
        candidates=candidates,
    )


def load_window(
    index: StoryIndex,
    stored: StoredGrouping,
    terms: Iterable[str],
    ts_range: tuple[float, float] | None,
    window_seconds: float,
) -> None:
    """Fill the index with what a batch needs: document frequencies of its terms and the
    stories that are open in its time range (with the signatures of their latest members)."""
    index.documents = max(index.documents, stored.documents())
    index.df.update(stored.term_frequencies([t for t in terms if t not in index.df]))
    load_stories(index, stored, stored.open_story_ids(ts_range, window_seconds))


def load_stories(index: StoryIndex, stored: StoredGrouping, story_ids: Iterable[str]) -> None:
    """Put the stored stories of these ids that the index lacks into it (an id with no
    stored story is passed over)."""
    missing = [story_id for story_id in story_ids if story_id not in index.stories]
    for row in stored.story_rows(missing):
        index.add_story(story_state(row))
