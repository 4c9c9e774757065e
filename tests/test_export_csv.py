"""CSV downloads of the lists (read/export.py's writer, the API's /api/*.csv routes and
`storylens export KIND --format csv`): the documented header, one row per item of the list
with its filters, values that survive commas, quotes and line breaks, and text that a
spreadsheet would run as a formula defused with an apostrophe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens import Options, Store, ingest
from storylens.cli.app import app
from storylens.read.export import csv_cell, csv_text
from storylens.read.lists import LIST_COLUMNS
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

HOSTILE = {
    "id": "csv-hostile-1",
    "outlet": "=cmd|' /C calc'!A0",
    "published": "2025-12-01T09:00:00Z",
    "title": '=HYPERLINK("http://evil.example","click"), with "quotes"',
    "text": "+44 is the dialling code, the harbour office said on Monday.\n\n"
            "-1 degrees, line one\nline two, @noon: the ferry ran late again on Monday, "
            "a commuter said.",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "csv.db"
    with Store(path) as store:
        summary = ingest([DEMO / "articles", hostile], store, Options(worker_processes=1))
    assert summary.rejected == 0
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(db))) as test_client:
        yield test_client


def _csv(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    header = response.text.split("\r\n", 1)[0]
    kind = path.split("/")[-1].split(".")[0]
    assert header == ",".join(LIST_COLUMNS[kind])
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("value, cell", [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+44 1234", "'+44 1234"), ("-1 degrees", "'-1 degrees"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tindent", "'\tindent"), ("\rline", "'\rline"),
    ("plain = text", "plain = text"), (-3, -3), (0.5, 0.5), (None, ""), (True, "true"),
    (["A", None, "=B"], "A; ; =B"), (["=B", "A"], "'=B; A"),
])
def test_export_csv_cell_defuses_formulas(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_export_csv_text_round_trips_commas_quotes_and_line_breaks() -> None:
    rows = [{"a": 'x, "y"\nz', "b": 2}, {"a": None}]
    text = csv_text(("a", "b"), rows)
    assert text.startswith("a,b\r\n")
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ['x, "y"\nz', "2"], ["", ""]]


def test_export_csv_articles_defused_and_filtered(client: TestClient) -> None:
    rows = _csv(client, "/api/articles.csv?from=2025-12-01")
    assert len(rows) == 1
    (row,) = rows
    assert row["title"] == "'" + HOSTILE["title"]
    assert row["outlet"] == "'" + HOSTILE["outlet"]
    assert row["published"] == "2025-12-01"
    everything = _csv(client, "/api/articles.csv")
    assert len(everything) == client.get("/api/articles").json()["total"] == 22


def test_export_csv_stories_match_the_list(client: TestClient) -> None:
    listed = client.get("/api/stories?outlet=Meridian+Wire&limit=100").json()
    rows = _csv(client, "/api/stories.csv?outlet=Meridian+Wire")
    assert [r["id"] for r in rows] == [s["id"] for s in listed["stories"]]
    first, story = rows[0], listed["stories"][0]
    assert first["outlets"] == "; ".join(story["outlets"])
    assert int(first["article_count"]) == story["article_count"]
    assert first["top_entities"] == "; ".join(e["name"] for e in story["top_entities"])
    hostile = _csv(client, "/api/stories.csv?from=2025-12-01")
    assert hostile[0]["title"].startswith("'=HYPERLINK(")


def test_export_csv_quotes_entities_and_events(client: TestClient) -> None:
    quotes = _csv(client, "/api/attributions.csv?limit=5")
    assert len(quotes) == 5 and all(q["content"] and q["article_id"] for q in quotes)
    story = quotes[0]["story_id"]
    assert {q["story_id"] for q in _csv(client, f"/api/attributions.csv?story={story}")} == {
        story}
    entities = _csv(client, "/api/entities.csv?search=brazil")
    assert entities and all("brazil" in (e["name"] + e["aliases"]).casefold() for e in entities)
    events = _csv(client, "/api/events.csv?type=agree")
    assert events and {e["type"] for e in events} == {"AGREE"}
    assert client.get("/api/events.csv?type=dancing").status_code == 400


def test_export_csv_command_writes_what_the_api_serves(client: TestClient, db: Path) -> None:
    for kind, query, options in (
        ("stories", "?language=en", ["--language", "en"]),
        ("articles", "?outlet=meridian+wire", ["--outlet", "meridian wire"]),
        ("entities", "?search=port", ["--search", "port"]),
        ("attributions", "", []),
    ):
        result = CliRunner().invoke(
            app, ["export", kind, "--format", "csv", "--db", str(db), *options]
        )
        assert result.exit_code == 0, result.output
        served = client.get(f"/api/{kind}.csv{query}").content
        assert result.stdout_bytes == served, kind  # CRLF line ends kept
