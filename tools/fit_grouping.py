"""Fit the merge decision of story grouping and write storylens/group/grouping_model.json.

    python tools/fit_grouping.py [--shared ../shared] [--check]

How (after Miranda et al. 2018, "Multilingual clustering of streaming news"): the labelled
articles are fed in time order through the grouping code with the labels deciding where each
article goes (an oracle); every candidate story the index proposes gives one training example,
positive when it is the article's own story. A logistic regression per kind of text is fitted
to these examples, and its decision threshold is then chosen by the B-cubed F1 of real (not
oracle) grouping on the same training data, and folded into the intercept, so that the
shipped model joins at probability 0.5.

Training data, disjoint from what is reported as held out:
- full articles: the ECB+ documents of even-numbered topics (held out: the odd ones), with
  the cosine and the story's size as features;
- headlines: records 40,000-70,000 of the UCI headline stream (held out: the first 8,000 and
  records 100,000-120,000).

``--check`` fits and prints the held-out figures without writing the model file; ``--json``
prints the whole model instead (tests/test_fit_grouping.py compares it with the shipped one).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from storylens.bench.cluster import clustering_scores
from storylens.bench.records import ClusterFields, labelled_draft, read_records
from storylens.group import stories as g
from storylens.model import Reject
from storylens.options import Options
from storylens.pipeline import Prepared, prepare

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "storylens" / "group" / "grouping_model.json"
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))  # 0.2 to 0.8
Labelled = list[tuple[Prepared, str]]
HEADLINE_FEATURES = ("cosine", "log_gap_hours", "cosine_x_log_gap", "log_size")
ARTICLE_FEATURES = ("cosine", "log_size")
KINDS = ("article", "headline", "article+embeddings", "headline+embeddings")
HELD_OUT = ("ecbplus_odd_topics", "uci_first_8000", "uci_100000_120000")


def load(path: Path, fields: ClusterFields, start: int, stop: int) -> Labelled:
    """Prepared articles with their labels, records start..stop, in time order."""
    records = read_records(path, stop)[start:]
    drafts = [labelled_draft(r, fields, start + i + 1) for i, r in enumerate(records)]
    order = sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].published is None, drafts[i].published or "", i),
    )
    out: Labelled = []
    seen: set[str] = set()
    for i in order:
        for item in prepare(drafts[i]):
            if isinstance(item, Reject) or item.article.id in seen:
                continue
            seen.add(item.article.id)
            out.append((item, str(records[i][fields.label])))
    return out


def simulate_oracle(
    data: Labelled, embeddings: dict[str, np.ndarray] | None
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Training examples: the articles are fed in order, each to its labelled story (the
    oracle), and every candidate story the index proposes is an example, positive when it is
    the article's own story. Uses grouping's own index, vectors and features."""
    window = Options().story_window_hours * 3600.0
    index = g.StoryIndex()
    story_of_label: dict[str, str] = {}
    examples: list[tuple[float, ...]] = []
    targets: list[int] = []
    for number, (prepared, label) in enumerate(data):
        article = prepared.article
        dense = embeddings[article.id] if embeddings is not None else None
        vector = index.vector_of(prepared.terms)
        ts = article.timestamp
        target = index.stories.get(story_of_label.get(label, ""))
        if target is not None and not target.within(ts, window):
            target = None
        for story in index.candidates(vector, ts, window):
            examples.append(g.features(vector, ts, story, dense))
            targets.append(int(target is not None and story.id == target.id))
        if target is None:
            target = g.StoryState(id=g.story_id_for(article.id))
            index.stories[target.id] = target
            story_of_label[label] = target.id
        target.add(article, vector, prepared.signature, dense)
        index.post(target, vector)
        if ts is not None and number % 200 == 199:
            index.forget_before(ts, window)
    return examples, targets


def simulate(
    data: Labelled,
    model: g.MergeModel,
    embeddings: dict[str, np.ndarray] | None,
    threshold: float = 0.5,
) -> list[str]:
    """Story ids from grouping itself (group(), batch by batch as ingest does), in memory."""
    options = Options(story_min_probability=threshold)
    window = options.story_window_hours * 3600.0
    index = g.StoryIndex()
    story_of: dict[str, str] = {}
    for start in range(0, len(data), options.batch_size_articles):
        batch = [prepared for prepared, _ in data[start : start + options.batch_size_articles]]
        articles = [p.article for p in batch]
        assignments = g.group(
            articles,
            index,
            options,
            {p.article.id: p.terms for p in batch},
            {p.article.id: p.signature for p in batch},
            embeddings,
            model,
        )
        story_of.update((m.article_id, m.story_id) for m in assignments)
        index.changed.clear()
        index.df_delta.clear()
        stamps = [a.timestamp for a in articles if a.timestamp is not None]
        if stamps:
            index.forget_before(max(stamps), window)
    return [story_of[prepared.article.id] for prepared, _ in data]


def score(data: Labelled, predicted: list[str]) -> dict[str, float]:
    figures = clustering_scores(predicted, [label for _, label in data])
    return {k: round(v, 4) for k, v in figures.items()}


def fit(
    data: Labelled, kind: str, used: tuple[str, ...], embeddings: dict[str, np.ndarray] | None
) -> tuple[list[float], float]:
    """Weights (bias first) for one kind of text, and the B-cubed F1 they reach on the data.
    Features not in ``used`` get weight 0."""
    examples, targets = simulate_oracle(data, embeddings)
    columns = [g.FEATURES.index(name) for name in used]
    regression = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
    regression.fit(np.array(examples)[:, columns], np.array(targets))
    weights = [float(regression.intercept_[0])] + [0.0] * len(g.FEATURES)
    for column, weight in zip(columns, regression.coef_[0], strict=True):
        weights[1 + column] = float(weight)
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        model = g.MergeModel({k: tuple(weights) for k in KINDS})
        f1 = score(data, simulate(data, model, embeddings, threshold))["b3_f1"]
        if f1 > best[0]:
            best = (f1, threshold)
    f1, threshold = best
    weights[0] -= math.log(threshold / (1 - threshold))  # joins at 0.5 from now on
    print(f"{kind}: threshold {threshold} -> F1 {f1:.4f} on its training data", file=sys.stderr)
    return [round(w, 4) for w in weights], f1


def embed_all(data: Labelled) -> dict[str, np.ndarray]:
    from storylens.group.embed import embed

    vectors: dict[str, np.ndarray] = {}
    for start in range(0, len(data), 1000):
        vectors.update(embed([p.article for p, _ in data[start : start + 1000]]))
    return vectors


def labelled_sets(data: Path) -> dict[str, Labelled]:
    """The labelled sets the weights are fitted on and held out on: ECB+ by topic parity and
    three stretches of the UCI headlines."""
    ecb = (data / "ecbplus" / "ecbplus.jsonl.gz", ClusterFields(text=("text",), label="subtopic"))
    uci_path = data / "uci-news" / "uci-news-dev.tsv.gz"
    uci = ClusterFields(text=("title",), label="story", time="timestamp", source="publisher")
    documents = load(*ecb, 0, 10**9)
    return {
        "ecbplus_even_topics": [d for d in documents if int(d[1].split("_")[0]) % 2 == 0],
        "ecbplus_odd_topics": [d for d in documents if int(d[1].split("_")[0]) % 2 == 1],
        "uci_40000_70000": load(uci_path, uci, 40_000, 70_000),
        "uci_first_8000": load(uci_path, uci, 0, 8_000),
        "uci_100000_120000": load(uci_path, uci, 100_000, 120_000),
    }


Fitted = tuple[dict[str, list[float]], dict[str, float], dict[str, dict[str, dict[str, float]]]]


def fit_all(sets: dict[str, Labelled], embeddings: bool) -> Fitted:
    """The weights of each kind of text (and, with ``embeddings``, of each kind with sentence
    embeddings), the F1 each reaches on its training set, and the scores on the held-out sets
    of the models words only and with embeddings."""
    weights: dict[str, list[float]] = {}
    training: dict[str, float] = {}
    held_out: dict[str, dict[str, dict[str, float]]] = {}
    for suffix in ("", g.EMBEDDED) if embeddings else ("",):
        dense = {
            name: embed_all(rows) if suffix and name != "uci_100000_120000" else None
            for name, rows in sets.items()
        }
        extra = ("embedding_cosine",) if suffix else ()
        # Full articles: ECB+ dates a third of its documents, each event's within a few days
        # and the events of a topic years apart; too little and too peculiar to learn how time
        # matters from. Their stories are bounded in time by story_window_hours alone.
        for kind, name, used in (
            ("article", "ecbplus_even_topics", ARTICLE_FEATURES + extra),
            ("headline", "uci_40000_70000", HEADLINE_FEATURES + extra),
        ):
            weights[kind + suffix], training[kind + suffix] = fit(
                sets[name], kind + suffix, used, dense[name]
            )
        model = g.MergeModel({k: tuple(w) for k, w in weights.items()})
        held_out["with" + suffix.replace("+", "_") if suffix else "words_only"] = {
            name: score(rows, simulate(rows, model, dense[name]))
            for name, rows in sets.items()
            if name in HELD_OUT and (not suffix or dense[name] is not None)
        }
    return weights, training, held_out


def keep_embedded(previous: dict[str, Any], fitted: Fitted) -> None:
    """Keep the weights fitted with embeddings earlier (and their figures), when only the
    words-only ones were fitted now."""
    weights, training, held_out = fitted
    for kind in ("article", "headline"):
        if kind + g.EMBEDDED in previous["weights"]:
            weights[kind + g.EMBEDDED] = previous["weights"][kind + g.EMBEDDED]
            training[kind + g.EMBEDDED] = previous["training_b3_f1"][kind + g.EMBEDDED]
    if "with_embeddings" in previous.get("held_out", {}):
        held_out["with_embeddings"] = previous["held_out"]["with_embeddings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true", help="do not write the model file")
    parser.add_argument("--json", action="store_true", help="print the whole model as JSON")
    parser.add_argument(
        "--embeddings", action="store_true",
        help="also fit the weights used with sentence embeddings (needs the extra; slow)",
    )
    args = parser.parse_args()
    sets = labelled_sets(args.shared / "data")
    previous = json.loads(MODEL.read_text()) if MODEL.exists() else {}
    if previous.get("features") != list(g.FEATURES):
        previous = {}
    fitted = fit_all(sets, args.embeddings)
    if not args.embeddings and previous:
        keep_embedded(previous, fitted)
    weights, training, held_out = fitted
    result = {
        "about": "Merge decision of story grouping: logistic regression weights (bias, then "
        "one per feature) per kind of text, written by tools/fit_grouping.py.",
        "features": list(g.FEATURES),
        "weights": weights,
        "training_b3_f1": {k: round(v, 4) for k, v in training.items()},
        "held_out": held_out,
    }
    print(json.dumps(result if args.json else result["held_out"], indent=1))
    if not args.check:
        MODEL.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {MODEL}", file=sys.stderr)


if __name__ == "__main__":
    main()
