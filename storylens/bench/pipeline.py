"""bench pipeline: the whole in-process pipeline, the same without extraction, and the
grouping stage alone, each against its target in articles per second; and spaCy's small
English pipeline with all its components over the same texts in the same run, the reference
the whole pipeline's speed is held to (at least 1.8 times as fast)."""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailable
from ..extract.nlp import MODELS, pipeline
from ..group.stories import StoryIndex
from ..ingest.sources import list_files, read_inputs
from ..options import Options
from ..pipeline import Extraction, Prepared, ingest, preload, prepare_units, units_of
from ..read.stored import refresh_story_views
from ..spark.blocks import group_batch
from ..store import Store
from .measure import MemorySampler

# In-process targets of issue 7 on a 2-core machine.
PIPELINE_TARGET_ARTICLES_PER_SECOND = 50.0
GROUPING_TARGET_ARTICLES_PER_SECOND = 1000.0
# Issue 17: the whole pipeline at least this many times as fast as spaCy's small English
# pipeline with all its components over the same texts, measured in the same run.
PIPELINE_TARGET_TIMES_REFERENCE = 1.8


def bench_pipeline(paths: list[Path], options: Options) -> dict[str, Any]:
    """The whole in-process pipeline (read, parse, clean, extract, group, store, story
    views) over the inputs into a fresh database; the same without extraction and stored
    views; then the grouping stage alone over the same articles, prepared beforehand. Each in
    articles per second against its target, the runs with memory by quarter of the inputs
    (flat when the state is bounded by the open-story window). Last, spaCy's small pipeline
    with all its components over the same articles (``reference``), and the whole
    pipeline's speed as a multiple of it (``times_reference``). The language models and the
    grouping's tables are loaded before the clocks start (``load_seconds``: once per
    process, whatever the number of articles)."""
    started = time.perf_counter()
    preload()
    if options.extract_attributions or options.extract_events:
        pipeline()
    files = list_files(paths)
    figures: dict[str, Any] = {
        "inputs": len(files), "load_seconds": round(time.perf_counter() - started, 2)
    }
    runs = {
        "full": options,
        "without_extraction": options.replace(
            extract_attributions=False, extract_events=False, store_story_views=False
        ),
    }
    targets = {"full": PIPELINE_TARGET_ARTICLES_PER_SECOND, "without_extraction": None}
    for name, settings in runs.items():
        with (
            tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
            Store(Path(folder) / "bench.db") as store,
            MemorySampler() as memory,
        ):
            read = 0

            def progress(count: int, memory: MemorySampler = memory) -> None:
                nonlocal read
                read += count
                memory.done = read / max(len(files), 1)

            started = time.perf_counter()
            summary = ingest(paths, store, settings, progress=progress, views=refresh_story_views)
            seconds = time.perf_counter() - started
        speed = summary.stored / seconds if seconds else 0.0
        quarters = memory.by_quarter()
        figures[name] = {
            "articles": summary.stored,
            "seconds": round(seconds, 2),
            "articles_per_second": round(speed, 1),
            "memory_mb_by_quarter": quarters,
            "peak_memory_mb": max(quarters.values(), default=0.0),
        }
        target = targets[name]
        if target is not None:
            figures[name]["target_articles_per_second"] = target
            figures[name]["meets_target"] = speed >= target
    unique = _prepared(files, options)
    figures["grouping"] = _bench_grouping(unique, options)
    figures["reference"] = _bench_reference([p.article.text for p in unique])
    _against_reference(figures["full"], figures["reference"])
    return figures


def _against_reference(full: dict[str, Any], reference: dict[str, Any]) -> None:
    """The whole pipeline's speed as a multiple of the reference's, with its target."""
    times = full["articles_per_second"] / reference["articles_per_second"]
    full["times_reference"] = round(times, 2)
    full["target_times_reference"] = PIPELINE_TARGET_TIMES_REFERENCE
    full["meets_target_times_reference"] = times >= PIPELINE_TARGET_TIMES_REFERENCE


def _prepared(files: list[Path], options: Options) -> list[Prepared]:
    """The distinct articles of the inputs, read, cleaned and counted (what grouping needs),
    without the language stages."""
    limit = int(options.max_file_size_mb * 1024 * 1024)
    prepared = [
        p for results, _ in prepare_units(
            list(units_of(read_inputs(files, options), limit)), Extraction()
        ) for p in results if isinstance(p, Prepared)
    ]
    return list({p.article.id: p for p in prepared}.values())


def _bench_reference(texts: list[str]) -> dict[str, Any]:
    """spaCy's small English pipeline with all its components (tagger, parser, recogniser,
    lemmatizer...) over the same articles' texts in this process, loaded and warmed up
    before the clock starts: the reference issue 17's speed target is set against."""
    nlp = reference_pipeline()
    list(nlp.pipe(texts[:20]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    seconds = time.perf_counter() - started
    return {
        "model": nlp.meta.get("name", ""),
        "components": list(nlp.pipe_names),
        "articles": len(texts),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(texts) / seconds, 1) if seconds else 0.0,
    }


def reference_pipeline() -> Any:
    """spaCy's small English pipeline, every component of it (the official package when it
    is installed, else the one storylens depends on)."""
    import spacy

    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name)
    raise ModelUnavailable("no English spaCy pipeline is installed for the reference")


def _bench_grouping(unique: list[Prepared], options: Options) -> dict[str, Any]:
    """The grouping stage alone (group.group batch by batch, as the Ingestor calls it, its
    state trimmed to the story window after each batch) over the articles of the inputs,
    read, cleaned and counted beforehand."""
    index = StoryIndex()
    started = time.perf_counter()
    for start in range(0, len(unique), options.batch_size_articles):
        group_batch(unique[start : start + options.batch_size_articles], index, options)
    seconds = time.perf_counter() - started
    speed = len(unique) / seconds if seconds else 0.0
    return {
        "articles": len(unique),
        "seconds": round(seconds, 3),
        "stories": len({p.decided.story_id for p in unique if p.decided}) or None,
        "articles_per_second": round(speed, 1),
        "target_articles_per_second": GROUPING_TARGET_ARTICLES_PER_SECOND,
        "meets_target": speed >= GROUPING_TARGET_ARTICLES_PER_SECOND,
    }
