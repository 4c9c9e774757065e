"""Alerts (issue 19): a saved search gets an entry when a matching story appears and another
when it grows, none for a story it does not match; its Atom feed, and the story list's and an
entity's, read back by feedparser with no bozo flag. Articles invented (tests/alertdata.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from alertdata import FAST, FIRST_BATCH, GROWTH_BATCH, ORCHESTRA_BATCH, write_batch
from fastapi.testclient import TestClient

from storylens import Store, UsageError, ingest
from storylens.alerts import after_ingest
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "alerts-test-token"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with the first ferry reports and the orchestra story."""
    path = tmp_path / "alerts.db"
    with Store(path) as store:
        ingest([write_batch(tmp_path, "first", FIRST_BATCH)], store, FAST)
    return path


def _ferry_story(store: Store) -> str:
    return str(store.db.execute(
        "SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id "
        "WHERE a.external_id = 'ferry-1'"
    ).fetchone()[0])


def test_alerts_baseline_then_new_and_grown_stories(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        alert = store.add_alert("ferry", query="ferry hull")
        ferry = _ferry_story(store)
        baseline = store.alert_entries(alert)
        assert [(e.story_id, e.size, e.baseline) for e in baseline] == [(ferry, 2, True)]
        # a story the query does not match: no entry
        ingest([write_batch(tmp_path, "band", ORCHESTRA_BATCH)], store, FAST)
        assert after_ingest(store, FAST) == []
        # the ferry story grows from 2 to 3 articles: a new entry
        ingest([write_batch(tmp_path, "growth", GROWTH_BATCH)], store, FAST)
        new = after_ingest(store, FAST)
        assert [(a.name, e.story_id, e.size) for a, e in new] == [("ferry", ferry, 3)]
        assert "Coastline Herald" in new[0][1].outlets
        assert after_ingest(store, FAST) == []  # checked: nothing more
        entries = store.alert_entries(alert)
    assert [(e.size, e.baseline) for e in entries] == [(3, False), (2, True)]


def test_alerts_new_story_appears(tmp_path: Path) -> None:
    """An alert made on an empty database: the first matching story is its first entry."""
    with Store(tmp_path / "empty.db") as store:
        store.add_alert("band", query="orchestra", outlet="millbrook echo")
        store.add_alert("other-outlet", query="orchestra", outlet="Tidewater Post")
        ingest([write_batch(tmp_path, "first", FIRST_BATCH + ORCHESTRA_BATCH)], store, FAST)
        new = after_ingest(store, FAST)
    assert [(a.name, e.size, e.title) for a, e in new] == [
        ("band", 1, "Millbrook youth orchestra wins brass contest")
    ]


def test_alerts_name_taken_and_query_limits(db: Path) -> None:
    with Store(db) as store:
        store.add_alert("ferry", query="ferry")
        with pytest.raises(UsageError, match="already an alert named"):
            store.add_alert("ferry", query="hull")
        with pytest.raises(UsageError, match="limited"):
            store.add_alert("long", query="word " * 40)
        store.remove_alert("ferry")
        assert store.alerts() == []


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    config = ServerConfig(db=db, write_token=TOKEN, after_ingest=after_ingest,
                          options=FAST)
    with TestClient(create_app(config)) as test_client:
        yield test_client


def _parsed(response: object) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(  # type: ignore[attr-defined]
        "application/atom+xml"
    )
    feed = feedparser.parse(response.content)  # type: ignore[attr-defined]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_alerts_feed_validates_and_grows_after_a_web_ingest(
    db: Path, client: TestClient
) -> None:
    with Store(db) as store:
        store.add_alert("ferry", query="ferry")
        ferry = _ferry_story(store)
    before = _parsed(client.get("/alerts/ferry.atom"))
    assert len(before.entries) == 1
    posted = client.post("/api/articles", json=GROWTH_BATCH[0],
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.status_code == 200, posted.text
    feed = _parsed(client.get("/alerts/ferry.atom"))
    assert [e.link for e in feed.entries] == [f"http://testserver/stories/{ferry}"] * 2
    # each entry has the story's title when it matched (the title follows the story)
    assert feed.entries[1].title == before.entries[0].title
    assert "3 articles from Coastline Herald, Harbour Daily, Tidewater Post" in (
        feed.entries[0].content[0].value
    )
    assert feed.entries[1].id == before.entries[0].id  # stable per (alert, story, size)
    assert feed.entries[0].id != feed.entries[1].id
    assert feed.feed.links[0].href == "http://testserver/alerts/ferry.atom"
    assert client.get("/alerts/nothing.atom").status_code == 404


def test_alerts_story_list_feed_follows_its_filters(db: Path, tmp_path: Path,
                                                    client: TestClient) -> None:
    with Store(db) as store:
        ingest([write_batch(tmp_path, "band", ORCHESTRA_BATCH)], store, FAST)
    everything = _parsed(client.get("/stories.atom"))
    assert len(everything.entries) == 2
    ferry = _parsed(client.get("/stories.atom", params={"q": "hull"}))
    assert [e.title for e in ferry.entries] == [everything.entries[1].title]
    by_outlet = _parsed(client.get("/stories.atom", params={"outlet": "Millbrook Echo"}))
    assert [e.title for e in by_outlet.entries] == [
        "Millbrook youth orchestra wins brass contest"
    ]
    assert "1 article from Millbrook Echo" in by_outlet.entries[0].summary
    assert _parsed(client.get("/stories.atom", params={"q": "volcano"})).entries == []
    page = client.get("/", params={"q": "hull"}).text
    assert ('<link rel="alternate" type="application/atom+xml" title="Atom feed of these '
            'stories" href="/stories.atom?q=hull">') in page
    assert 'href="/stories.atom?q=hull" type="application/atom+xml">' in page


def test_alerts_entity_feed(tmp_path: Path) -> None:
    """An entity's page offers its feed: the stories that mention it (events on: entities are
    found with them)."""
    db = tmp_path / "entities.db"
    with Store(db) as store:
        ingest([write_batch(tmp_path, "all", FIRST_BATCH + ORCHESTRA_BATCH)], store,
               FAST.replace(extract_events=True))
        entity = store.entity("Lantern Bay")
    with TestClient(create_app(ServerConfig(db=db))) as client:
        page = client.get(f"/entities/{entity.id}").text
        assert f'type="application/atom+xml" title="Atom feed of the stories mentioning ' \
               f'{entity.name}" href="/entities/{entity.id}.atom"' in page
        feed = _parsed(client.get(f"/entities/{entity.id}.atom"))
        assert len(feed.entries) == 1 and "ferry" in feed.entries[0].title  # not the band's
        assert feed.entries[0].link.startswith("http://testserver/stories/")
        assert client.get("/entities/no-such-entity.atom").status_code == 404


def test_alerts_page_lists_alerts_and_matches(db: Path, client: TestClient) -> None:
    with Store(db) as store:
        store.add_alert("ferry", query="ferry", webhook="http://127.0.0.1:9/hook")
    page = client.get("/alerts")
    assert page.status_code == 200
    assert 'href="/alerts/ferry.atom"' in page.text
    assert "Lantern Bay ferry suspended" in page.text or "Gullwing ferry" in page.text
    assert "0 sent, 0 waiting, 0 failed" in page.text
    assert '<a href="/alerts" aria-current="page">Alerts</a>' in page.text


def test_alerts_entity_filter(tmp_path: Path) -> None:
    """An alert's entity means what the story list's does; one unknown when the alert is
    made matches once a story names it."""
    with Store(tmp_path / "entities.db") as store:
        store.add_alert("bay", query="ferry", entity="Lantern Bay")  # not known yet
        ingest([write_batch(tmp_path, "all", FIRST_BATCH + ORCHESTRA_BATCH)], store,
               FAST.replace(extract_events=True))
        new = after_ingest(store, FAST)
        assert [(a.name, e.size) for a, e in new] == [("bay", 2)]
        vessel = store.add_alert("vessel", query="ferry", entity="gullwing")
        band = store.add_alert("band", query="orchestra", entity="Gullwing")
        assert [e.size for e in store.alert_entries(vessel)] == [2]
        assert store.alert_entries(band) == []
