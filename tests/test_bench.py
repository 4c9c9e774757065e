"""Benchmarks: the scoring they use, their JSON shape, and the extraction quality gate."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DEMO, Cli, shared_path

from storylens.bench.cluster import clustering_scores
from storylens.bench.events import GoldEvent, read_plover, score_events
from storylens.bench.extraction import precision_recall_f1, shingle_scores
from storylens.model import Actor, EventMention

EXTRACTION_F1_GATE = 0.965


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ("one two three four five", "one two three four five", (1.0, 0.0, 0.0)),
        ("one two three four five", "", (0.0, 0.0, 1.0)),
        ("", "one two three four five", (0.0, 1.0, 0.0)),
    ],
)
def test_bench_shingle_scores_normalised_per_page(
    gold: str, predicted: str, expected: tuple[float, float, float]
) -> None:
    assert shingle_scores(gold, predicted) == pytest.approx(expected)


def test_bench_precision_recall_average_over_pages() -> None:
    precision, recall, f1 = precision_recall_f1([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert precision == pytest.approx(0.75)
    assert recall == pytest.approx(1.0)
    assert f1 == pytest.approx(2 * 0.75 / 1.75)


def test_bench_pipeline_json_figures(cli: Cli) -> None:
    figures = cli.json("bench", "pipeline", str(DEMO / "articles"), db=False)
    assert isinstance(figures, dict)
    assert figures["inputs"] == len(list((DEMO / "articles").iterdir()))
    assert figures["load_seconds"] > 0
    for run, target in (("full", 50.0), ("without_extraction", None), ("grouping", 1000.0)):
        figure = figures[run]
        assert figure["articles"] == figures["full"]["articles"] > 0
        assert figure["articles_per_second"] > 0
        assert figure.get("target_articles_per_second") == target
        if target is not None:
            assert figure["meets_target"] == (figure["articles_per_second"] >= target)
        if run != "grouping":
            assert figure["peak_memory_mb"] > 0
            assert figure["peak_memory_mb"] == max(figure["memory_mb_by_quarter"].values())
    assert figures["grouping"]["stories"] == 6  # the demo's stories
    reference = figures["reference"]  # spaCy's small pipeline, every component, same texts
    assert reference["articles"] == figures["full"]["articles"]
    assert {"tagger", "parser", "ner"} <= set(reference["components"])
    times = figures["full"]["articles_per_second"] / reference["articles_per_second"]
    assert figures["full"]["times_reference"] == pytest.approx(times, abs=0.01)
    assert figures["full"]["target_times_reference"] == 1.8


def test_bench_ingest_json_figures(cli: Cli) -> None:
    figures = cli.json("bench", "ingest", str(DEMO / "articles"), db=False)
    assert isinstance(figures, dict)
    assert {"articles", "seconds", "articles_per_second", "peak_rss_mb"} <= set(figures)
    assert figures["articles"] == 21
    assert figures["articles_per_second"] > 0


def test_bench_extract_meets_quality_gate(cli: Cli) -> None:
    folder = shared_path("data", "article-extraction")
    figures = cli.json("bench", "extract", str(folder), db=False)
    assert isinstance(figures, dict)
    assert figures["pages"] == 181
    assert figures["f1"] >= EXTRACTION_F1_GATE, figures


# Regression gates of attribution extraction on PolNeAR dev, just under the figures measured
# (content F1 0.639, source accuracy 0.924); issue 4's targets are 0.75 and 0.85.
QUOTES_CONTENT_F1_GATE = 0.62
QUOTES_SOURCE_ACCURACY_GATE = 0.90


def test_bench_quotes_meets_quality_gate(cli: Cli) -> None:
    folder = shared_path("data", "polnear-dev")
    figures = cli.json("bench", "quotes", str(folder), db=False)
    assert isinstance(figures, dict)
    assert figures["articles"] == 84
    assert {"content_precision", "content_recall", "articles_per_second"} <= set(figures)
    assert figures["content_f1"] >= QUOTES_CONTENT_F1_GATE, figures
    assert figures["source_accuracy"] >= QUOTES_SOURCE_ACCURACY_GATE, figures


# Regression gates of event coding on the PLOVER gold records, just under the figures measured
# (type accuracy 0.804, source 0.853, target 0.803); issue 5's targets are 0.80, 0.85, 0.80.
EVENTS_TYPE_GATE = 0.79
EVENTS_SOURCE_GATE = 0.83
EVENTS_TARGET_GATE = 0.79


def test_bench_events_meets_quality_gate(cli: Cli) -> None:
    path = shared_path("data", "plover", "PLOVER_GSR_CAMEO.json")
    figures = cli.json("bench", "events", str(path), db=False)
    assert isinstance(figures, dict)
    assert figures["records"] == 322
    assert {"type_macro_f1", "records_per_second"} <= set(figures)
    assert figures["type_accuracy"] >= EVENTS_TYPE_GATE, figures
    assert figures["source_accuracy"] >= EVENTS_SOURCE_GATE, figures
    assert figures["target_accuracy"] >= EVENTS_TARGET_GATE, figures


def _mention(kind: str, source: str, target: str | None) -> EventMention:
    def side(code: str | None) -> tuple[Actor, ...]:
        return (Actor(code or "", code, "GOV"),) if code else ()

    return EventMention(
        "a", kind, None, side(source), side(target), None, None, "", (0, 0), "", (0, 0), 1.0
    )


def test_bench_score_events_counts_types_and_codes() -> None:
    gold = [
        GoldEvent("t1", None, "REQUEST", frozenset({"JPN"}), frozenset({"PRK"})),
        GoldEvent("t2", None, "ASSAULT", frozenset({"ISR"}), frozenset({"PSE"})),
        GoldEvent("t3", None, "AGREE", frozenset({"HUN", "ROU"}), frozenset()),
    ]
    predicted = [
        [_mention("REQUEST", "JPN", "PRK")],
        [_mention("COERCE", "ISR", "PSE")],
        [_mention("AGREE", "HUN", None)],
    ]
    scores = score_events(predicted, gold)
    assert scores["type_accuracy"] == pytest.approx(2 / 3)
    assert scores["source_accuracy"] == pytest.approx(1 / 2)  # ROU missing in t3
    assert scores["target_accuracy"] == pytest.approx(1.0)  # no gold target in t3


def test_bench_read_plover_maps_older_type_names(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(
        '[{"event": "DOCUMENT"}, {"text": "A demanded B.", "date": "2000-01-01", '
        '"event": "DEMAND", "source": [{"code": "USA"}], "target": {"code": "IRQ"}}, '
        '{"text": "They fought.", "event": "FIGHT"}]',
        encoding="utf-8",
    )
    records = read_plover(path)
    assert [r.type for r in records] == ["REQUEST", "ASSAULT"]
    assert records[0].source == {"USA"} and records[0].target == {"IRQ"}


@pytest.mark.parametrize(
    ("predicted", "gold", "b3_f1", "pairwise_f1"),
    [
        (["a", "a", "b"], ["x", "x", "y"], 1.0, 1.0),
        (["a", "b", "c"], ["x", "x", "x"], 0.5, 0.0),
        (["a", "a", "a", "a"], ["x", "x", "y", "y"], 2 * 0.5 / 1.5, 0.5),
    ],
)
def test_bench_clustering_scores_known_cases(
    predicted: list[str], gold: list[str], b3_f1: float, pairwise_f1: float
) -> None:
    scores = clustering_scores(predicted, gold)
    assert scores["b3_f1"] == pytest.approx(b3_f1)
    assert scores["pairwise_f1"] == pytest.approx(pairwise_f1)


def _demo_records(manifest: list[dict]) -> list[dict]:
    records = []
    for entry in manifest:
        path = DEMO / str(entry["file"])
        if entry["item"] is not None or path.suffix != ".txt":
            continue
        records.append(
            {
                "body": path.read_text(encoding="utf-8"),
                "event": entry["event"],
                "when": entry["published"],
                "outlet": entry["outlet"] or "",
            }
        )
    return records


def test_bench_cluster_jsonl_demo_events_perfect(
    cli: Cli, tmp_path: Path, demo_manifest: list[dict]
) -> None:
    records = _demo_records(demo_manifest)
    path = tmp_path / "demo.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    figures = cli.json(
        "bench",
        "cluster",
        str(path),
        "--text",
        "body",
        "--label",
        "event",
        "--time",
        "when",
        "--source",
        "outlet",
        db=False,
    )
    assert isinstance(figures, dict)
    assert figures["articles"] == len(records)
    assert figures["b3_f1"] == 1.0
    assert figures["stories"] == figures["labels"]
    keys = {
        "b3_precision",
        "b3_recall",
        "b3_f1",
        "pairwise_f1",
        "stories",
        "articles",
        "seconds",
        "articles_per_second",
        "peak_rss_mb",
    }
    assert keys <= set(figures)


def test_bench_cluster_reads_gzipped_tsv_with_epoch_milliseconds(
    cli: Cli, tmp_path: Path, demo_manifest: list[dict]
) -> None:
    records = _demo_records(demo_manifest)
    path = tmp_path / "demo.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("title\tevent\tms\n")
        for record in records:
            first_line = record["body"].strip().split("\n")[0].replace("\t", " ")
            moment = datetime.fromisoformat(str(record["when"])).replace(tzinfo=UTC)
            handle.write(f"{first_line}\t{record['event']}\t{int(moment.timestamp() * 1000)}\n")
    figures = cli.json(
        "bench",
        "cluster",
        str(path),
        "--text",
        "title",
        "--label",
        "event",
        "--time",
        "ms",
        "--limit",
        "5",
        db=False,
    )
    assert isinstance(figures, dict)
    assert figures["articles"] == 5


# Clustering quality gates: the figures measured with the defaults (see README), rounded
# down. A change that loses quality on either kind of text fails here.
CLUSTER_GATES = [
    ("ecbplus/ecbplus.jsonl.gz", ["--text", "text", "--label", "subtopic"], 0.83),
    (
        "uci-news/uci-news-dev.tsv.gz",
        [
            "--text",
            "title",
            "--label",
            "story",
            "--time",
            "timestamp",
            "--source",
            "publisher",
            "--limit",
            "8000",
        ],
        0.85,
    ),
]


@pytest.mark.parametrize(("name", "arguments", "gate"), CLUSTER_GATES)
def test_bench_cluster_meets_quality_gate(
    cli: Cli, name: str, arguments: list[str], gate: float
) -> None:
    path = shared_path("data", *name.split("/"))
    figures = cli.json("bench", "cluster", str(path), *arguments, db=False)
    assert isinstance(figures, dict)
    assert figures["b3_f1"] >= gate, figures
