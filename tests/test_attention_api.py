"""Attention over time served (storylens/web/attention_page.py) and on the command line
(storylens/cli/attention.py), on the demo database: /api/attention, /attention.csv, the
/attention page, the story and entity pages' charts, and ``storylens attention`` giving the
same counts; errors in the API's one shape."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.cli.app import app
from storylens.errors import UsageError
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(db=demo_db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def story_ids(client: TestClient) -> dict[str, str]:
    """Story id by the first words of its title."""
    stories = client.get("/api/stories", params={"limit": 100}).json()["stories"]
    return {" ".join(s["title"].split()[:2]): s["id"] for s in stories}


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["status"] == status
    return str(body["error"]["message"])


def test_attention_api_counts_a_story_as_its_view_does(
    client: TestClient, story_ids: dict[str, str]
) -> None:
    story = story_ids["One dead"]
    found = client.get("/api/attention", params={"story": story}).json()
    assert found == client.get(f"/api/stories/{story}").json()["attention"]
    assert found["kind"] == "story" and found["unit"] == "day"
    assert found["periods"] == ["2025-11-03", "2025-11-04"]
    assert found["totals"] == [2, 2] and found["total"] == 4 and found["undated"] == 0
    assert [s["outlet"] for s in found["series"]] == [
        "Meridian Wire", "Northfield Courier", "The Harbor Ledger", "Valley Post Online"]
    fewer = client.get("/api/attention", params={"story": story, "outlets": 1}).json()
    assert [(s["outlet"], s["kind"]) for s in fewer["series"]] == [
        ("Meridian Wire", "outlet"), ("Other outlets", "other")]
    assert fewer["series"][1]["outlets"] == 3 and fewer["totals"] == found["totals"]
    timed = client.get("/api/attention", params={"story": story_ids["Coroner names"]}).json()
    assert timed["unit"] == "hour" and len(timed["periods"]) == 21 and timed["total"] == 3


def test_attention_api_entity_outlet_and_search(client: TestClient) -> None:
    entity = client.get("/api/attention", params={"entity": "brazil"}).json()
    assert entity["kind"] == "entity" and entity["label"] == "Brazil"
    assert entity["value"] == client.get("/api/entities/Brazil").json()["id"]
    assert entity["total"] == 4
    outlet = client.get("/api/attention", params={"outlet": "meridian wire"}).json()
    assert outlet["unit"] == "day" and outlet["total"] == 3
    assert len(outlet["periods"]) == 245  # 4 March to 3 November, every day
    assert outlet["periods"][0] == "2025-03-04" and outlet["periods"][-1] == "2025-11-03"
    assert sum(1 for t in outlet["totals"] if t) == 3
    search = client.get("/api/attention", params={"q": "minister"}).json()
    assert search["total"] == len(client.get("/api/search", params={"q": "minister"}).json()[
        "articles"])


def test_attention_api_errors(client: TestClient) -> None:
    assert "exactly one of q, entity, outlet, story (none given)" in _error(
        client.get("/api/attention"), 400)
    assert "q and outlet given" in _error(
        client.get("/api/attention", params={"q": "a", "outlet": "b"}), 400)
    assert "no story" in _error(client.get("/api/attention", params={"story": "nope"}), 404)
    assert "bad search query" in _error(
        client.get("/api/attention", params={"q": "AND OR", "advanced": "true"}), 400)
    _error(client.get("/api/attention", params={"q": "a", "outlets": 0}), 422)
    assert client.get("/attention.csv").status_code == 400
    assert client.get("/attention", params={"story": "nope"}).status_code == 404


def test_attention_csv_download(client: TestClient) -> None:
    response = client.get("/attention.csv", params={"entity": "Brazil"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="attention-entity-47e558fe58c264a9-per-day.csv"')
    rows = list(csv.reader(io.StringIO(response.text)))
    view = client.get("/api/attention", params={"entity": "Brazil"}).json()
    assert rows[0] == ["day", *(s["outlet"] for s in view["series"]), "total"]
    assert [r[0] for r in rows[1:]] == view["periods"]
    assert [int(r[-1]) for r in rows[1:]] == view["totals"]
    for column, series in enumerate(view["series"], start=1):
        assert [int(r[column]) for r in rows[1:]] == series["counts"]


def test_attention_pages(client: TestClient, story_ids: dict[str, str]) -> None:
    empty = client.get("/attention")
    assert empty.status_code == 200 and "<svg" not in empty.text
    assert 'name="q"' in empty.text and 'aria-current="page">Attention' in empty.text
    page = client.get("/attention", params={"outlet": "Meridian Wire"}).text
    assert page.count('class="chart"') == 1 and "<details" in page
    assert 'href="/attention.csv?outlet=Meridian+Wire"' in page
    assert "the 242 days with none are left out here" in page
    bad = client.get("/attention", params={"q": "x", "entity": "y"})
    assert bad.status_code == 400 and "exactly one of" in bad.text
    story = client.get(f"/stories/{story_ids['One dead']}").text
    assert story.index('id="attention"') < story.index('id="outlets"')
    assert f'href="/attention.csv?story={story_ids["One dead"]}"' in story
    entity = client.get("/entities/Brazil").text
    assert 'id="attention"' in entity and 'class="entity-timeline"' in entity
    assert '<time datetime="2025-03-04">' in entity


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_attention_cli_gives_the_same_counts(
    client: TestClient, demo_db: Path, story_ids: dict[str, str]
) -> None:
    story = story_ids["One dead"]
    printed = json.loads(_run("attention", "--story", story, "--json", "--db", str(demo_db)))
    assert printed == client.get("/api/attention", params={"story": story}).json()
    as_csv = _run("attention", "--entity", "Brazil", "--csv", "--db", str(demo_db))
    assert as_csv == client.get("/attention.csv", params={"entity": "Brazil"}).text
    table = _run("attention", "--outlet", "Meridian Wire", "--db", str(demo_db))
    lines = table.splitlines()
    assert lines[0] == "articles per day (UTC) about the outlet Meridian Wire: 3"
    assert [line.split()[0] for line in lines[2:5]] == ["2025-03-04", "2025-07-22", "2025-11-03"]
    assert lines[-1] == "(242 days with no article left out; --csv lists every one)"
    result = CliRunner().invoke(app, ["attention", "--db", str(demo_db)])
    assert isinstance(result.exception, UsageError)  # main() prints it, exit status 2
    assert result.exception.exit_status == 2 and "none given" in str(result.exception)
