"""bench cluster: story grouping scored against labelled records (B-cubed and pairwise F1)."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..clean import warm_up as warm_up_cleaning
from ..clean.cleaner import content_id
from ..errors import UsageError
from ..group.stories import warm_up
from ..options import Options
from ..pipeline import Ingestor, feed
from ..read.stored import refresh_story_views
from ..store import Store
from .measure import peak_rss_mb, worker_processes
from .records import ClusterFields, read_records, record_drafts, time_order


def clustering_scores(predicted: list[str], gold: list[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1, and pairwise F1, of a clustering against labels."""
    cells = Counter(zip(predicted, gold, strict=True))
    sizes_predicted = Counter(predicted)
    sizes_gold = Counter(gold)
    n = len(predicted)
    precision = sum(c * c / sizes_predicted[p] for (p, _), c in cells.items()) / n
    recall = sum(c * c / sizes_gold[g] for (_, g), c in cells.items()) / n

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    together = pairs(cells.values())
    pair_precision = together / pairs(sizes_predicted.values()) if together else 0.0
    pair_recall = together / pairs(sizes_gold.values()) if together else 0.0
    return {
        "b3_precision": precision,
        "b3_recall": recall,
        "b3_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "pairwise_f1": (
            2 * pair_precision * pair_recall / (pair_precision + pair_recall)
            if pair_precision + pair_recall
            else 0.0
        ),
    }


def bench_cluster(
    path: Path, fields: ClusterFields, options: Options, limit: int | None = None
) -> dict[str, Any]:
    """Feed labelled records in time order through the ingest path (parse, clean, group,
    store into a fresh temporary database) and score the stories against the labels.
    Attribution, entity and event extraction, and the stored story views, are left out: they
    do not change the stories, and this measures grouping."""
    options = options.replace(
        extract_attributions=False, extract_events=False, store_story_views=False
    )
    records = read_records(path, limit)
    if not records:
        raise UsageError(f"{path} holds no records")
    if fields.label not in records[0]:
        raise UsageError(f"the records have no label field {fields.label!r}")
    drafts = record_drafts(records, fields)
    order = time_order(drafts)
    warm_up_cleaning()
    warm_up()
    with (
        tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        started = time.perf_counter()
        summary = feed(
            ((drafts[i], True) for i in order), Ingestor(store, options, views=refresh_story_views)
        )
        seconds = time.perf_counter() - started
        story_of = store.story_of_articles()
    label_of: dict[str, str] = {}
    for draft, record in zip(drafts, records, strict=True):
        label_of.setdefault(content_id(draft.raw), str(record[fields.label]))
    figures = _scores_against_labels(story_of, label_of)
    figures.update(
        {
            "articles": summary.stored,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "seconds": round(seconds, 3),
            "articles_per_second": round(summary.stored / seconds, 1) if seconds else 0.0,
            "peak_rss_mb": round(peak_rss_mb(worker_processes(options)), 1),
        }
    )
    return figures


def _scores_against_labels(
    story_of: dict[str, str], label_of: dict[str, str]
) -> dict[str, Any]:
    """The clustering scores of the stored articles that carry a label (rounded), with the
    number of stories and of labels among them."""
    scored = [a for a in story_of if a in label_of]
    figures: dict[str, Any] = {
        k: round(v, 4)
        for k, v in clustering_scores(
            [story_of[a] for a in scored], [label_of[a] for a in scored]
        ).items()
    }
    figures["stories"] = len(set(story_of.values()))
    figures["labels"] = len({label_of[a] for a in scored})
    return figures
