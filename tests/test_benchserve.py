"""bench serve: the server under concurrent clients while an ingest runs (its figures' shape
on a tiny database; the speed itself is measured by hand, see the README)."""

from __future__ import annotations

import shutil

import pytest
from conftest import Cli, shared_path

from storylens.bench.load import KINDS, client_shares, percentile


def test_benchserve_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) == 0.0


@pytest.mark.parametrize("tool", ["httpx", "wrk"])
def test_benchserve_json_figures(cli: Cli, tool: str) -> None:
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make test installs it: apt-get install wrk)")
    records = shared_path("data", "uci-news", "uci-news-dev.tsv.gz")
    figures = cli.json(
        "bench", "serve", str(records),
        "--articles", "300", "--clients", "3", "--seconds", "2", "--load-tool", tool,
        db=False,
    )
    assert isinstance(figures, dict)
    assert {
        "articles", "stories", "clients", "seconds", "requests", "requests_per_second",
        "endpoints", "target_p95_ms", "meets_target", "ingest", "slowest",
    } <= set(figures)
    assert figures["articles"] == 300
    assert figures["clients"] == 3
    assert figures["load_tool"] == tool
    assert figures["server_workers"] == 2
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


@pytest.mark.parametrize("clients", [1, 2, 3, 4, 7, 20, 21])
def test_benchserve_client_shares_every_kind_mixed_as_the_round(clients: int) -> None:
    shares = client_shares(clients)
    assert set(shares) == set(KINDS)
    assert all(n >= 1 for n in shares.values())
    assert sum(shares.values()) == max(clients, len(KINDS))
    assert shares["story page"] >= shares["/api/stories"]


@pytest.mark.parametrize("clients", ["0", "-1"])
def test_benchserve_refuses_no_clients(cli: Cli, clients: str) -> None:
    done = cli("bench", "serve", "records.tsv", "--clients", clients, db=False)
    assert done.returncode == 2
