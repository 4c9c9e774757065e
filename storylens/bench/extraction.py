"""bench extract: article-body extraction, scored as the article-extraction benchmark scores
it (word 4-gram shingles against gold bodies)."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..clean.cleaner import clean
from ..errors import RejectedInput, UsageError
from ..ingest.parse import decode, parse_html
from ..model import Article
from .measure import peak_rss_mb

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The word n-grams of a text, counted."""
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
