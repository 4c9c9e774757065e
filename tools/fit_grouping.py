"""Fit the merge decision of story grouping and write storylens/grouping_model.json.

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

import numpy as np
from sklearn.linear_model import LogisticRegression

from storylens import group as g
from storylens.bench import ClusterFields, _draft, clustering_scores, read_records
from storylens.model import Reject
from storylens.options import Options
from storylens.pipeline import Prepared, prepare

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "storylens" / "grouping_model.json"
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))  # 0.2 to 0.8
Labelled = list[tuple[Prepared, str]]
HEADLINE_FEATURES = ("cosine", "log_gap_hours", "cosine_x_log_gap", "log_size")


def load(path: Path, fields: ClusterFields, start: int, stop: int) -> Labelled:
    """Prepared articles with their labels, records start..stop, in time order."""
    records = read_records(path, stop)[start:]
    drafts = [_draft(r, fields, start + i + 1) for i, r in enumerate(records)]
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


def simulate(
    data: Labelled, model: g.MergeModel | None, threshold: float = 0.5
) -> tuple[list[str], list[tuple[float, ...]], list[int]]:
    """Group the articles in order. With a model, as grouping does (the same functions); with
    none, each article goes to its labelled story and the candidates become examples."""
    options = Options()
    window = options.story_window_hours * 3600.0
    index = g.StoryIndex()
    story_of_label: dict[str, str] = {}
    predicted: list[str] = []
    examples: list[tuple[float, ...]] = []
    targets: list[int] = []
    for number, (prepared, label) in enumerate(data):
        article = prepared.article
        for term in prepared.terms:
            index.df[term] = index.df.get(term, 0) + 1
        index.documents += 1
        vector = g.vectorize(prepared.terms, index)
        ts = article.timestamp
        candidates = index.candidates(vector, ts, window)
        best: g.StoryState | None = None
        if model is None:
            target = index.stories.get(story_of_label.get(label, ""))
            if target is not None and not target.within(ts, window):
                target = None
            for story in candidates:
                examples.append(g.features(vector, ts, story))
                targets.append(int(target is not None and story.id == target.id))
            best = target
        else:
            kind = g.text_kind(article)
            best_p = 0.0
            for story in candidates:
                p = model.probability(kind, g.features(vector, ts, story))
                if p > best_p:
                    best, best_p = story, p
            if best_p < threshold:
                best = None
        if best is None:
            best = g.StoryState(id=g.story_id_for(article.id))
            index.stories[best.id] = best
            story_of_label.setdefault(label, best.id)
            if model is None:
                story_of_label[label] = best.id
        best.add(article, vector, prepared.signature)
        index.post(best, vector)
        predicted.append(best.id)
        if ts is not None and number % 200 == 199:
            index.forget_before(ts, window)
    return predicted, examples, targets


def score(data: Labelled, predicted: list[str]) -> dict[str, float]:
    figures = clustering_scores(predicted, [label for _, label in data])
    return {k: round(v, 4) for k, v in figures.items()}


def fit(data: Labelled, kind: str, used: tuple[str, ...]) -> tuple[list[float], float]:
    """Weights (bias first) for one kind of text, and the B-cubed F1 they reach on the data.
    Features not in ``used`` get weight 0."""
    _, examples, targets = simulate(data, None)
    columns = [g.FEATURES.index(name) for name in used]
    regression = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
    regression.fit(np.array(examples)[:, columns], np.array(targets))
    weights = [float(regression.intercept_[0])] + [0.0] * len(g.FEATURES)
    for column, weight in zip(columns, regression.coef_[0], strict=True):
        weights[1 + column] = float(weight)
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        model = g.MergeModel({"article": tuple(weights), "headline": tuple(weights)})
        f1 = score(data, simulate(data, model, threshold)[0])["b3_f1"]
        if f1 > best[0]:
            best = (f1, threshold)
    f1, threshold = best
    weights[0] -= math.log(threshold / (1 - threshold))  # joins at 0.5 from now on
    print(f"{kind}: threshold {threshold} -> F1 {f1:.4f} on its training data", file=sys.stderr)
    return [round(w, 4) for w in weights], f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true", help="do not write the model file")
    parser.add_argument("--json", action="store_true", help="print the whole model as JSON")
    args = parser.parse_args()
    data = args.shared / "data"
    ecb = (data / "ecbplus" / "ecbplus.jsonl.gz", ClusterFields(text=("text",), label="subtopic"))
    uci_path = data / "uci-news" / "uci-news-dev.tsv.gz"
    uci = ClusterFields(text=("title",), label="story", time="timestamp", source="publisher")
    documents = load(*ecb, 0, 10**9)
    even = [d for d in documents if int(d[1].split("_")[0]) % 2 == 0]
    odd = [d for d in documents if int(d[1].split("_")[0]) % 2 == 1]
    # Full articles: ECB+ dates a third of its documents, each event's within a few days and
    # the events of a topic years apart; too little and too peculiar to learn how time matters
    # from. Their stories are bounded in time by the story_window_hours setting alone.
    article_weights, article_f1 = fit(even, "article", ("cosine", "log_size"))
    headline_weights, headline_f1 = fit(
        load(uci_path, uci, 40_000, 70_000), "headline", HEADLINE_FEATURES
    )
    model = g.MergeModel({"article": tuple(article_weights), "headline": tuple(headline_weights)})
    held_out = {
        "ecbplus_odd_topics": score(odd, simulate(odd, model)[0]),
        "uci_first_8000": score(
            first := load(uci_path, uci, 0, 8_000), simulate(first, model)[0]
        ),
        "uci_100000_120000": score(
            later := load(uci_path, uci, 100_000, 120_000), simulate(later, model)[0]
        ),
    }
    result = {
        "about": "Merge decision of story grouping: logistic regression weights (bias, then "
        "one per feature) per kind of text, written by tools/fit_grouping.py.",
        "features": list(g.FEATURES),
        "weights": {"article": article_weights, "headline": headline_weights},
        "training_b3_f1": {"article": round(article_f1, 4), "headline": round(headline_f1, 4)},
        "held_out": held_out,
    }
    print(json.dumps(result if args.json else result["held_out"], indent=1))
    if not args.check:
        MODEL.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {MODEL}", file=sys.stderr)


if __name__ == "__main__":
    main()
