"""Benchmarks: the scoring they use, their JSON shape, and the extraction quality gate."""

from __future__ import annotations

import pytest
from conftest import DEMO, Cli, shared_path

from storylens.bench import precision_recall_f1, shingle_scores

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
