"""The Sources page: each source's health (last poll, status, last error, articles in the
last day), so that a broken feed is seen."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from lxml import html

from storylens.store import Store
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig


def test_collect_page_shows_each_source_health(tmp_path: Path) -> None:
    db = tmp_path / "page.db"
    with Store(db) as store:
        store.add_source("http://courier.test/rss.xml", "Vale Courier", 15)
        store.add_source("http://gazette.test/broken.xml", "Gazette", None)
        store.add_source("http://new.test/feed.xml", None, None)
        good, broken, _ = sorted(store.sources(), key=lambda s: s.url)
        good.last_poll, good.last_status, good.kind = "2026-03-20T09:00:00Z", "ok", "feed"
        good.articles_found, good.next_due = 2, time.time() + 600
        broken.last_poll, broken.last_status, broken.failures = "2026-03-20T09:00:00Z", "error", 3
        broken.last_error, broken.last_detail = "not-xml", "the source is neither XML nor HTML"
        store.save_source(good)
        store.save_source(broken)
        for number in range(2):
            store.mark_fetched(f"http://courier.test/{number}.html", good.url, "stored",
                               article_id=f"a{number}")
    with TestClient(create_app(ServerConfig(db))) as client:
        answer = client.get("/sources")
        home = client.get("/")
    assert answer.status_code == 200
    doc = html.fromstring(answer.text)
    rows = {row.xpath("string(.//a)"): row for row in doc.xpath("//tr[@class]")}
    courier = rows["http://courier.test/rss.xml"]
    assert "health-ok" in courier.get("class")
    assert courier.xpath("string(.//td[@class='recent'])") == "2"
    gazette = rows["http://gazette.test/broken.xml"]
    assert "health-failing" in gazette.get("class")
    assert "not-xml" in gazette.xpath("string(.//td[@class='error'])")
    assert gazette.xpath("string(.//td[@class='failures'])") == "3"
    assert "health-new" in rows["http://new.test/feed.xml"].get("class")
    assert html.fromstring(home.text).xpath("//header//nav//a[@href='/sources']")
