"""The load generators of bench serve: clients asking for story pages and story lists (with
and without a search) as fast as they are answered, with httpx (asyncio, in its own process)
or with wrk, and the latency figures each endpoint gets."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import random
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from ..errors import UsageError

# What each client asks for, in turn (each client starting at another place in the round):
# half story pages, a quarter each the story list and the story list with a search.
ROUND = ("story page", "/api/stories", "story page", "/api/stories?q=")
KINDS = ("story page", "/api/stories", "/api/stories?q=")
SLOWEST = 10

Timing = tuple[str, str, float, int]  # kind, path, ms, status


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0-100) of the values (0 when there are none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100.0 * len(ordered)) - 1)]


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


# -- the load generator with httpx (its own process) --------------------------------------------


async def httpx_load(
    base: str, targets: dict[str, list[str]], clients: int, seconds: float, warmup: float,
    seed: int,
) -> dict[str, Any]:
    """``clients`` connections each sending its next request as soon as the last is answered,
    for ``warmup`` seconds and then ``seconds`` measured; the figures of the measured ones."""
    import httpx

    timings: list[Timing] = []
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
    slowest = sorted(timings, key=lambda t: -t[2])[:SLOWEST]
    return {
        "measured_from": wall_start,
        "measured_until": wall_end,
        "seconds": round(elapsed, 2),
        "requests": len(timings),
        "requests_per_second": round(len(timings) / elapsed, 1),
        "endpoints": _timed_endpoints(timings, elapsed),
        "errors_by_status": _statuses(timings),
        "slowest": [{"path": p, "ms": round(ms, 1), "status": s} for _, p, ms, s in slowest],
        "cpu_seconds": _own_cpu_seconds(),
    }


def _timed_endpoints(timings: list[Timing], elapsed: float) -> dict[str, Any]:
    """Per kind of request: requests, errors, requests/s and the latency percentiles of the
    answered ones."""
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
    return endpoints


def _own_cpu_seconds() -> float:
    """Processor time (user + system) this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _statuses(timings: list[Timing]) -> dict[str, int]:
    """How many requests ended with each status other than 200 (0: no answer)."""
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
    """The text as a Lua string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_load(
    base: str, targets: dict[str, list[str]], clients: int, seconds: float, warmup: float,
    seed: int, folder: Path,
) -> dict[str, Any]:
    """One wrk process per kind of request, all at once (first for the warm-up, then for the
    measurement), each holding its share of the clients busy. wrk is written in C: it costs
    the machine far less than the server it loads, and it measures latency exactly."""
    shares = client_shares(clients)
    scripts = _wrk_scripts(targets, seed, folder)
    if warmup > 0:
        _run_wrk(base, scripts, shares, warmup)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall_start = time.time()
    measured = _run_wrk(base, scripts, shares, seconds)
    wall_end = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = max(max(m["duration_us"] for m in measured.values()) / 1e6, 1e-9)
    requests = sum(m["requests"] for m in measured.values())
    return {
        "tool": "wrk",
        "measured_from": wall_start,
        "measured_until": wall_end,
        "seconds": round(elapsed, 2),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "endpoints": _wrk_endpoints(measured, shares, elapsed),
        "errors_by_status": _wrk_errors(measured),
        "slowest": [],
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    }


def _wrk_scripts(targets: dict[str, list[str]], seed: int, folder: Path) -> dict[str, Path]:
    """A wrk script per kind of request, written into the folder, each with its own seed."""
    scripts = {}
    for number, kind in enumerate(KINDS):
        script = folder / f"load-{number}.lua"
        paths = ", ".join(_lua_string(p) for p in targets[kind])
        script.write_text(WRK_SCRIPT % {"paths": paths, "seed": seed * 1000 + number})
        scripts[kind] = script
    return scripts


def _run_wrk(
    base: str, scripts: dict[str, Path], shares: dict[str, int], duration: float
) -> dict[str, dict[str, Any]]:
    """Run the wrk processes side by side for ``duration`` seconds; each one's figures."""
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


def _wrk_endpoints(
    measured: dict[str, dict[str, Any]], shares: dict[str, int], elapsed: float
) -> dict[str, Any]:
    """Per kind of request: its clients, requests, errors, requests/s and latencies (ms)."""
    endpoints: dict[str, Any] = {}
    for kind, m in measured.items():
        endpoints[kind] = {
            "clients": shares[kind],
            "requests": m["requests"],
            "errors": m["connect"] + m["read"] + m["write"] + m["status"] + m["timeout"],
            "requests_per_second": round(m["requests"] / elapsed, 1),
            "p50_ms": round(m["p50"] / 1000.0, 1),
            "p95_ms": round(m["p95"] / 1000.0, 1),
            "p99_ms": round(m["p99"] / 1000.0, 1),
            "max_ms": round(m["max"] / 1000.0, 1),
        }
    return endpoints


def _wrk_errors(measured: dict[str, dict[str, Any]]) -> dict[str, int]:
    """The failed requests of all the wrk processes, by what went wrong."""
    statuses: dict[str, int] = {}
    for m in measured.values():
        if m["status"]:
            statuses["not 2xx/3xx"] = statuses.get("not 2xx/3xx", 0) + m["status"]
        for name in ("connect", "read", "write", "timeout"):
            if m[name]:
                statuses[name] = statuses.get(name, 0) + m[name]
    return statuses
