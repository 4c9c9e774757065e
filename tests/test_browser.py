"""The web pages in a real browser: Playwright driving Debian's Chromium against the real
server (`storylens serve` in a subprocess) over a database of the demo corpus, plus one
article whose text holds markup that must stay text."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import DEMO
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from storylens import Options, Store, ingest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_COPY = Path("/tmp/storylens-story.png")
HOSTILE = {
    "id": "hostile-1",
    "outlet": "Test Gazette",
    "published": "2025-03-01T09:00:00Z",
    "title": "Harbour council vote <script>alert('title')</script> delayed",
    "text": (
        "The Harbour council delayed its vote on the new marina on Monday, officials said.\n\n"
        "A resident's submission read <script>alert(1)</script> and was printed as it was "
        "sent.\n\n"
        "Another comment held <img src=x onerror=alert(2)> in the middle of its text, the "
        "clerk said.\n\n"
        "The vote is now expected next month after a further consultation with residents."
    ),
}


@dataclass(frozen=True)
class Site:
    base: str
    titles: dict[str, str]  # story id -> title
    outlets: dict[str, set[str]]  # story id -> its outlets
    story_of: dict[str, str]  # demo file name (or "hostile") -> its story id
    hostile_article: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_serving(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"storylens serve stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/", timeout=5.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"storylens serve did not answer at {base}: {log.read_text(errors='replace')}")


def _site_facts(db: Path) -> tuple[dict[str, str], dict[str, set[str]], dict[str, str], str]:
    with Store(db, create=False) as store:
        titles = {r["id"]: r["title"] or "" for r in store.db.execute("SELECT * FROM stories")}
        rows = list(
            store.db.execute(
                "SELECT a.id, a.source, a.outlet, a.external_id, m.story_id "
                "FROM articles a JOIN story_members m ON m.article_id = a.id"
            )
        )
    outlets: dict[str, set[str]] = {}
    story_of: dict[str, str] = {}
    hostile_article = ""
    for row in rows:
        if row["outlet"]:
            outlets.setdefault(row["story_id"], set()).add(row["outlet"])
        if row["external_id"] == HOSTILE["id"]:
            story_of["hostile"] = row["story_id"]
            hostile_article = row["id"]
        else:
            story_of.setdefault(Path(row["source"].split("#")[0]).name, row["story_id"])
    return titles, outlets, story_of, hostile_article


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "web.db"
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with Store(db) as store:
        summary = ingest([DEMO / "articles", hostile], store, Options())
    assert summary.rejected == 0, summary.rejects
    titles, outlets, story_of, hostile_article = _site_facts(db)
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
            yield Site(base, titles, outlets, story_of, hostile_article)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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


def _portugal(site: Site) -> str:
    return site.story_of["portugal_brazil_talks_meridian-wire.txt"]


def _open_story(page: Page, site: Site, story: str) -> None:
    """From the stories page, follow the story's link (as a reader would)."""
    page.goto(f"{site.base}/")
    page.locator(f'ul#stories li.story a.story-link[href$="/stories/{story}"]').click()
    page.wait_for_url(f"**/stories/{story}")


def test_browser_stories_page_lists_every_story(page: Page, site: Site) -> None:
    page.goto(f"{site.base}/")
    stories = page.locator("ul#stories > li.story")
    assert stories.count() == len(site.titles)
    shown = stories.locator("a.story-link span.story-title").all_inner_texts()
    assert {t.strip() for t in shown} == {t.strip() for t in site.titles.values()}


def test_browser_search_narrows_the_list(page: Page, site: Site) -> None:
    wanted = site.story_of["wyndleford_fire_meridian-wire.txt"]
    page.goto(f"{site.base}/")
    everything = page.locator("ul#stories > li.story").count()
    page.locator("form#search input[name=q]").fill("Wyndleford")
    page.locator("form#search input[name=q]").press("Enter")
    page.wait_for_url("**q=Wyndleford**")
    found = page.locator("ul#stories > li.story")
    assert 1 <= found.count() < everything
    assert found.locator(f'a.story-link[href$="/stories/{wanted}"]').count() == 1
    assert any(site.titles[wanted].strip() in text for text in found.all_inner_texts())


def test_browser_story_page_shows_outlets_and_marked_sentences(
    page: Page, site: Site, tmp_path: Path
) -> None:
    story = _portugal(site)
    _open_story(page, site, story)
    columns = page.locator("section#outlets > article.outlet-column")
    outlets = {columns.nth(i).get_attribute("data-outlet") for i in range(columns.count())}
    assert outlets == site.outlets[story]
    shared = page.locator("#outlets span.sentence.shared")
    assert shared.count() > 0
    assert all(shared.nth(i).get_attribute("data-outlets") for i in range(shared.count()))
    assert page.locator("#outlets span.sentence.exclusive").count() > 0
    quotes = page.locator("section#quotes .quote .rendition")
    assert quotes.locator(".fidelity.fidelity-shortened").count() > 0
    assert page.locator("section#quotes .diff del").count() > 0
    assert page.locator("section#events .event").count() > 0
    assert page.locator("section#timeline").count() == 1
    shot = tmp_path / "story.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    shutil.copyfile(shot, SCREENSHOT_COPY)


def test_browser_article_markup_runs_nothing(page: Page, site: Site) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for path in (
        "/",
        f"/stories/{site.story_of['hostile']}",
        f"/articles/{site.hostile_article}",
    ):
        response = page.goto(f"{site.base}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        text = page.locator("body").inner_text()
        assert "<script>alert(" in text, path  # shown as text, not dropped or run
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("[onerror]").count() == 0, path
    assert dialogs == []


def test_browser_api_docs_draw_offline(page: Page, site: Site) -> None:
    """/docs draws every operation from our own Swagger UI files, with nothing blocked by the
    Content-Security-Policy and nothing asked of another host."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto(f"{site.base}/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/stories" in paths and "/api/search" in paths
    assert not problems
    assert hosts == {site.base.split("/")[2]}
