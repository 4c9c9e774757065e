"""The story list (views.story_list over Store.story_page): order, filters, the entity
resolution it uses, and its caches following what is ingested."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DEMO

from storylens import Options, Store, ingest
from storylens.errors import NotFoundError, UsageError
from storylens.read.views import story_list, story_view
from storylens.store import story_list as store_module

FAST = Options(extract_attributions=False)  # entities and events kept; no quote parsing


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("list") / "demo.db")
    summary = ingest([DEMO / "articles"], store, FAST)
    assert summary.rejected == 0, summary.rejects
    return store


def _clear_caches() -> None:
    store_module.STORY_CARDS._items.clear()
    store_module.STORY_HITS._items.clear()
    store_module.MATCHING._items.clear()


def _expected(store: Store, story_id: str) -> dict[str, object]:
    """What the list says of a story, computed from the story's own view."""
    view = story_view(store, story_id)
    return {
        "id": view["id"],
        "article_count": view["article_count"],
        "outlets": view["outlets"],
        "outlet_count": len(view["outlets"]),
        "wire_copies": view["wire_copies"],
        "first_published": view["first_published"],
        "last_published": view["last_published"],
        "top_entities": [
            {k: e[k] for k in ("id", "name", "kind", "mentions")} for e in view["entities"][:5]
        ],
    }


def _listed(item: dict[str, object]) -> dict[str, object]:
    return {
        k: item[k]
        for k in (
            "id",
            "article_count",
            "outlets",
            "outlet_count",
            "wire_copies",
            "first_published",
            "last_published",
            "top_entities",
        )
    }


def test_views_story_list_same_order_and_summaries_as_store_stories(demo_store: Store) -> None:
    listed = story_list(demo_store, limit=100)
    assert [s["id"] for s in listed["stories"]] == [s.id for s in demo_store.stories()]
    for item in listed["stories"]:
        assert _listed(item) == _expected(demo_store, str(item["id"]))


def test_views_story_list_negative_page_is_a_usage_error(demo_store: Store) -> None:
    with pytest.raises(UsageError):
        story_list(demo_store, offset=-1)


def test_store_entity_id_resolves_as_entity_does(demo_store: Store) -> None:
    entities = demo_store.entities(limit=40)
    assert entities
    for entity in entities:
        assert demo_store.entity_id(entity.id) == entity.id
        for asked in (entity.name, entity.name.upper(), entity.aliases[0].lower()):
            try:
                expected = demo_store.entity(asked).id
            except UsageError:
                with pytest.raises(UsageError):
                    demo_store.entity_id(asked)
                continue
            assert demo_store.entity_id(asked) == expected
    with pytest.raises(NotFoundError):
        demo_store.entity_id("Nobody Of That Name")


def test_store_story_page_follows_a_second_ingest(tmp_path: Path) -> None:
    """Listing warms the caches; ingesting more must show in the next listing, the same as
    computed afresh and as each story's own view says."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for number, path in enumerate(sorted((DEMO / "articles").iterdir())):
        shutil.copy(path, (first if number % 2 else second) / path.name)
    with Store(tmp_path / "halves.db") as store:
        ingest([first], store, FAST)
        story_list(store, limit=100)
        story_list(store, query="fire OR flood")
        ingest([second], store, FAST)
        after = story_list(store, limit=100)
        filtered = story_list(store, query="fire OR flood")
        _clear_caches()
        assert story_list(store, limit=100) == after
        assert story_list(store, query="fire OR flood") == filtered
        assert after["total"] == 6
        for item in after["stories"]:
            assert _listed(item) == _expected(store, str(item["id"]))


def test_store_story_page_filtered_pages_slice_one_list(demo_store: Store) -> None:
    whole = story_list(demo_store, query="said", limit=100)
    assert whole["total"] >= 4
    pages = [story_list(demo_store, query="said", limit=2, offset=o) for o in range(0, 8, 2)]
    assert [s for p in pages for s in p["stories"]] == whole["stories"]
    assert {p["total"] for p in pages} == {whole["total"]}
