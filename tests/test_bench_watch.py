"""bench watch: storylens watch against invented sites on 127.0.0.1; a small run's counts add
up (every article stored once, each page requested once, four other requests a host) and,
with politeness on, no host gets more requests in a second than the delay allows."""

from __future__ import annotations

from typing import Any

from conftest import Cli

from storylens.bench.watch import host_rates, text_lines
from storylens.bench.watchsite import REQUESTS_BESIDES_ARTICLES, WatchSite, article_text

NO_EXTRACTION = ["-s", "extract_attributions=false", "-s", "extract_events=false"]


def test_bench_watch_small_run_adds_up(cli: Cli) -> None:
    figures = cli.json(
        "bench", "watch", "--articles", "7", "--hosts", "2", "--polite-articles", "3",
        "--delay", "0.1", *NO_EXTRACTION, db=False,
    )
    assert isinstance(figures, dict)
    fast = figures["politeness_off"]
    assert fast["requests"] == 7 + 2 * REQUESTS_BESIDES_ARTICLES == fast["expected_requests"]
    assert fast["pages_fetched"] == fast["stored"] == fast["articles_in_database"] == 7
    assert fast["stories"] > 1  # the articles do not all make one story
    assert fast["duplicates"] == fast["rejected"] == fast["paths_requested_twice"] == 0
    assert fast["missing_paths"] == 0
    assert fast["consistent"] is True
    assert fast["extraction"] == "off"
    assert fast["articles_per_second"] > 0
    assert "politeness_off_without_extraction" not in figures  # run 1 had none already
    polite = figures["politeness_on"]
    assert polite["requests"] == 6 + 2 * REQUESTS_BESIDES_ARTICLES
    assert polite["stored"] == 6 and polite["consistent"] is True
    assert polite["limit"] == 10.0
    assert 1 <= polite["max_requests_per_host_second"] <= 10
    assert polite["min_gap_seconds"] >= 0.1
    assert polite["within_limit"] is True
    _text_names_the_figures(figures)


def _text_names_the_figures(figures: dict[str, Any]) -> None:
    """The terminal lines of a run's figures."""
    text = "\n".join(text_lines(figures))
    assert "every article stored once" in text
    assert "within the limit of 10.0/s" in text
    assert "NOT" not in text


def test_bench_watch_rates_read_from_arrival_times() -> None:
    paced = [[0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2], [5.0, 5.25, 5.5]]
    rates = host_rates(paced, 0.2)
    assert rates["max_requests_per_host_second"] == 5  # 1.0 falls in the next second
    assert rates["limit"] == 5.0 and rates["within_limit"] is True
    assert rates["mean_requests_per_host_second"] == 4.5  # 5/s and 4/s
    hurried = host_rates([[0.0, 0.1, 0.2, 0.3, 0.4, 0.5]], 0.2)
    assert hurried["max_requests_per_host_second"] == 6
    assert hurried["within_limit"] is False
    # requests 0.375 s apart fit three into a second: within a limit of 2.67 a second
    spaced = host_rates([[0.0, 0.375, 0.75, 1.125]], 0.375)
    assert spaced["max_requests_per_host_second"] == 3 and spaced["within_limit"] is True
    assert host_rates([[0.0, 0.25, 0.5]], 0.375)["within_limit"] is False  # too close


def test_bench_watch_site_serves_each_host_its_articles() -> None:
    import httpx

    with WatchSite(5, 2) as site:
        first, second = site.hosts
        assert first.numbers == [0, 2, 4] and second.numbers == [1, 3]
        assert first.base != second.base  # a port each
        feed = httpx.get(first.base + "/feed.xml").text
        assert "/articles/4.html" in feed and "/articles/0.html" not in feed  # the newest
        news = httpx.get(first.base + "/sitemaps/news.xml").text
        assert all(f"/articles/{n}.html" in news for n in (0, 2, 4))
        assert httpx.get(second.base + "/articles/2.html").status_code == 404
    assert first.counts() == {"/feed.xml": 1, "/sitemaps/news.xml": 1}
    assert second.counts() == {"/articles/2.html": 1} and second.missing == 1
    titles = {article_text(n)[0] for n in range(40)}
    assert len(titles) == 40
