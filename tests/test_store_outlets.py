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
