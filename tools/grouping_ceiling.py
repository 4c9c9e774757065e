"""How far can any grouping of ECB+ go with these representations? An offline ceiling.

    python tools/grouping_ceiling.py [--shared ../shared] [--json]

Online grouping sees each article once, in order, and must decide without the labels. This
tool grants every advantage an online method does not have, to bound what representations of
the text could reach on ECB+ (its 43 topics each hold two similar events):

- all 982 documents at once, clustered by average-link agglomeration (SciPy), the method the
  issue's reference figure uses;
- the distance threshold chosen on the scored data itself (the best of a grid);
- for the combined row, a pair classifier (logistic regression over the similarities of the
  rows above, plus publication-time features) fitted on the pairs of the even-numbered topics
  and applied to the odd ones, and the other way round; pairs across the two halves are
  scored 0, which can only help.

The representations are the grouping stage's own TF-IDF terms, the capitalised words (names),
the numbers, the title and first three sentences (lead), and with --embeddings the MiniLM
sentence embeddings. Besides B-cubed F1, it prints the AUC of each similarity at telling
same-event from other-event pairs inside a topic (where grouping errs).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from fit_grouping import ROOT, Labelled, load
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from storylens.bench.cluster import clustering_scores
from storylens.bench.records import ClusterFields
from storylens.group import stories as g

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?!\w)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
THRESHOLDS = np.arange(0.01, 1.0, 0.01)


def _similarity(counts: list[Counter[str]]) -> np.ndarray:
    """Cosine similarities of sublinear TF-IDF vectors."""
    rows = [c if c else Counter({"": 1}) for c in counts]
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(DictVectorizer().fit_transform(rows))
    return np.asarray((matrix @ matrix.T).toarray())


def _names(text: str) -> Counter[str]:
    """Capitalised words that do not open a sentence."""
    found: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text):
        words = _WORD.findall(sentence)
        found.update(w.lower() for w in words[1:] if w[0].isupper())
    return found


def best_average_link(similarity: np.ndarray, labels: list[str]) -> dict[str, float]:
    distance = np.clip(1.0 - similarity, 0.0, None)
    distance = (distance + distance.T) / 2.0
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    best: dict[str, float] = {"b3_f1": -1.0}
    for threshold in THRESHOLDS:
        clusters = fcluster(tree, 1.0 - threshold, "distance")
        scores = clustering_scores([str(c) for c in clusters], labels)
        if scores["b3_f1"] > best["b3_f1"]:
            best = {k: round(v, 3) for k, v in scores.items()} | {"threshold": round(threshold, 2)}
    return best


def within_topic_auc(similarity: np.ndarray, labels: list[str], topics: np.ndarray) -> float:
    upper = np.triu_indices(len(labels), 1)
    same_topic = topics[upper[0]] == topics[upper[1]]
    events = np.array(labels)
    same_event = events[upper[0]] == events[upper[1]]
    return round(float(roc_auc_score(same_event[same_topic], similarity[upper][same_topic])), 3)


def learned_pairs(features: np.ndarray, labels: list[str], topics: np.ndarray) -> np.ndarray:
    """Pair probabilities, each half of the topics scored by a classifier fitted on the other."""
    events = np.array(labels)
    same = events[:, None] == events[None, :]
    n = len(labels)
    probability = np.zeros((n, n))
    for parity in (0, 1):
        train = topics % 2 == parity
        pairs = train[:, None] & train[None, :]
        pairs[np.diag_indices(n)] = False
        model = LogisticRegression(max_iter=2000, class_weight="balanced")
        model.fit(features[pairs], same[pairs])
        scored = ~train[:, None] & ~train[None, :]
        probability[scored] = model.predict_proba(features[scored])[:, 1]
    return probability


def similarities_of(data: Labelled, embeddings: bool) -> dict[str, np.ndarray]:
    """Pairwise similarities of the articles by tf-idf terms, names, numbers and the lead
    sentences' terms (and, with ``embeddings``, MiniLM vectors)."""
    articles = [p.article for p, _ in data]
    similarities = {
        "tfidf": _similarity([p.terms for p, _ in data]),
        "names": _similarity([_names(a.text) for a in articles]),
        "numbers": _similarity([Counter(_NUMBER.findall(a.text)) for a in articles]),
        "lead": _similarity(
            [
                g.terms_of(
                    type(a)(**{**a.__dict__, "text": " ".join(_SENTENCE.split(a.text)[:3])})
                )
                for a in articles
            ]
        ),
    }
    if embeddings:
        from storylens.group.embed import embed

        vectors = embed(articles)
        dense = np.stack([vectors[a.id] for a in articles])
        similarities["embeddings"] = dense @ dense.T
    return similarities


def time_features(data: Labelled) -> list[np.ndarray]:
    """Pairwise features of the articles' times: log days apart when both are dated, both
    dated, and only one dated."""
    stamps = np.array([p.article.timestamp if p.article.timestamp is not None else np.nan
                       for p, _ in data])
    known = ~np.isnan(stamps)
    both = known[:, None] & known[None, :]
    days = np.abs(np.nan_to_num(stamps)[:, None] - np.nan_to_num(stamps)[None, :]) / 86400.0
    return [
        np.where(both, np.log1p(days), 0.0),
        both.astype(float),
        (known[:, None] != known[None, :]).astype(float),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--embeddings", action="store_true", help="add MiniLM (needs the extra)")
    args = parser.parse_args()
    data = load(
        args.shared / "data" / "ecbplus" / "ecbplus.jsonl.gz",
        ClusterFields(text=("text",), label="subtopic"),
        0,
        10**9,
    )
    labels = [label for _, label in data]
    topics = np.array([int(label.split("_")[0]) for label in labels])
    similarities = similarities_of(data, args.embeddings)
    rows: dict[str, Any] = {}
    for name, similarity in similarities.items():
        rows[name] = best_average_link(similarity, labels) | {
            "within_topic_auc": within_topic_auc(similarity, labels, topics)
        }
    stacked = np.stack(list(similarities.values()), axis=-1)
    combined = learned_pairs(stacked, labels, topics)
    rows["combined"] = best_average_link(combined, labels)
    with_time = learned_pairs(np.concatenate([stacked, np.stack(time_features(data), -1)], -1),
                              labels, topics)
    rows["combined+time"] = best_average_link(with_time, labels)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for name, row in rows.items():
        auc = f"  within-topic AUC {row['within_topic_auc']}" if "within_topic_auc" in row else ""
        print(
            f"{name:14} B3 P {row['b3_precision']:.3f} R {row['b3_recall']:.3f} "
            f"F1 {row['b3_f1']:.3f} (threshold {row['threshold']}){auc}"
        )


if __name__ == "__main__":
    main()
