"""The public ingest, composed at the top: the pipeline's ingest, with the stories' views
(read.stored) stored as it goes, so that the pipeline itself renders no views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .options import Options
from .pipeline.ingestor import IngestSummary, Progress
from .pipeline.ingestor import ingest as ingest_stories
from .read.stored import refresh_story_views
from .store import Store


def ingest(
    paths: list[Path],
    store: Store,
    options: Options,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store. Raises UsageError for a missing path."""
    return ingest_stories(
        paths, store, options, progress, on_total, views=refresh_story_views
    )
