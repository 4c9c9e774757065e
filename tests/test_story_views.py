"""Stored story views: the ingest computes each changed story's view, card and page content
and stores them with the story's version; serving reads them, and computes what is missing or
out of date. Whatever the path, what is shown is the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DEMO
from fastapi.testclient import TestClient

from storylens import Options, Store, ingest
from storylens.read.stored import decode_view, refresh_story_views, story_view_json
from storylens.read.storypage import PAGE_FORMAT, decode_page, story_page_parts
from storylens.read.views import VIEW_FORMAT, story_list, story_view
from storylens.store import story_list as store_module
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig, config_from_json, config_to_json

FAST = Options(extract_attributions=False)


def _halves(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for number, path in enumerate(sorted((DEMO / "articles").iterdir())):
        shutil.copy(path, (first if number % 2 else second) / path.name)
    return first, second


def _story_ids(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT id FROM stories ORDER BY id")]


def _clear_caches() -> None:
    for cache in (store_module.STORY_CARDS, store_module.STORY_HITS, store_module.MATCHING):
        cache._items.clear()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("views") / "demo.db"
    with Store(path) as store:
        ingest([DEMO / "articles"], store, FAST)
    return path


def test_story_views_ingest_leaves_none_stale(demo_db: Path) -> None:
    with Store(demo_db) as store:
        assert _story_ids(store)
        assert store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT) == []


def test_story_views_stored_view_is_the_computed_one(demo_db: Path) -> None:
    with Store(demo_db) as store:
        for story_id in _story_ids(store):
            _, stored = store.stored_story_view(story_id, VIEW_FORMAT)
            assert stored is not None
            assert json.loads(decode_view(stored)) == story_view(store, story_id)


def test_story_views_stored_page_is_the_rendered_one(demo_db: Path) -> None:
    with Store(demo_db) as store:
        for story_id in _story_ids(store):
            stored = store.stored_story_page(story_id, VIEW_FORMAT, PAGE_FORMAT)
            assert stored is not None
            assert decode_page(stored) == story_page_parts(story_view(store, story_id))


@pytest.mark.parametrize("view_format, page_format", [(VIEW_FORMAT + 1, PAGE_FORMAT),
                                                      (VIEW_FORMAT, "another")])
def test_story_views_other_formats_are_not_served(
    demo_db: Path, view_format: int, page_format: str
) -> None:
    with Store(demo_db) as store:
        story_id = _story_ids(store)[0]
        assert store.stored_story_page(story_id, view_format, page_format) is None
        assert len(store.stale_story_views(view_format, page_format)) == len(_story_ids(store))


def test_story_views_second_ingest_refreshes_changed_stories(tmp_path: Path) -> None:
    first, second = _halves(tmp_path)
    with Store(tmp_path / "halves.db") as store:
        ingest([first], store, FAST)
        before = {s: store.story_version(s) for s in _story_ids(store)}
        ingest([second], store, FAST)
        grown = [s for s, v in before.items() if store.story_version(s) != v]
        assert grown, "the second half adds to stories of the first"
        assert store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT) == []
        for story_id in grown:
            version, stored = store.stored_story_view(story_id, VIEW_FORMAT)
            assert stored is not None
            assert json.loads(decode_view(stored))["article_count"] == version[0]


def test_story_views_rerun_completes_views_an_interrupted_ingest_left(tmp_path: Path) -> None:
    with Store(tmp_path / "cut.db") as store:
        ingest([DEMO / "articles"], store, FAST)
        store.db.execute("DELETE FROM story_views")  # as if stopped before the views
        missing = store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT)
        assert set(missing) == set(_story_ids(store))
        summary = ingest([DEMO / "articles"], store, FAST)  # nothing new to store
        assert summary.stored == 0
        assert store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT) == []


def test_story_views_option_off_stores_none_and_views_are_computed(tmp_path: Path) -> None:
    with Store(tmp_path / "off.db") as store:
        ingest([DEMO / "articles"], store, FAST.replace(store_story_views=False))
        count = store.db.execute("SELECT COUNT(*) FROM story_views").fetchone()[0]
        assert count == 0
        story_id = _story_ids(store)[0]
        _, body = story_view_json(store, story_id)
        assert json.loads(body) == story_view(store, story_id)


def test_story_views_refresh_computes_only_what_is_stale(demo_db: Path) -> None:
    with Store(demo_db) as store:
        assert refresh_story_views(store) == 0


def test_story_views_list_same_from_stored_cards_and_computed(tmp_path: Path) -> None:
    with Store(tmp_path / "cards.db") as store:
        ingest([DEMO / "articles"], store, FAST)
        _clear_caches()
        stored = story_list(store, limit=100)
        store.db.execute("DELETE FROM story_views")
        _clear_caches()
        assert story_list(store, limit=100) == stored


@pytest.mark.parametrize("path", ["/stories/{id}", "/api/stories/{id}"])
def test_story_views_server_shows_the_same_with_and_without_stored_views(
    tmp_path: Path, path: str
) -> None:
    db = tmp_path / "serve.db"
    with Store(db) as store:
        ingest([DEMO / "articles"], store, FAST)
        story_id = _story_ids(store)[0]
    with TestClient(create_app(ServerConfig(db=db))) as client:
        stored = client.get(path.format(id=story_id))
    with Store(db) as store:
        store.db.execute("DELETE FROM story_views")
    with TestClient(create_app(ServerConfig(db=db))) as client:
        computed = client.get(path.format(id=story_id))
    assert stored.status_code == computed.status_code == 200
    assert stored.content == computed.content


def test_story_views_filtered_list_follows_a_second_ingest(tmp_path: Path) -> None:
    """The filters' story sets are followed article by article: after more is ingested, a
    filtered list is what a cold cache computes."""
    first, second = _halves(tmp_path)
    with Store(tmp_path / "follow.db") as store:
        ingest([first], store, FAST)
        queries = ["fire OR flood", "said", "court"]
        for query in queries:
            story_list(store, query=query, limit=100)
        story_list(store, outlet="Harbor Ledger", limit=100)
        ingest([second], store, FAST)
        warm = [story_list(store, query=q, limit=100) for q in queries]
        warm.append(story_list(store, outlet="Harbor Ledger", limit=100))
        _clear_caches()
        cold = [story_list(store, query=q, limit=100) for q in queries]
        cold.append(story_list(store, outlet="Harbor Ledger", limit=100))
        assert warm == cold
        assert any(w["total"] for w in warm)


def test_story_views_server_config_round_trips_for_workers(tmp_path: Path) -> None:
    config = ServerConfig(
        db=tmp_path / "x.db", write_token="secret", max_body_mb=3.5,
        options=Options(batch_size_articles=7, extract_events=False),
    )
    assert config_from_json(config_to_json(config)) == config


def test_story_views_computed_by_worker_processes_as_in_process(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The views the end of an ingest computes in forked processes (each reading the
    database itself) are those computed in-process."""
    from storylens.read import stored as views

    monkeypatch.setattr(views, "PARALLEL_MIN_VIEWS", 1)  # the demo has a few stories only
    stored = {}
    for workers in (1, 2):
        copy = tmp_path / f"{workers}.db"
        shutil.copy(demo_db, copy)
        with Store(copy) as store:
            store.db.execute("DELETE FROM story_views")
            assert refresh_story_views(store, workers=workers) == len(_story_ids(store))
            stored[workers] = sorted(
                tuple(r) for r in store.db.execute(
                    "SELECT story_id, size, updated_at, format, body, card, page, page_format "
                    "FROM story_views"
                )
            )
    assert stored[2] == stored[1]
    assert len(stored[1]) >= 6
