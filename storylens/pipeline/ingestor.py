"""The pipeline: read, parse, clean, group and store, batch by batch.

Preparing an input is pure (prepare.prepare_many, the stages of stages.STAGES); the Ingestor
groups what was prepared (group.group) and hands each whole batch to the store in one
transaction. It renders no views itself: the caller that wants the stories' views stored
passes a ``views`` function (read.stored.refresh_story_views, composed in storylens._ingest).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from ..clean import warm_up as warm_up_cleaning
from ..errors import UsageError
from ..extract.entities import load_gazetteer, load_localities, recogniser
from ..extract.events import trigger_forms
from ..extract.nlp import pipeline
from ..group.embed import available as embed_available
from ..group.embed import embed
from ..group.loading import load_stories, load_window
from ..group.stories import StoryIndex, apply, group, warm_up
from ..ingest.sources import check_paths, list_files, printable, read_inputs
from ..model import Assignment, RawInput, Reject
from ..options import Options
from ..store import Store
from .known import KnownInputs
from .prepare import Unit, prepare_units, units_of
from .stages import Extraction, Prepared

T = TypeVar("T")
Progress = Callable[[int], None]
# Fewer (and smaller) inputs than this are prepared in-process: starting workers costs more.
PARALLEL_MIN_INPUTS = 64
PARALLEL_MIN_BYTES = 1_000_000
# Inputs prepared together (a worker's task): their articles are parsed in one batch.
UNITS_PER_TASK = 16


class StoryViews(Protocol):
    """Computes and stores the views of the stories (of ``story_ids``, when given) whose
    stored view is missing or out of date, in ``workers`` processes; returns how many were
    computed. read.stored.refresh_story_views is one."""

    def __call__(
        self, store: Store, story_ids: set[str] | None = None, *, workers: int = 1
    ) -> int: ...


@dataclass
class IngestSummary:
    """What one ingest did."""

    inputs: int = 0  # files read
    stored: int = 0  # new articles
    duplicates: int = 0  # articles already in the database (or twice in the input)
    known: int = 0  # inputs skipped unparsed, as stored whole already (counted in duplicates)
    rejected: int = 0
    new_stories: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)
    # web archive records that are not documents (warcinfo, request ...), by record type
    skipped: Counter[str] = field(default_factory=Counter)
    # stored articles the English-only stages did not read (Article.analysed), by language
    not_analysed: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        """The summary as JSON-ready values (what ``ingest --json`` prints)."""
        return {
            "inputs": self.inputs,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "known_inputs": self.known,
            "rejected": self.rejected,
            "new_stories": self.new_stories,
            "seconds": round(self.seconds, 3),
            "rejects": [r.__dict__ for r in self.rejects],
            "skipped_records": dict(sorted(self.skipped.items())),
            "not_analysed": dict(sorted(self.not_analysed.items())),
        }


class Ingestor:
    """Feeds articles through grouping into the store, a batch at a time."""

    def __init__(
        self, store: Store, options: Options, *, record: bool = False,
        views: StoryViews | None = None,
    ) -> None:
        """``record``: keep the assignment of every stored article and the id of every article
        met (``assignments``, ``met``), for callers that report them (the HTTP API).
        ``views``: what brings the stored story views up to date (when the options store
        them); None stores no views. The language model is not loaded here but by feed(),
        once there is an input to prepare (a rerun of known inputs never loads it)."""
        if options.use_sentence_embeddings and not embed_available():
            raise UsageError(
                "use_sentence_embeddings needs the embeddings extra: pip install torch==2.13.0 "
                "(the CPU build, first), then pip install 'storylens[embeddings]'"
            )
        self.store = store
        self.options = options
        self.views = views
        self.index = StoryIndex()
        self.summary = IngestSummary()
        self._articles: list[Prepared] = []
        self._rejects: list[Reject] = []
        self._seen: set[str] = set()
        # raw inputs (hash, source, articles) to record as known once their articles are stored
        self.inputs: list[tuple[str, str, int]] = []
        self.record = record
        self.assignments: list[Assignment] = []
        self.met: list[str] = []
        # what skips the inputs stored already, for the units fed (see feed's ``known``),
        # and who else is told of each input skipped: the duplicates, whether it ends its file
        self.known = KnownInputs(store, self._skipped_known)
        self.on_known: Callable[[int, bool], None] | None = None
        self._views_refreshed = time.monotonic()
        # processes that compute the stored views at the end (feed() sets it when it forks
        # workers; a server, with its threads, does not fork)
        self.view_workers = 1

    def _skipped_known(self, duplicates: int, ends_file: bool) -> None:
        """An input skipped as stored already (by ``known``): counted as known and as the
        duplicates it gave; ``on_known`` is told."""
        self.summary.known += 1
        self.summary.duplicates += duplicates
        if self.on_known is not None:
            self.on_known(duplicates, ends_file)

    def add(self, items: Iterable[Prepared | Reject]) -> None:
        """Take prepared articles and rejects (an article met before is counted as a
        duplicate); store a batch whenever ``batch_size_articles`` are waiting."""
        for item in items:
            if self.record and isinstance(item, Prepared):
                self.met.append(item.article.id)
            if isinstance(item, Reject):
                item = _printable(item)
                self._rejects.append(item)
                self.summary.rejects.append(item)
                self.summary.rejected += 1
            elif item.article.id in self._seen:
                self.summary.duplicates += 1
            else:
                self._seen.add(item.article.id)
                self._articles.append(item)
        if len(self._articles) >= self.options.batch_size_articles:
            self.flush()

    def flush(self, final: bool = False) -> list[Assignment]:
        """Store the articles added so far, one transaction. ``final``: the ingest ends here,
        so the stored story views are brought up to date too (see ``_views_due``)."""
        prepared, rejects = self._articles, self._rejects
        self._articles, self._rejects = [], []
        views = self.views if self._views_due(final) else None
        # The batch's views are computed in its own transaction, so that a reader never sees
        # its stories without them; but at the end of a parallel ingest with all others,
        # after its commit, in worker processes (until they are stored, the server computes
        # such views itself).
        in_workers = final and self.view_workers > 1
        assignments = self._write(prepared, rejects, None if in_workers else views)
        if self.inputs:
            self.store.add_inputs(self.inputs)
            self.inputs = []
        if views is not None:
            # what this batch did not change but is stale all the same: the stories of an
            # interrupted ingest, or views of an older format
            views(self.store, workers=self.view_workers if final else 1)
            self._views_refreshed = time.monotonic()
        if self.record:
            self.assignments.extend(assignments)
        return assignments

    def _views_due(self, final: bool) -> bool:
        """Whether to bring the stored story views up to date now: at the end of an ingest,
        and otherwise at most every ``story_views_refresh_seconds`` (a story that grows in
        every batch of a long ingest is not recomputed every batch)."""
        if self.views is None or not self.options.store_story_views:
            return False
        waited = time.monotonic() - self._views_refreshed
        return final or waited >= self.options.story_views_refresh_seconds

    def _write(
        self, prepared: list[Prepared], rejects: list[Reject], views: StoryViews | None
    ) -> list[Assignment]:
        """Group the batch's new articles and store them with its rejects, one transaction,
        with the views of the stories they changed when ``views`` is given."""
        if not prepared and not rejects:
            return []
        existing = self.store.existing_ids(p.article.id for p in prepared)
        self.summary.duplicates += len(existing)
        prepared = [p for p in prepared if p.article.id not in existing]
        if not prepared:
            if rejects:
                self.store.add_rejects(rejects)
            return []
        articles = [p.article for p in prepared]
        stamps = [a.timestamp for a in articles if a.timestamp is not None]
        assignments = self._assign(prepared, stamps)
        with self.store.transaction():
            self.store.write_batch(
                articles, assignments, self.index, rejects,
                attributions={p.article.id: p.attributions for p in prepared},
                mentions={p.article.id: p.mentions for p in prepared},
                events={p.article.id: p.events for p in prepared},
            )
            if views is not None:
                # in the batch's own transaction: a reader never sees the batch's stories
                # without their views
                views(self.store, {m.story_id for m in assignments})
        if stamps:
            self.index.forget_before(max(stamps), self.options.story_window_hours * 3600.0)
        self.summary.stored += len(articles)
        self.summary.not_analysed.update(str(a.language) for a in articles if not a.analysed)
        self.summary.new_stories += sum(1 for m in assignments if m.new_story)
        return assignments

    def _assign(self, prepared: list[Prepared], stamps: list[float]) -> list[Assignment]:
        """The stories of a batch's new articles (``stamps``: their publication times), the
        index first loaded with the stored stories they may join."""
        articles = [p.article for p in prepared]
        counts = {p.article.id: p.terms for p in prepared}
        signatures = {p.article.id: p.signature for p in prepared}
        terms = set().union(*(c.keys() for c in counts.values()))
        window = self.options.story_window_hours * 3600.0
        if stamps:
            load_window(self.index, self.store, terms, (min(stamps), max(stamps)), window)
        if len(stamps) < len(articles):
            load_window(self.index, self.store, terms, None, window)
        # Articles grouped elsewhere (storylens.spark) are taken into their stories; the
        # others (there, the undated ones, which come last) are grouped here.
        decided = {p.article.id: p.decided for p in prepared if p.decided is not None}
        here = [p for p in prepared if p.decided is None]
        assignments = []
        if decided:
            elsewhere = [p for p in prepared if p.decided is not None]
            load_stories(self.index, self.store, {d.story_id for d in decided.values()})
            embedded = {p.article.id: p.embedding for p in elsewhere if p.embedding is not None}
            assignments += apply(
                [p.article for p in elsewhere], self.index, decided, self.options, counts,
                signatures, embedded if len(embedded) == len(elsewhere) else None,
            )
        if here:
            mine = [p.article for p in here]
            embeddings = embed(mine) if self.options.use_sentence_embeddings else None
            assignments += group(mine, self.index, self.options, counts, signatures, embeddings)
        return assignments


def ingest(
    paths: list[Path],
    store: Store,
    options: Options,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    *,
    views: StoryViews | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store. Raises UsageError for a missing path.
    ``views``: what stores the story views (see Ingestor); None stores none."""
    started = time.perf_counter()
    check_paths(paths)
    files = list_files(paths)
    if on_total:
        on_total(len(files))
    ingestor = Ingestor(store, options, views=views)

    def counted(items: Iterable[RawInput | Reject]) -> Iterator[RawInput | Reject]:
        for item in items:
            ingestor.summary.inputs += 1
            yield item

    def skipped(duplicates: int, ends_file: bool) -> None:
        if ends_file and progress:
            progress(1)

    ingestor.on_known = skipped
    known = ingestor.known
    limit = int(options.max_file_size_mb * 1024 * 1024)
    inputs = known.files(counted(read_inputs(files, options)))
    units = known.units(units_of(inputs, limit, ingestor.summary.skipped))
    parallel = len(files) >= PARALLEL_MIN_INPUTS or _total_bytes(files) >= PARALLEL_MIN_BYTES
    feed(units, ingestor, parallel, progress, known)
    ingestor.summary.seconds = time.perf_counter() - started
    return ingestor.summary


def feed(
    units: Iterable[Unit],
    ingestor: Ingestor,
    parallel: bool = True,
    progress: Progress | None = None,
    known: KnownInputs | None = None,
) -> IngestSummary:
    """Prepare every unit (in worker processes when ``parallel`` and the options allow more
    than one) and hand the results, in order, to the ingestor; flush at the end.
    ``progress`` is told of each input file whose results are all in; ``known`` (which
    filtered the units) of each unit's results, and its inputs ready are recorded."""
    workers = min(ingestor.options.worker_processes, os.cpu_count() or 1)

    def take(results: list[Prepared | Reject], ends_file: bool) -> None:
        if known is not None:
            known.took(results)
            ingestor.inputs.extend(known.ready)
            known.ready.clear()
        ingestor.add(results)
        if ends_file and progress:
            progress(1)

    work = functools.partial(prepare_units, extraction=Extraction.of(ingestor.options))
    first, batches = _first_work(batched(units, UNITS_PER_TASK), work, take)
    if first is None:  # nothing to prepare (a rerun of inputs all known): no model, no workers
        parallel = False
    else:
        batches = itertools.chain([first], batches)
        # load (or fail to find) the language model before the first input is prepared: once
        # here, for the forked workers to share
        if ingestor.options.extract_attributions or ingestor.options.extract_events:
            pipeline()
    if parallel and workers > 1:
        preload()  # once here, for the forked workers to share
        ingestor.view_workers = workers
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for done in pool.imap(work, batches):
                for results, ends_file in done:
                    take(results, ends_file)
    else:
        for batch in batches:
            for results, ends_file in work(batch):
                take(results, ends_file)
    ingestor.flush(final=True)
    return ingestor.summary


def preload() -> None:
    """Load what every worker process needs and would otherwise load for itself, a second or
    two each and its own copy in memory: the language model, the grouping's tables, the
    gazetteer, the place list, spaCy's recogniser and the event lexicon."""
    warm_up_cleaning()
    warm_up()
    load_gazetteer()
    load_localities()
    recogniser()
    trigger_forms()


def _first_work(
    batches: Iterator[list[Unit]],
    work: Callable[[list[Unit]], list[tuple[list[Prepared | Reject], bool]]],
    take: Callable[[list[Prepared | Reject], bool], None],
) -> tuple[list[Unit] | None, Iterator[list[Unit]]]:
    """The first batch with an input to prepare (None when there is none), and the batches
    after it; the batches before it, only rejects (inputs that could not be read), are
    handed to ``take`` here, as they need no preparing."""
    for batch in batches:
        if any(not isinstance(item, Reject) for item, _ in batch):
            return batch, batches
        for results, ends_file in work(batch):
            take(results, ends_file)
    return None, batches


def _printable(reject: Reject) -> Reject:
    """A reject that can be stored and printed: its source and detail as UTF-8 text (a file
    name that is not UTF-8 written with backslash escapes)."""
    source, detail = printable(reject.source), printable(reject.detail)
    if source == reject.source and detail == reject.detail:
        return reject
    return Reject(source, reject.reason, detail)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items in turn (the last one shorter), as itertools.batched of
    Python 3.12 does."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _total_bytes(files: list[Path]) -> int:
    """The files' sizes added up (a file that cannot be read counts nothing)."""
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reported as unreadable when read
            total += path.stat().st_size
    return total

