"""``storylens spark``: the pipeline on Apache Spark, with the stage functions the in-process
ingest runs (no second implementation).

- Reading, parsing, cleaning and extraction (quotes, entities, events), nearly all of the
  work, run in Spark tasks: ``mapPartitions`` over the input files (read from disk in the
  tasks for local and mounted paths, ``binaryFiles`` for other URIs such as s3a://: web
  archives, JSON Lines, HTML, text, feeds, gzipped or not) and over the records of Parquet
  inputs, calling ``pipeline.units_of`` and ``pipeline.prepare_many``. The same tasks count
  the articles' terms by time block.
- Grouping runs in Spark tasks too, one time block each (storylens.spark.blocks): the articles of
  a block, with the last story window of the block before it as context, go to one
  partition in publication order (``repartitionAndSortWithinPartitions``), and group.group
  decides their stories there, starting from the document frequencies of all earlier
  blocks.
- The driver joins the blocks' stories (blocks.Joiner: a story that continues one of the
  block before keeps its id), reading the partitions in time order (``toLocalIterator``),
  and stores the articles with their stories through the in-process ``Ingestor`` over a
  SQLite file of its own. Its state is bounded by the story window; it loads no language
  model.
- The driver then writes the corpus tables as Parquet (storylens.spark.parquet), which
  ``storylens import`` loads into a database that ``serve`` shows.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..ingest.parse import record_draft
from ..ingest.sources import check_paths, gunzip_limited, input_of, is_warc, list_files, read_inputs
from ..model import RawInput, Reject
from ..options import Options
from ..pipeline import (
    UNITS_PER_TASK,
    Extraction,
    Ingestor,
    IngestSummary,
    Prepared,
    batched,
    prepare_units,
    units_of,
)
from ..pipeline.known import KnownInputs
from ..store import Store
from .blocks import BlockCounter, BlockPlan, BlockStats, Grouped, Joiner, group_block, order
from .parquet import write_inputs, write_tables

# What a Spark task hands back for each piece of input: an article ready for grouping, a
# reject, or a count of web archive records that are not documents.
Outcome = tuple[str, Any]


@dataclass
class SparkSummary(IngestSummary):
    """What a Spark run did: an ingest's summary (``inputs`` counts the input files), with
    the Parquet input records, the rows written per table and the seconds per stage."""

    records: int = 0  # Parquet input records
    blocks: int = 0  # time blocks grouped side by side
    tables: dict[str, int] = field(default_factory=dict)
    # start to articles prepared (Spark tasks), then sorted and grouped (driver), written
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # the input files and web archive records prepared whole: (hash, source, articles)
    input_hashes: list[tuple[str, str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            **super().as_dict(),
            "records": self.records,
            "blocks": self.blocks,
            "tables": self.tables,
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
        }


def _local(uri: str) -> str:
    """A local file's path as the in-process ingest names it ("file:/x/y" -> "/x/y")."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if uri.startswith("file:"):
        return uri[len("file:"):]
    return uri


def _prepared(
    items: Iterable[RawInput | Reject], limit: int, extraction: Extraction
) -> Iterator[Outcome]:
    skipped: Counter[str] = Counter()
    files = 0

    def each(items: Iterable[RawInput | Reject]) -> Iterator[RawInput | Reject]:
        nonlocal files
        for item in items:
            files += 1
            yield item

    # each input prepared whole, none of it rejected, is said ("input": hash, source, articles)
    # to be recorded as known where the tables are imported
    known = KnownInputs(None, lambda duplicates, ends: None)
    units = known.units(units_of(known.files(each(items)), limit, skipped))
    for batch in batched(units, UNITS_PER_TASK):
        for results, _ in prepare_units(batch, extraction):
            known.took(results)
            for result in results:
                yield ("article", result) if isinstance(result, Prepared) else ("reject", result)
        for entry in known.ready:
            yield "input", entry
        known.ready.clear()
    for kind, count in skipped.items():
        yield "skipped", (kind, count)
    yield "inputs", files


def prepare_files(
    files: Iterable[tuple[str, bytes]], limit: int, extraction: Extraction,
    columns: tuple[tuple[str, str], ...] = (),
) -> Iterator[Outcome]:
    """A Spark task over (URI, bytes) of input files (``binaryFiles``): each read as ingest
    reads a file (``columns``: a table's, as Options.table_columns gives them)."""

    def inputs() -> Iterator[RawInput | Reject]:
        for uri, data in files:
            source = _local(uri)
            try:
                content = gunzip_limited(bytes(data), limit) if not is_warc(source) else data
            except (OSError, EOFError, ValueError) as error:
                yield Reject(source, "unreadable", f"cannot read the file: {error}")
                continue
            yield input_of(source, bytes(content), limit, columns)

    yield from _prepared(inputs(), limit, extraction)


def prepare_paths(paths: Iterable[str], options: Options, extraction: Extraction
                  ) -> Iterator[Outcome]:
    """A Spark task over paths of local files (or files on a file system every executor
    mounts), read as ingest reads them: from disk, a web archive record by record."""
    limit = int(options.max_file_size_mb * 1024 * 1024)
    read = read_inputs([Path(p) for p in paths], options)
    yield from _prepared(read, limit, extraction)


def _is_local(uri: str) -> bool:
    """A path on this machine (or on a file system every executor mounts): no URI scheme, or
    file:."""
    return uri.startswith("file:") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri) is None


def prepare_records(
    rows: Iterable[tuple[str, dict[str, Any]]], limit: int, extraction: Extraction
) -> Iterator[Outcome]:
    """A Spark task over Parquet records (source, fields), each read as a JSON Lines record
    (``text`` or ``body``, ``title``, ``url``, ``outlet`` or ``source``, ``published`` or
    ``date``, ``id``)."""
    units = ((record_draft(source, row), True) for source, row in rows)
    for batch in batched(units, UNITS_PER_TASK):
        for results, _ in prepare_units(batch, extraction):
            for result in results:
                yield ("article", result) if isinstance(result, Prepared) else ("reject", result)


def _with_block_stats(outcomes: Iterable[Outcome], block_seconds: float) -> Iterator[Outcome]:
    """A prepare task's outcomes, then the statistics of its articles by time block."""
    counter = BlockCounter(block_seconds)
    for kind, value in outcomes:
        if kind == "article":
            counter.count(value)
        yield kind, value
    yield "blocks", counter.blocks


def _group_partition(
    records: Iterable[tuple[tuple[int, Any], tuple[Prepared, bool]]], seeds: Any,
    options: Options,
) -> Iterator[Grouped]:
    """A Spark task grouping the time blocks of a partition (blocks.group_block), one after
    the other: the records come sorted by block number, then publication order."""
    for number, rows in itertools.groupby(records, key=lambda record: record[0][0]):
        yield from group_block(number, (value for _, value in rows), seeds.value, options)


def run(
    inputs: list[str],
    output: Path,
    options: Options,
    master: str | None = None,
    partitions: int | None = None,
) -> SparkSummary:
    """Run the pipeline on Spark over the inputs (paths or URIs Spark can read; a path ending
    in .parquet is read as Parquet records) and write the Parquet tables to ``output``."""
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        raise UsageError("storylens spark needs PySpark: pip install 'storylens[spark]'") from error
    if not inputs:
        raise UsageError("no input given")
    if options.grouping_block_hours < options.story_window_hours:
        raise UsageError(
            f"grouping_block_hours ({options.grouping_block_hours:g}) is less than "
            f"story_window_hours ({options.story_window_hours:g})"
        )
    started = time.perf_counter()
    spark = session(master)
    try:
        return _run(spark, inputs, output, options, partitions, started)
    finally:
        spark.stop()


def session(master: str | None = None) -> Any:
    """The SparkSession storylens runs in (``master``: spark-submit's or local[*] when
    None), with its Python workers forked from storylens.spark.daemon."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("storylens")
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        # local workers run this interpreter (its environment has storylens); on a cluster
        # PYSPARK_PYTHON names the executors' one (see the README's recipe)
        # (the environment variable: Spark's local workers do not read the setting)
        os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        builder.config("spark.ui.enabled", "false")
        .config("spark.python.daemon.module", "storylens.spark.daemon")
        .getOrCreate()
    )


def _grouped(
    every: Any, plan: BlockPlan, stats: list[BlockStats], slices: int, options: Options
) -> Any:
    """The articles of ``every`` grouped by time block (blocks.group_block), computed and
    kept: each block's articles (and its context) in one partition, in publication order,
    with the blocks before and after it that share the partition (about as many articles in
    each); the partitions in time order, so that the driver reads the blocks one after the
    other."""
    from pyspark import StorageLevel

    seeds = every.context.broadcast(stats)
    partition_of = plan.spread(stats, slices)
    grouped = (
        every.filter(lambda o: o[0] == "article")
        .flatMap(lambda o: [
            ((number, order(o[1])), (o[1], is_context))
            for number, is_context in plan.targets(o[1])
        ])
        .repartitionAndSortWithinPartitions(
            max(partition_of, default=0) + 1, partitionFunc=lambda key: partition_of[key[0]]
        )
        .mapPartitions(functools.partial(_group_partition, seeds=seeds, options=options))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    # Every block grouped at once, side by side (toLocalIterator alone would compute the
    # partitions one or two at a time, as the driver reads them)
    grouped.count()
    return grouped


def _run(
    spark: Any, inputs: list[str], output: Path, options: Options, partitions: int | None,
    started: float,
) -> SparkSummary:
    """The Spark run in its session: inputs prepared in tasks, grouped by time block in
    tasks, then joined, stored and written as Parquet by the driver."""
    context = spark.sparkContext
    summary = SparkSummary()
    slices = partitions or 4 * context.defaultParallelism  # a few per core: one slow
    # input does not hold the rest up
    outcomes = _prepare_tasks(spark, inputs, options, slices, summary)
    if not outcomes:
        raise UsageError("no input given")
    block_seconds = options.grouping_block_hours * 3600.0
    every = context.union(outcomes).mapPartitions(
        functools.partial(_with_block_stats, block_seconds=block_seconds)
    ).cache()
    # One pass for everything but the articles (few and small, with the statistics of the
    # articles by time block), then one to group them.
    stats = _tally(every, summary)
    summary.stage_seconds["prepare"] = time.perf_counter() - started
    try:
        plan = BlockPlan.of(stats, options)
    except ValueError as error:
        raise UsageError(str(error)) from error
    summary.blocks = len(plan.blocks)
    grouped = _grouped(every, plan, [stats[block] for block in plan.blocks], slices, options)
    _store_and_write(grouped, summary, options, output, started)
    grouped.unpersist()
    every.unpersist()
    summary.seconds = time.perf_counter() - started
    return summary


def _prepare_tasks(
    spark: Any, inputs: list[str], options: Options, slices: int, summary: SparkSummary
) -> list[Any]:
    """The prepare tasks over the inputs, one RDD of outcomes per kind of input: local
    files, files at other URIs, and each Parquet input's records (counted in ``summary``)."""
    context = spark.sparkContext
    limit = int(options.max_file_size_mb * 1024 * 1024)
    extraction = Extraction.of(options)
    outcomes = []
    files = [p for p in inputs if not p.rstrip("/").lower().endswith(".parquet")]
    tables = [p for p in inputs if p.rstrip("/").lower().endswith(".parquet")]
    local = [p for p in files if _is_local(p)]
    remote = [p for p in files if not _is_local(p)]
    if local:
        # listed here, read in the tasks from disk as ingest reads them (binaryFiles would
        # read every file once more, and pack small files into one split)
        check_paths([Path(_local(p)) for p in local])
        paths = [str(p) for p in list_files([Path(_local(p)) for p in local])]
        if paths:
            outcomes.append(context.parallelize(paths, min(slices, len(paths))).mapPartitions(
                functools.partial(prepare_paths, options=options, extraction=extraction)
            ))
    if remote:
        read = context.binaryFiles(",".join(remote)).repartition(slices)
        outcomes.append(read.mapPartitions(
            functools.partial(
                prepare_files, limit=limit, extraction=extraction,
                columns=options.table_columns(),
            )
        ))
    for path in tables:
        frame = spark.read.parquet(path)
        rows = frame.rdd.zipWithIndex().map(
            lambda pair, path=path: (f"{path}#record {pair[1] + 1}", pair[0].asDict())
        )
        summary.records += rows.count()
        outcomes.append(rows.mapPartitions(
            functools.partial(prepare_records, limit=limit, extraction=extraction)
        ))
    return outcomes


def _tally(every: Any, summary: SparkSummary) -> dict[int, BlockStats]:
    """The outcomes that are not articles, gathered on the driver: rejects, skipped
    records and input files counted in ``summary``; the articles' statistics by time
    block, summed over the tasks."""
    stats: dict[int, BlockStats] = {}
    for kind, value in every.filter(lambda o: o[0] != "article").collect():
        if kind == "reject":
            summary.rejects.append(value)
        elif kind == "skipped":
            summary.skipped[value[0]] += value[1]
        elif kind == "input":
            summary.input_hashes.append(value)
        elif kind == "blocks":
            for block, found in value.items():
                stats.setdefault(block, BlockStats()).merge(found)
        else:
            summary.inputs += value
    return stats


def _store_and_write(
    grouped: Any, summary: SparkSummary, options: Options, output: Path, started: float
) -> None:
    """The blocks' stories joined and stored in time order by the driver's Ingestor, over
    a SQLite file of its own, then written as the Parquet tables to ``output``."""
    total = 0
    with (
        tempfile.TemporaryDirectory(prefix="storylens-spark-") as folder,
        Store(Path(folder) / "driver.db") as store,
    ):
        # The in-process store, fed in time order with the stories decided in the blocks
        # and joined here. The articles come with their extractions (the driver loads no
        # language model); the stories' views are computed where the tables are imported
        # (so this Ingestor is given no views function).
        ingestor = Ingestor(store, options.replace(
            store_story_views=False, extract_attributions=False, extract_events=False
        ))
        ingestor.add(summary.rejects)
        joiner = Joiner(options)
        for kind, value in grouped.toLocalIterator(prefetchPartitions=True):
            item = joiner.take(kind, value)
            if item is not None:
                total += 1
                ingestor.add([item])
        ingestor.flush(final=True)
        summary.stage_seconds["group"] = time.perf_counter() - started - sum(
            summary.stage_seconds.values()
        )
        summary.stored = ingestor.summary.stored
        summary.new_stories = ingestor.summary.new_stories
        summary.duplicates = total + joiner.duplicates - summary.stored
        summary.rejected = len(summary.rejects)
        summary.tables = write_tables(store, output)
        summary.tables["inputs"] = write_inputs(summary.input_hashes, output)
        summary.stage_seconds["write"] = time.perf_counter() - started - sum(
            summary.stage_seconds.values()
        )
