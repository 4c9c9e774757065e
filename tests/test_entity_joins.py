"""Entities joined across a story's articles (issue 17): a short form ("President Trump",
"the Red Sox") is the full name another article of the same story gives ("Donald Trump",
"the Boston Red Sox") when exactly one entity of the story can be it, and every reader of
entities (the story's view, the entity list, the entity page, the story list's filter)
counts them as one. Texts written for these tests."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli
from fastapi.testclient import TestClient

from storylens import Options, Store, ingest
from storylens.compare.tally import entity_joins
from storylens.read.views import entity_detail, story_list, story_view
from storylens.store import MIGRATIONS
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

FAST = Options(extract_attributions=False)  # entities kept; no quote parsing


def _record(outlet: str, title: str, published: str, text: str) -> dict[str, str]:
    return {"outlet": outlet, "title": title, "published": published, "text": text}


TARIFFS = [
    _record(
        "Daily Ledger", "Trump meets officials on steel tariffs", "2024-03-05T10:00:00Z",
        "President Donald Trump met trade officials in Washington on Tuesday to discuss "
        "steel tariffs. The talks on steel tariffs and aluminium imports lasted three hours, "
        "officials said.",
    ),
    _record(
        "Evening Post", "Steel tariffs talks in Washington", "2024-03-05T12:00:00Z",
        "President Trump met trade officials in Washington on Tuesday about steel tariffs. "
        "The talks on steel tariffs and aluminium imports lasted three hours, the officials "
        "said.",
    ),
]
BASEBALL = [
    _record(
        "Harbour Sports", "Boston Red Sox beat Yankees in extra innings",
        "2024-06-10T22:00:00Z",
        "The Boston Red Sox beat the New York Yankees 5-4 in eleven innings at Fenway Park on "
        "Sunday night. The winning run scored on a single to left field in the eleventh "
        "inning.",
    ),
    _record(
        "Coastal Times", "Red Sox win in eleven innings", "2024-06-10T23:00:00Z",
        "The Red Sox beat the New York Yankees 5-4 in eleven innings at Fenway Park on Sunday "
        "night. The winning run scored on a single to left field in the eleventh inning, fans "
        "cheered.",
    ),
]
FACTORY = [
    _record(
        "Daily Ledger", "Trump and his daughter visit Ohio glass factory",
        "2024-09-17T10:00:00Z",
        "President Donald Trump and his daughter Ivanka Trump visited a glass factory in "
        "Toledo, Ohio, on Monday. The glass factory will hire four hundred workers next "
        "year, its owners said.",
    ),
    _record(
        "Evening Post", "Ohio glass factory visit", "2024-09-17T12:00:00Z",
        "President Trump visited a glass factory in Toledo, Ohio, on Monday. The glass "
        "factory will hire four hundred workers next year, the owners said.",
    ),
]
GOLF = [
    _record(
        "Highland Herald", "Golf resort plans approved by council", "2025-11-20T09:00:00Z",
        "Councillors in Aberdeenshire approved plans for a second golf course at the Menie "
        "estate on Thursday. Mr. Trump was not at the meeting, a spokeswoman for the resort "
        "said.",
    ),
    _record(
        "Granite Gazette", "Second golf course approved", "2025-11-20T11:00:00Z",
        "Councillors in Aberdeenshire approved plans for a second golf course at the Menie "
        "estate on Thursday. Mr. Trump did not attend the meeting, a spokeswoman for the "
        "resort said.",
    ),
]
# An article that joins the tariffs story later and names a second Trump.
TARIFFS_LATER = _record(
    "Morning Star", "Steel tariffs talks in Washington go on", "2024-03-05T14:00:00Z",
    "President Trump met trade officials in Washington on Tuesday about steel tariffs, with "
    "Ivanka Trump. The talks on steel tariffs and aluminium imports lasted three hours, the "
    "officials said.",
)


def _ingest(store: Store, folder: Path, name: str, records: list[dict[str, str]]) -> None:
    source = folder / f"{name}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    summary = ingest([source], store, FAST, progress=None)
    assert summary.stored == len(records), summary.rejects


@pytest.fixture(scope="module")
def joined_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tariffs story (Donald Trump, then only Trump) and the baseball story (the Boston
    Red Sox, then only the Red Sox)."""
    folder = tmp_path_factory.mktemp("joins")
    database = folder / "joins.db"
    with Store(database) as store:
        _ingest(store, folder, "first", TARIFFS + BASEBALL)
    return database


@pytest.fixture(scope="module")
def more_db(joined_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with the factory story (Donald and Ivanka Trump, then Trump) and an
    unrelated golf story that says only "Mr. Trump"."""
    folder = tmp_path_factory.mktemp("more")
    database = folder / "more.db"
    shutil.copy(joined_db, database)
    with Store(database) as store:
        _ingest(store, folder, "more", FACTORY + GOLF)
    return database


def _story_of(store: Store, title_word: str) -> str:
    found = [s for s in store.stories() if title_word in (s.title or "").casefold()]
    assert len(found) == 1, [s.title for s in store.stories()]
    return found[0].id


def _named(entities: list[dict[str, object]], *names: str) -> list[dict[str, object]]:
    return [e for e in entities if e["name"] in names]


# -- the rule, on a story's entities -------------------------------------------------------


def test_tally_entity_joins_surname_to_the_one_full_name() -> None:
    assert entity_joins([("t", "Trump", "person"), ("d", "Donald Trump", "person")]) == {
        "t": "d"
    }
    assert entity_joins([("k", "Koizumi", "person"), ("j", "Junichiro Koizumi", "person")]) == {
        "k": "j"
    }
    assert entity_joins([("o", "Obama", "person"), ("b", "Barack H. Obama", "person")]) == {
        "o": "b"
    }


def test_tally_entity_joins_two_candidates_join_neither() -> None:
    found = entity_joins([
        ("t", "Trump", "person"), ("d", "Donald Trump", "person"),
        ("i", "Ivanka Trump", "person"),
    ])
    assert found == {}


def test_tally_entity_joins_organisation_end_of_a_longer_name() -> None:
    found = entity_joins([
        ("s", "Red Sox", "organisation"), ("b", "Boston Red Sox", "organisation"),
        ("x", "Sox", "organisation"),
    ])
    assert found == {"s": "b", "x": "b"}  # the longest, not two candidates


def test_tally_entity_joins_only_same_kind_and_never_places() -> None:
    assert entity_joins([("t", "Trump", "organisation"), ("d", "Donald Trump", "person")]) == {}
    assert entity_joins([("y", "York", "place"), ("n", "New York", "place")]) == {}


# -- through the real ingest --------------------------------------------------------------


def test_store_entity_joins_story_view_lists_one_entity(joined_db: Path) -> None:
    with Store(joined_db, create=False) as store:
        view = story_view(store, _story_of(store, "tariffs"))
        sox = story_view(store, _story_of(store, "sox"))
    trumps = [e for e in view["entities"] if "Trump" in e["name"]]
    assert len(trumps) == 1, trumps
    assert trumps[0]["name"] == "Donald Trump"
    assert trumps[0]["aliases"] == ["Donald Trump", "Trump"]
    assert (trumps[0]["articles"], trumps[0]["mentions"]) == (2, 2)
    teams = [e for e in sox["entities"] if "Sox" in e["name"]]
    assert [(e["name"], e["articles"]) for e in teams] == [("Boston Red Sox", 2)]
    assert teams[0]["aliases"] == ["Boston Red Sox", "Red Sox"]


def test_store_entity_joins_entity_list_and_story_list(joined_db: Path) -> None:
    with Store(joined_db, create=False) as store:
        listed = [(e.name, e.articles, e.mentions) for e in store.entities()]
        assert [x for x in listed if "Trump" in x[0]] == [("Donald Trump", 2, 2)]
        assert [x for x in listed if "Sox" in x[0]] == [("Boston Red Sox", 2, 2)]
        assert [e.name for e in store.entities(query="trump")] == ["Donald Trump"]
        page = story_list(store, entity="Trump")
        assert [s["title"] for s in page["stories"]] == [store.story(
            _story_of(store, "tariffs")).title]
        top = page["stories"][0]["top_entities"]
        assert [e["name"] for e in top if "Trump" in e["name"]] == ["Donald Trump"]
        assert store.entity_id("Trump") == store.entity_id("Donald Trump")


def test_read_entity_detail_short_form_is_the_full_name(joined_db: Path) -> None:
    with Store(joined_db, create=False) as store:
        trump = entity_detail(store, "Trump")
        donald = entity_detail(store, "Donald Trump")
        short_id = next(
            m.entity_id for ms in store.mentions(
                a for a, _ in store.entity_articles(donald["id"])
            ).values() for m in ms if m.name == "Trump"
        )
        by_short_id = entity_detail(store, short_id)
    assert trump["id"] == donald["id"] == by_short_id["id"]
    assert trump["joined_from"] == "Trump" and donald["joined_from"] is None
    assert [(s["articles_mentioning"], s["article_count"]) for s in donald["stories"]] == [
        (2, 2)
    ]


def test_cli_entity_joins_entities_and_entity(joined_db: Path) -> None:
    cli = Cli(joined_db)
    listed = cli.json("entities")
    assert isinstance(listed, list)
    assert [e["name"] for e in listed if "Trump" in e["name"]] == ["Donald Trump"]
    shown = cli.json("entity", "Trump")
    assert isinstance(shown, dict)
    assert shown["name"] == "Donald Trump" and shown["articles"] == 2
    assert sorted(shown["aliases"]) == ["Donald Trump", "Trump"]
    text = cli("entity", "Trump")
    assert text.returncode == 0, text.stderr
    assert "'Trump' is Donald Trump" in text.stdout


@pytest.fixture
def client(joined_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(joined_db))) as test_client:
        yield test_client


def test_web_entity_page_of_a_short_form_says_it_is_joined(client: TestClient) -> None:
    page = client.get("/entities/Trump")
    assert page.status_code == 200
    assert '<h1 class="entity-name">Donald Trump</h1>' in page.text
    assert "is Donald Trump" in page.text
    assert "mentioned in 2 of 2 articles" in page.text
    api = client.get("/api/entities/Trump").json()
    assert api["name"] == "Donald Trump" and api["articles"] == 2


def test_store_entity_joins_two_trumps_and_another_story_do_not_join(more_db: Path) -> None:
    with Store(more_db, create=False) as store:
        factory = story_view(store, _story_of(store, "factory"))
        golf = story_view(store, _story_of(store, "golf"))
        tariffs = story_view(store, _story_of(store, "tariffs"))
        alone = entity_detail(store, "Trump")  # the golf story's, not joined there
    names = sorted(e["name"] for e in factory["entities"] if "Trump" in e["name"])
    assert names == ["Donald Trump", "Ivanka Trump", "Trump"]
    assert [e["name"] for e in golf["entities"] if "Trump" in e["name"]] == ["Trump"]
    assert [e["name"] for e in tariffs["entities"] if "Trump" in e["name"]] == ["Donald Trump"]
    assert alone["name"] == "Trump" and alone["joined_from"] is None
    assert {s["id"] for s in alone["stories"]} == {golf["id"], factory["id"]}
    assert [j["name"] for j in alone["joins"]] == ["Donald Trump"]


def test_store_entity_joins_follow_a_growing_story(
    joined_db: Path, tmp_path: Path
) -> None:
    database = tmp_path / "grown.db"
    shutil.copy(joined_db, database)
    with Store(database) as store:
        story_id = _story_of(store, "tariffs")
        before = store.story_entity_joins([story_id])[story_id]
        assert len(before) == 1
        _ingest(store, tmp_path, "later", [TARIFFS_LATER])
        assert store.story(story_id).article_count == 3
        assert store.story_entity_joins([story_id]).get(story_id, {}) == {}
        view = story_view(store, story_id)
        names = sorted(e["name"] for e in view["entities"] if "Trump" in e["name"])
        assert names == ["Donald Trump", "Ivanka Trump", "Trump"]
        # a rerun changes nothing
        assert store.join_entities(store.story_ids()) == 0
        page = story_list(store, entity="Donald Trump")
        assert [s["id"] for s in page["stories"]] == [story_id]


def test_web_entity_page_lists_where_a_short_form_is_joined(more_db: Path) -> None:
    with TestClient(create_app(ServerConfig(more_db))) as client:
        page = client.get("/entities/Trump")
        donald = client.get("/api/entities/Donald Trump").json()
    assert page.status_code == 200
    assert '<h1 class="entity-name">Trump</h1>' in page.text
    assert 'class="entity-joins"' in page.text
    assert f'href="/entities/{donald["id"]}">Donald Trump</a>' in page.text


def test_store_migrations_entity_joins_computed_for_stored_stories(
    joined_db: Path, tmp_path: Path
) -> None:
    database = tmp_path / "before.db"
    shutil.copy(joined_db, database)
    raw = sqlite3.connect(database)
    with raw:  # as a database of before the joins
        raw.execute("DROP TABLE entity_joins")
        raw.execute("DELETE FROM migrations WHERE name = '0010_entity_joins'")
        raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    raw.close()
    with Store(database) as store:
        story_id = _story_of(store, "tariffs")
        assert len(store.story_entity_joins([story_id])[story_id]) == 1
        trumps = [e for e in store.entities() if "Trump" in e.name]
        assert [(e.name, e.articles) for e in trumps] == [("Donald Trump", 2)]


def test_tally_entity_joins_generic_organisation_words_join_nothing() -> None:
    found = entity_joins([
        ("h", "House", "organisation"), ("w", "White House", "organisation"),
        ("c", "Supreme Court", "organisation"), ("k", "California Supreme Court", "organisation"),
    ])
    assert found == {}


_TALKS_END = (
    " Farmers in Iowa have waited months for a deal on soybean exports. Steel makers in Ohio "
    "want the tariffs kept. Negotiators from both countries met for six hours on Wednesday. A "
    "statement is expected on Friday evening."
)
TALKS = [
    _record(
        "Daily Ledger", "Trump in Beijing for trade talks", "2024-04-11T10:00:00Z",
        "President Donald Trump arrived in Beijing on Thursday for trade talks. The talks on "
        "soybeans and steel will last two days, officials said." + _TALKS_END,
    ),
    _record(
        "Evening Post", "Trade talks in Beijing", "2024-04-11T12:00:00Z",
        "President Trump accused China of unfair trade in Beijing on Thursday. The talks on "
        "soybeans and steel will last two days, the officials said." + _TALKS_END,
    ),
]


def test_read_entity_detail_events_of_a_joined_short_form(tmp_path: Path) -> None:
    with Store(tmp_path / "talks.db") as store:
        _ingest(store, tmp_path, "talks", TALKS)
        story = story_view(store, _story_of(store, "trade talks"))
        detail = entity_detail(store, "Donald Trump")
    accusations = [e for e in story["events"] if e["type"] == "ACCUSE"]
    assert [a["name"] for e in accusations for a in e["source"]] == ["Trump"]
    # the event only the short form takes part in is the full name's too
    assert ("ACCUSE", "source") in [(e["type"], e["role"]) for e in detail["events"]]


GOLF_LATER = _record(
    "Northern Courier", "Second golf course approved at Menie", "2025-11-20T13:00:00Z",
    "Councillors in Aberdeenshire approved plans for a second golf course at the Menie "
    "estate on Thursday. Donald Trump did not attend the meeting, a spokeswoman for the "
    "resort said.",
)


def test_store_story_list_entity_filter_follows_joins(more_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "golf.db"
    shutil.copy(more_db, database)
    with Store(database) as store:
        golf = _story_of(store, "golf")
        factory = _story_of(store, "factory")
        short_id = store.entity_id("Trump")  # the golf and factory stories' lone "Trump"
        before = {s["id"] for s in story_list(store, entity=short_id)["stories"]}
        assert before == {golf, factory}
        _ingest(store, tmp_path, "golf-later", [GOLF_LATER])
        assert store.story(golf).article_count == 3
        after = {s["id"] for s in story_list(store, entity=short_id)["stories"]}
        donald = {s["id"] for s in story_list(store, entity="Donald Trump")["stories"]}
    assert after == {factory}  # in the golf story, Trump is now Donald Trump
    assert golf in donald
