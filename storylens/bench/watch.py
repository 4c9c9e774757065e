"""bench watch: storylens watch against invented news sites served on loopback
(``watchsite``), one round each time into a fresh database, through the Collector the
``watch --once`` command runs.

Run 1, politeness off: pages fetched and articles stored per second, with the settings given
(every extraction on by default), then the same without extraction; the peak memory of this
process (the sites' threads included). Run 2, politeness on with a small delay between two
requests to one host: the requests each host received per second, read from the times the
sites noted as each request arrived, against the limit the delay sets.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..collect import Collector, RoundSummary, add_sources, checked
from ..extract.nlp import pipeline
from ..options import Options
from ..pipeline import preload
from ..read.stored import refresh_story_views
from ..store import Store
from .measure import peak_rss_mb
from .watchsite import REQUESTS_BESIDES_ARTICLES, WatchSite

# Articles of a round before the clocks start, for what the pipeline loads on first use (the
# language identifier, trafilatura's tables).
WARM_UP_ARTICLES = 4


# How far two times may differ and be taken for the same.
_CLOCK_SECONDS = 1e-6


@dataclass(frozen=True)
class WatchBench:
    """What to measure: ``articles`` over ``hosts`` sites with politeness off; then
    ``polite_articles`` a host with politeness on, ``delay`` seconds between two requests
    to one host."""

    articles: int = 300
    hosts: int = 3
    delay: float = 0.2
    polite_articles: int = 30
    without_extraction: bool = True  # also run 1 with extraction off


@dataclass(frozen=True)
class Round:
    """One round against a site: the collector's summary, its seconds, and what the
    database holds after it."""

    summary: RoundSummary
    seconds: float
    counts: dict[str, int]


def bench_watch(bench: WatchBench, options: Options) -> dict[str, Any]:
    """Both runs; their figures. The language models and the grouping's tables are loaded,
    and a small round is collected from a site of its own, before the clocks start
    (``load_seconds``)."""
    busy = os.getloadavg()[0]  # how busy the machine was already
    started = time.perf_counter()
    extracting = options.extract_attributions or options.extract_events
    preload()
    if extracting:
        pipeline()
    with WatchSite(WARM_UP_ARTICLES, 1, first=10_000) as site:  # what loads on first use
        collect_once(site, options.replace(politeness=False))
    figures: dict[str, Any] = {
        "articles": bench.articles, "hosts": bench.hosts,
        "load_seconds": round(time.perf_counter() - started, 2),
        "load_average_before": round(busy, 2),
        "cores": os.cpu_count(),
    }
    off = options.replace(politeness=False)
    figures["politeness_off"] = _fast(bench, off)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if bench.without_extraction and extracting:
        figures["politeness_off_without_extraction"] = _fast(
            bench, off.replace(extract_attributions=False, extract_events=False)
        )
    polite = options.replace(
        politeness=True, fetch_delay_seconds=bench.delay, extract_attributions=False,
        extract_events=False,
    )
    figures["politeness_on"] = _polite(bench, polite)
    return figures


def _fast(bench: WatchBench, options: Options) -> dict[str, Any]:
    """Run 1: one round over ``bench.articles`` articles with politeness off."""
    with WatchSite(bench.articles, bench.hosts) as site:
        done = collect_once(site, options)
    summary = done.summary
    figures = _counts(site, done, bench.articles)
    figures.update({
        "extraction": extraction(options),
        "seconds": round(done.seconds, 2),
        "pages_per_second": _rate(summary.pages, done.seconds),
        "requests_per_second": _rate(site.requests, done.seconds),
        "articles_per_second": _rate(summary.stored, done.seconds),
    })
    return figures


def _polite(bench: WatchBench, options: Options) -> dict[str, Any]:
    """Run 2: one round over ``bench.polite_articles`` articles a host with politeness on;
    the requests each host received in any one second, against the limit."""
    articles = bench.polite_articles * bench.hosts
    with WatchSite(articles, bench.hosts) as site:
        done = collect_once(site, options)
    figures = _counts(site, done, articles)
    figures.update({"delay_seconds": options.fetch_delay_seconds,
                    "seconds": round(done.seconds, 2)})
    figures.update(host_rates([host.times() for host in site.hosts],
                              options.fetch_delay_seconds))
    return figures


def collect_once(site: WatchSite, options: Options) -> Round:
    """The site's sources added to a fresh temporary database and one round collected from
    them, as ``storylens sources add`` and ``storylens watch --once`` do; timed."""
    with (
        tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        add_sources(store, [checked(url) for url in site.sources])
        collector = Collector(store, options, views=refresh_story_views)
        started = time.perf_counter()
        summary = collector.round()
        seconds = time.perf_counter() - started
        counts = store.counts()
    return Round(summary, seconds, counts)


def _counts(site: WatchSite, done: Round, articles: int) -> dict[str, Any]:
    """What a round fetched and stored, and whether it adds up: every article stored once,
    each page requested once, and each host asked besides for its robots.txt, feed, sitemap
    index and news sitemap, once each."""
    summary = done.summary
    expected = articles + REQUESTS_BESIDES_ARTICLES * len(site.hosts)
    twice = sum(n > 1 for host in site.hosts for n in host.counts().values())
    figures: dict[str, Any] = {
        "articles": articles,
        "sources": summary.sources,
        "requests": site.requests,
        "expected_requests": expected,
        "pages_fetched": summary.pages,
        "stored": summary.stored,
        "articles_in_database": done.counts.get("articles", 0),
        "stories": done.counts.get("stories", 0),
        "duplicates": summary.duplicates,
        "rejected": summary.rejected,
        "paths_requested_twice": twice,
        "missing_paths": sum(host.missing for host in site.hosts),
    }
    figures["consistent"] = (
        site.requests == expected and summary.pages == articles
        and summary.stored == articles == figures["articles_in_database"]
        and not (summary.duplicates or summary.rejected or twice or figures["missing_paths"])
    )
    return figures


def host_rates(times: list[list[float]], delay: float) -> dict[str, Any]:
    """The requests per host per second from each host's arrival times: the most in any one
    second (a window starting at each request), the mean (a host's requests over the span
    from its first to its last) over the hosts, and the least gap between two requests to
    one host, against the limit the delay sets (1 / delay a second). Requests at least
    ``delay`` apart fit ``ceil(1 / delay)`` into a second (5 for 0.2 s), which is what
    ``within_limit`` checks, with the least gap at least the delay (to a microsecond: times
    are floating-point)."""
    most = 0
    gaps: list[float] = []
    means: list[float] = []
    for moments in times:
        moments = sorted(moments)
        last = 0
        for first, moment in enumerate(moments):
            while last < len(moments) and moments[last] < moment + 1.0:
                last += 1
            most = max(most, last - first)
        gaps += [b - a for a, b in zip(moments, moments[1:], strict=False)]
        if len(moments) > 1:
            means.append((len(moments) - 1) / (moments[-1] - moments[0]))
    limit = 1.0 / delay if delay > 0 else math.inf
    least = min(gaps) if gaps else math.inf
    return {
        "max_requests_per_host_second": most,
        "mean_requests_per_host_second": round(sum(means) / len(means), 2) if means else 0.0,
        "min_gap_seconds": round(least, 4) if gaps else None,
        "limit": round(limit, 3),
        "within_limit": most <= math.ceil(limit - 1e-9) and least >= delay - _CLOCK_SECONDS,
    }


def extraction(options: Options) -> str:
    """The extraction a run did, in words."""
    if options.extract_attributions and options.extract_events:
        return "attributions, entities and events"
    if options.extract_attributions:
        return "attributions"
    return "entities and events" if options.extract_events else "off"


def _rate(count: int, seconds: float) -> float:
    """``count`` a second."""
    return round(count / seconds, 1) if seconds > 0 else 0.0


def text_lines(figures: dict[str, Any]) -> list[str]:
    """The figures as a few lines for the terminal."""
    lines = [
        f"sites     {figures['hosts']} hosts on 127.0.0.1, {figures['articles']} articles; "
        f"models loaded in {figures['load_seconds']} s; load average before "
        f"{figures['load_average_before']} on {figures['cores']} cores",
    ]
    for key, label in (("politeness_off", "off"),
                       ("politeness_off_without_extraction", "off, no extraction")):
        run = figures.get(key)
        if run is None:
            continue
        lines.append(
            f"{label:<19} {run['pages_fetched']} pages, {run['requests']} requests, "
            f"{run['stored']} stored in {run['seconds']} s: {run['pages_per_second']} "
            f"pages/s, {run['articles_per_second']} articles/s "
            f"(extraction: {run['extraction']}); {_adds_up(run)}"
        )
    lines.append(f"peak memory         {figures['peak_rss_mb']} MB (this process)")
    run = figures["politeness_on"]
    verdict = "within" if run["within_limit"] else "NOT within"
    lines.append(
        f"politeness on       delay {run['delay_seconds']} s: at most "
        f"{run['max_requests_per_host_second']} requests to a host in a second, mean "
        f"{run['mean_requests_per_host_second']}/s, least gap {run['min_gap_seconds']} s: "
        f"{verdict} the limit of {run['limit']}/s; {_adds_up(run)}"
    )
    return lines


def _adds_up(run: dict[str, Any]) -> str:
    """Whether a run's counts add up, in words."""
    if run["consistent"]:
        return "every article stored once"
    return (f"counts do NOT add up: {run['requests']} requests of {run['expected_requests']} "
            f"expected, {run['stored']} stored of {run['articles']}")
