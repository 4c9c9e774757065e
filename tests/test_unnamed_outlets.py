"""A story whose articles name no outlet and have no URL (issue 18: it said "0 outlets" beside
"77 sentences shared by two or more outlets"): every count of its outlets says that none is
named, and its comparison, which counts each such article as an outlet of its own, speaks of
articles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli
from fastapi.testclient import TestClient

from storylens import Options, Store, ingest
from storylens.read.report import render_report
from storylens.read.storypage import story_page_parts
from storylens.read.views import story_list, story_view
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

SHARED = (
    "The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier before the "
    "spring fishing season.\n\n"
    "Board chair Hettie Marlowe said the work would cost about $3.4 million, most of it from "
    "a state coastal grant awarded in January.\n\n"
)
OWN = [
    "Fishermen on the north side of the harbor said they had lost months of work while the "
    "pier stood closed. One captain, Ansel Wray, moved his boat to a mooring in Tillby and "
    "drives forty minutes each morning to reach it. The co-operative that buys most of the "
    "catch said landings at Orvelle fell by a third last year. Its manager said buyers had "
    "begun to ask whether the town still wanted a fishing fleet at all.",
    "Two board members who voted against the plan said the town should have replaced the "
    "pier a decade ago, when the grant rules were kinder. Councillor Bryony Feld said the "
    "repairs made since then had cost almost as much as a new structure. She asked the board "
    "to publish every inspection report written since 2015. The board agreed to put them on "
    "its website by the end of the month.",
    "Engineers from the firm Caddow and Pine will begin driving the new steel pilings in the "
    "first week of March, weather allowing. The company built the ferry terminal at Marrow "
    "Point in 2019 and finished that job two months early. Its site manager said the pier "
    "would be open to foot traffic by late May. Heavy lorries would have to wait until the "
    "deck is surfaced in the summer.",
]


def _records(path: Path, outlets: list[str | None]) -> Path:
    rows = []
    for number, (own, outlet) in enumerate(zip(OWN, outlets, strict=True)):
        row = {"id": f"pier-{number}", "title": "Harbor board votes to rebuild the north pier",
               "text": SHARED + own, "published": "2025-03-04"}
        if outlet:
            row["outlet"] = outlet
        rows.append(row)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _database(folder: Path, outlets: list[str | None]) -> tuple[Path, str]:
    database = folder / "pier.db"
    with Store(database) as store:
        summary = ingest([_records(folder / "pier.jsonl", outlets)], store, Options())
        assert summary.rejected == 0, summary.rejects
        (story,) = store.stories()
    assert story.article_count == 3
    return database, story.id


@pytest.fixture(scope="module")
def unnamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A story of three articles that name no outlet and have no URL."""
    return _database(tmp_path_factory.mktemp("unnamed"), [None, None, None])


@pytest.fixture(scope="module")
def client(unnamed: tuple[Path, str]) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(unnamed[0]))) as test_client:
        yield test_client


def test_unnamed_outlets_story_summary_counts_articles_that_name_no_outlet(
    unnamed: tuple[Path, str],
) -> None:
    database, story_id = unnamed
    with Store(database, create=False) as store:
        story = store.story(story_id)
        view = story_view(store, story_id)
        listed = story_list(store)["stories"]
    assert story.outlets == [] and story.unnamed_articles == 3
    assert view["outlets"] == [] and view["unnamed_articles"] == 3
    assert [(s["outlet_count"], s["unnamed_articles"]) for s in listed] == [(0, 3)]
    assert any(fact["shared"] for fact in view["facts"])  # the comparison found shared facts


def test_unnamed_outlets_story_page_says_no_outlet_is_named_and_compares_articles(
    unnamed: tuple[Path, str], client: TestClient
) -> None:
    database, story_id = unnamed
    with Store(database, create=False) as store:
        stored = story_page_parts(story_view(store, story_id))["content"]
    served = client.get(f"/stories/{story_id}").text
    for page in (stored, served):
        assert "0 outlets" not in page
        assert "no outlet named" in page
        assert "two or more outlets" not in page
        assert "shared by two or more articles" in page
        assert "in one article only" in page
        assert "One outlet only: nothing to compare" not in page


def test_unnamed_outlets_story_list_page_and_api_agree(client: TestClient) -> None:
    page = client.get("/").text
    assert "0 outlets" not in page
    assert "no outlet named" in page
    (item,) = client.get("/api/stories").json()["stories"]
    assert (item["outlets"], item["outlet_count"], item["unnamed_articles"]) == ([], 0, 3)


def test_unnamed_outlets_report_says_no_outlet_is_named(unnamed: tuple[Path, str]) -> None:
    database, story_id = unnamed
    with Store(database, create=False) as store:
        report = render_report(story_view(store, story_id), "2025-03-05")
    assert "0 outlets" not in report
    assert "no outlet named" in report
    assert "Reported by 3 articles" in report
    assert "Reported by 3 outlets" not in report


def test_unnamed_outlets_cli_story_and_stories_say_no_outlet_is_named(
    unnamed: tuple[Path, str],
) -> None:
    database, story_id = unnamed
    cli = Cli(database)
    shown = cli("story", story_id)
    assert shown.returncode == 0, shown.stderr
    assert "3 articles, no outlet named," in shown.stdout
    listed = cli("stories", "--format", "tsv")
    assert listed.returncode == 0, listed.stderr
    assert "\t3 not named\t" in listed.stdout
    for args in (("stories",), ("stories", "--sort", "size")):
        (item,) = cli.json(*args)  # type: ignore[misc]
        assert (item["outlets"], item["unnamed_articles"]) == ([], 3)


def test_unnamed_outlets_story_with_some_named_counts_both(tmp_path: Path) -> None:
    database, story_id = _database(tmp_path, ["The Orvelle Tide", None, None])
    with Store(database, create=False) as store:
        view = story_view(store, story_id)
    assert (view["outlets"], view["unnamed_articles"]) == (["The Orvelle Tide"], 2)
    content = story_page_parts(view)["content"]
    assert "1 outlet, 2 articles with no outlet named" in content
    assert "shared by two or more outlets (an article with no outlet named counts" in content
    shown = Cli(database)("story", story_id)
    assert "outlets: The Orvelle Tide, 2 articles with no outlet named," in shown.stdout
