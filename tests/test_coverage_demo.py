"""Coverage on the demo corpus (issue 20, acceptance 3): the database ``storylens demo``
builds, its matrix and blindspots checked against what the demo's manifest
(storylens/demo/events.json: the event, outlet and wire origin of each article) implies.

An article the manifest gives no outlet is counted as storylens counts it: by its URL's site
when it has a URL, else as an article with no outlet named (no outlet of the matrix)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO, Cli

from storylens.clean.header import site_of
from storylens.model import StoryFilter
from storylens.read.coverage import CoverageLimits, coverage
from storylens.store import Store

Manifest = list[dict[str, Any]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, as ``storylens demo --db FILE`` builds it."""
    db = tmp_path_factory.mktemp("coverage") / "demo.db"
    done = Cli(db)("demo")
    assert done.returncode == 0, done.stderr
    return db


def _manifest() -> Manifest:
    manifest: Manifest = json.loads((DEMO / "events.json").read_text(encoding="utf-8"))
    return manifest


def _entry_key(source: str) -> tuple[str, int | None]:
    """A stored article's source as the manifest names it: its file under demo/ and, for a
    feed's item or a JSON Lines record, its index from 0."""
    path, _, part = source.partition("#")
    name = "articles/" + Path(path).name
    if not part:
        return name, None
    return name, int(part.removeprefix("line").removeprefix("item")) - 1


def _stored(db: Path) -> dict[tuple[str, int | None], tuple[str, str | None]]:
    """Each stored article, by its manifest key: its story and URL."""
    with Store(db, create=False) as store:
        rows = store.db.execute(
            "SELECT a.source, a.url, m.story_id FROM articles a "
            "JOIN story_members m ON m.article_id = a.id"
        ).fetchall()
    return {_entry_key(r["source"]): (r["story_id"], r["url"]) for r in rows}


def _expected(db: Path) -> dict[str, dict[str, Any]]:
    """Per story (found through its articles), what the manifest says: its event, its
    articles per outlet, wire copies per outlet, and its articles with no outlet named."""
    stored = _stored(db)
    found: dict[str, dict[str, Any]] = {}
    for entry in _manifest():
        story_id, url = stored[(entry["file"], entry["item"])]
        story = found.setdefault(story_id, {"events": set(), "outlets": Counter(),
                                            "copies": Counter(), "unnamed": 0})
        story["events"].add(entry["event"])
        outlet = entry["outlet"] or site_of(url)
        if outlet is None:
            story["unnamed"] += 1
            continue
        story["outlets"][outlet] += 1
        if entry["wire_copy_of"]:
            story["copies"][outlet] += 1
    for story in found.values():
        assert len(story["events"]) == 1  # the demo's stories are its events
    return found


def _cells(view: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The matrix's non-empty cells, story by story: outlet -> articles."""
    names = [o["name"] for o in view["outlets"]]
    return {
        s["id"]: {names[i]: n for i, n in enumerate(s["counts"]) if n} for s in view["stories"]
    }


def test_coverage_demo_matrix_equals_the_manifest(demo: Path) -> None:
    expected = _expected(demo)
    with Store(demo, create=False) as store:
        view = coverage(store, StoryFilter(), CoverageLimits(min_outlets=3))
    assert view["stories_total"] == len(expected) == 6
    assert _cells(view) == {i: dict(e["outlets"]) for i, e in expected.items()}
    names = [o["name"] for o in view["outlets"]]
    for story in view["stories"]:
        wanted = expected[story["id"]]
        assert story["unnamed_articles"] == wanted["unnamed"]
        assert story["articles"] == sum(wanted["outlets"].values()) + wanted["unnamed"]
        assert story["outlet_count"] == len(wanted["outlets"])
        assert story["other_outlets"] == 0  # the demo's 10 outlets all fit
        copies = {names[i]: n for i, n in enumerate(story["copies"]) if n}
        assert copies == dict(wanted["copies"])
    # the lowen river flood: two outlets printed Meridian Wire's copy, each counted for them
    assert sum(sum(s["copies"]) for s in view["stories"]) == 2
    # biggest stories first; outlets covering the most stories first
    assert [s["articles"] for s in view["stories"]] == sorted(
        (s["articles"] for s in view["stories"]), reverse=True
    )
    per_outlet = Counter(o for e in expected.values() for o in e["outlets"])
    assert {o["name"]: o["stories"] for o in view["outlets"]} == dict(per_outlet)
    assert [o["stories"] for o in view["outlets"]] == sorted(per_outlet.values(), reverse=True)


@pytest.mark.parametrize("min_outlets", [2, 3, 4])
def test_coverage_demo_blindspots_follow_the_manifest(demo: Path, min_outlets: int) -> None:
    expected = _expected(demo)
    with Store(demo, create=False) as store:
        view = coverage(store, StoryFilter(), CoverageLimits(min_outlets=min_outlets))
    for outlet in view["outlets"]:
        wanted = {
            story_id for story_id, e in expected.items()
            if outlet["name"] not in e["outlets"] and len(e["outlets"]) >= min_outlets
        }
        assert {b["id"] for b in outlet["blindspots"]} == wanted, outlet["name"]
        assert outlet["blindspot_count"] == len(wanted)
    if min_outlets == 3:  # as the manifest reads, for one outlet
        wire = next(o for o in view["outlets"] if o["name"] == "Meridian Wire")
        events = {e["event"] for e in _manifest() if e["outlet"] == "Meridian Wire"}
        assert events == {"portugal_brazil_talks", "wyndleford_fire", "lowen_river_flood"}
        # missed: the Kestrelton fire (3 outlets) and the Brightwell recall (3 named ones);
        # the Halden ruling had only 2 named outlets
        assert len(wire["blindspots"]) == 2


def test_coverage_demo_filters_choose_the_stories(demo: Path) -> None:
    expected = _expected(demo)
    with Store(demo, create=False) as store:
        by_outlet = coverage(store, StoryFilter(outlet="meridian wire"))
        by_dates = coverage(store, StoryFilter(date_from="2025-06-01", date_to="2025-09-30"))
        few = coverage(store, StoryFilter(), CoverageLimits(stories=2, outlets=3))
    wire = {i for i, e in expected.items() if "Meridian Wire" in e["outlets"]}
    assert {s["id"] for s in by_outlet["stories"]} == wire
    wire_column = next(o for o in by_outlet["outlets"] if o["name"] == "Meridian Wire")
    assert wire_column["stories"] == len(wire) and wire_column["blindspot_count"] == 0
    # the Brightwell recall (June), Wyndleford fire (July), Halden ruling (September)
    assert by_dates["stories_total"] == 3
    assert few["stories_total"] == 6 and len(few["stories"]) == 2
    assert len(few["outlets"]) == 3 and few["outlets_total"] > 3
    biggest = max(sum(e["outlets"].values()) + e["unnamed"] for e in expected.values())
    assert [s["articles"] for s in few["stories"]] == [biggest, biggest]
