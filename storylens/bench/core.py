"""Benchmarks: speed, memory and quality figures, measured on real data, printed by the CLI."""

from __future__ import annotations

import csv
import gzip
import json
import multiprocessing
import os
import re
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..clean.cleaner import clean, content_id
from ..errors import RejectedInput, UsageError
from ..extract.events import TYPES
from ..extract.nlp import pipeline
from ..group.stories import StoryIndex, warm_up
from ..ingest.dates import parse_date
from ..ingest.parse import decode, parse_html
from ..ingest.sources import list_files, read_inputs
from ..model import Article, Attribution, Draft, EventMention
from ..options import Options
from ..pipeline import (
    Extraction,
    Ingestor,
    Prepared,
    feed,
    ingest,
    prepare_units,
    units_of,
)
from ..read.stored import refresh_story_views
from ..spark.blocks import group_batch
from ..store import Store

T = TypeVar("T")


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
        summary = ingest(paths, store, options, views=refresh_story_views)
        seconds = time.perf_counter() - started
    return {
        "articles": summary.stored,
        "rejected": summary.rejected,
        "seconds": round(seconds, 3),
        "articles_per_second": round(summary.stored / seconds, 1) if seconds else 0.0,
        "peak_rss_mb": round(peak_rss_mb(_workers(options)), 1),
    }


# In-process targets of issue 7 on a 2-core machine.
PIPELINE_TARGET_ARTICLES_PER_SECOND = 50.0
GROUPING_TARGET_ARTICLES_PER_SECOND = 1000.0


class MemorySampler:
    """The memory of this process and its worker processes, sampled in a thread every
    ``interval`` seconds: proportional set size (shared pages counted once over the
    processes sharing them; resident size where the system does not tell), with the share
    of the inputs done at each sample."""

    def __init__(self, interval: float = 0.25) -> None:
        import threading

        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (share of inputs done, megabytes)
        self.done = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()  # a run shorter than the interval has its start and its end

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        total = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                info = process.memory_full_info()
                total += getattr(info, "pss", info.rss)
            except (psutil.Error, OSError):
                continue
        self.samples.append((self.done, total / 1024 / 1024))

    def by_quarter(self) -> dict[str, float]:
        """The peak memory (MB) while each quarter of the inputs was being read."""
        peaks: dict[str, float] = {}
        for number, label in enumerate(("0-25%", "25-50%", "50-75%", "75-100%")):
            low, high = number / 4, (number + 1) / 4
            inside = [mb for done, mb in self.samples if low <= done < high or
                      (high == 1.0 and done >= 1.0)]
            if inside:
                peaks[label] = round(max(inside), 1)
        return peaks


def bench_pipeline(paths: list[Path], options: Options) -> dict[str, Any]:
    """The whole in-process pipeline (read, parse, clean, extract, group, store, story
    views) over the inputs into a fresh database; the same without extraction and stored
    views; then the grouping stage alone over the same articles, prepared beforehand. Each in
    articles per second against its target, the runs with memory by quarter of the inputs
    (flat when the state is bounded by the open-story window). The language model and the
    grouping's tables are loaded before the clocks start (``load_seconds``: once per
    process, whatever the number of articles)."""
    started = time.perf_counter()
    warm_up()
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
    figures["grouping"] = _bench_grouping(files, options)
    return figures


def _bench_grouping(files: list[Path], options: Options) -> dict[str, Any]:
    """The grouping stage alone (group.group batch by batch, as the Ingestor calls it, its
    state trimmed to the story window after each batch) over the articles of the inputs,
    read, cleaned and counted beforehand."""
    limit = int(options.max_file_size_mb * 1024 * 1024)
    prepared = [
        p for results, _ in prepare_units(
            list(units_of(read_inputs(files, options), limit)), Extraction()
        ) for p in results if isinstance(p, Prepared)
    ]
    unique = list({p.article.id: p for p in prepared}.values())
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


def _workers(options: Options) -> int:
    return min(options.worker_processes, os.cpu_count() or 1)


# -- article-body extraction, scored as the article-extraction benchmark scores ------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _timed_map(
    function: Callable[[Article], T], articles: list[Article], workers: int, chunksize: int
) -> tuple[list[T], float]:
    """``function`` over the articles, in forked worker processes when there are several
    (the caller loads what they share first), and the seconds it took."""
    started = time.perf_counter()
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(function, articles, chunksize=chunksize)
    else:
        results = [function(a) for a in articles]
    return results, time.perf_counter() - started


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


def record_drafts(records: list[dict[str, Any]], fields: ClusterFields) -> list[Draft]:
    """The labelled records as drafts of articles ("record N" their source)."""
    return [_draft(r, fields, i + 1) for i, r in enumerate(records)]


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
        summary = feed(
            ((drafts[i], True) for i in order), Ingestor(store, options, views=refresh_story_views)
        )
        seconds = time.perf_counter() - started
        story_of = store.story_of_articles()
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


# -- attributions, scored on a PolNeAR-layout folder -------------------------------------------


@dataclass(frozen=True)
class GoldAttribution:
    content: frozenset[int]  # character positions of the content (its pieces together)
    source: frozenset[int]  # character positions of the source mention ({} when none)
    source_text: str


def _positions(spans: Iterable[tuple[int, int]]) -> frozenset[int]:
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
                _positions(spans[roles["Content"]][0]), _positions(source_spans), source_text
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
        mine = _positions(p.content_spans)
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
        span = _positions([p.source_span]) if p.source_span else frozenset()
        if span & g.source or _same_entity(p, g):
            right += 1
    return len(taken_p), right, with_source


def _attributions_of(article: Article) -> list[Attribution]:
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
    lists, seconds = _timed_map(_attributions_of, articles, _workers(options), chunksize=1)
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


# -- events, scored on PLOVER gold records -----------------------------------------------------

PLOVER_TYPES = TYPES  # the 16 types of CAMEO2PLOVER-2021
# The gold records use an older draft's names; the issue maps them to the current types.
OLDER_TYPES = {
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT",
}


@dataclass(frozen=True)
class GoldEvent:
    text: str
    date: str | None
    type: str
    source: frozenset[str]  # actor codes
    target: frozenset[str]


def read_plover(path: Path) -> list[GoldEvent]:
    """PLOVER gold-standard records: a JSON list (or JSON Lines) of records with `text`,
    `date`, `event` and `source`/`target` actor lists ({actorText, code, sector}); the
    documentation record ("DOCUMENT") and records without text are skipped."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error
    try:
        loaded = json.loads(raw)
        records = loaded if isinstance(loaded, list) else [loaded]
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise UsageError(f"{path} is neither JSON nor JSON Lines: {error}") from error
    gold = []
    for record in records:
        if not isinstance(record, dict) or not record.get("text"):
            continue
        kind = OLDER_TYPES.get(str(record.get("event")), str(record.get("event")))
        if kind not in PLOVER_TYPES:
            continue
        gold.append(
            GoldEvent(
                str(record["text"]), parse_date(str(record.get("date") or "")), kind,
                _actor_codes(record.get("source")), _actor_codes(record.get("target")),
            )
        )
    if not gold:
        raise UsageError(f"{path} holds no PLOVER records with a text and a known type")
    return gold


def _actor_codes(actors: Any) -> frozenset[str]:
    if isinstance(actors, dict):
        actors = [actors]
    if not isinstance(actors, list):
        return frozenset()
    return frozenset(
        str(a["code"]) for a in actors if isinstance(a, dict) and a.get("code")
    )


def _events_of(article: Article) -> list[EventMention]:
    from ..pipeline import Extraction, analyse

    return analyse([article], Extraction(events=True)).events[article.id]


def score_events(
    predicted: list[list[EventMention]], gold: list[GoldEvent]
) -> dict[str, float]:
    """Type accuracy: share of records with a predicted event of the gold type. Macro F1
    over the types that occur in the gold or the predictions, a record counting once per type
    it is predicted or labelled with. Source and target accuracy, on the records whose type
    was found: the gold codes are among the codes of the predicted events of that type."""
    right = source_right = target_right = 0
    counts = {t: [0, 0, 0] for t in PLOVER_TYPES}  # true positives, false pos., false neg.
    for events, record in zip(predicted, gold, strict=True):
        kinds = {e.type for e in events}
        for kind in kinds:
            counts[kind][0 if kind == record.type else 1] += 1
        if record.type not in kinds:
            counts[record.type][2] += 1
            continue
        right += 1
        same = [e for e in events if e.type == record.type]
        sources = {a.code for e in same for a in e.source if a.code}
        targets = {a.code for e in same for a in e.target if a.code}
        source_right += record.source <= sources
        target_right += record.target <= targets
    scores = []
    for tp, fp, fn in counts.values():
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return {
        "type_accuracy": right / len(gold),
        "type_macro_f1": sum(scores) / len(scores) if scores else 0.0,
        "source_accuracy": source_right / right if right else 0.0,
        "target_accuracy": target_right / right if right else 0.0,
    }


def bench_events(path: Path, options: Options) -> dict[str, Any]:
    """Code each gold record's text as an article of its date (entities, the parse and the
    event coder, in the worker processes the options allow) and score it (score_events)."""
    from ..extract.nlp import pipeline

    gold = read_plover(path)
    articles = [
        Article(str(number), f"{path}#record {number}", "text", g.text, g.text, published=g.date)
        for number, g in enumerate(gold, start=1)
    ]
    pipeline()  # loaded before the clock starts (and before workers are forked)
    _events_of(articles[0])  # and the gazetteer and lexicon
    predicted, seconds = _timed_map(_events_of, articles, _workers(options), chunksize=8)
    figures: dict[str, Any] = {k: round(v, 4) for k, v in score_events(predicted, gold).items()}
    figures.update(
        {
            "records": len(gold),
            "events": sum(len(p) for p in predicted),
            "seconds": round(seconds, 3),
            "records_per_second": round(len(gold) / seconds, 1) if seconds else 0.0,
        }
    )
    return figures
