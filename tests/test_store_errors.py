"""SQLite's errors translated once, at the store's connection: a lock held too long, a
broken schema rule and a bad full-text query leave the store as storylens errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from eventdata import make_article, write_stories

from storylens import Store, StoreError, UsageError
from storylens.errors import StoreBusy, StoreConflict


def test_store_errors_locked_database_in_a_batch_is_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    article = make_article("a", "Planet", "2024-03-01", ["Japan urged North Korea to talk."])
    with Store(path) as store:
        store.db.execute("PRAGMA busy_timeout = 50")  # wait 50 ms, not the usual 10 s
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            with pytest.raises(StoreError) as raised:
                write_stories(store, {"s": [(article, None)]})
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert isinstance(raised.value, StoreBusy)
        assert not isinstance(raised.value, sqlite3.Error)
        assert "\n" not in str(raised.value)
        assert "busy" in str(raised.value) and str(path) in str(raised.value)
        assert not store.in_transaction
        write_stories(store, {"s": [(article, None)]})  # free again: the batch goes in
        assert store.counts()["articles"] == 1


def test_store_errors_same_article_twice_is_store_conflict(tmp_path: Path) -> None:
    article = make_article("a", "Planet", "2024-03-01", ["Japan urged North Korea to talk."])
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(StoreConflict, match="refused a write"):
            write_stories(store, {"s": [(article, None), (article, None)]})
        assert store.counts()["articles"] == 0


def test_store_errors_bad_full_text_query_is_usage_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    with store, pytest.raises(UsageError, match="bad search query"):
        store.search('"unclosed')


def test_store_errors_not_a_database_is_store_error(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"this is not a database, just text " * 100)
    with pytest.raises(StoreError, match="cannot open the database") as raised:
        Store(path)
    assert "\n" not in str(raised.value)
