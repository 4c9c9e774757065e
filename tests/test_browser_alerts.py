"""The Alerts page in a real browser (issue 19, acceptance 4): Playwright driving Debian's
Chromium against the real server (`storylens serve` in a subprocess, with a write token) over
a database with an alert whose webhook is a local receiver. An article POSTed to the server
grows the alert's story: the page then shows the alert, both its matches, its feed link and
the webhook's delivery. Articles invented (tests/alertdata.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
from alertdata import FAST, FIRST_BATCH, GROWTH_BATCH, write_batch
from playwright.sync_api import Page, sync_playwright
from test_browser import CHROMIUM, _free_port, _wait_until_serving

from storylens import Store, ingest

TOKEN = "browser-alerts-token"
SCREENSHOT_COPY = Path("/tmp/storylens-alerts.png")


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook receiver on 127.0.0.1: its URL and the JSON it received."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def served(tmp_path: Path, receiver: tuple[str, list[dict[str, Any]]]) -> Iterator[str]:
    """The real server over a database with the ferry story and an alert on it."""
    db = tmp_path / "alerts.db"
    with Store(db) as store:
        ingest([write_batch(tmp_path, "first", FIRST_BATCH)], store, FAST)
        store.add_alert("ferry", query="ferry hull", webhook=receiver[0])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = tmp_path / "server.log"
    settings = ["-s", "worker_processes=1", "-s", "extract_attributions=false",
                "-s", "extract_events=false", "-s", "webhook_timeout_seconds=2"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "storylens", "serve", "--db", str(db), "--port", str(port),
             "--write-token", TOKEN, *settings],
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
        opened = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        opened.set_default_timeout(30_000)
        yield opened
        browser.close()


def test_browser_alerts_page_shows_the_alert_and_its_matches(
    page: Page, served: str, receiver: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    posted = httpx.post(f"{served}/api/articles", json=GROWTH_BATCH[0],
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert posted.status_code == 200, posted.text
    deadline = time.monotonic() + 20
    while not receiver[1] and time.monotonic() < deadline:  # sent by the server's thread
        time.sleep(0.1)
    assert [p["articles"] for p in receiver[1]] == [3]

    page.goto(f"{served}/")
    page.get_by_role("link", name="Alerts").click()
    page.wait_for_url("**/alerts")
    alert = page.locator("li.alert[data-alert=ferry]")
    assert alert.locator("h2.alert-name").inner_text() == "ferry"
    assert alert.locator(".alert-query").inner_text() == "ferry hull"
    matches = alert.locator("li.alert-match")
    assert matches.count() == 2
    story = receiver[1][0]["story_id"]
    assert matches.locator(f'a.story-link[href="/stories/{story}"]').count() == 2
    assert "3 articles from Coastline Herald, Harbour Daily, Tidewater Post" in (
        matches.nth(0).inner_text()
    )
    assert "matching when the alert was made" in matches.nth(1).inner_text()
    assert "1 sent, 0 waiting, 0 failed" in alert.locator(".alert-webhook").inner_text()
    shot = tmp_path / "alerts.png"
    page.screenshot(path=str(shot), full_page=True)
    SCREENSHOT_COPY.write_bytes(shot.read_bytes())

    feed_url = alert.locator("a.alert-feed").get_attribute("href")
    feed = feedparser.parse(httpx.get(f"{served}{feed_url}", timeout=30).content)
    assert not feed.bozo and len(feed.entries) == 2
    matches.nth(0).locator("a.story-link").click()
    page.wait_for_url(f"**/stories/{story}")
