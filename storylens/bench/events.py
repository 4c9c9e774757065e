"""bench events: event coding scored on PLOVER gold records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..extract.events import TYPES
from ..ingest.dates import parse_date
from ..model import Article, EventMention
from ..options import Options
from .measure import timed_map, worker_processes

PLOVER_TYPES = TYPES  # the 16 types of CAMEO2PLOVER-2021
# The gold records use an older draft's names; the issue maps them to the current types.
OLDER_TYPES = {
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT",
}


@dataclass(frozen=True)
class GoldEvent:
    """A PLOVER gold record: its text and date, its event type and its actors' codes."""

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
    """The codes of a record's actors (one actor or a list of them)."""
    if isinstance(actors, dict):
        actors = [actors]
    if not isinstance(actors, list):
        return frozenset()
    return frozenset(
        str(a["code"]) for a in actors if isinstance(a, dict) and a.get("code")
    )


def _events_of(article: Article) -> list[EventMention]:
    """The events coded in one article (run in the worker processes)."""
    from ..pipeline import Extraction, analyse

    return analyse([article], Extraction(events=True)).events[article.id]


def score_events(
    predicted: list[list[EventMention]], gold: list[GoldEvent]
) -> dict[str, float]:
    """Type accuracy: share of records with a predicted event of the gold type. Macro F1
    over the types that occur in the gold or the predictions, a record counting once per type
    it is predicted or labelled with. Source and target accuracy, on the records whose type
    was found: the gold codes are among the codes of the predicted events of that type.
    Type precision: of the (record, type) pairs coded, the share whose type is the record's
    gold type; types per record: the mean number of types coded for a record (each gold
    record reports one event, so anything above 1 is a type too many)."""
    right = source_right = target_right = pairs = 0
    counts = {t: [0, 0, 0] for t in PLOVER_TYPES}  # true positives, false pos., false neg.
    for events, record in zip(predicted, gold, strict=True):
        kinds = {e.type for e in events}
        pairs += len(kinds)
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
        "type_precision": right / pairs if pairs else 0.0,
        "types_per_record": pairs / len(gold),
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
    predicted, seconds = timed_map(_events_of, articles, worker_processes(options), chunksize=8)
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
