"""The facet counts of the story and article lists (store/facets.py, read/facets.py) on real
databases: every value's count is the size of the list its filter leads to, the counts
agree with the stories' own articles counted in Python, a story across two months counts in
both, outlets differing in case are one value, and the counts follow new articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storylens import Options, Store, ingest
from storylens.model import StoryFilter
from storylens.read.facets import article_filter, article_list, story_facets
from storylens.read.views import story_list
from storylens.store.facets import FACETS

BARE = Options(extract_attributions=False, extract_events=False, worker_processes=1)
FLOOD = ("The Lowen river burst its banks at Marrowby after two days of heavy rain, the "
         "county council said. The council evacuated {n} homes near the old stone bridge "
         "while engineers checked the flood wall along the Marrowby quay. Pellham Ford "
         "residents were told to stay away from the river path until the water falls.")


def _records(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """One story whose articles fall on 31 January and 1 February, from one outlet written
    in two cases, and one story of March."""
    records = [
        {"id": "a", "outlet": "Meridian Wire", "published": "2025-01-31T22:00:00Z",
         "title": "Lowen river floods Marrowby", "text": FLOOD.format(n=300)},
        {"id": "b", "outlet": "MERIDIAN WIRE", "published": "2025-02-01T08:00:00Z",
         "title": "Lowen river floods Marrowby", "text": FLOOD.format(n=320)},
        {"id": "c", "outlet": "Harbor Ledger", "published": "2025-03-10T09:00:00Z",
         "title": "Port of Ostby reopens", "text": "The port of Ostby reopened on Monday after "
         "a week of repairs to its north quay, the harbour master said in a statement."},
    ]
    db = tmp_path / "small.db"
    with Store(db) as store:
        ingest([_records(tmp_path / "in.jsonl", records)], store, BARE)
    return db


def test_facets_counts_span_months_and_fold_case(small_db: Path) -> None:
    with Store(small_db) as store:
        assert story_list(store, StoryFilter())["total"] == 2
        facets = story_facets(store, StoryFilter())
        assert [(v["value"], v["count"]) for v in facets["outlet"]] == [
            ("Harbor Ledger", 1), ("Meridian Wire", 1)]
        months = {v["value"]: v["count"] for v in facets["date"]}
        assert months == {"2025-03": 1, "2025-02": 1, "2025-01": 1}
        january = next(v for v in facets["date"] if v["value"] == "2025-01")
        assert (january["from"], january["to"], january["unit"]) == (
            "2025-01-01", "2025-01-31", "month")
        # within January: by day, and the flood story, spanning into February, is there
        days = story_facets(store, StoryFilter(date_from="2025-01-01", date_to="2025-01-31"))
        assert [(v["value"], v["count"], v["unit"]) for v in days["date"]] == [
            ("2025-01-31", 1, "day")]
        articles = article_list(store, article_filter(outlet="meridian wire"), facets=True)
        assert articles["total"] == 2
        assert {v["value"]: v["count"] for v in articles["facets"]["date"]} == {
            "2025-02": 1, "2025-01": 1}
        assert [v["count"] for v in articles["facets"]["outlet"]] == [2]


def test_facets_follow_new_articles(small_db: Path, tmp_path: Path) -> None:
    with Store(small_db) as store:
        before = story_facets(store, StoryFilter(outlet="Harbor Ledger"))
        assert before["outlet"] == [{"value": "Harbor Ledger", "count": 1}]
        more = [{"id": "d", "outlet": "Harbor Ledger", "published": "2025-05-02T09:00:00Z",
                 "title": "Ostby ferry strike ends", "text": "Ferry crews at Ostby ended their "
                 "strike on Friday after the operator agreed to a new rota, the union said."}]
        ingest([_records(tmp_path / "more.jsonl", more)], store, BARE)
        after = story_facets(store, StoryFilter(outlet="Harbor Ledger"))
        assert after["outlet"] == [{"value": "Harbor Ledger", "count": 2}]
        assert {v["value"] for v in after["date"]} == {"2025-03", "2025-05"}


# The filter each facet's value adds, as StoryFilter fields.
_FIELD = {"outlet": "outlet", "language": "language", "entity": "entity",
          "event_type": "event_type"}


def _narrowed(value: dict[str, Any], kind: str) -> dict[str, str]:
    if kind == "date":
        return {"date_from": value["from"], "date_to": value["to"]}
    return {_FIELD[kind]: value["value"]}


@pytest.mark.parametrize("start", [{}, {"query": "river"}, {"date_from": "2025-06-01"}],
                         ids=["all", "query", "dates"])
def test_facets_count_the_list_each_value_leads_to(demo_db: Path, start: dict[str, str]) -> None:
    """On the demo corpus (entities and events found): each value of each facet counts
    exactly the stories the list keeps once its filter is added."""
    with Store(demo_db) as store:
        facets = story_facets(store, StoryFilter(**start))  # type: ignore[arg-type]
        assert all(facets[kind] for kind in ("outlet", "language", "entity", "event_type",
                                             "date")), facets
        for kind, values in facets.items():
            for value in values:
                narrowed = StoryFilter(**{**start, **_narrowed(value, kind)})  # type: ignore[arg-type]
                assert story_list(store, narrowed, limit=0)["total"] == value["count"], (
                    kind, value)


def test_facets_agree_with_the_stories_articles(demo_db: Path) -> None:
    """The outlet, language and event type counts against each story's articles and
    events counted in Python."""
    with Store(demo_db) as store:
        stories = [s.id for s in store.stories(limit=1000)]
        outlets: dict[str, int] = {}
        languages: dict[str, int] = {}
        types: dict[str, int] = {}
        for story_id in stories:
            members = [a for a, _ in store.story_articles(story_id)]
            for name in {a.outlet for a in members if a.outlet}:
                outlets[name] = outlets.get(name, 0) + 1
            for code in {a.language for a in members if a.language}:
                languages[code] = languages.get(code, 0) + 1
            found = store.event_mentions(a.id for a in members)
            for kind in {m.type for ms in found.values() for m in ms}:
                types[kind] = types.get(kind, 0) + 1
        facets = story_facets(store, StoryFilter(), top=100)
    assert {v["value"]: v["count"] for v in facets["outlet"]} == outlets
    assert {v["value"]: v["count"] for v in facets["language"]} == languages
    assert {v["value"]: v["count"] for v in facets["event_type"]} == types
    top = story_facets(Store(demo_db), StoryFilter(), top=3)["event_type"]
    assert [v["count"] for v in top] == sorted(types.values(), reverse=True)[:3]


def test_facets_written_for_stories_loaded_whole(small_db: Path) -> None:
    """Stories loaded without their facet values (as `storylens import` loads tables) get
    them when their entity joins are computed, as refresh_story_views does after an import."""
    with Store(small_db) as store:
        before = story_facets(store, StoryFilter(), top=100)
        with store.transaction() as db:
            db.execute("DELETE FROM story_facet_values")
        store.join_entities([s.id for s in store.stories()])
        rows = store.db.execute("SELECT COUNT(*) FROM story_facet_values").fetchone()[0]
        assert rows > 0
        FACETS._items.clear()  # what was counted before the rows were gone
        assert story_facets(store, StoryFilter(), top=100) == before
