"""The Coverage page in a real browser (issue 20, acceptance 4): Playwright driving Debian's
Chromium against the real server (`storylens serve` in a subprocess) over the demo database.
From the story list's link to the page, the filter form, the matrix and the blindspots, and
the CSV downloaded through the browser (Playwright's download API), with nothing blocked by
the Content-Security-Policy and nothing asked of another host."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_database
from playwright.sync_api import Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving

SCREENSHOT_COPY = Path("/tmp/storylens-coverage.png")
WHOLE_COPY = Path("/tmp/storylens-coverage-all.png")


@pytest.fixture
def served(demo_db: Path, tmp_path: Path) -> Iterator[str]:
    """The real server over a copy of the demo database."""
    db = copy_database(demo_db, tmp_path / "demo.db")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = tmp_path / "server.log"
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
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: 'make test' installs Debian's chromium with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        opened = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True
        ).new_page()
        opened.set_default_timeout(30_000)
        yield opened
        browser.close()


def test_browser_coverage_page_matrix_blindspots_and_csv(
    page: Page, served: str, tmp_path: Path
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))

    page.goto(f"{served}/")
    page.locator("#coverage-link").click()
    page.wait_for_url("**/coverage")
    matrix = page.get_by_role("table")
    assert matrix.locator("tbody tr").count() == 6
    headers = matrix.locator("thead th[scope=col]").all_inner_texts()
    assert headers[:2] == ["Story", "Articles"] and headers[-2:] == ["Not named", "Other outlets"]
    outlets = headers[2:-2]
    assert len(outlets) == 10 and outlets[0] in ("Meridian Wire", "Southbridge Gazette")
    # the Lowen River flood: Meridian Wire's story, reprinted by two outlets (marked)
    flood = matrix.locator("tbody tr", has_text="Lowen River")
    assert flood.locator("td.cov-1").count() == 4
    assert flood.locator("td[title='1 wire copy']").count() == 2
    meridian = page.locator("li.blindspot-outlet[data-outlet='Meridian Wire']")
    assert meridian.locator("li.blindspot").count() == 2  # Kestrelton fire, Brightwell recall
    whole = tmp_path / "coverage-all.png"
    page.screenshot(path=str(whole), full_page=True)
    WHOLE_COPY.write_bytes(whole.read_bytes())

    page.fill("#q", "plant fire")
    page.fill("#min_outlets", "2")
    page.get_by_role("button", name="Show coverage").click()
    page.wait_for_url("**/coverage?q=plant+fire**")
    assert matrix.locator("tbody tr").count() == 2
    count = page.locator("#coverage-count").inner_text()
    assert count.startswith("The 2 biggest stories of 2 matching")
    shot = tmp_path / "coverage.png"
    page.screenshot(path=str(shot), full_page=True)
    SCREENSHOT_COPY.write_bytes(shot.read_bytes())

    with page.expect_download() as downloading:
        page.locator("#coverage-csv").click()
    download = downloading.value
    assert download.suggested_filename == "coverage.csv"
    saved = tmp_path / "coverage.csv"
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0][:7] == ["story_id", "title", "first_published", "last_published",
                           "articles", "outlets", "unnamed_articles"]
    shown = matrix.locator("thead th[scope=col]").all_inner_texts()[2:-2]
    assert rows[0][7:-1] == shown
    ids = matrix.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.story)")
    assert [r[0] for r in rows[1:]] == ids
    assert not problems
    assert hosts == {served.split("/")[2]}
