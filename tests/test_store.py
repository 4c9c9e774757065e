"""The SQLite store: migrations, WAL mode, atomic batches, full-text search."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO

from storylens import Options, Store, StoreError, ingest
from storylens.store import MIGRATIONS


def test_store_migrations_recorded_in_user_version(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        assert store.schema_version == len(MIGRATIONS)
    with Store(tmp_path / "t.db") as again:  # reopening runs nothing twice
        assert again.schema_version == len(MIGRATIONS)


def test_store_uses_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_transaction_rolls_back_whole(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            raise RuntimeError("stop")
        assert store.db.execute("SELECT COUNT(*) FROM meta WHERE key = 'a'").fetchone()[0] == 0


@pytest.mark.parametrize("path", ["missing/folder/t.db"])
def test_store_unopenable_path_is_store_error(tmp_path: Path, path: str) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / path)


def test_store_newer_schema_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        store.db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer storylens"):
        Store(tmp_path / "t.db")


def test_store_full_text_search_finds_article(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        ingest([DEMO / "articles"], store, Options())
        hits = store.search("kettle")
        assert hits
        assert all("kettle" in store.article(i).text.lower() for i, _ in hits)


def test_store_sentence_offsets_survive_round_trip(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        ingest([DEMO / "articles"], store, Options())
        article_id = store.db.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
        article = store.article(article_id)
        assert article.sentences
        assert all(article.text[s.start : s.end] == s.text for s in article.sentences)


def test_store_opened_by_many_connections_at_once_migrates_once(tmp_path: Path) -> None:
    import threading

    db = tmp_path / "t.db"
    start = threading.Barrier(8)
    versions: list[int] = []
    errors: list[BaseException] = []

    def open_and_report() -> None:
        start.wait()
        try:
            with Store(db) as store:
                versions.append(store.schema_version)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_and_report) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert versions == [len(MIGRATIONS)] * 8
