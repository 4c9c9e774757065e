"""The story summary in a real browser (issue 20): Playwright driving Debian's Chromium against
a real `storylens serve` over a database of the demo corpus. The summary heads the story page,
every citation jumps to the cited outlet's sentence in the columns, and nothing breaks the
page's Content-Security-Policy. The screenshots are copied to /tmp/storylens-summary.png (the
summary) and /tmp/storylens-summary-cited.png (a cited sentence, reached)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import demo_database
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_COPY = Path("/tmp/storylens-summary.png")
CITED_COPY = Path("/tmp/storylens-summary-cited.png")  # the page after following a citation
# The demo story whose summary is looked at: four outlets, a wire and its pickups.
PORTUGAL = "Portugal presses Brazil"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a `storylens serve` over the demo corpus (stopped after the module)."""
    folder = tmp_path_factory.mktemp("browser-summary")
    db = demo_database(folder / "demo.db")
    port = _free_port()
    address = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = folder / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT, env=env,
        )
        try:
            _wait_until_serving(address, server, log)
            yield address
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_serving(address: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"storylens serve stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{address}/", timeout=5.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"storylens serve did not answer at {address}: {log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: 'make test' installs Debian's chromium with apt-get")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def _story(address: str) -> dict:
    stories = httpx.get(f"{address}/api/stories", params={"limit": 50}, timeout=30).json()
    found = next(s for s in stories["stories"] if s["title"].startswith(PORTUGAL))
    story: dict = httpx.get(f"{address}/api/stories/{found['id']}", timeout=30).json()
    return story


def test_browser_summary_heads_the_story_page_and_cites_sentences(
    page: Page, base: str, tmp_path: Path
) -> None:
    story = _story(base)
    summary = story["summary"]
    assert summary["kind"] == "shared" and summary["sentences"]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"{base}/stories/{story['id']}")
    assert response is not None and response.ok
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")

    # first on the page, above the columns, each sentence as the JSON has it
    sections = page.locator("main section[id]").evaluate_all("all => all.map(s => s.id)")
    assert sections[0] == "summary", sections
    shown = page.locator("#summary .summary-fact .summary-text").all_inner_texts()
    assert shown == [s["text"] for s in summary["sentences"]]
    first = page.locator("#summary .summary-fact").first
    assert first.locator("a.citation").all_inner_texts() == [
        c["outlet"] for c in summary["sentences"][0]["outlets"]
    ]

    shot = tmp_path / "summary.png"
    page.locator("#summary").screenshot(path=str(shot))
    shutil.copyfile(shot, SCREENSHOT_COPY)

    # a citation jumps to that outlet's sentence in its column, which is then the target
    citation = summary["sentences"][0]["outlets"][-1]
    texts = {a["id"]: a["text"] for a in story["articles"]}
    first.locator("a.citation").last.click()
    anchor = f"s-{citation['article_id']}-{citation['index']}"
    page.wait_for_function("id => location.hash === '#' + id", arg=anchor)
    target = page.locator(f"#{anchor}")
    assert target.evaluate("e => e.matches(':target')")
    assert target.inner_text().strip() == texts[citation["article_id"]][
        citation["start"] : citation["end"]
    ].strip()
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000  # scrolled into view
    assert page.locator(f"#a-{citation['article_id']} #{anchor}").count() == 1
    page.screenshot(path=str(tmp_path / "cited.png"))
    shutil.copyfile(tmp_path / "cited.png", CITED_COPY)
    own = page.locator("#summary .summary-outlet h4").all_inner_texts()
    assert own == [f"Only in {g['outlet']}" for g in summary["exclusives"]]
    assert not problems, problems
