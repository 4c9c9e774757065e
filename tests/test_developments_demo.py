"""Issue 20, acceptance 2: the demo's flood story ingested day by day, as a newsroom would
(the demo's earlier stories first, then one ingest per publication day of the flood), lists
as its developments since the first day the facts the later articles add (the named victim,
the relief funds) and nothing an earlier article already reported; they are computed at
ingest with the stored view (acceptance 5), and `story ID --since` prints them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO

from storylens import Options, Store, ingest
from storylens.compare.developments import atoms
from storylens.read.since import developments_since, published_moment
from storylens.read.stored import decode_view
from storylens.read.views import VIEW_FORMAT

FLOOD = "lowen_river_flood"
# What the later articles add (Northfield Courier, 4 November) ...
VICTIM = "named the man who died"
RELIEF = "disaster relief funds"
# ... and what they repeat of the first day's wire story, in other words.
RESTATED = (
    "about 1,400 people were evacuated",
    "The barriers did their job",
    "repeated her warning",
)


@pytest.fixture(scope="module")
def flood(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Any]]:
    """A database of the demo ingested day by day, the flood story's id, and its view as
    the ingest stored it."""
    manifest = json.loads((DEMO / "events.json").read_text(encoding="utf-8"))
    days: dict[str, list[Path]] = defaultdict(list)
    for entry in manifest:
        if entry["event"] == FLOOD:
            days[entry["published"]].append(DEMO / entry["file"])
    assert len(days) == 2
    earlier = [p for p in sorted((DEMO / "articles").iterdir()) if not p.name.startswith(FLOOD)]
    path = tmp_path_factory.mktemp("flood") / "flood.db"
    with Store(path) as store:
        for paths in [earlier, *(days[day] for day in sorted(days))]:
            summary = ingest(paths, store, Options())
            assert summary.rejected == 0, summary.rejects
        story_ids = {
            s.id for s in store.stories(limit=100)
            for a, _ in store.story_articles(s.id) if Path(a.source).name.startswith(FLOOD)
        }
        members = store.story_articles(next(iter(story_ids)))
        assert len(members) == 4, "the four flood articles make one story"
        assert len(story_ids) == 1, "the four flood articles make one story"
        story_id = story_ids.pop()
        _, stored = store.stored_story_view(story_id, VIEW_FORMAT)
    assert stored is not None, "the view, developments included, is stored by the ingest"
    return path, story_id, json.loads(decode_view(stored))


def _texts(view: dict[str, Any]) -> list[str]:
    return [s["text"] for d in view["developments"] for s in d["sentences"]]


def test_developments_since_the_first_day_give_the_victim_and_the_relief_funds(
    flood: tuple[Path, str, dict[str, Any]],
) -> None:
    _, _, view = flood
    since = developments_since(view, "2025-11-03")
    texts = _texts(since)
    assert any(VICTIM in t and "Cyril Abernethy" in t for t in texts)
    assert any(RELIEF in t for t in texts)
    for restated in RESTATED:
        assert not any(restated in t for t in texts), restated
    outlets = {d["outlet"] for d in since["developments"]}
    assert outlets == {"Northfield Courier"}, "the wire copies and the first day add nothing"
    assert developments_since(view, "2025-11-05")["developments"] == []


def test_no_development_was_already_reported(flood: tuple[Path, str, dict[str, Any]]) -> None:
    """A new sentence's fact has no sentence in an earlier article; an update restates one
    but gives names or figures no earlier article has."""
    _, _, view = flood
    when = {a["id"]: published_moment(a["published_at"]) for a in view["articles"]}
    fact_of = {
        (s["article_id"], s["index"]): fact for fact in view["facts"] for s in fact["sentences"]
    }
    for item in view["developments"]:
        moment = when[item["article_id"]]
        assert moment is not None
        earlier = [a for a in view["articles"] if (when[a["id"]] or 0) < moment]
        seen = set().union(*(atoms(f"{a['title'] or ''}\n{a['text']}") for a in earlier))
        for sentence in item["sentences"]:
            fact = fact_of[(item["article_id"], sentence["index"])]
            before = [s for s in fact["sentences"] if (when[s["article_id"]] or 0) < moment]
            if sentence["kind"] == "new":
                assert before == [], sentence["text"]
            else:
                assert sentence["kind"] == "update" and sentence["adds"], sentence["text"]
                assert not any(atoms(word) & seen for word in sentence["adds"])
    victim = [s for d in view["developments"] for s in d["sentences"] if VICTIM in s["text"]]
    assert victim[0]["kind"] == "update" and {"Cyril", "Abernethy"} <= set(victim[0]["adds"])


def test_story_since_on_the_command_line(flood: tuple[Path, str, dict[str, Any]]) -> None:
    path, story_id, _ = flood

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "storylens", "story", story_id, "--db", str(path), *args],
            capture_output=True, text=True, timeout=300,
        )

    text = run("--since", "2025-11-03")
    assert text.returncode == 0, text.stderr
    assert "since 2025-11-03, from 1 article" in text.stdout
    assert "Cyril Abernethy" in text.stdout and RELIEF in text.stdout
    assert "repeated her warning" not in text.stdout
    as_json = json.loads(run("--since", "2025-11-04T08:00:00Z", "--json").stdout)
    assert as_json["since"] == "2025-11-04 08:00 UTC" and as_json["developments"] == []
    bad = run("--since", "last week")
    assert bad.returncode == 2 and "since must be a date" in bad.stderr
