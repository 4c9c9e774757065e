"""``storylens spark``: the pipeline on Apache Spark, with the stage functions the in-process
ingest runs (no second implementation).

- Reading, parsing, cleaning and extraction (quotes, entities, events), nearly all of the
  work, run in Spark tasks: ``mapPartitions`` over the input files (``binaryFiles``: any path
  Spark can read; web archives, JSON Lines, HTML, text, feeds, gzipped or not) and over the
  records of Parquet inputs, calling ``pipeline.units_of`` and ``pipeline.prepare``.
- Articles are deduplicated by their content-hash id in Spark and sorted by publication time.
- Grouping is online and time-ordered, as in-process: the driver streams the sorted articles
  one partition at a time (``toLocalIterator``) into the in-process ``Ingestor`` over a SQLite
  file of its own, so the same grouping code decides with the same state (bounded by the
  open-story window); memory stays flat, and the stories are the in-process ones.
- The driver then writes the corpus tables as Parquet (storylens.parquet), which
  ``storylens import`` loads into a database that ``serve`` shows.

Grouping on the driver is sequential: it is fast next to extraction (see ``bench cluster``),
but it bounds a run's throughput at what one core groups.
"""

from __future__ import annotations

import functools
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

from .errors import UsageError
from .model import RawInput, Reject
from .options import Options
from .parquet import write_tables
from .parse import record_draft
from .pipeline import (
    UNITS_PER_TASK,
    Extraction,
    Ingestor,
    IngestSummary,
    Prepared,
    batched,
    prepare_units,
    units_of,
)
from .sources import check_paths, gunzip_limited, input_of, is_warc, list_files, read_inputs
from .store import Store

# What a Spark task hands back for each piece of input: an article ready for grouping, a
# reject, or a count of web archive records that are not documents.
Outcome = tuple[str, Any]


@dataclass
class SparkSummary(IngestSummary):
    """What a Spark run did: an ingest's summary (``inputs`` counts the input files), with
    the Parquet input records, the rows written per table and the seconds per stage."""

    records: int = 0  # Parquet input records
    tables: dict[str, int] = field(default_factory=dict)
    # start to articles prepared (Spark tasks), then sorted and grouped (driver), written
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            **super().as_dict(),
            "records": self.records,
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

    for batch in batched(units_of(each(items), limit, skipped), UNITS_PER_TASK):
        for results, _ in prepare_units(batch, extraction):
            for result in results:
                yield ("article", result) if isinstance(result, Prepared) else ("reject", result)
    for kind, count in skipped.items():
        yield "skipped", (kind, count)
    yield "inputs", files


def prepare_files(
    files: Iterable[tuple[str, bytes]], limit: int, extraction: Extraction
) -> Iterator[Outcome]:
    """A Spark task over (URI, bytes) of input files (``binaryFiles``): each read as ingest
    reads a file."""

    def inputs() -> Iterator[RawInput | Reject]:
        for uri, data in files:
            source = _local(uri)
            try:
                content = gunzip_limited(bytes(data), limit) if not is_warc(source) else data
            except (OSError, EOFError, ValueError) as error:
                yield Reject(source, "unreadable", f"cannot read the file: {error}")
                continue
            yield input_of(source, bytes(content), limit)

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


def _order(item: Prepared) -> tuple[bool, float, str]:
    article = item.article
    return (article.timestamp is None, article.timestamp or 0.0, article.id)


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
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise UsageError("storylens spark needs PySpark: pip install 'storylens[spark]'") from error
    if not inputs:
        raise UsageError("no input given")
    started = time.perf_counter()
    builder = SparkSession.builder.appName("storylens")
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        # local workers run this interpreter (its environment has storylens); on a cluster
        # PYSPARK_PYTHON names the executors' one (see the README's recipe)
        # (the environment variable: Spark's local workers do not read the setting)
        os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    try:
        return _run(spark, inputs, output, options, partitions, started)
    finally:
        spark.stop()


def _run(
    spark: Any, inputs: list[str], output: Path, options: Options, partitions: int | None,
    started: float,
) -> SparkSummary:
    context = spark.sparkContext
    limit = int(options.max_file_size_mb * 1024 * 1024)
    extraction = Extraction(
        attributions=options.extract_attributions, events=options.extract_events
    )
    summary = SparkSummary()
    outcomes = []
    files = [p for p in inputs if not p.rstrip("/").lower().endswith(".parquet")]
    tables = [p for p in inputs if p.rstrip("/").lower().endswith(".parquet")]
    slices = partitions or 4 * context.defaultParallelism  # a few per core: one slow
    # input does not hold the rest up
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
            functools.partial(prepare_files, limit=limit, extraction=extraction)
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
    if not outcomes:
        raise UsageError("no input given")
    every = context.union(outcomes).cache()
    # One pass for everything but the articles (few and small), one to sort the articles.
    for kind, value in every.filter(lambda o: o[0] != "article").collect():
        if kind == "reject":
            summary.rejects.append(value)
        elif kind == "skipped":
            summary.skipped[value[0]] += value[1]
        else:
            summary.inputs += value
    summary.stage_seconds["prepare"] = time.perf_counter() - started
    # Sorted by time, then id: copies of one input (one id) arrive one after the other, and
    # the Ingestor keeps the first, as it does in-process.
    ordered = (
        every.filter(lambda o: o[0] == "article")
        .map(lambda o: o[1])
        .sortBy(_order, numPartitions=partitions)
    )
    total = 0
    with (
        tempfile.TemporaryDirectory(prefix="storylens-spark-") as folder,
        Store(Path(folder) / "driver.db") as store,
    ):
        # The in-process grouping and store, fed in time order. The articles come with
        # their extractions (the driver loads no language model); the stories' views are
        # computed where the tables are imported.
        ingestor = Ingestor(store, options.replace(
            store_story_views=False, extract_attributions=False, extract_events=False
        ))
        ingestor.add(summary.rejects)
        for item in ordered.toLocalIterator(prefetchPartitions=True):
            total += 1
            ingestor.add([item])
        ingestor.flush(final=True)
        summary.stage_seconds["group"] = time.perf_counter() - started - sum(
            summary.stage_seconds.values()
        )
        summary.stored = ingestor.summary.stored
        summary.new_stories = ingestor.summary.new_stories
        summary.duplicates = total - summary.stored
        summary.rejected = len(summary.rejects)
        summary.tables = write_tables(store, output)
        summary.stage_seconds["write"] = time.perf_counter() - started - sum(
            summary.stage_seconds.values()
        )
    every.unpersist()
    summary.seconds = time.perf_counter() - started
    return summary
