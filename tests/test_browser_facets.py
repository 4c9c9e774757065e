"""Faceted browsing in a real browser (issue 20, acceptance 4): Playwright driving Debian's
Chromium against the real server (`storylens serve` in a subprocess) over the demo database
(`storylens demo --db`). A click on a facet value narrows the story list and the counts
follow; the API's facets give the same numbers; the CSV link downloads the list as it is
filtered; the active filter's link removes it; the article list narrows by date; nothing is
blocked by the pages' Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving

SHOTS = {"stories": Path("/tmp/storylens-facets.png"),
         "articles": Path("/tmp/storylens-facets-articles.png")}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server over a database `storylens demo` built."""
    folder = tmp_path_factory.mktemp("facets")
    db = folder / "demo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    subprocess.run([sys.executable, "-m", "storylens", "demo", "--db", str(db)], check=True,
                   env=env, capture_output=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=env,
        )
        try:
            _wait_until_serving(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture
def page() -> Iterator[Page]:
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
        yield opened
        browser.close()


def _counts(page: Page, facet: str) -> dict[str, int]:
    """A facet's values on the page, with their counts."""
    found = {}
    for item in page.locator(f"#facet-{facet} li").all():
        label = item.locator(".facet-label").inner_text()
        found[label] = int(item.locator(".facet-count").inner_text())
    return found


def _total(page: Page) -> int:
    return int(page.locator(".result-count").inner_text().split()[0])


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    SHOTS[name].write_bytes(shot.read_bytes())


def test_browser_facets_narrow_count_and_download(
    page: Page, base: str, tmp_path: Path
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/")
    assert _total(page) == 6
    outlets = _counts(page, "outlet")
    assert outlets["Meridian Wire"] == 3 and sum(_counts(page, "language").values()) == 6

    page.locator("#facet-outlet a", has_text="Meridian Wire").click()
    page.wait_for_url("**/?outlet=Meridian+Wire")
    assert _total(page) == 3 == page.locator("#stories li.story").count()
    assert _counts(page, "language") == {"en": 3}  # the counts follow the narrowed list
    assert page.locator(".active-filters li").inner_text().startswith("Outlet: Meridian Wire")
    types = _counts(page, "event_type")
    api = page.request.get(f"{base}/api/stories?outlet=Meridian+Wire&facets=1").json()
    assert api["total"] == 3
    assert {v["value"]: v["count"] for v in api["facets"]["event_type"]} == types
    assert {v["value"]: v["count"] for v in api["facets"]["outlet"]} == _counts(page, "outlet")

    kind, count = next(iter(types.items()))
    page.locator("#facet-event_type a", has_text=kind).click()
    page.wait_for_url(f"**event_type={kind}**")
    assert _total(page) == count == page.locator("#stories li.story").count()
    assert "Meridian Wire" in _counts(page, "outlet")
    _shot(page, tmp_path, "stories")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "storylens-stories.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert len(rows) == count
    assert all("Meridian Wire" in r["outlets"] for r in rows)
    shown = set(page.locator("#stories li.story a.story-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/').pop())"))
    assert {r["id"] for r in rows} == shown

    page.get_by_role("link", name="Remove the filter Outlet: Meridian Wire").click()
    page.wait_for_url(f"**/?event_type={kind}")
    assert _total(page) >= count
    assert not problems, problems


def test_browser_article_list_narrows_by_date(page: Page, base: str, tmp_path: Path) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Articles", exact=True).click()
    page.wait_for_url("**/articles")
    assert _total(page) == 21
    months = _counts(page, "date")
    assert sum(months.values()) == 21
    month, count = "2025-11", months["2025-11"]
    page.locator("#facet-date a", has_text=month).click()
    page.wait_for_url("**/articles?from=2025-11-01&to=2025-11-30")
    assert _total(page) == count == page.locator("#articles tbody tr").count()
    days = _counts(page, "date")  # one month: counted by day
    assert all(day.startswith("2025-11-") for day in days) and sum(days.values()) == count
    _shot(page, tmp_path, "articles")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(rows) == count and all(r["published"].startswith("2025-11") for r in rows)
    assert not problems, problems
