"""The Sources page in a real browser (issue 19, acceptance 4): Playwright driving Debian's
Chromium against the real server (`storylens serve` in a subprocess) over a database that a
`storylens watch --once` filled from a news site on 127.0.0.1 (tests/collectsite.py): a
healthy feed of two articles, a feed that is not XML and one that answers 500. The page
shows each with its last poll, status, articles in the last day and error, and the broken
ones stand out."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from collectsite import Item, Route, Site, article_page, rss
from playwright.sync_api import Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving
from typer.testing import CliRunner

from storylens.cli.app import app

SCREENSHOT_COPY = Path("/tmp/storylens-sources.png")
FAST = ["-s", "politeness=off", "-s", "extract_attributions=false", "-s",
        "extract_events=false", "-s", "fetch_timeout_seconds=2", "-s", "worker_processes=1"]


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output
    return result.output


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Site]]:
    """The real server over a database a round of watch filled from the site."""
    db = tmp_path / "sources.db"
    with Site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", "text/plain")
        for number in (1, 2):
            site.routes[f"/news/h{number}.html"] = Route(article_page(number))
        items = [Item(f"/news/h{number}.html", number) for number in (1, 2)]
        site.routes["/rss.xml"] = Route(rss(site.base, items), "application/rss+xml")
        site.routes["/notafeed.xml"] = Route(b"plain words, not XML", "application/rss+xml")
        site.routes["/down.xml"] = Route(b"down", "text/plain", 500)
        for path, name in (("/rss.xml", "Vale Courier"), ("/notafeed.xml", "Lowland Gazette"),
                           ("/down.xml", "Fenwick Post")):
            _cli("sources", "add", site.url(path), "--name", name, "--db", str(db))
        _cli("watch", "--once", "--db", str(db), *FAST)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
        log = tmp_path / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port",
                 str(port)],
                stdout=output, stderr=subprocess.STDOUT, env=env,
            )
            try:
                _wait_until_serving(base, server, log)
                yield base, site
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
        opened = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        opened.set_default_timeout(30_000)
        yield opened
        browser.close()


def test_browser_sources_page_shows_health(
    page: Page, served: tuple[str, Site], tmp_path: Path
) -> None:
    base, site = served
    page.goto(f"{base}/")
    page.get_by_role("link", name="Sources").click()
    page.wait_for_url("**/sources")
    shot = tmp_path / "sources.png"
    page.screenshot(path=str(shot), full_page=True)
    SCREENSHOT_COPY.write_bytes(shot.read_bytes())
    rows = page.locator("table#sources tbody tr")
    assert rows.count() == 3
    names = [rows.nth(n).locator("th").inner_text().split("\n")[0] for n in range(3)]
    assert names[2] == "Vale Courier"  # the broken sources first
    assert sorted(names[:2]) == ["Fenwick Post", "Lowland Gazette"]
    assert page.locator(".source-tally").inner_text() == "3 sources: 2 failing 1 ok"

    healthy = page.locator("tr.source-row", has_text="Vale Courier")
    assert "health-ok" in (healthy.get_attribute("class") or "")
    assert healthy.locator("td.health").inner_text() == "ok"
    assert healthy.locator("td.recent").inner_text() == "2"
    assert healthy.locator("td.error").inner_text() == "–"
    polled = healthy.locator("td.polled time").get_attribute("datetime") or ""
    assert polled.endswith("Z") and "ago" in healthy.locator("td.polled").inner_text()
    for name, reason in (("Lowland Gazette", "not-xml"), ("Fenwick Post", "http-500")):
        broken = page.locator("tr.source-row", has_text=name)
        assert "health-failing" in (broken.get_attribute("class") or "")
        assert broken.locator("td.health").inner_text() == "failing"
        assert broken.locator("td.error").inner_text().startswith(reason)
        assert broken.locator("td.recent").inner_text() == "0"
        assert broken.locator("td.failures").inner_text() == "1"
        assert broken.locator("td.polled time").count() == 1
    # a broken source stands out: its row and its status are coloured apart from a healthy one
    colour = "el => getComputedStyle(el).backgroundColor"
    assert (page.locator("tr.health-failing td.recent").first.evaluate(colour)
            != healthy.locator("td.recent").evaluate(colour))
    assert (page.locator("tr.health-failing .health-badge").first.evaluate(colour)
            != healthy.locator(".health-badge").evaluate(colour))
    assert site.served["/news/h1.html"] == 1
