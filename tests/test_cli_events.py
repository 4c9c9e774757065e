"""The entity and event commands: entities, entity, events, and the story view and report
that now carry them, on a database written by hand through the real store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from eventdata import build_demo_store
from typer.testing import CliRunner

from storylens.cli.app import app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("events") / "t.db")


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(db: Path, *args: str) -> Any:
    return json.loads(run(db, *args, "--json"))


def test_cli_entities_table_has_names_and_counts(db: Path) -> None:
    lines = run(db, "entities").splitlines()
    assert lines[0].split() == ["id", "name", "kind", "code", "sector", "articles", "mentions"]
    assert lines[1].split() == ["e-japan", "Japan", "place", "JPN", "-", "4", "4"]


def test_cli_entities_json_search_and_limit(db: Path) -> None:
    found = run_json(db, "entities", "--search", "korea", "--limit", "5")
    assert [e["name"] for e in found] == ["North Korea"]
    assert set(found[0]) == {
        "id", "name", "kind", "code", "sector", "titles", "aliases", "mentions", "articles"
    }  # fmt: skip


def test_cli_entity_json_lists_stories_over_time(db: Path) -> None:
    view = run_json(db, "entity", "Pyongyang")
    assert view["id"] == "e-nk"
    assert [(s["id"], s["first_published"], s["articles_mentioning"]) for s in view["stories"]] == [
        ("s-talks", "2024-03-01", 3),
        ("s-launch", "2024-03-08", 1),
    ]


def test_cli_entity_json_lists_events_it_is_party_to(db: Path) -> None:
    view = run_json(db, "entity", "north korea")
    assert [(e["date"], e["type"], e["role"]) for e in view["events"]] == [
        ("2024-03-01", "CONSULT", "target"),
        ("2024-03-08", "DISAPPROVE", "target"),
    ]


def test_cli_entity_found_as_source_of_any_report(db: Path) -> None:
    view = run_json(db, "entity", "e-koizumi")
    assert [(e["type"], e["role"]) for e in view["events"]] == [("CONSULT", "source")]


def test_cli_entity_text_shows_stories_and_events(db: Path) -> None:
    text = run(db, "entity", "Japan")
    assert "Japan (place, JPN)" in text
    assert "s-talks" in text
    assert "CONSULT  Japan -> North Korea  (3 articles; source)" in text


def test_cli_entity_unknown_exit_4_one_line(db: Path) -> None:
    done = Cli(db)("entity", "Atlantis")
    assert done.returncode == 4
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Atlantis" in done.stderr


def test_cli_events_json_counted_once(db: Path) -> None:
    events = run_json(db, "events")
    assert [(e["type"], e["num_articles"], e["num_outlets"]) for e in events] == [
        ("CONSULT", 3, 2),
        ("DISAPPROVE", 1, 1),
    ]
    first = events[0]
    assert first["source"][0] == {
        "name": "Japan", "code": "JPN", "sector": "GOV", "entity_id": "e-japan", "text": "Japan"
    }  # fmt: skip
    assert [m["outlet"] for m in first["mentions"]] == ["Daily Planet", "Gazette", "Courier"]
    assert first["mentions"][0]["trigger_span"] == [6, 11]


def test_cli_events_story_option(db: Path) -> None:
    events = run_json(db, "events", "--story", "s-launch")
    assert [e["type"] for e in events] == ["DISAPPROVE"]


def test_cli_events_unknown_story_exit_4(db: Path) -> None:
    done = Cli(db)("events", "--story", "nope")
    assert done.returncode == 4
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_events_table(db: Path) -> None:
    lines = run(db, "events").splitlines()
    assert lines[0].split() == [
        "date", "story", "type", "mode", "source", "target", "articles", "outlets"
    ]  # fmt: skip
    assert lines[1].split() == [
        "2024-03-01", "s-talks", "CONSULT", "talks", "Japan", "North", "Korea", "3", "2"
    ]  # fmt: skip


def test_cli_story_json_has_entities_and_events(db: Path) -> None:
    story = run_json(db, "story", "s-talks")
    assert [(e["name"], e["mentions"]) for e in story["entities"]] == [
        ("Japan", 3),
        ("North Korea", 3),
        ("Junichiro Koizumi", 2),
    ]
    assert [(e["type"], e["num_outlets"]) for e in story["events"]] == [("CONSULT", 2)]


def test_cli_report_shows_events_and_entities(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run(db, "report", "s-talks", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert 'id="events"' in html and "CONSULT" in html
    assert 'id="entities"' in html and "Junichiro Koizumi" in html
