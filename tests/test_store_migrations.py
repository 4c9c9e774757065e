"""Named migrations recorded in the migrations table, and a database written by an earlier
release (which counted its migrations in user_version only) opened and upgraded.

tests/data/release-e6b458e.db was written by storylens at commit e6b458e: the three texts
beside it ingested with ``storylens ingest``, then vacuumed to 1 KB pages to stay small.
tests/data/release-e6b458e.json is what that release read back from it (stories, and each
article with its sentences' offsets), by the code of ``_snapshot`` below.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storylens import Store, StoreError
from storylens.read.views import article_view, story_summary
from storylens.store import MIGRATIONS
from storylens.store.migrations import applied_migrations

DATA = Path(__file__).parent / "data"
RELEASE_DB = DATA / "release-e6b458e.db"
RELEASE_SNAPSHOT = DATA / "release-e6b458e.json"


def _snapshot(store: Store) -> dict[str, Any]:
    """The counts, the stories and each article (with its sentences' offsets) as read."""
    found: dict[str, Any] = {"counts": store.counts(), "stories": [], "articles": {}}
    for story in store.stories():
        found["stories"].append(story_summary(story))
        for article, _ in store.story_articles(story.id):
            view = article_view(article, full=True)
            view["story_id"] = story.id
            view["sentences"] = [[s.start, s.end] for s in article.sentences]
            found["articles"][article.id] = view
    return found


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    """A copy of the release's database (opening it upgrades it)."""
    copy = tmp_path / "release.db"
    shutil.copy(RELEASE_DB, copy)
    return copy


def test_store_migrations_names_recorded_in_order(tmp_path: Path) -> None:
    names = [m.name for m in MIGRATIONS]
    assert names == sorted(set(names))
    assert all(name[:4].isdigit() and name[4] == "_" for name in names)
    with Store(tmp_path / "t.db") as store:
        assert applied_migrations(store.db) == names
        assert store.schema_version == len(MIGRATIONS)
    with Store(tmp_path / "t.db") as again:  # reopening records nothing twice
        assert applied_migrations(again.db) == names


def test_store_migrations_release_database_opens_upgraded_and_unchanged(
    release_db: Path,
) -> None:
    raw = sqlite3.connect(release_db)
    version = raw.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    assert "migrations" not in tables  # written before migrations were recorded by name
    assert version == 7
    with Store(release_db, create=False) as store:
        assert applied_migrations(store.db) == [m.name for m in MIGRATIONS]
        assert store.schema_version == len(MIGRATIONS)
        expected = json.loads(RELEASE_SNAPSHOT.read_text(encoding="utf-8"))
        assert _snapshot(store) == expected
        assert store.search("ferries")


def test_store_migrations_old_user_version_runs_only_the_rest(tmp_path: Path) -> None:
    """A database of an earlier release at version 3: the first three are recorded as
    applied (not run again: that would fail, their tables exist), the rest are run."""
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    db.close()
    with Store(path) as store:
        assert applied_migrations(store.db) == [m.name for m in MIGRATIONS]
        rows = store.db.execute("SELECT name, applied_at FROM migrations").fetchall()
        assert all(applied_at for _, applied_at in rows)


def test_store_migrations_unknown_migration_refused(tmp_path: Path) -> None:
    """A migration this release does not know was applied by a newer one."""
    with Store(tmp_path / "t.db") as store:
        store.db.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999_later', '')")
        store.db.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    with pytest.raises(StoreError, match="newer storylens .migration 9999_later"):
        Store(tmp_path / "t.db")
