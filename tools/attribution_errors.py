"""Where attribution extraction loses on PolNeAR, and how much of it any lexicon could win.

    python tools/attribution_errors.py [--shared ../shared] [--json]

`storylens bench quotes` gives one F1; this tool splits it up, with the same IoU >= 0.5
matching:

- every gold attribution by the best content overlap any prediction has with it: matched
  (>= 0.5), a boundary disagreement (0 < IoU < 0.5) or missed outright (no overlap);
- the missed ones by their cue: how many have a cue word that occurs once in the whole
  annotated set (no word list tuned on this set could cover those without covering everything);
- the agreement between PolNeAR's two annotators on the texts both annotated, scored as the
  bench scores us: the human level on this scheme.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from storylens.bench.quotes import (
    GoldAttribution,
    polnear_pairs,
    positions,
    read_brat_attributions,
)
from storylens.extract.attribution import extract
from storylens.extract.nlp import pipeline
from storylens.model import Article

ROOT = Path(__file__).resolve().parent.parent


def gold_cues(path: Path) -> list[tuple[frozenset[int], str]]:
    """(content positions, cue text) for each Attribution event of a brat file."""
    spans: dict[str, tuple[list[tuple[int, int]], str]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[parts[0]] = ([(a, b) for a, b in pieces], parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(a.split(":", 1) for a in parts[1].split()[1:] if ":" in a))
    return [
        (positions(spans[e["Content"]][0]), spans.get(e.get("Cue", ""), ([], ""))[1].lower())
        for e in events
        if e.get("Content") in spans
    ]


def iou(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def greedy_matches(a: list[frozenset[int]], b: list[frozenset[int]]) -> int:
    pairs = sorted(
        ((iou(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b) if iou(x, y) >= 0.5),
        reverse=True,
    )
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for _, i, j in pairs:
        if i not in taken_a and j not in taken_b:
            taken_a.add(i)
            taken_b.add(j)
    return len(taken_a)


def analyse(folder: Path) -> dict[str, Any]:
    nlp = pipeline()
    buckets: Counter[str] = Counter()
    cue_count: Counter[str] = Counter()
    missed_cues: list[str] = []
    for number, (text_path, ann_path) in enumerate(polnear_pairs(folder)):
        text = text_path.read_text(encoding="utf-8")
        article = Article(str(number), str(text_path), "text", text, text)
        predicted = [positions(p.content_spans) for p in extract([article], nlp)[article.id]]
        for content, cue in gold_cues(ann_path):
            cue_count[cue] += 1
            best = max((iou(p, content) for p in predicted), default=0.0)
            if best >= 0.5:
                buckets["matched"] += 1
            elif best > 0:
                buckets["boundary"] += 1
            else:
                buckets["missed"] += 1
                missed_cues.append(cue)
    # the two annotators, on the texts both annotated
    by_text: defaultdict[str, list[Path]] = defaultdict(list)
    for ann in sorted((folder / "attributions").glob("*.ann")):
        by_text[ann.stem[:-5]].append(ann)
    matched = first = second = 0
    for files in by_text.values():
        if len(files) < 2:
            continue
        a: list[GoldAttribution] = read_brat_attributions(files[0])
        b: list[GoldAttribution] = read_brat_attributions(files[1])
        matched += greedy_matches([g.content for g in a], [g.content for g in b])
        first, second = first + len(a), second + len(b)
    total = sum(buckets.values())
    return {
        "gold": total,
        "matched": buckets["matched"],
        "boundary": buckets["boundary"],
        "missed": buckets["missed"],
        "distinct_cues": len(cue_count),
        "missed_with_a_cue_seen_once": sum(1 for c in missed_cues if cue_count[c] == 1),
        "missed_cues_most_common": Counter(missed_cues).most_common(25),
        "annotator_texts": sum(1 for f in by_text.values() if len(f) > 1),
        "annotator_f1": round(2 * matched / (first + second), 3) if first + second else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = analyse(args.shared / "data" / "polnear-dev")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    gold = result["gold"]
    for key in ("matched", "boundary", "missed"):
        print(f"{key:>9}: {result[key]:5d} of {gold} gold ({result[key] / gold:.1%})")
    print(
        f"missed with a cue that occurs once in the set: {result['missed_with_a_cue_seen_once']}"
        f" ({result['distinct_cues']} distinct cues in all)"
    )
    print("most common cues of the missed:", result["missed_cues_most_common"])
    print(f"two annotators, {result['annotator_texts']} texts: F1 {result['annotator_f1']}")


if __name__ == "__main__":
    main()
