"""The store's entity and event mentions: written with their batch, read back whole, entities
aggregated over their mentions and looked up by id, name or written form."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventdata import (
    JAPAN,
    KOIZUMI,
    NORTH_KOREA,
    build_demo_store,
    event_mention,
    make_article,
    write_stories,
)
from eventdata import mention as make_mention

from storylens import NotFoundError, Store, UsageError
from storylens.model import Actor
from storylens.store import MIGRATIONS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(build_demo_store(tmp_path / "t.db")) as opened:
        yield opened


def test_store_mentions_round_trip(tmp_path: Path) -> None:
    article = make_article("a", "Planet", "2024-03-01", ["Prime Minister Koizumi spoke."])
    written = make_mention(
        article, "e-k", "Junichiro Koizumi", "person", "Koizumi", "JPN", "GOV", "Prime Minister"
    )
    with Store(tmp_path / "t.db") as store:
        write_stories(store, {"s": [(article, None)]}, [written])
        assert store.mentions(["a"]) == {"a": [written]}


def test_store_event_mentions_round_trip(tmp_path: Path) -> None:
    article = make_article("a", "Planet", "2024-03-01", ["Japan urged the rebels to talk."])
    rebels = Actor("the rebels", None, "REB", None, "the rebels")
    written = event_mention(
        article, "CONSULT", (JAPAN, KOIZUMI), (rebels,), "urged", mode="talks", place="Tokyo"
    )
    with Store(tmp_path / "t.db") as store:
        write_stories(store, {"s": [(article, None)]}, events=[written])
        assert store.event_mentions(["a"]) == {"a": [written]}


def test_store_mentions_of_articles_without_any_are_absent(store: Store) -> None:
    assert store.mentions(["no such article"]) == {}
    assert store.event_mentions(["no such article"]) == {}


def test_store_entities_aggregated_over_mentions(store: Store) -> None:
    japan = next(e for e in store.entities() if e.id == "e-japan")
    assert (japan.name, japan.kind, japan.code) == ("Japan", "place", "JPN")
    assert japan.aliases == ["Japan", "Tokyo"]
    assert (japan.mentions, japan.articles) == (4, 4)


def test_store_entities_keep_titles(store: Store) -> None:
    koizumi = store.entity("e-koizumi")
    assert (koizumi.titles, koizumi.sector) == (["Prime Minister"], "GOV")


def test_store_entities_ordered_by_articles_then_name(store: Store) -> None:
    assert [e.name for e in store.entities()] == [
        "Japan",
        "North Korea",
        "Junichiro Koizumi",
        "China",
    ]


def test_store_entities_limit_and_offset(store: Store) -> None:
    assert [e.name for e in store.entities(limit=2, offset=1)] == [
        "North Korea",
        "Junichiro Koizumi",
    ]


def test_store_entities_query_matches_written_forms_case_insensitive(store: Store) -> None:
    assert [e.name for e in store.entities(query="PYONG")] == ["North Korea"]


def test_store_entity_by_id(store: Store) -> None:
    assert store.entity("e-nk").name == "North Korea"


def test_store_entity_by_name_case_insensitive(store: Store) -> None:
    assert store.entity("junichiro koizumi").id == "e-koizumi"


def test_store_entity_by_written_form(store: Store) -> None:
    assert store.entity("Pyongyang").id == "e-nk"


def test_store_entity_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="Atlantis"):
        store.entity("Atlantis")


def test_store_entity_ambiguous_name_lists_candidates(tmp_path: Path) -> None:
    article = make_article("a", "Planet", "2024-03-01", ["Georgia and Georgia met."])
    mentions = [
        make_mention(article, "e-georgia-country", "Georgia", "place", "Georgia", "GEO"),
        make_mention(article, "e-georgia-state", "Georgia", "place", "Georgia", "USA"),
    ]
    with Store(tmp_path / "t.db") as store:
        write_stories(store, {"s": [(article, None)]}, mentions)
        with pytest.raises(UsageError, match="e-georgia-country.*e-georgia-state"):
            store.entity("georgia")


def test_store_entity_articles_with_story_ids(store: Store) -> None:
    assert store.entity_articles("e-nk") == [
        ("a1", "s-talks"),
        ("a2", "s-talks"),
        ("a3", "s-talks"),
        ("b1", "s-launch"),
    ]


def test_store_event_story_ids_oldest_first(store: Store) -> None:
    assert store.event_story_ids() == ["s-talks", "s-launch"]


def test_store_mentions_deleted_with_their_article(store: Store) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM story_members WHERE article_id = 'b1'")
        db.execute("DELETE FROM articles WHERE id = 'b1'")
    assert store.mentions(["b1"]) == {}
    assert store.event_mentions(["b1"]) == {}


def test_store_batch_with_mentions_is_one_transaction(tmp_path: Path) -> None:
    article = make_article("a", "Planet", "2024-03-01", ["Japan urged North Korea to talk."])
    good = event_mention(article, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged")
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(sqlite3.IntegrityError):  # the same article twice: nothing is kept
            write_stories(store, {"s": [(article, None), (article, None)]}, events=[good])
        assert store.counts()["articles"] == 0
        assert store.event_mentions(["a"]) == {}


def test_store_migrates_a_version_3_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    db.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.entities() == []
