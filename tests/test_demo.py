"""The demo corpus shipped in the package: its manifest is the ground truth."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import DEMO

from storylens import Options, Store, ingest
from storylens.read.views import story_view


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    summary = ingest([DEMO / "articles"], store, Options())
    assert summary.rejected == 0, summary.rejects
    return store


def _members(store: Store) -> dict[str, dict]:
    """Every stored article keyed by its demo-relative source, with its story and flags."""
    rows = store.db.execute(
        "SELECT a.source, a.outlet, a.published, a.place, a.wire, a.title, m.story_id, "
        "m.wire_copy_of, (SELECT source FROM articles WHERE id = m.wire_copy_of) AS copy_source "
        "FROM articles a JOIN story_members m ON m.article_id = a.id"
    )
    found = {}
    for row in rows:
        source = str(Path(row["source"]).relative_to(DEMO))
        found[source] = dict(row)
    return found


def _key(entry: dict) -> str:
    item = entry.get("item")
    if item is None:
        return str(entry["file"])
    suffix = "#line" if str(entry["file"]).endswith(".jsonl") else "#item"
    return f"{entry['file']}{suffix}{int(item) + 1}"


def test_demo_every_article_stored(demo_store: Store, demo_manifest: list[dict]) -> None:
    assert set(_members(demo_store)) == {_key(e) for e in demo_manifest}


def test_demo_each_event_is_one_story(demo_store: Store, demo_manifest: list[dict]) -> None:
    members = _members(demo_store)
    stories_by_event: dict[str, set[str]] = defaultdict(set)
    for entry in demo_manifest:
        stories_by_event[str(entry["event"])].add(members[_key(entry)]["story_id"])
    assert all(len(ids) == 1 for ids in stories_by_event.values()), stories_by_event
    distinct = {next(iter(ids)) for ids in stories_by_event.values()}
    assert len(distinct) == len(stories_by_event)


@pytest.mark.parametrize("field", ["outlet", "published", "title"])
def test_demo_metadata_matches_manifest(
    demo_store: Store, demo_manifest: list[dict], field: str
) -> None:
    members = _members(demo_store)
    for entry in demo_manifest:
        got = members[_key(entry)][field]
        if field == "published" and got:
            got = got[:10]
        assert got == entry[field], (_key(entry), field)


def test_demo_dateline_places_and_wires(demo_store: Store, demo_manifest: list[dict]) -> None:
    members = _members(demo_store)
    for entry in demo_manifest:
        place = entry["dateline_place"]
        got = members[_key(entry)]
        expected = None
        if place:
            head, _, tail = str(place).partition(",")
            expected = (head.title() if head.isupper() else head) + ("," + tail if tail else "")
        assert got["place"] == expected, _key(entry)
        assert got["wire"] == entry["wire"], _key(entry)


def test_demo_wire_copies_marked(demo_store: Store, demo_manifest: list[dict]) -> None:
    members = _members(demo_store)
    for entry in demo_manifest:
        copy_source = members[_key(entry)]["copy_source"]
        expected = entry["wire_copy_of"]
        got = str(Path(copy_source).relative_to(DEMO)) if copy_source else None
        assert got == expected, _key(entry)


def test_demo_one_outlet_alters_one_quote_and_shortens_another(
    demo_store: Store, demo_manifest: list[dict]
) -> None:
    """Extraction and comparison, run at ingest, find in the Lisbon story a statement that
    Eastgate Times alters and another that it shortens, each quoted in full by Meridian Wire
    (see "One outlet alters one statement and shortens another" in demo/README.md)."""
    members = _members(demo_store)
    entries = {e["file"]: e for e in demo_manifest if e["event"] == "portugal_brazil_talks"}
    full = entries["articles/portugal_brazil_talks_meridian-wire.txt"]["outlet"]
    changed = entries["articles/portugal_brazil_talks_eastgate-times.txt"]["outlet"]
    (story_id,) = {members[_key(e)]["story_id"] for e in entries.values()}

    quotes = story_view(demo_store, story_id)["quotes"]

    def fidelity(quote: dict, outlet: object) -> str | None:
        return next((r["fidelity"] for r in quote["renditions"] if r["outlet"] == outlet), None)

    def find(kind: str) -> dict:
        found = [
            q for q in quotes
            if fidelity(q, changed) == kind and fidelity(q, full) == "verbatim"
        ]
        assert len(found) == 1, (kind, quotes)
        return found[0]

    altered, shortened = find("altered"), find("shortened")
    assert altered is not shortened
    assert "Valadão" in str(altered["speaker"])
    assert "Campelo" in str(shortened["speaker"])
    for quote, kept_all in ((altered, False), (shortened, True)):
        rendition = next(r for r in quote["renditions"] if r["outlet"] == changed)
        ops = {d["op"] for d in rendition["diff"]}
        # shortened: words left out only; altered: words replaced or added
        assert (ops <= {"equal", "delete"} and "delete" in ops) is kept_all, rendition["diff"]
