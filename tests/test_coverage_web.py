"""Coverage served (web/coverage_page.py, cli/coverage.py) over the demo database: the JSON of
``/api/coverage`` with its filters, limits and errors, the CSV (``/coverage.csv``,
``?format=csv``), the page with its links from the story list and the alerts, an alert's
stories, and ``storylens coverage`` printing the same JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, copy_database
from fastapi.testclient import TestClient

from storylens import Options, Store, ingest
from storylens.model import StoryFilter
from storylens.read.coverage import CoverageLimits, coverage
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database with an alert on the fires."""
    copied = copy_database(demo_db, tmp_path_factory.mktemp("coverage-web") / "demo.db")
    with Store(copied) as store:
        store.add_alert("fires", query="plant fire")
    return copied


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(db=db))) as test_client:
        yield test_client


def _json(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_coverage_api_is_the_matrix_of_the_filters(client: TestClient, db: Path) -> None:
    view = _json(client, "/api/coverage")
    with Store(db, create=False) as store:
        assert view == coverage(store, StoryFilter())
        fires = coverage(store, StoryFilter(query="fire"), CoverageLimits(2, 3, 2))
    assert view["stories_total"] == 6 and len(view["outlets"]) == 10
    assert _json(client, "/api/coverage?q=fire&stories=2&outlets=3&min_outlets=2") == fires
    assert len(fires["stories"]) == 2 and len(fires["outlets"]) == 3
    wire = _json(client, "/api/coverage?outlet=meridian%20wire")
    assert wire["stories_total"] == 3
    dated = _json(client, "/api/coverage?from=2025-11-01&to=2025-11-30")
    assert [s["title"][:9] for s in dated["stories"]] == ["One dead "]


def test_coverage_api_errors(client: TestClient) -> None:
    for url, status in (
        ("/api/coverage?stories=0", 422), ("/api/coverage?outlets=201", 422),
        ("/api/coverage?min_outlets=0", 422), ("/api/coverage?from=2025-13-01", 400),
        ("/api/coverage?alert=nope", 404), ("/api/coverage?entity=Nobody%20At%20All", 404),
        ("/api/coverage?alert=fires&q=fire", 400),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert response.json()["error"]["status"] == status


def test_coverage_of_an_alert_is_the_matrix_of_its_query(client: TestClient) -> None:
    by_alert = _json(client, "/api/coverage?alert=fires")
    assert by_alert == _json(client, "/api/coverage?q=plant%20fire")
    assert by_alert["stories_total"] == 2  # the Kestrelton and Wyndleford plant fires
    dated = _json(client, "/api/coverage?alert=fires&from=2025-07-01")
    assert dated["stories_total"] == 1


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_coverage_csv_is_the_matrix(client: TestClient) -> None:
    view = _json(client, "/api/coverage?outlets=4")
    response = client.get("/coverage.csv?outlets=4")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="coverage.csv"'
    rows = _rows(response.text)
    assert rows[0][7:] == [o["name"] for o in view["outlets"]] + ["other_outlets"]
    assert [r[0] for r in rows[1:]] == [s["id"] for s in view["stories"]]
    for row, story in zip(rows[1:], view["stories"], strict=True):
        assert [int(n) for n in row[7:-1]] == story["counts"]
        assert int(row[4]) == story["articles"] and int(row[-1]) == story["other_outlets"]
    assert client.get("/coverage?outlets=4&format=csv").text == response.text
    assert client.get("/api/coverage?outlets=4&format=csv").text == response.text
    assert client.get("/coverage.csv?stories=x").status_code == 400


def test_coverage_page_shows_the_matrix_and_blindspots(client: TestClient) -> None:
    view = _json(client, "/api/coverage?q=fire")
    page = client.get("/coverage?q=fire")
    assert page.status_code == 200
    html = page.text
    assert 'id="coverage-matrix"' in html and 'id="blindspots"' in html
    assert 'href="/coverage.csv?q=fire"' in html
    assert 'href="/?q=fire"' in html  # back to the story list of these stories
    for story in view["stories"]:
        assert f'<tr data-story="{story["id"]}">' in html
    for outlet in view["outlets"]:
        assert f'<li class="blindspot-outlet" data-outlet="{outlet["name"]}">' in html
    assert html.count('class="blindspot"') == sum(len(o["blindspots"]) for o in view["outlets"])


def test_coverage_page_says_what_is_wrong(client: TestClient) -> None:
    for url, status, words in (
        ("/coverage?from=2025-02-30", 400, "from must be a date"),
        ("/coverage?stories=many", 400, "stories must be a whole number"),
        ("/coverage?outlets=999", 400, "outlets must be from 1 to 200"),
        ("/coverage?alert=nope", 404, "no alert named"),
    ):
        page = client.get(url)
        assert page.status_code == status, url
        assert words in page.text and 'id="coverage-filters"' in page.text


def test_coverage_linked_from_the_story_list_and_the_alerts(client: TestClient) -> None:
    stories = client.get("/?q=fire&from=2025-01-01").text
    assert 'id="coverage-link" href="/coverage?q=fire&amp;from=2025-01-01"' in stories
    alerts = client.get("/alerts").text
    assert 'href="/coverage?alert=fires"' in alerts


def test_coverage_command_prints_the_same_json_and_csv(client: TestClient, db: Path) -> None:
    cli = Cli(db)
    assert cli.json("coverage", "--query", "fire", "--min-outlets", "2") == _json(
        client, "/api/coverage?q=fire&min_outlets=2"
    )
    done = cli("coverage", "--alert", "fires", "--csv")
    assert done.returncode == 0, done.stderr
    # (read as text: its CRLF line ends read as newlines)
    assert _rows(done.stdout) == _rows(client.get("/coverage.csv?alert=fires").text)
    table = cli("coverage")
    assert table.returncode == 0 and "Blindspots" in table.stdout
    missing = cli("coverage", "--alert", "nope")
    assert missing.returncode == 4 and "no alert named 'nope'" in missing.stderr


def test_coverage_follows_what_is_stored(client: TestClient, db: Path, tmp_path: Path) -> None:
    """A matrix asked for again is kept until articles are stored: then it is counted anew."""
    before = _json(client, "/api/coverage")
    record = {
        "id": "coverage-new-1", "outlet": "Quillmere Courier", "published": "2025-12-01",
        "title": "Quillmere library reopens after a year of repairs",
        "text": "QUILLMERE - The town library reopened on Monday after a year of repairs to "
        "its roof and reading rooms, the council said.\n\nThe librarian said the children's "
        "room would open first and the archive in the spring.",
    }
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    options = Options(extract_attributions=False, extract_events=False, worker_processes=1)
    with Store(db) as store:
        assert ingest([path], store, options).stored == 1
    after = _json(client, "/api/coverage")
    assert after["stories_total"] == before["stories_total"] + 1
    assert "Quillmere Courier" in [o["name"] for o in after["outlets"]]
