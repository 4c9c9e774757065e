"""The story page's "What changed" in a real browser (issue 20, acceptance 4): Playwright
driving Debian's Chromium against the real server (`storylens serve` in a subprocess) over a
database of the demo corpus. The flood story lists what the Northfield Courier added on the
second day (the named victim, the relief funds), not what it repeated; the date box narrows
the list ("N developments since ..."), a bad date is said on the page (400); nothing breaks
the Content-Security-Policy."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import demo_database
from playwright.sync_api import Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving

from storylens import Store

SCREENSHOT_COPY = Path("/tmp/storylens-developments.png")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The real server over the demo's database, and the flood story's id."""
    folder = tmp_path_factory.mktemp("developments")
    db = demo_database(folder / "demo.db")
    with Store(db, create=False) as store:
        flood = {
            s.id for s in store.stories(limit=100)
            for a, _ in store.story_articles(s.id) if "lowen_river_flood" in a.source
        }
    assert len(flood) == 1
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = folder / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=env,
        )
        try:
            _wait_until_serving(base, server, log)
            yield base, flood.pop()
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


def test_browser_story_page_shows_what_changed(
    page: Page, served: tuple[str, str], tmp_path: Path
) -> None:
    base, story_id = served
    problems: list[str] = []  # a blocked script or style is a console error
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/stories/{story_id}")
    page.get_by_role("link", name="What changed").click()
    section = page.locator("section#developments")
    assert section.locator("h2").inner_text() == "What changed"
    count = section.locator(".developments-count").inner_text()
    assert count.startswith("9 developments, from 1 article, after the first report by "
                            "Meridian Wire on 2025-11-03"), count
    items = section.locator("li.development")
    assert items.count() == 1
    assert "Northfield Courier" in items.first.locator(".development-head").inner_text()
    sentences = section.locator("li.development-sentence").all_inner_texts()
    victim = [s for s in sentences if "Cyril Abernethy" in s]
    assert victim and victim[0].startswith("UPDATE") and "first to give: Cyril, Abernethy" in (
        victim[0]
    )
    assert any("disaster relief funds" in s for s in sentences)
    assert not any("1,400 people were evacuated" in s or "repeated her warning" in s
                   for s in sentences)

    page.fill("#since", "2025-11-04")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**since=2025-11-04*")
    count = page.locator("section#developments .developments-count").inner_text()
    assert count == "9 developments since 2025-11-04, from 1 article."
    shot = tmp_path / "developments.png"
    page.locator("section#developments").screenshot(path=str(shot))
    SCREENSHOT_COPY.write_bytes(shot.read_bytes())

    page.fill("#since", "2025-11-05")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**since=2025-11-05*")
    assert page.locator("section#developments .developments-count").inner_text() == (
        "0 developments since 2025-11-05, from 0 articles."
    )
    assert page.locator("li.development").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert not problems, problems


def test_browser_bad_since_is_said_on_the_page(page: Page, served: tuple[str, str]) -> None:
    base, story_id = served
    answer = page.goto(f"{base}/stories/{story_id}?since=last+Tuesday")
    assert answer is not None and answer.status == 400
    alert = page.get_by_role("alert").inner_text()
    assert "since must be a date as YYYY-MM-DD" in alert and "last Tuesday" in alert
    assert page.locator("li.development").count() == 1  # every development, as without
    api = httpx.get(f"{base}/api/stories/{story_id}", params={"since": "last Tuesday"})
    assert api.status_code == 400 and api.json()["error"]["code"] == "bad-request"
    chosen = httpx.get(f"{base}/api/stories/{story_id}", params={"since": "2025-11-04"}).json()
    assert chosen["since"] == "2025-11-04" and len(chosen["developments"]) == 1
