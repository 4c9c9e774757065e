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
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from ..errors import UsageError
from ..group.stories import warm_up
from ..model import Draft
from ..options import Options
from ..pipeline.ingestor import Ingestor, feed
from ..read.stored import refresh_story_views
from ..store import Store
from .core import ClusterFields, _draft, read_records

TARGET_P95_MS = 50.0
RECORD_FIELDS = ClusterFields(
    text=("title",), label="story", time="timestamp", source="publisher", id="id"
)
# What each client asks for, in turn (each client starting at another place in the round):
# half story pages, a quarter each the story list and the story list with a search.
ROUND = ("story page", "/api/stories", "story page", "/api/stories?q=")
KINDS = ("story page", "/api/stories", "/api/stories?q=")
SAMPLE_STORIES = 1000
SAMPLE_WORDS = 200
SLOWEST = 10


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


def _options() -> Options:
    return Options().replace(extract_attributions=False, extract_events=False)


def _drafts(records: list[dict[str, Any]], start: int) -> list[Draft]:
    """Drafts of the records, in time order as bench cluster feeds them (the record number
    ``start + i`` names each in its source)."""
    drafts = [_draft(r, RECORD_FIELDS, start + i + 1) for i, r in enumerate(records)]
    order = sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].published is None, drafts[i].published or "", i),
    )
    return [drafts[i] for i in order]


def build_database(db: Path, records: Path, articles: int) -> int:
    """A database of the first ``articles`` records (worker processes as ingest uses them);
    returns how many articles it holds."""
    rows = read_records(records, articles)
    if not rows:
        raise UsageError(f"{records} holds no records")
    warm_up()
    with Store(db) as store:
        feed(
            ((d, True) for d in _drafts(rows, 0)),
            Ingestor(store, _options(), views=refresh_story_views),
        )
        return _count(store)


def _count(store: Store) -> int:
    return store.counts()["articles"]


def sample_targets(db: Path, seed: int) -> dict[str, list[str]]:
    """The paths each kind of request picks from: story pages of sampled stories, the story
    list, and the story list filtered by a word of a sampled story's first article."""
    chance = random.Random(seed)
    with Store(db, create=False) as store:
        ids = store.story_ids()
        if not ids:
            raise UsageError(f"{db} holds no stories")
        picked = chance.sample(range(len(ids)), min(SAMPLE_STORIES, len(ids)))
        texts = [
            f"{title or ''} {text}" for title, text in store.first_articles(ids[i] for i in picked)
        ]
    words = sorted({w.lower() for text in texts for w in re.findall(r"[A-Za-z]{5,}", text)})
    words = chance.sample(words, min(SAMPLE_WORDS, len(words))) or ["news"]
    return {
        "story page": [f"/stories/{ids[i]}" for i in picked],
        "/api/stories": ["/api/stories"],
        "/api/stories?q=": [f"/api/stories?q={w}" for w in words],
    }


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0-100) of the values (0 when there are none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100.0 * len(ordered)) - 1)]


# -- the load generator (its own process) -----------------------------------------------------


async def _load(
    base: str, targets: dict[str, list[str]], clients: int, seconds: float, warmup: float,
    seed: int,
) -> dict[str, Any]:
    import httpx

    timings: list[tuple[str, str, float, int]] = []  # kind, path, ms, status
    started = time.perf_counter()
    measure_from = started + warmup
    until = measure_from + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:

        async def client(number: int) -> None:
            chance = random.Random(seed * 1000 + number)
            for turn in itertools.count(number):
                kind = ROUND[turn % len(ROUND)]
                path = chance.choice(targets[kind])
                sent = time.perf_counter()
                if sent >= until:
                    return
                try:
                    response = await http.get(path)
                    await response.aread()
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                done = time.perf_counter()
                if sent >= measure_from:
                    timings.append((kind, path, (done - sent) * 1000.0, status))

        wall_start = time.time() + warmup
        await asyncio.gather(*(client(n) for n in range(clients)))
        wall_end = time.time()
    elapsed = max(time.perf_counter() - measure_from, 1e-9)
    endpoints: dict[str, Any] = {}
    for kind in KINDS:
        ok = [ms for k, _, ms, status in timings if k == kind and status == 200]
        failed = sum(1 for k, _, _, status in timings if k == kind and status != 200)
        endpoints[kind] = {
            "requests": len(ok) + failed,
            "errors": failed,
            "requests_per_second": round((len(ok) + failed) / elapsed, 1),
            "p50_ms": round(percentile(ok, 50), 1),
            "p95_ms": round(percentile(ok, 95), 1),
            "p99_ms": round(percentile(ok, 99), 1),
            "max_ms": round(max(ok, default=0.0), 1),
        }
    slowest = sorted(timings, key=lambda t: -t[2])[:SLOWEST]
    return {
        "measured_from": wall_start,
        "measured_until": wall_end,
        "seconds": round(elapsed, 2),
        "requests": len(timings),
        "requests_per_second": round(len(timings) / elapsed, 1),
        "endpoints": endpoints,
        "errors_by_status": _statuses(timings),
        "slowest": [{"path": p, "ms": round(ms, 1), "status": s} for _, p, ms, s in slowest],
        "cpu_seconds": _own_cpu_seconds(),
    }


def _own_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _statuses(timings: list[tuple[str, str, float, int]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, _, status in timings:
        if status != 200:
            counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


# -- the load generator with wrk ----------------------------------------------------------------

# The wrk script: each request a path drawn from the kind's list; at the end, the figures as
# one JSON line (latencies in microseconds).
WRK_SCRIPT = """
local paths = {%(paths)s}
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,"status":%%d,' ..
    '"timeout":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def client_shares(clients: int) -> dict[str, int]:
    """How the clients split over the kinds of request, as ROUND mixes them (half story
    pages, a quarter each list and search), each kind at least one client."""
    shares = {kind: max(1, round(clients * ROUND.count(kind) / len(ROUND))) for kind in KINDS}
    while sum(shares.values()) > max(clients, len(KINDS)):
        largest = max(shares, key=lambda k: shares[k])
        shares[largest] -= 1
    while sum(shares.values()) < clients:
        shares["story page"] += 1
    return shares


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_load(
    base: str, targets: dict[str, list[str]], clients: int, seconds: float, warmup: float,
    seed: int, folder: Path,
) -> dict[str, Any]:
    """One wrk process per kind of request, all at once (first for the warm-up, then for the
    measurement), each holding its share of the clients busy. wrk is written in C: it costs
    the machine far less than the server it loads, and it measures latency exactly."""
    import resource

    shares = client_shares(clients)
    scripts = {}
    for number, kind in enumerate(KINDS):
        script = folder / f"load-{number}.lua"
        paths = ", ".join(_lua_string(p) for p in targets[kind])
        script.write_text(WRK_SCRIPT % {"paths": paths, "seed": seed * 1000 + number})
        scripts[kind] = script

    def run(duration: float) -> dict[str, dict[str, Any]]:
        running = {
            kind: subprocess.Popen(
                ["wrk", "-t1", f"-c{shares[kind]}", f"-d{max(1, round(duration))}s",
                 "--timeout", "60s", "-s", str(scripts[kind]), base],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for kind in KINDS
        }
        found = {}
        for kind, process in running.items():
            out, err = process.communicate(timeout=duration + 120)
            lines = [line for line in out.splitlines() if line.startswith("{")]
            if process.returncode != 0 or not lines:
                raise UsageError(f"wrk failed: {(err or out).strip()[-300:]}")
            found[kind] = json.loads(lines[-1])
        return found

    if warmup > 0:
        run(warmup)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall_start = time.time()
    measured = run(seconds)
    wall_end = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = max(max(m["duration_us"] for m in measured.values()) / 1e6, 1e-9)
    endpoints: dict[str, Any] = {}
    statuses: dict[str, int] = {}
    for kind, m in measured.items():
        failed = m["connect"] + m["read"] + m["write"] + m["status"] + m["timeout"]
        if m["status"]:
            statuses["not 2xx/3xx"] = statuses.get("not 2xx/3xx", 0) + m["status"]
        for name in ("connect", "read", "write", "timeout"):
            if m[name]:
                statuses[name] = statuses.get(name, 0) + m[name]
        endpoints[kind] = {
            "clients": shares[kind],
            "requests": m["requests"],
            "errors": failed,
            "requests_per_second": round(m["requests"] / elapsed, 1),
            "p50_ms": round(m["p50"] / 1000.0, 1),
            "p95_ms": round(m["p95"] / 1000.0, 1),
            "p99_ms": round(m["p99"] / 1000.0, 1),
            "max_ms": round(m["max"] / 1000.0, 1),
        }
    requests = sum(m["requests"] for m in measured.values())
    return {
        "tool": "wrk",
        "measured_from": wall_start,
        "measured_until": wall_end,
        "seconds": round(elapsed, 2),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "endpoints": endpoints,
        "errors_by_status": statuses,
        "slowest": [],
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    }


def load_tool(choice: str) -> str:
    """The load generator to use: ``wrk`` when asked for or (``auto``) when installed, else
    the httpx one."""
    if choice not in ("auto", "wrk", "httpx"):
        raise UsageError(f"unknown load tool {choice!r}: wrk, httpx or auto")
    if choice == "wrk" and shutil.which("wrk") is None:
        raise UsageError("wrk is not installed (Debian: apt-get install wrk)")
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "httpx"
    return choice


# -- the concurrent ingest (its own process) --------------------------------------------------


def ingest_more(db: Path, records: Path, skip: int, rate: float) -> dict[str, Any]:
    """Ingest the records after the first ``skip`` into the database, a batch per
    transaction, until stopped (SIGTERM) or out of records; says ``ready`` on standard
    output once the first batch is in, and returns when each batch was committed."""
    stop = False

    def on_term(signum: int, frame: FrameType | None) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    rows = read_records(records)[skip:]
    options = _options()
    warm_up()
    commits: list[tuple[float, int]] = []
    with Store(db) as store:
        ingestor = Ingestor(store, options, views=refresh_story_views)
        started = time.time()
        # at a capped rate, smaller batches: about one commit a second
        size = options.batch_size_articles if rate <= 0 else max(1, min(200, int(rate)))
        for start in range(0, len(rows), size):
            if stop:
                break
            # drafted a batch at a time (time order within each): drafting all at once
            # would delay the start by seconds
            chunk = _drafts(rows[start : start + size], skip + start)
            before = ingestor.summary.stored
            feed(((d, True) for d in chunk), ingestor, parallel=False)
            commits.append((time.time(), ingestor.summary.stored - before))
            if len(commits) == 1:
                print("ready", flush=True)
            if rate > 0:
                pause = started + ingestor.summary.stored / rate - time.time()
                while pause > 0 and not stop:
                    time.sleep(min(pause, 0.1))
                    pause = started + ingestor.summary.stored / rate - time.time()
        if not commits:
            print("ready", flush=True)
    return {"started": started, "commits": commits, "exhausted": not stop}


# -- the whole measurement --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_serving(
    base: str, server: subprocess.Popen[bytes], timeout: float, targets: dict[str, list[str]]
) -> dict[str, float]:
    """Wait until the server answers, then ask once for each kind of request (the first
    of each may load what later ones reuse); how long each of those first ones took, in ms."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UsageError(f"the server stopped at start-up (exit status {server.returncode})")
        try:
            if httpx.get(f"{base}/api/stories", timeout=5.0).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        raise UsageError(f"the server did not answer at {base} within {timeout:.0f} s")
    first: dict[str, float] = {}
    for kind in KINDS:
        sent = time.perf_counter()
        response = httpx.get(base + targets[kind][0], timeout=300.0)
        first[kind] = round((time.perf_counter() - sent) * 1000.0, 1)
        if response.status_code != 200:
            raise UsageError(f"{targets[kind][0]} answered {response.status_code}")
    return first


def cpu_seconds(pid: int, children: bool = False) -> float:
    """Processor time (user + system) a process has used so far, with ``children`` that of
    its child processes too (the server's workers, while they run); 0 where /proc is
    absent."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    if children:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            kids = []
        total += sum(cpu_seconds(int(kid), children=True) for kid in kids)
    return total


def _httpx_load(
    base: str, targets: dict[str, list[str]], bench: ServeBench, env: dict[str, str]
) -> dict[str, Any]:
    """The httpx load generator, in its own process (where wrk is not installed)."""
    load = subprocess.run(
        _python(
            "storylens.bench.serve", "load", base,
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


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def _stop(process: subprocess.Popen[Any], timeout: float = 30.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
            articles = _count(store)
            stories = store.counts()["stories"]
        targets = sample_targets(db, bench.seed)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in ("STORYLENS_DB",)}
        env.pop("STORYLENS_WRITE_TOKEN", None)
        log = Path(folder) / "server.log"
        with log.open("wb") as server_log:
            server = subprocess.Popen(
                _python("storylens", "serve", "--db", str(db), "--port", str(port),
                        "--workers", str(bench.workers)),
                stdout=server_log, stderr=subprocess.STDOUT, env=env,
            )
            ingest: subprocess.Popen[str] | None = None
            try:
                first = wait_until_serving(base, server, 120.0, targets)
                ingest = subprocess.Popen(
                    _python(
                        "storylens.bench.serve", "ingest", str(db), str(bench.records),
                        "--skip", str(articles), "--rate", str(bench.ingest_rate),
                    ),
                    stdout=subprocess.PIPE, text=True, env=env,
                )
                assert ingest.stdout is not None
                if ingest.stdout.readline().strip() != "ready":
                    raise UsageError("the concurrent ingest did not start")
                busy = os.getloadavg()[0]
                used = {
                    "server": cpu_seconds(server.pid, children=True),
                    "ingest": cpu_seconds(ingest.pid),
                }
                load_started = time.perf_counter()
                if tool == "wrk":
                    measured = _wrk_load(
                        base, targets, bench.clients, bench.seconds, bench.warmup_seconds,
                        bench.seed, Path(folder),
                    )
                else:
                    measured = _httpx_load(base, targets, bench, env)
                wall = time.perf_counter() - load_started
                cores = {
                    "server": (cpu_seconds(server.pid, children=True) - used["server"]) / wall,
                    "ingest": (cpu_seconds(ingest.pid) - used["ingest"]) / wall,
                }
                cores["load_generator"] = measured.pop("cpu_seconds") / wall
                _stop(ingest, 600.0)
                ingested = json.loads(ingest.communicate()[0].strip().splitlines()[-1])
            finally:
                if ingest is not None:
                    _stop(ingest)
                _stop(server)
        if server.returncode not in (0, -signal.SIGTERM):
            raise UsageError(
                f"the server ended with status {server.returncode}: "
                + log.read_text(errors="replace")[-500:]
            )
    figures = _figures(bench, articles, stories, built_seconds, measured, ingested)
    figures["first_request_ms"] = first
    figures["cores_used"] = {k: round(v, 2) for k, v in cores.items()}
    figures["cores_available"] = os.cpu_count()
    figures["load_average_before"] = round(busy, 2)  # how busy the machine was already
    return figures


def _figures(
    bench: ServeBench, articles: int, stories: int, built_seconds: float | None,
    measured: dict[str, Any], ingested: dict[str, Any],
) -> dict[str, Any]:
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
            _load(args.base, targets, args.clients, args.seconds, args.warmup, args.seed)
        )
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
