"""``storylens bench serve``: latency of the web server under load while an ingest runs.

Four processes, as in use: the real server (``storylens serve``) on a free loopback port; an
ingest adding more records to the same database throughout; a load generator (asyncio +
httpx, in its own process so that its work is not the server's) holding ``clients``
connections busy, each sending its next request as soon as the last one is answered; and this
one, which builds the database, starts the others and gathers their figures.

The requests mix the story page (``/stories/{id}``, ids sampled from the database) with
``/api/stories``, with and without a ``q`` full-text filter (words of the first articles of
the sampled stories).
The records are headlines in the layout of the UCI News Aggregator file (TSV or JSON Lines,
gzipped or not; fields ``id``, ``title``, ``publisher``, ``timestamp``), fed through the path
``bench cluster`` uses, without attribution and event extraction.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..store import Store
from .headlines import build_database, count_articles, ingest_more, sample_targets
from .load import httpx_load, load_tool, wrk_load
from .processes import cpu_seconds, free_port, python_command, stop, wait_until_serving

TARGET_P95_MS = 50.0
# This module runs the helper processes too (see main): the ingest and the httpx load.
HELPER_MODULE = "storylens.bench.serve"


@dataclass(frozen=True)
class ServeBench:
    """What to measure: ``records`` feeds the database (the first ``articles`` of them, unless
    ``db`` exists already) and the concurrent ingest (the records after those);
    ``ingest_rate`` caps the ingest in articles per second (0: as fast as it goes)."""

    records: Path
    articles: int = 100_000
    clients: int = 20
    seconds: float = 20.0
    db: Path | None = None
    ingest_rate: float = 0.0
    warmup_seconds: float = 2.0
    seed: int = 1
    workers: int = 2
    load_tool: str = "auto"  # "wrk", "httpx", or "auto": wrk when it is installed


@dataclass(frozen=True)
class LoadRun:
    """What a run under load found: the first request of each kind after start-up (ms), the
    load generator's figures, the concurrent ingest's commits, the processor cores each
    process used while measuring and the load average before it."""

    first: dict[str, float]
    measured: dict[str, Any]
    ingested: dict[str, Any]
    cores: dict[str, float]
    busy: float


def bench_serve(bench: ServeBench) -> dict[str, Any]:
    """Build (or reuse) the database, serve it, ingest into it and load it; the figures."""
    try:
        import httpx  # noqa: F401
    except ImportError as error:
        raise UsageError("bench serve needs httpx: pip install 'storylens[test]'") from error
    tool = load_tool(bench.load_tool)
    with tempfile.TemporaryDirectory(prefix="storylens-bench-serve-") as folder:
        db = bench.db or Path(folder) / "serve.db"
        built_seconds = None
        if not db.exists():
            started = time.perf_counter()
            build_database(db, bench.records, bench.articles)
            built_seconds = round(time.perf_counter() - started, 1)
        with Store(db, create=False) as store:
            articles = count_articles(store)
            stories = store.counts()["stories"]
        run = _serve_and_load(bench, db, articles, tool, Path(folder))
    figures = _figures(bench, articles, stories, built_seconds, run.measured, run.ingested)
    figures["first_request_ms"] = run.first
    figures["cores_used"] = {k: round(v, 2) for k, v in run.cores.items()}
    figures["cores_available"] = os.cpu_count()
    figures["load_average_before"] = round(run.busy, 2)  # how busy the machine was already
    return figures


def _serve_and_load(
    bench: ServeBench, db: Path, articles: int, tool: str, folder: Path
) -> LoadRun:
    """Serve the database (``storylens serve`` on a free port), start the concurrent ingest
    of the records after the first ``articles`` and load the server with the tool; the
    server and the ingest are stopped however that ends."""
    targets = sample_targets(db, bench.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("STORYLENS_DB",)}
    env.pop("STORYLENS_WRITE_TOKEN", None)
    log = folder / "server.log"
    with log.open("wb") as server_log:
        server = subprocess.Popen(
            python_command("storylens", "serve", "--db", str(db), "--port", str(port),
                           "--workers", str(bench.workers)),
            stdout=server_log, stderr=subprocess.STDOUT, env=env,
        )
        ingest: subprocess.Popen[str] | None = None
        try:
            first = wait_until_serving(base, server, 120.0, targets)
            ingest = _start_ingest(bench, db, articles, env)
            measured, ingested, cores, busy = _load_while_ingesting(
                bench, base, targets, tool, folder, env, server, ingest
            )
        finally:
            if ingest is not None:
                stop(ingest)
            stop(server)
    if server.returncode not in (0, -signal.SIGTERM):
        raise UsageError(
            f"the server ended with status {server.returncode}: "
            + log.read_text(errors="replace")[-500:]
        )
    return LoadRun(first, measured, ingested, cores, busy)


def _start_ingest(
    bench: ServeBench, db: Path, articles: int, env: dict[str, str]
) -> subprocess.Popen[str]:
    """The concurrent ingest of the records after the first ``articles``, once it says it
    has committed its first batch."""
    ingest = subprocess.Popen(
        python_command(
            HELPER_MODULE, "ingest", str(db), str(bench.records),
            "--skip", str(articles), "--rate", str(bench.ingest_rate),
        ),
        stdout=subprocess.PIPE, text=True, env=env,
    )
    assert ingest.stdout is not None
    if ingest.stdout.readline().strip() != "ready":
        raise UsageError("the concurrent ingest did not start")
    return ingest


def _load_while_ingesting(
    bench: ServeBench, base: str, targets: dict[str, list[str]], tool: str, folder: Path,
    env: dict[str, str], server: subprocess.Popen[bytes], ingest: subprocess.Popen[str],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, float], float]:
    """Load the server while the ingest runs, then stop the ingest: the load's figures, the
    ingest's, the cores each process used meanwhile and the load average before."""
    busy = os.getloadavg()[0]
    used = {
        "server": cpu_seconds(server.pid, children=True),
        "ingest": cpu_seconds(ingest.pid),
    }
    load_started = time.perf_counter()
    if tool == "wrk":
        measured = wrk_load(
            base, targets, bench.clients, bench.seconds, bench.warmup_seconds, bench.seed,
            folder,
        )
    else:
        measured = _httpx_load(base, targets, bench, env)
    wall = time.perf_counter() - load_started
    cores = {
        "server": (cpu_seconds(server.pid, children=True) - used["server"]) / wall,
        "ingest": (cpu_seconds(ingest.pid) - used["ingest"]) / wall,
    }
    cores["load_generator"] = measured.pop("cpu_seconds") / wall
    stop(ingest, 600.0)
    ingested = json.loads(ingest.communicate()[0].strip().splitlines()[-1])
    return measured, ingested, cores, busy


def _httpx_load(
    base: str, targets: dict[str, list[str]], bench: ServeBench, env: dict[str, str]
) -> dict[str, Any]:
    """The httpx load generator, in its own process (where wrk is not installed)."""
    load = subprocess.run(
        python_command(
            HELPER_MODULE, "load", base,
            "--clients", str(bench.clients), "--seconds", str(bench.seconds),
            "--warmup", str(bench.warmup_seconds), "--seed", str(bench.seed),
        ),
        input=json.dumps(targets), capture_output=True, text=True, env=env,
        timeout=bench.seconds + bench.warmup_seconds + 300,
    )
    if load.returncode != 0:
        raise UsageError(f"the load generator failed: {load.stderr.strip()[-500:]}")
    measured: dict[str, Any] = json.loads(load.stdout)
    measured["tool"] = "httpx"
    return measured


def _figures(
    bench: ServeBench, articles: int, stories: int, built_seconds: float | None,
    measured: dict[str, Any], ingested: dict[str, Any],
) -> dict[str, Any]:
    """The figures of a run: the database, the load and its latencies against the target,
    and how much the concurrent ingest stored while the latencies were measured."""
    start, end = measured["measured_from"], measured["measured_until"]
    commits = [(at, n) for at, n in ingested["commits"]]
    during = sum(n for at, n in commits if start <= at <= end)
    # it ran throughout: a batch was committed before the measurement began, and it was
    # still going (not out of records) when the measurement ended
    before = any(at <= start for at, _ in commits)
    after = not ingested["exhausted"] or any(at >= end for at, _ in commits)
    endpoints = measured["endpoints"]
    checked = [endpoints[k]["p95_ms"] for k in endpoints]
    return {
        "articles": articles,
        "stories": stories,
        "database_built_seconds": built_seconds,
        "clients": bench.clients,
        "server_workers": bench.workers,
        "load_tool": measured.get("tool", "httpx"),
        "seconds": measured["seconds"],
        "requests": measured["requests"],
        "requests_per_second": measured["requests_per_second"],
        "endpoints": endpoints,
        "errors_by_status": measured["errors_by_status"],
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": all(p <= TARGET_P95_MS for p in checked)
        and not measured["errors_by_status"],
        "ingest": {
            "ran_during_measurement": before and after and during > 0,
            "articles_during_measurement": during,
            "articles_per_second": round(during / max(end - start, 1e-9), 1),
            "articles_stored": sum(n for _, n in commits),
            "ran_out_of_records": bool(ingested["exhausted"]),
        },
        "slowest": measured["slowest"],
    }


def text_lines(figures: dict[str, Any]) -> list[str]:
    """The figures one per line, for the terminal."""
    lines = [
        f"articles  {figures['articles']} in {figures['stories']} stories",
        f"clients   {figures['clients']} ({figures['load_tool']}) for {figures['seconds']} s, "
        f"{figures['server_workers']} server processes: "
        f"{figures['requests']} requests, {figures['requests_per_second']} requests/s",
    ]
    for kind, e in figures["endpoints"].items():
        lines.append(
            f"{kind:<18} p50 {e['p50_ms']} ms  p95 {e['p95_ms']} ms  p99 {e['p99_ms']} ms  "
            f"max {e['max_ms']} ms  {e['requests_per_second']} requests/s  "
            f"{e['errors']} errors"
        )
    ingest = figures["ingest"]
    lines.append(
        f"ingest    {'ran' if ingest['ran_during_measurement'] else 'did NOT run'} throughout "
        f"the measurement: {ingest['articles_during_measurement']} articles "
        f"({ingest['articles_per_second']} articles/s)"
    )
    first = ", ".join(f"{k} {v} ms" for k, v in figures.get("first_request_ms", {}).items())
    lines.append(f"first     requests after start-up (not measured): {first}")
    cores = ", ".join(f"{k} {v}" for k, v in figures.get("cores_used", {}).items())
    lines.append(
        f"cores     used while measuring, of {figures.get('cores_available')}: {cores} "
        f"(load average before: {figures.get('load_average_before')})"
    )
    verdict = "met" if figures["meets_target"] else "NOT met"
    lines.append(f"target    p95 <= {figures['target_p95_ms']:g} ms: {verdict}")
    lines.extend(f"slowest   {s['ms']} ms  {s['path']}" for s in figures["slowest"][:5])
    return lines


def main(argv: list[str] | None = None) -> None:
    """The helper processes: ``ingest DB RECORDS --skip N`` and ``load BASE`` (the targets
    as JSON on standard input); each prints its figures as JSON on its last line."""
    parser = argparse.ArgumentParser(prog="python -m storylens.bench.serve")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest")
    ingest.add_argument("db", type=Path)
    ingest.add_argument("records", type=Path)
    ingest.add_argument("--skip", type=int, default=0)
    ingest.add_argument("--rate", type=float, default=0.0)
    load = commands.add_parser("load")
    load.add_argument("base")
    load.add_argument("--clients", type=int, default=20)
    load.add_argument("--seconds", type=float, default=20.0)
    load.add_argument("--warmup", type=float, default=2.0)
    load.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "ingest":
        figures = ingest_more(args.db, args.records, args.skip, args.rate)
    else:
        targets = json.loads(sys.stdin.read())
        figures = asyncio.run(
            httpx_load(args.base, targets, args.clients, args.seconds, args.warmup, args.seed)
        )
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
