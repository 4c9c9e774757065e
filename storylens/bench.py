"""Benchmarks: speed, memory and quality figures, measured on real data, printed by the CLI."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clean import clean, content_id
from .dates import parse_date
from .errors import RejectedInput, UsageError
from .group import warm_up
from .model import Article, Draft
from .options import Options
from .parse import decode, parse_html
from .pipeline import Ingestor, feed, ingest
from .store import Store


def peak_rss_mb(workers: int = 0) -> float:
    """Peak resident memory in megabytes (Linux reports KiB): this process's peak, plus, when
    worker processes ran, the largest worker's peak once per worker (an upper bound: forked
    workers share pages with this process)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * children) / 1024.0


def bench_ingest(paths: list[Path], options: Options) -> dict[str, Any]:
    """Ingest + clean + store into a fresh temporary database; articles per second after
    start-up (the one-off imports of the grouping stage are loaded before the clock starts)."""
    warm_up()
    with (
        tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        started = time.perf_counter()
        summary = ingest(paths, store, options)
        seconds = time.perf_counter() - started
    return {
        "articles": summary.stored,
        "rejected": summary.rejected,
        "seconds": round(seconds, 3),
        "articles_per_second": round(summary.stored / seconds, 1) if seconds else 0.0,
        "peak_rss_mb": round(peak_rss_mb(_workers(options)), 1),
    }


def _workers(options: Options) -> int:
    return min(options.worker_processes, os.cpu_count() or 1)


# -- article-body extraction, scored as the article-extraction benchmark scores ------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_scores(gold: str, predicted: str) -> tuple[float, float, float]:
    """True positives, false positives and false negatives over word 4-gram shingles
    (multisets), normalised to sum to 1 for the page so that long pages do not weigh more."""
    truth, guess = _shingles(gold), _shingles(predicted)
    tp = float(sum((truth & guess).values()))
    fp = float(sum((guess - truth).values()))
    fn = float(sum((truth - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages (pages with nothing to score left out),
    F1 from the two averages."""
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in scores if tp + fp > 0]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in scores if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extract_body(html: bytes) -> str:
    """The cleaned article body of a page, exactly as ingest cleans it ("" when rejected)."""
    try:
        draft = parse_html("page", decode(html))
    except RejectedInput:
        return ""
    article = clean(draft)
    return article.text if isinstance(article, Article) else ""


def bench_extract(folder: Path) -> dict[str, Any]:
    """Score body extraction on a folder with html/*.html(.gz) and ground-truth.json."""
    truth_path = folder / "ground-truth.json"
    if not truth_path.exists():
        raise UsageError(f"{folder} has no ground-truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scores = []
    started = time.perf_counter()
    for key, record in truth.items():
        candidates = [folder / "html" / f"{key}.html.gz", folder / "html" / f"{key}.html"]
        page = next((p for p in candidates if p.exists()), None)
        if page is None:
            raise UsageError(f"no page for {key} in {folder / 'html'}")
        data = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
        scores.append(shingle_scores(record.get("articleBody", ""), extract_body(data)))
    seconds = time.perf_counter() - started
    precision, recall, f1 = precision_recall_f1(scores)
    return {
        "pages": len(scores),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "seconds": round(seconds, 3),
        "pages_per_second": round(len(scores) / seconds, 1) if seconds else 0.0,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


# -- story grouping against labelled records ---------------------------------------------------


@dataclass(frozen=True)
class ClusterFields:
    """Which fields of a labelled record hold what (bench cluster's --text, --label ...)."""

    text: tuple[str, ...]
    label: str
    time: str | None = None
    source: str | None = None
    id: str | None = None


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a JSON Lines or TSV file (gzipped or not), in file order."""
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    name = path.name.lower().removesuffix(".gz")
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    records: list[dict[str, Any]] = []
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        if name.endswith((".tsv", ".tab")):
            rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in rows:
                records.append(dict(row))
                if limit and len(records) >= limit:
                    break
        else:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise UsageError(f"{path}: line {number} is not JSON: {error}") from error
                if limit and len(records) >= limit:
                    break
    return records


def _draft(record: dict[str, Any], fields: ClusterFields, number: int) -> Draft:
    texts = [str(record.get(f) or "").strip() for f in fields.text]
    missing = [f for f in fields.text if f not in record]
    if len(missing) == len(fields.text):
        raise UsageError(f"record {number} has none of the text fields {', '.join(fields.text)}")
    title = texts[0] if len(texts) > 1 and fields.text[0] == "title" else None
    body = "\n\n".join(t for t in (texts[1:] if title else texts) if t)
    published = None
    if fields.time and record.get(fields.time) not in (None, ""):
        published = parse_date(str(record[fields.time]))
    return Draft(
        source=f"record {number}",
        kind="json",
        raw=json.dumps(record, ensure_ascii=False, sort_keys=True),
        text=body,
        title=title,
        outlet=str(record[fields.source]) if fields.source and record.get(fields.source) else None,
        published=published,
        external_id=str(record[fields.id]) if fields.id and fields.id in record else None,
    )


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
    store into a fresh temporary database) and score the stories against the labels."""
    records = read_records(path, limit)
    if not records:
        raise UsageError(f"{path} holds no records")
    if fields.label not in records[0]:
        raise UsageError(f"the records have no label field {fields.label!r}")
    drafts = [_draft(r, fields, i + 1) for i, r in enumerate(records)]
    order = sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].published is None, drafts[i].published or "", i),
    )
    warm_up()
    with (
        tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        started = time.perf_counter()
        summary = feed(((drafts[i], True) for i in order), Ingestor(store, options))
        seconds = time.perf_counter() - started
        story_of = dict(store.db.execute("SELECT article_id, story_id FROM story_members"))
    label_of: dict[str, str] = {}
    for draft, record in zip(drafts, records, strict=True):
        label_of.setdefault(content_id(draft.raw), str(record[fields.label]))
    scored = [a for a in story_of if a in label_of]
    figures: dict[str, Any] = {
        k: round(v, 4)
        for k, v in clustering_scores(
            [story_of[a] for a in scored], [label_of[a] for a in scored]
        ).items()
    }
    figures.update(
        {
            "stories": len(set(story_of.values())),
            "labels": len({label_of[a] for a in scored}),
            "articles": summary.stored,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "seconds": round(seconds, 3),
            "articles_per_second": round(summary.stored / seconds, 1) if seconds else 0.0,
            "peak_rss_mb": round(peak_rss_mb(_workers(options)), 1),
        }
    )
    return figures
