"""A damaged database under the server (storylens/web, storylens/store): the pages answer the
site's 503 page saying the database is damaged and the API its JSON error shape (503
``damaged``), never a 500; and search tells a damaged row or file from a bad query (400).

The database is damaged as a disk or a careless copy would: bytes of its articles' text
overwritten with bytes that are not UTF-8, a table's first page overwritten with noise, or the
file's header overwritten while the server runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import copy_database
from fastapi.testclient import TestClient

from storylens import Store
from storylens.errors import StoreDamaged, StoreQueryError, UsageError
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

# Bytes of the demo articles' text, and what they are overwritten with (as long, not UTF-8).
WORD = b" the "
NOISE = b" \xff\xfe\xff "


def _ids(db: Path) -> tuple[str, str]:
    """A story's id and one of its articles' ids."""
    with Store(db, create=False) as store:
        story = store.stories()[0]
        return story.id, store.story_articles(story.id)[0][0].id


def _damage_table(db: Path, table: str) -> None:
    """Overwrite the first page of a table (its b-tree's root) with noise."""
    with sqlite3.connect(db) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    connection.close()
    with db.open("r+b") as file:
        file.seek((root - 1) * size)
        file.write(b"\xa5" * size)


@pytest.fixture(scope="module")
def damaged_text(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database whose articles' text holds bytes that are not UTF-8."""
    db = copy_database(demo_db, tmp_path_factory.mktemp("damaged") / "text.db")
    data = db.read_bytes()
    assert WORD in data
    db.write_bytes(data.replace(WORD, NOISE))
    return db


@pytest.fixture(scope="module")
def text_client(damaged_text: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(db=damaged_text))) as client:
        yield client


def _damaged_page(response: httpx.Response) -> None:
    """The site's error page, 503, saying the database is damaged (no retry asked for)."""
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "Database damaged" in response.text
    assert "is damaged" in response.text
    assert "retry-after" not in response.headers


def _damaged_json(response: httpx.Response) -> None:
    """The API's error shape, 503 ``damaged``."""
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (503, "damaged")
    assert "is damaged" in error["message"]
    assert "retry-after" not in response.headers


def test_boundary_damaged_text_is_a_503_page(text_client: TestClient, demo_db: Path) -> None:
    _, article_id = _ids(demo_db)  # the damaged copy's ids
    for url in (f"/articles/{article_id}", f"/articles/{article_id}/raw", "/events"):
        _damaged_page(text_client.get(url))


def test_boundary_damaged_text_is_503_damaged_in_the_api(
    text_client: TestClient, demo_db: Path
) -> None:
    _, article_id = _ids(demo_db)  # the damaged copy's ids
    for url in (f"/api/articles/{article_id}", "/api/events"):
        _damaged_json(text_client.get(url))


def test_articles_search_damaged_row_is_not_a_bad_query(
    text_client: TestClient, damaged_text: Path
) -> None:
    """A title that cannot be decoded is the database's fault, not the query's."""
    _damaged_json(text_client.get("/api/search", params={"q": "council"}))
    with Store(damaged_text, create=False) as store:
        with pytest.raises(StoreDamaged):
            store.search("council")
        with pytest.raises(UsageError, match="bad search query"):
            store.search('"unbalanced')


@pytest.mark.parametrize("table", ["stories", "articles_fts_idx"])
def test_pages_damaged_table_is_a_503_page_not_a_bad_query(
    demo_db: Path, tmp_path: Path, table: str
) -> None:
    """The story list (searched or not) over a damaged table: the 503 page, not the list's
    400 for a bad query; the API likewise."""
    db = copy_database(demo_db, tmp_path / "table.db")
    _damage_table(db, table)
    with TestClient(create_app(ServerConfig(db=db))) as client:
        _damaged_page(client.get("/", params={"q": "bridge"}))
        _damaged_json(client.get("/api/stories", params={"q": "bridge"}))
        if table == "stories":
            _damaged_page(client.get("/"))
            _damaged_json(client.get("/api/stories"))
        else:
            _damaged_json(client.get("/api/search", params={"q": "bridge"}))


def test_boundary_header_damaged_while_serving_is_503(demo_db: Path, tmp_path: Path) -> None:
    """A file that stops being a database while the server runs: each new connection fails
    to open it."""
    db = copy_database(demo_db, tmp_path / "header.db")
    story_id, _ = _ids(db)
    with TestClient(create_app(ServerConfig(db=db))) as client:
        with db.open("r+b") as file:
            file.write(b"not a database!!" * 4)
        for url in ("/", f"/stories/{story_id}", "/entities"):
            _damaged_page(client.get(url))
        for url in ("/api/stories", f"/api/stories/{story_id}"):
            _damaged_json(client.get(url))


def test_connection_fts_syntax_error_is_a_store_query_error(demo_db: Path) -> None:
    """SQLite's refusal of a full-text query for what it says is a StoreQueryError (the store
    turns it into a bad query, 400), and stays a StoreError."""
    with Store(demo_db, create=False) as store:
        for query in ('"unbalanced', "a:b", "AND", "NEAR(a b"):
            with pytest.raises(StoreQueryError):
                store.db.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (query,)
                ).fetchall()
            with pytest.raises(UsageError, match="bad search query"):
                store.search(query)
