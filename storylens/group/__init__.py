"""Articles into stories: term vectors, the story index and its window, the fitted merge
decision (stories.group), the optional sentence embeddings (embed), and the index filled from
stored rows (loading)."""

from __future__ import annotations

from .loading import load_stories, load_window
from .stories import StoryIndex, StoryState, apply, group, merge_model

__all__ = [
    "StoryIndex",
    "StoryState",
    "apply",
    "group",
    "load_stories",
    "load_window",
    "merge_model",
]
