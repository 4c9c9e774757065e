"""The pipeline: read, parse, clean, group and store, batch by batch.

Stages are pure functions (parse.parse_input, clean.clean, group.group); this module
composes them and hands each whole batch to the store in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean
from .group import StoryIndex, group, terms_of
from .model import Article, Assignment, Draft, RawInput, Reject
from .options import Options
from .parse import parse_input
from .sources import check_paths, list_files, read_inputs
from .store import Store

Progress = Callable[[int], None]


@dataclass
class IngestSummary:
    """What one ingest did."""

    inputs: int = 0  # files read
    stored: int = 0  # new articles
    duplicates: int = 0  # articles already in the database (or twice in the input)
    rejected: int = 0
    new_stories: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "new_stories": self.new_stories,
            "seconds": round(self.seconds, 3),
            "rejects": [r.__dict__ for r in self.rejects],
        }


def prepare(raw: RawInput) -> list[Article | Reject]:
    """Parse and clean one input: the pure per-input part of the pipeline."""
    results: list[Article | Reject] = []
    for item in parse_input(raw):
        results.append(clean(item) if isinstance(item, Draft) else item)
    return results


class Ingestor:
    """Feeds articles through grouping into the store, a batch at a time."""

    def __init__(self, store: Store, options: Options) -> None:
        self.store = store
        self.options = options
        self.index = StoryIndex()
        self.summary = IngestSummary()
        self._articles: list[Article] = []
        self._rejects: list[Reject] = []
        self._seen: set[str] = set()

    def add(self, items: Iterable[Article | Reject]) -> None:
        for item in items:
            if isinstance(item, Reject):
                self._rejects.append(item)
                self.summary.rejects.append(item)
                self.summary.rejected += 1
            elif item.id in self._seen:
                self.summary.duplicates += 1
            else:
                self._seen.add(item.id)
                self._articles.append(item)
        if len(self._articles) >= self.options.batch_size_articles:
            self.flush()

    def flush(self) -> list[Assignment]:
        articles, rejects = self._articles, self._rejects
        self._articles, self._rejects = [], []
        if not articles and not rejects:
            return []
        existing = self.store.existing_ids(a.id for a in articles)
        self.summary.duplicates += len(existing)
        articles = [a for a in articles if a.id not in existing]
        if not articles:
            if rejects:
                self.store.add_rejects(rejects)
            return []
        terms = set().union(*(terms_of(a).keys() for a in articles))
        stamps = [a.timestamp for a in articles if a.timestamp is not None]
        window = self.options.story_window_hours * 3600.0
        if stamps:
            self.store.load_index(self.index, terms, (min(stamps), max(stamps)), window)
        if len(stamps) < len(articles):
            self.store.load_index(self.index, terms, None, window)
        assignments = group(articles, self.index, self.options)
        self.store.write_batch(articles, assignments, self.index, rejects)
        self.store.forget_rejects({a.source for a in articles})
        if stamps:
            self.index.forget_before(max(stamps), window)
        self.summary.stored += len(articles)
        self.summary.new_stories += sum(1 for m in assignments if m.new_story)
        return assignments


def ingest(
    paths: list[Path],
    store: Store,
    options: Options,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store. Raises UsageError for a missing path."""
    started = time.perf_counter()
    check_paths(paths)
    files = list_files(paths)
    if on_total:
        on_total(len(files))
    ingestor = Ingestor(store, options)
    for item in read_inputs(files, options):
        ingestor.summary.inputs += 1
        ingestor.add([item] if isinstance(item, Reject) else prepare(item))
        if progress:
            progress(1)
    ingestor.flush()
    ingestor.summary.seconds = time.perf_counter() - started
    return ingestor.summary
