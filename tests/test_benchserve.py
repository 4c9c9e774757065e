"""bench serve: the server under concurrent clients while an ingest runs (its figures' shape
on a tiny database; the speed itself is measured by hand, see the README)."""

from __future__ import annotations

import pytest
from conftest import Cli, shared_path

from storylens.benchserve import percentile


def test_benchserve_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) == 0.0


def test_benchserve_json_figures(cli: Cli) -> None:
    records = shared_path("data", "uci-news", "uci-news-dev.tsv.gz")
    figures = cli.json(
        "bench", "serve", str(records),
        "--articles", "300", "--clients", "2", "--seconds", "2",
        db=False,
    )
    assert isinstance(figures, dict)
    assert {
        "articles", "stories", "clients", "seconds", "requests", "requests_per_second",
        "endpoints", "target_p95_ms", "meets_target", "ingest", "slowest",
    } <= set(figures)
    assert figures["articles"] == 300
    assert figures["clients"] == 2
    endpoints = figures["endpoints"]
    assert set(endpoints) == {"story page", "/api/stories", "/api/stories?q="}
    for kind, figure in endpoints.items():
        assert {
            "requests", "errors", "requests_per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms"
        } <= set(figure), kind
        assert figure["requests"] > 0, kind
        assert figure["errors"] == 0, kind
        assert figure["p50_ms"] <= figure["p95_ms"] <= figure["p99_ms"] <= figure["max_ms"]
    ingest = figures["ingest"]
    assert ingest["ran_during_measurement"] is True
    assert ingest["articles_during_measurement"] > 0


@pytest.mark.parametrize("clients", ["0", "-1"])
def test_benchserve_refuses_no_clients(cli: Cli, clients: str) -> None:
    done = cli("bench", "serve", "records.tsv", "--clients", clients, db=False)
    assert done.returncode == 2
