"""The store's counts of attention over time (storylens/store/attention.py) on the demo
database, against the demo corpus's ground truth (storylens/demo/events.json: each article's
outlet and day) and against the store's other reads (search, entity articles); every counting
statement is served by indexes, never a scan of the articles."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storylens import Options, Store, ingest
from storylens.errors import UsageError
from storylens.store import AttentionScope

DAY = 86400


def _per_day(rows: list[tuple[float, str | None, int]]) -> Counter[tuple[str, str | None]]:
    return Counter({
        (datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%d"), outlet): count
        for start, outlet, count in rows
    })


def test_store_attention_per_outlet_matches_the_ground_truth(
    demo_db: Path, demo_manifest: list[dict[str, object]]
) -> None:
    truth = Counter((str(a["published"]), a["outlet"]) for a in demo_manifest)
    outlets = {str(a["outlet"]) for a in demo_manifest if a["outlet"]}
    with Store(demo_db) as store:
        for outlet in outlets:
            found = _per_day(store.attention_counts(AttentionScope("outlet", outlet), DAY))
            assert found == Counter({k: v for k, v in truth.items() if k[1] == outlet}), outlet
            # any case, as the story list's outlet filter
            upper = store.attention_counts(AttentionScope("outlet", outlet.upper()), DAY)
            assert _per_day(upper) == found
        assert store.attention_counts(AttentionScope("outlet", "No Such Outlet"), DAY) == []


def test_store_attention_per_story_matches_the_ground_truth(
    demo_db: Path, demo_manifest: list[dict[str, object]]
) -> None:
    event_of = {str(a["title"]): str(a["event"]) for a in demo_manifest}
    with Store(demo_db) as store:
        stories = store.stories()
        assert len(stories) == 6
        for story in stories:
            titles = [a.title for a, _ in store.story_articles(story.id)]
            event = event_of[str(titles[0])]
            truth = Counter((str(a["published"]), a["outlet"]) for a in demo_manifest
                            if a["event"] == event)
            scope = AttentionScope("story", story.id)
            assert _per_day(store.attention_counts(scope, DAY)) == truth, event
            span = store.attention_span(scope)
            assert (span.dated, span.undated) == (story.article_count, 0)
            published = [a.published for a, _ in store.story_articles(story.id)]
            assert span.day_only == sum(1 for p in published if p and len(p) <= 10)


def test_store_attention_per_search_and_entity_match_the_other_reads(demo_db: Path) -> None:
    with Store(demo_db) as store:
        hits = store.search_hits("minister", 100)
        assert hits
        truth = Counter((str(h.published)[:10], h.outlet) for h in hits)
        counts = store.attention_counts(AttentionScope("query", "minister"), DAY)
        assert _per_day(counts) == truth
        entity = store.entity("Brazil")
        articles = [article_id for article_id, _ in store.entity_articles(entity.id)]
        truth = Counter(
            (str(store.article(i).published)[:10], store.article(i).outlet) for i in articles
        )
        counts = store.attention_counts(AttentionScope("entity", entity.id), DAY)
        assert _per_day(counts) == truth and sum(truth.values()) == entity.articles
        # a search of no words matches nothing; a bad FTS5 query is the reader's error
        assert store.attention_counts(AttentionScope("query", "?!"), DAY) == []
        assert store.attention_span(AttentionScope("query", "?!")).dated == 0
        with pytest.raises(UsageError, match="bad search query"):
            store.attention_counts(AttentionScope("query", "AND OR", advanced=True), DAY)
        with pytest.raises(UsageError):
            AttentionScope("site", "x")


def test_store_attention_hours_and_weeks(demo_db: Path) -> None:
    with Store(demo_db) as store:
        scope = AttentionScope("outlet", "Meridian Wire")
        hours = store.attention_counts(scope, 3600)
        stamps = {datetime.fromtimestamp(s, UTC).strftime("%Y-%m-%dT%H:%M") for s, _, _ in hours}
        assert stamps == {"2025-03-04T16:00", "2025-07-22T17:00", "2025-11-03T11:00"}
        weeks = store.attention_counts(scope, 7 * DAY, 3 * DAY)
        assert [datetime.fromtimestamp(s, UTC).strftime("%a %Y-%m-%d") for s, _, _ in weeks] == [
            "Mon 2025-03-03", "Mon 2025-07-21", "Mon 2025-11-03"]


def test_store_attention_counts_come_from_indexes(demo_db: Path) -> None:
    """Every counting statement is served by an index (the story's members, the outlet, the
    full-text index, the entity's mentions): no article is read that is not counted."""
    with Store(demo_db) as store:
        statements: list[str] = []
        store.db.set_trace_callback(statements.append)
        entity = store.entity_id("Brazil")
        statements.clear()
        story = store.stories()[0].id
        statements.clear()
        for kind, value in (("story", story), ("outlet", "Meridian Wire"),
                            ("query", "minister"), ("entity", entity)):
            scope = AttentionScope(kind, value)
            store.attention_span(scope)
            store.attention_counts(scope, DAY)
        store.db.set_trace_callback(None)
        ours = [s for s in statements if "a.published_ts" in s]  # not FTS5's own statements
        assert len(ours) == 8
        for sql in ours:
            plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert not [step for step in plan if step.startswith("SCAN")
                        and "VIRTUAL TABLE" not in step and "CONSTANT ROW" not in step], plan


def test_store_attention_before_1970_rounds_down(tmp_path: Path) -> None:
    """A time before 1970 is in the day it falls on (SQLite's CAST rounds toward zero)."""
    record = {"id": "old", "title": "Moon landing", "outlet": "Archive Weekly",
              "published": "1969-07-20T20:17:00Z",
              "text": "The lunar module landed on the Sea of Tranquility on Sunday evening. " * 5}
    source = tmp_path / "old.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    database = tmp_path / "old.db"
    with Store(database) as store:
        summary = ingest([source], store, Options(extract_attributions=False,
                                                  extract_events=False))
        assert summary.stored == 1
        counts = store.attention_counts(AttentionScope("outlet", "Archive Weekly"), DAY)
    assert _per_day(counts) == Counter({("1969-07-20", "Archive Weekly"): 1})
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT published_ts < 0 FROM articles").fetchone() == (1,)
    db.close()
