"""Tests of how a story counts its outlets: by name, or by the site of an article's URL
(issue 18: a story of unnamed-outlet articles said "0 outlets")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storylens import Options, Store, ingest

BODY = (
    "The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier before the spring "
    "fishing season, ending a year of argument over the structure. Board chair Hettie Marlowe "
    "said the work would cost about $3.4 million, most of it from a state coastal grant."
)


def _records(path: Path) -> Path:
    rows = [
        {"id": "a", "title": "Harbor board votes to rebuild pier", "text": BODY,
         "url": "https://www.orvelletide.com/harbor", "published": "2025-03-04"},
        {"id": "b", "title": "Harbor board votes to rebuild the pier", "text": BODY + " More.",
         "url": "https://news.fenherald.co.uk/pier", "published": "2025-03-04"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_store_story_counts_the_sites_of_articles_that_name_no_outlet(tmp_path: Path) -> None:
    database = tmp_path / "sites.db"
    with Store(database) as store:
        summary = ingest([_records(tmp_path / "pier.jsonl")], store, Options())
        assert summary.rejected == 0
    # as a database written before sites were read as outlets holds them: no outlet named
    with sqlite3.connect(database) as db:
        db.execute("UPDATE articles SET outlet = NULL")
    db.close()
    with Store(database) as store:
        stories = store.stories()
    assert [s.outlets for s in stories] == [["fenherald.co.uk", "orvelletide.com"]]


# -- a database written before sites were stored as outlets: migration 0013_outlet_sites ------


def _old_database(path: Path) -> None:
    """A database as storylens wrote it before 0013_outlet_sites (its migrations up to
    0010_entity_joins, recorded by name): two stories, whose articles name no outlet, one with
    a URL, one with a local file's URL and one with none, and one naming its outlet; each
    story with its stored view."""
    from storylens.store import MIGRATIONS

    old = [m for m in MIGRATIONS if m.name <= "0010_entity_joins"]
    assert old[-1].name == "0010_entity_joins"
    db = sqlite3.connect(path, isolation_level=None)
    for step in old:
        step(db)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    db.executemany("INSERT INTO migrations VALUES (?, '2025-03-01T00:00:00Z')",
                   [(m.name,) for m in old])
    db.execute(f"PRAGMA user_version = {len(old)}")
    articles = [  # id, url, outlet, story
        ("a1", "https://www.orvelletide.com/harbor", None, "s1"),
        ("a2", "https://news.fenherald.co.uk/pier", None, "s1"),
        ("a3", None, None, "s1"),
        ("a4", "file:///home/desk/pier.txt", None, "s2"),
        ("a5", "https://www.orvelletide.com/ferry", "Tamsin Courier", "s2"),
    ]
    for number, (article_id, url, outlet, story_id) in enumerate(articles):
        db.execute(
            "INSERT INTO articles (id, source, kind, url, outlet, title, published, "
            "published_ts, text, raw, ingested_at) VALUES (?, ?, 'text', ?, ?, 'Pier', "
            "'2025-03-04', 1741089600, ?, ?, '2025-03-05T00:00:00Z')",
            (article_id, f"{article_id}.txt", url, outlet, BODY, BODY + str(number)),
        )
        db.execute(
            "INSERT INTO story_members (article_id, story_id, similarity, position) "
            "VALUES (?, ?, 1.0, ?)", (article_id, story_id, number),
        )
    for story_id, size in (("s1", 3), ("s2", 2)):
        db.execute(
            "INSERT INTO stories (id, title, first_ts, last_ts, size, centroid, created_at, "
            "updated_at) VALUES (?, 'Pier', 1741089600, 1741089600, ?, '{}', 'then', 'then')",
            (story_id, size),
        )
        db.execute(
            "INSERT INTO story_views VALUES (?, ?, 'then', 2, x'00', '{}', x'00', 'old')",
            (story_id, size),
        )
    db.close()


def test_store_outlets_migration_gives_old_articles_the_site_of_their_url(
    tmp_path: Path,
) -> None:
    from storylens.model import StoryFilter
    from storylens.read.views import story_list
    from storylens.store.migrations import applied_migrations

    path = tmp_path / "old.db"
    _old_database(path)
    with Store(path) as store:  # opening upgrades it
        assert "0013_outlet_sites" in applied_migrations(store.db)
        outlets = store.outlets(["a1", "a2", "a3", "a4", "a5"])
        found = {
            site: [s["id"] for s in story_list(store, StoryFilter(outlet=site))["stories"]]
            for site in ("orvelletide.com", "fenherald.co.uk", "Tamsin Courier")
        }
        views = [r[0] for r in store.db.execute("SELECT story_id FROM story_views")]
        stories = {s.id: (s.outlets, s.unnamed_articles) for s in store.stories()}
    assert outlets == {
        "a1": "orvelletide.com", "a2": "fenherald.co.uk", "a3": None, "a4": None,
        "a5": "Tamsin Courier",
    }
    assert found == {"orvelletide.com": ["s1"], "fenherald.co.uk": ["s1"],
                     "Tamsin Courier": ["s2"]}
    assert views == ["s2"]  # the view of s1 was computed without its sites: dropped
    assert stories == {"s1": (["fenherald.co.uk", "orvelletide.com"], 1),
                       "s2": (["Tamsin Courier"], 1)}
