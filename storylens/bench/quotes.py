"""bench quotes: attribution extraction scored on a PolNeAR-layout folder (brat standoff
annotations beside the texts)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model import Article, Attribution
from ..options import Options
from .measure import timed_map, worker_processes


@dataclass(frozen=True)
class GoldAttribution:
    """A gold attribution: where its content and its source are, and the source's text."""

    content: frozenset[int]  # character positions of the content (its pieces together)
    source: frozenset[int]  # character positions of the source mention ({} when none)
    source_text: str


def positions(spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """The character positions the (start, end) spans cover."""
    return frozenset(i for start, end in spans for i in range(start, end))


def read_brat_attributions(path: Path) -> list[GoldAttribution]:
    """The Attribution events of a brat standoff file: `T` lines give labelled spans (pieces
    joined by ';'), `E` lines join them as Content, Cue and Source."""
    spans: dict[str, tuple[list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            pieces = []
            for piece in offsets.split(";"):
                start, _, end = piece.strip().partition(" ")
                pieces.append((int(start), int(end)))
            spans[parts[0]] = (pieces, parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split()[1:] if ":" in arg)
            events.append(roles)
    gold = []
    for roles in events:
        if roles.get("Content") not in spans:
            continue
        source_spans, source_text = spans.get(roles.get("Source", ""), ([], ""))
        gold.append(
            GoldAttribution(
                positions(spans[roles["Content"]][0]), positions(source_spans), source_text
            )
        )
    return gold


def polnear_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs of a PolNeAR-layout folder; a text with two .ann files (two
    annotators) takes the first in name order."""
    texts = folder / "text"
    annotations = folder / "attributions"
    if not texts.is_dir() or not annotations.is_dir():
        raise UsageError(f"{folder} does not hold text/ and attributions/ folders")
    pairs: dict[str, tuple[Path, Path]] = {}
    for ann in sorted(annotations.glob("*.ann")):
        stem = ann.stem[:-5] if re.fullmatch(r".+_[0-9A-Za-z]{4}", ann.stem) else ann.stem
        text = texts / f"{stem}.txt"
        if text.exists() and stem not in pairs:
            pairs[stem] = (text, ann)
    if not pairs:
        raise UsageError(f"{folder} holds no text with an annotation file")
    return list(pairs.values())


def _same_entity(predicted: Attribution, gold: GoldAttribution) -> bool:
    """A resolved speaker naming the gold source's entity: they share a capitalised word."""
    if not predicted.source:
        return False
    names = {w.lower() for w in re.findall(r"[A-Z][\w'-]+", predicted.source)}
    return bool(names & {w.lower() for w in re.findall(r"[A-Z][\w'-]+", gold.source_text)})


def score_attributions(
    predicted: list[Attribution], gold: list[GoldAttribution]
) -> tuple[int, int, int]:
    """Matched pairs (content intersection over union at least 0.5, greedy, best overlap
    first), and of those, how many have the source right (the predicted source span overlaps
    the gold one, or the resolved speaker names the same entity) and how many have a gold
    source to be right about."""
    candidates = []
    for i, p in enumerate(predicted):
        mine = positions(p.content_spans)
        for j, g in enumerate(gold):
            union = len(mine | g.content)
            iou = len(mine & g.content) / union if union else 0.0
            if iou >= 0.5:
                candidates.append((iou, i, j))
    taken_p: set[int] = set()
    taken_g: set[int] = set()
    right = with_source = 0
    for _, i, j in sorted(candidates, reverse=True):
        if i in taken_p or j in taken_g:
            continue
        taken_p.add(i)
        taken_g.add(j)
        g = gold[j]
        if not g.source:
            continue
        with_source += 1
        p = predicted[i]
        span = positions([p.source_span]) if p.source_span else frozenset()
        if span & g.source or _same_entity(p, g):
            right += 1
    return len(taken_p), right, with_source


def _attributions_of(article: Article) -> list[Attribution]:
    """The attributions found in one article (run in the worker processes)."""
    from ..extract.attribution import extract
    from ..extract.nlp import pipeline

    return extract([article], pipeline())[article.id]


def bench_quotes(folder: Path, options: Options) -> dict[str, Any]:
    """Attribution extraction scored on a PolNeAR-layout folder (see score_attributions);
    articles per second over the extraction itself (in the worker processes the options
    allow, as ingest does), after the model is loaded."""
    from ..extract.nlp import pipeline

    pairs = polnear_pairs(folder)
    articles = []
    for number, (text_path, _) in enumerate(pairs):
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(str(number), str(text_path), "text", text, text))
    pipeline()  # loaded before the clock starts (and before workers are forked)
    lists, seconds = timed_map(_attributions_of, articles, worker_processes(options), chunksize=1)
    found = {a.id: found_here for a, found_here in zip(articles, lists, strict=True)}
    matched = right = with_source = n_predicted = n_gold = 0
    for article, (_, ann_path) in zip(articles, pairs, strict=True):
        gold = read_brat_attributions(ann_path)
        predicted = found[article.id]
        m, r, w = score_attributions(predicted, gold)
        matched, right, with_source = matched + m, right + r, with_source + w
        n_predicted += len(predicted)
        n_gold += len(gold)
    precision = matched / n_predicted if n_predicted else 0.0
    recall = matched / n_gold if n_gold else 0.0
    return {
        "content_precision": round(precision, 4),
        "content_recall": round(recall, 4),
        "content_f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "source_accuracy": round(right / with_source, 4) if with_source else 0.0,
        "articles": len(articles),
        "predicted": n_predicted,
        "gold": n_gold,
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(articles) / seconds, 1) if seconds else 0.0,
    }
