"""The pipeline: read, parse, clean, group and store, batch by batch.

Stages are pure functions (parse.parse_input, clean.clean, group.group); this module
composes them and hands each whole batch to the store in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import io
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np

from ..clean.cleaner import clean
from ..errors import UsageError
from ..extract.attribution import extract, parse_articles
from ..extract.entities import find_mentions
from ..extract.events import code_events, trigger_forms
from ..extract.nlp import pipeline
from ..group.embed import available as embed_available
from ..group.embed import embed
from ..group.loading import load_stories, load_window
from ..group.stories import StoryIndex, apply, group, signature, terms_of, text_kind, warm_up
from ..ingest.parse import parse_input
from ..ingest.sources import check_paths, list_files, read_inputs
from ..ingest.warc import Skipped, warc_inputs
from ..model import Article, Assignment, Attribution, Draft, EventMention, Mention, RawInput, Reject
from ..options import Options
from ..read.stored import refresh_story_views
from ..store import Store

T = TypeVar("T")
Progress = Callable[[int], None]
# Fewer (and smaller) inputs than this are prepared in-process: starting workers costs more.
PARALLEL_MIN_INPUTS = 64
PARALLEL_MIN_BYTES = 1_000_000
# Inputs prepared together (a worker's task): their articles are parsed in one batch.
UNITS_PER_TASK = 16


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
    # web archive records that are not documents (warcinfo, request ...), by record type
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "new_stories": self.new_stories,
            "seconds": round(self.seconds, 3),
            "rejects": [r.__dict__ for r in self.rejects],
            "skipped_records": dict(sorted(self.skipped.items())),
        }


@dataclass
class Prepared:
    """An article with what grouping needs from its text, computed where it was cleaned."""

    article: Article
    terms: Counter[str]
    signature: np.ndarray
    attributions: list[Attribution] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    # where a grouping elsewhere put the article (storylens.spark), and its sentence
    # embedding when that grouping used them: the Ingestor then takes it there
    decided: Assignment | None = None
    embedding: np.ndarray | None = None


@dataclass(frozen=True)
class Extraction:
    """What to extract from each article besides what grouping needs."""

    attributions: bool = False
    events: bool = False  # entities and events


@dataclass
class Analysis:
    attributions: dict[str, list[Attribution]]
    mentions: dict[str, list[Mention]]
    events: dict[str, list[EventMention]]


def analyse(articles: list[Article], extraction: Extraction) -> Analysis:
    """The language stages over a batch of full articles: one spaCy parse of the sentences
    that need it, shared by attributions and events; entity mentions from the text."""
    empty: dict[str, list[Any]] = {a.id: [] for a in articles}
    if not articles or not (extraction.attributions or extraction.events):
        return Analysis(dict(empty), dict(empty), dict(empty))
    nlp = pipeline()
    parsed = parse_articles(articles, nlp, trigger_forms() if extraction.events else frozenset())
    found = extract(articles, nlp, parsed) if extraction.attributions else dict(empty)
    if not extraction.events:
        return Analysis(found, dict(empty), dict(empty))
    mentions = {a.id: find_mentions(a) for a in articles}
    return Analysis(found, mentions, code_events(articles, parsed, mentions))


def prepare(
    item: RawInput | Draft, extraction: Extraction | None = None
) -> list[Prepared | Reject]:
    """Parse (for a raw input), clean and, as ``extraction`` asks, find the quotes and
    reported speech, the entities and the events of full articles (headlines and snippets
    get their entities only): the pure per-input part of the pipeline."""
    return prepare_many([item], extraction)[0]


def prepare_many(
    items: Sequence[RawInput | Draft], extraction: Extraction | None = None
) -> list[list[Prepared | Reject]]:
    """prepare() over several inputs, each input's results in a list of their own. The
    language stages run once over all their full articles: spaCy parses a batch of many
    articles' sentences about a third faster than the same sentences article by article.
    This runs in worker processes (or Spark tasks), a few inputs per task."""
    extraction = extraction or Extraction()
    results: list[list[Prepared | Reject]] = []
    full: list[Prepared] = []
    for item in items:
        drafts = parse_input(item) if isinstance(item, RawInput) else [item]
        outcome: list[Prepared | Reject] = []
        for draft in drafts:
            cleaned = clean(draft) if isinstance(draft, Draft) else draft
            if isinstance(cleaned, Article):
                prepared = Prepared(cleaned, terms_of(cleaned), signature(cleaned))
                if text_kind(cleaned) == "article":
                    full.append(prepared)
                elif extraction.events:
                    prepared.mentions = find_mentions(cleaned)
                outcome.append(prepared)
            else:
                outcome.append(cleaned)
        results.append(outcome)
    if full:
        # one analysis per id: two copies of an input in one batch are one article
        unique = {p.article.id: p.article for p in full}
        analysis = analyse(list(unique.values()), extraction)
        for prepared in full:
            key = prepared.article.id
            prepared.attributions = analysis.attributions[key]
            prepared.mentions = analysis.mentions[key]
            prepared.events = analysis.events[key]
    return results


Unit = tuple[RawInput | Draft | Reject, bool]  # a piece of work, and whether it ends its file


def units_of(
    items: Iterable[RawInput | Reject], limit_bytes: int, skipped: Counter[str] | None = None
) -> Iterator[Unit]:
    """Work units for prepare(): JSON inputs are split into their records here (cheap), so
    that a large JSON Lines file is cleaned in parallel too, and web archives into their
    pages (read as a stream; each page at most ``limit_bytes``). ``skipped`` counts the
    archive records that are not documents, by record type."""
    for item in items:
        if isinstance(item, RawInput) and item.kind == "json":
            records = parse_input(item)
            for number, record in enumerate(records, start=1):
                yield record, number == len(records)
            if not records:
                yield Reject(item.source, "no-text", "the JSON input holds no records"), True
        elif isinstance(item, RawInput) and item.kind == "warc":
            yield from _warc_units(item, limit_bytes, skipped)
        else:
            yield item, True


def _warc_units(
    archive: RawInput, limit_bytes: int, skipped: Counter[str] | None
) -> Iterator[Unit]:
    """The pages of a web archive, from its bytes when they were read already (Spark), else
    streamed from its file."""
    path = archive.source
    try:
        handle: IO[bytes] = io.BytesIO(archive.data) if archive.data else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        yield Reject(path, "unreadable", f"cannot read the file: {error}"), True
        return
    with handle:
        previous: RawInput | Reject | None = None
        for item in warc_inputs(path, handle, limit_bytes):
            if isinstance(item, Skipped):
                if skipped is not None:
                    skipped[item.record_type] += 1
                continue
            if previous is not None:
                yield previous, False
            previous = item
    if previous is None:
        yield Reject(path, "no-pages", "the web archive holds no page (no response or "
                     "resource record)"), True
    else:
        yield previous, True


class Ingestor:
    """Feeds articles through grouping into the store, a batch at a time."""

    def __init__(self, store: Store, options: Options, *, record: bool = False) -> None:
        """``record``: keep the assignment of every stored article and the id of every article
        met (``assignments``, ``met``), for callers that report them (the HTTP API)."""
        if options.use_sentence_embeddings and not embed_available():
            raise UsageError(
                "use_sentence_embeddings needs the embeddings extra: pip install torch==2.13.0 "
                "(the CPU build, first), then pip install 'storylens[embeddings]'"
            )
        if options.extract_attributions or options.extract_events:
            pipeline()  # load (or fail to find) the language model before any work is done
        self.store = store
        self.options = options
        self.index = StoryIndex()
        self.summary = IngestSummary()
        self._articles: list[Prepared] = []
        self._rejects: list[Reject] = []
        self._seen: set[str] = set()
        self.record = record
        self.assignments: list[Assignment] = []
        self.met: list[str] = []
        self._views_refreshed = time.monotonic()
        # processes that compute the stored views at the end (feed() sets it when it forks
        # workers; a server, with its threads, does not fork)
        self.view_workers = 1

    def add(self, items: Iterable[Prepared | Reject]) -> None:
        for item in items:
            if self.record and isinstance(item, Prepared):
                self.met.append(item.article.id)
            if isinstance(item, Reject):
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
        due = self._views_due(final)
        # The batch's views are computed in its own transaction, so that a reader never sees
        # its stories without them; but at the end of a parallel ingest with all others,
        # after its commit, in worker processes (until they are stored, the server computes
        # such views itself).
        in_workers = final and self.view_workers > 1
        assignments = self._write(prepared, rejects, due and not in_workers)
        if due:
            # what this batch did not change but is stale all the same: the stories of an
            # interrupted ingest, or views of an older format
            refresh_story_views(self.store, workers=self.view_workers if final else 1)
            self._views_refreshed = time.monotonic()
        if self.record:
            self.assignments.extend(assignments)
        return assignments

    def _views_due(self, final: bool) -> bool:
        """Whether to bring the stored story views up to date now: at the end of an ingest,
        and otherwise at most every ``story_views_refresh_seconds`` (a story that grows in
        every batch of a long ingest is not recomputed every batch)."""
        if not self.options.store_story_views:
            return False
        waited = time.monotonic() - self._views_refreshed
        return final or waited >= self.options.story_views_refresh_seconds

    def _write(
        self, prepared: list[Prepared], rejects: list[Reject], views: bool
    ) -> list[Assignment]:
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
        counts = {p.article.id: p.terms for p in prepared}
        signatures = {p.article.id: p.signature for p in prepared}
        terms = set().union(*(c.keys() for c in counts.values()))
        stamps = [a.timestamp for a in articles if a.timestamp is not None]
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
        with self.store.transaction():
            self.store.write_batch(
                articles, assignments, self.index, rejects,
                attributions={p.article.id: p.attributions for p in prepared},
                mentions={p.article.id: p.mentions for p in prepared},
                events={p.article.id: p.events for p in prepared},
            )
            if views:
                # in the batch's own transaction: a reader never sees the batch's stories
                # without their views
                refresh_story_views(self.store, {m.story_id for m in assignments})
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

    def counted(items: Iterable[RawInput | Reject]) -> Iterator[RawInput | Reject]:
        for item in items:
            ingestor.summary.inputs += 1
            yield item

    limit = int(options.max_file_size_mb * 1024 * 1024)
    units = units_of(counted(read_inputs(files, options)), limit, ingestor.summary.skipped)
    parallel = len(files) >= PARALLEL_MIN_INPUTS or _total_bytes(files) >= PARALLEL_MIN_BYTES
    feed(units, ingestor, parallel, progress)
    ingestor.summary.seconds = time.perf_counter() - started
    return ingestor.summary


def feed(
    units: Iterable[Unit],
    ingestor: Ingestor,
    parallel: bool = True,
    progress: Progress | None = None,
) -> IngestSummary:
    """Prepare every unit (in worker processes when ``parallel`` and the options allow more
    than one) and hand the results, in order, to the ingestor; flush at the end.
    ``progress`` is told of each input file whose results are all in."""
    workers = min(ingestor.options.worker_processes, os.cpu_count() or 1)

    def take(results: list[Prepared | Reject], ends_file: bool) -> None:
        ingestor.add(results)
        if ends_file and progress:
            progress(1)

    extraction = Extraction(
        attributions=ingestor.options.extract_attributions,
        events=ingestor.options.extract_events,
    )
    work = functools.partial(prepare_units, extraction=extraction)
    if parallel and workers > 1:
        warm_up()  # load once here what the forked workers then share (and the Ingestor
        # loaded the spaCy pipeline, when attributions are extracted)
        ingestor.view_workers = workers
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for done in pool.imap(work, batched(units, UNITS_PER_TASK)):
                for results, ends_file in done:
                    take(results, ends_file)
    else:
        for batch in batched(units, UNITS_PER_TASK):
            for results, ends_file in work(batch):
                take(results, ends_file)
    ingestor.flush(final=True)
    return ingestor.summary


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
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reported as unreadable when read
            total += path.stat().st_size
    return total


def prepare_units(
    units: Sequence[Unit], extraction: Extraction
) -> list[tuple[list[Prepared | Reject], bool]]:
    """prepare_many over a batch of units (a worker's task), with whether each ends its file."""
    inputs = [item for item, _ in units if not isinstance(item, Reject)]
    prepared = iter(prepare_many(inputs, extraction))
    return [
        ([item] if isinstance(item, Reject) else next(prepared), ends_file)
        for item, ends_file in units
    ]
