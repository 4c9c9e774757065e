"""The first real input: two reports of 10 Jan 2003 on one event (read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, shared_path

BOILERPLATE = [
    "Sign up for Daily Newsletters",
    "Copyright ©",
    "Comment Policy",
    "Click to Read More",
    "Click to Hide",
    "Click here for reprint permission",
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    seeds = shared_path("seeds")
    cli = Cli(tmp_path_factory.mktemp("seeds") / "seeds.db")
    done = cli("ingest", str(seeds))
    assert done.returncode == 0, done.stderr
    return cli, seeds


@pytest.fixture(scope="module")
def story(seeded: tuple[Cli, Path]) -> dict:
    cli, _ = seeded
    stories = cli.json("stories")
    assert isinstance(stories, list)
    assert len(stories) == 1
    found = cli.json("story", stories[0]["id"])
    assert isinstance(found, dict)
    return found


def test_seeds_form_one_story_with_both_articles(story: dict) -> None:
    assert story["article_count"] == 2
    assert len(story["articles"]) == 2


def test_seeds_both_dated_2003_01_10(story: dict) -> None:
    assert [a["published"] for a in story["articles"]] == ["2003-01-10", "2003-01-10"]


def test_seeds_washington_times_outlet_wire_and_place(story: dict) -> None:
    first = next(a for a in story["articles"] if "UPI" in a["text"])
    assert first["outlet"] == "The Washington Times"
    assert first["wire"] == "UPI"
    assert first["place"] == "Moscow"


def test_seeds_second_outlet_not_invented(story: dict) -> None:
    second = next(a for a in story["articles"] if "UPI" not in a["text"])
    assert second["outlet"] is None
    assert second["title"] == "Russia Expresses Deep Concern over DPRK's Withdrawal from NPT"


def test_seeds_boilerplate_removed(story: dict) -> None:
    for article in story["articles"]:
        for line in BOILERPLATE:
            assert line not in article["text"]
        assert "The Washington Times -" not in article["text"]
        assert "Last updated at" not in article["text"]


def test_seeds_repeated_lead_kept_once(story: dict) -> None:
    second = next(a for a in story["articles"] if "UPI" not in a["text"])
    lead = second["text"].split("\n\n")[0]
    assert len(lead.split()) > 20
    assert second["text"].count(lead) == 1


def test_seeds_ingesting_again_adds_nothing(seeded: tuple[Cli, Path], story: dict) -> None:
    cli, seeds = seeded
    again = cli.json("ingest", str(seeds))
    assert isinstance(again, dict)
    assert again["stored"] == 0
    assert again["duplicates"] == 2
    assert len(cli.json("stories")) == 1  # type: ignore[arg-type]
