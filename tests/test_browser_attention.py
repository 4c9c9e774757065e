"""Attention over time in a real browser (issue 20, acceptance 4): Playwright driving Debian's
Chromium against the real server (`storylens serve` in a subprocess) over the demo database
(`storylens demo`). The chart is visible, its table (in <details>) opens and holds the
chart's numbers, the CSV downloads with the same numbers; the story page has its chart above
the columns, the entity page its chart and its stories and events day by day; nothing breaks
the Content-Security-Policy. Screenshots are copied to /tmp/storylens-attention-*.png."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving

SCREENSHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server over the demo database, as `storylens demo --db FILE` builds it."""
    folder = tmp_path_factory.mktemp("attention")
    db = folder / "demo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    built = subprocess.run([sys.executable, "-m", "storylens", "demo", "--db", str(db)],
                           capture_output=True, text=True, env=env, timeout=600)
    assert built.returncode == 0, built.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=env,
        )
        try:
            _wait_until_serving(base, server, log)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture
def page() -> Iterator[tuple[Page, list[str]]]:
    """A page in Chromium, with the console's messages about the Content-Security-Policy."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: 'make test' installs Debian's chromium with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
        opened = context.new_page()
        opened.set_default_timeout(30_000)
        refused: list[str] = []

        def watch(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text or "Refused to" in message.text:
                refused.append(message.text)

        opened.on("console", watch)
        yield opened, refused
        browser.close()


def _api(base: str, query: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{base}/api/attention?{query}") as response:
        found: dict[str, object] = json.load(response)
        return found


def _chart_numbers(page: Page, scope: str) -> dict[tuple[str, str], int]:
    """(period, outlet) -> articles, as the chart's bars carry them."""
    bars = page.locator(f"{scope} svg.chart g.period rect")
    found = {}
    for n in range(bars.count()):
        bar = bars.nth(n)
        period = bar.locator("xpath=..").get_attribute("data-period") or ""
        found[(period, bar.get_attribute("data-series") or "")] = int(
            bar.get_attribute("data-value") or 0)
    return found


def _table_numbers(page: Page, scope: str) -> dict[tuple[str, str], int]:
    """(period, outlet) -> articles, as the table fallback gives them (zeros left out)."""
    table = page.locator(f"{scope} details.attention-table table")
    outlets = [table.locator("thead th").nth(n).inner_text()
               for n in range(table.locator("thead th").count())][1:-1]
    found = {}
    rows = table.locator("tbody tr")
    for n in range(rows.count()):
        row = rows.nth(n)
        period = row.locator("th time").get_attribute("datetime") or ""
        cells = [row.locator("td").nth(i).inner_text() for i in range(len(outlets))]
        found.update({(period, o): int(c) for o, c in zip(outlets, cells, strict=True) if c != "0"})
    return found


def _within_policy(url: str) -> None:
    """The page as served has no inline style or script (its chart's SVG included), and says
    the Content-Security-Policy that forbids them."""
    with urllib.request.urlopen(url) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "<svg" in html
    assert re.search(r"<[^>]+\sstyle\s*=", html) is None
    assert re.search(r"<script(?![^>]*\ssrc=)", html) is None


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    (SCREENSHOTS / f"storylens-attention-{name}.png").write_bytes(shot.read_bytes())


def test_browser_attention_page_chart_table_and_csv(
    page: tuple[Page, list[str]], served: str, tmp_path: Path
) -> None:
    browser, refused = page
    browser.goto(f"{served}/")
    browser.get_by_role("link", name="Attention").click()
    browser.wait_for_url("**/attention")
    browser.fill("#attention-q", "minister")
    browser.get_by_role("button", name="Chart").click()
    browser.wait_for_url("**/attention?*q=minister*")
    chart = browser.locator("figure.attention svg.chart")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert "minister" in browser.locator("svg.chart > title").text_content()  # type: ignore[operator]
    expected = _api(served, "q=minister")
    assert expected["total"] and browser.locator(".attention-total").inner_text() == str(
        expected["total"])
    details = browser.locator("details.attention-table")
    assert not details.locator("table").is_visible()  # closed until asked
    drawn = _chart_numbers(browser, "figure.attention")
    _shot(browser, tmp_path, "page")
    details.locator("summary").click()
    assert details.locator("table").is_visible()
    assert _table_numbers(browser, "figure.attention") == drawn
    assert sum(drawn.values()) == expected["total"]
    with browser.expect_download() as waiting:
        browser.get_by_role("link", name="Download the counts as CSV").click()
    download = waiting.value
    assert download.suggested_filename == "attention-query-minister-per-day.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    from_csv = {(row[0], outlet): int(value) for row in body
                for outlet, value in zip(header[1:-1], row[1:-1], strict=True) if value != "0"}
    assert from_csv == drawn
    assert [row[0] for row in body] == expected["periods"]
    _shot(browser, tmp_path, "table")
    assert refused == []
    _within_policy(browser.url)


def test_browser_attention_on_story_and_entity_pages(
    page: tuple[Page, list[str]], served: str, tmp_path: Path
) -> None:
    browser, refused = page
    stories = json.load(urllib.request.urlopen(f"{served}/api/stories?limit=100"))["stories"]
    story = next(s for s in stories if s["title"].startswith("Coroner names worker"))
    browser.goto(f"{served}/stories/{story['id']}")
    chart = browser.locator("#attention svg.chart")
    assert chart.is_visible()
    columns = browser.locator("#outlets").bounding_box()
    box = chart.bounding_box()
    assert box is not None and columns is not None and box["y"] < columns["y"]  # above them
    assert box["height"] < 400  # small
    expected = _api(served, f"story={story['id']}")
    assert expected["unit"] == "hour"  # every article is timed, within a day
    assert sum(_chart_numbers(browser, "#attention").values()) == story["article_count"]
    browser.locator("#attention summary").click()
    assert _table_numbers(browser, "#attention") == _chart_numbers(browser, "#attention")
    browser.locator("#attention").screenshot(path=str(tmp_path / "story.png"))
    (SCREENSHOTS / "storylens-attention-story.png").write_bytes(
        (tmp_path / "story.png").read_bytes())

    browser.goto(f"{served}/entities/Brazil")
    assert browser.locator("#attention svg.chart").is_visible()
    days = browser.locator("ol.entity-timeline > li.timeline-day")
    assert days.count() >= 1
    first = days.first
    assert first.locator("time").get_attribute("datetime") == "2025-03-04"
    assert first.locator(".timeline-story a").count() == 1
    assert first.locator(".timeline-event").count() >= 1
    _shot(browser, tmp_path, "entity")
    assert refused == []
    _within_policy(browser.url)
    _within_policy(f"{served}/stories/{story['id']}")
