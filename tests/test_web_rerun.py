"""The server skips what it has stored whole before, by the hash of its bytes, before parsing
it: a POSTed body sent again, an uploaded file uploaded again, the same article pasted again
are each counted as the duplicates they gave, and a body with a rejected record is retried."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html

from storylens.ingest import parse
from storylens.model import Draft, RawInput, Reject
from storylens.options import Options
from storylens.store import Store
from storylens.web import ingest as web_ingest
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "rerun-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
OPTIONS = Options(extract_attributions=False, extract_events=False, worker_processes=1)
RECORDS = [
    {"title": f"Ferry service {n} resumes", "outlet": "Harbour Post", "text": f"The ferry "
     f"number {n} sails again after a month in dock, its owners said on Monday. Passengers "
     "welcomed the news and the harbour office said timetables would follow."}
    for n in range(3)
]
TEXT = (
    "DEEPMERE - The council of Deepmere voted on Tuesday to pay for repairs to the old "
    "bridge, a plan first put forward four years ago. Work starts in spring, the mayor said."
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A writable server over a new database."""
    path = tmp_path / "web.db"
    Store(path).close()
    config = ServerConfig(db=path, write_token=TOKEN, options=OPTIONS)
    with TestClient(create_app(config)) as client:
        yield client, path


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources of what was parsed: raw inputs (parse_input where the pipeline calls it),
    POSTed bodies (records_to_drafts where the server calls it), drafts cleaned."""
    calls: list[str] = []

    def parse_spy(raw: RawInput) -> list[Draft | Reject]:
        calls.append(raw.source)
        return parse.parse_input(raw)

    def body_spy(body: bytes) -> list[Draft | Reject]:
        calls.append("body")
        return records_to_drafts(body)

    stages = importlib.import_module("storylens.pipeline.stages")
    clean = stages.clean

    def clean_spy(draft: Draft) -> object:
        calls.append(draft.source)
        return clean(draft)

    for name in ("storylens.pipeline.prepare", "storylens.pipeline.stages"):
        monkeypatch.setattr(importlib.import_module(name), "parse_input", parse_spy)
    records_to_drafts = web_ingest.records_to_drafts
    monkeypatch.setattr(web_ingest, "records_to_drafts", body_spy)
    monkeypatch.setattr(stages, "clean", clean_spy)
    return calls


def _counts(db: Path) -> dict[str, int]:
    with Store(db, create=False) as store:
        return store.counts()


def test_web_ingest_api_skips_a_known_body_unparsed(
    server: tuple[TestClient, Path], parsed: list[str]
) -> None:
    client, db = server
    body = json.dumps(RECORDS).encode()
    headers = {**AUTH, "Content-Type": "application/json"}
    first = client.post("/api/articles", content=body, headers=headers).json()
    assert (first["stored"], first["duplicates"], first["known_inputs"]) == (3, 0, 0)
    assert parsed
    parsed.clear()
    again = client.post("/api/articles", content=body, headers=headers)
    assert again.status_code == 200, again.text
    done = again.json()
    assert (done["inputs"], done["stored"], done["duplicates"], done["rejected"]) == (3, 0, 3, 0)
    assert done["known_inputs"] == 1 and done["articles"] == [] and done["story_ids"] == []
    assert parsed == []
    # the same records in other bytes are parsed, and found stored
    other = client.post("/api/articles", json=RECORDS[:2], headers=AUTH).json()
    assert (other["stored"], other["duplicates"], other["known_inputs"]) == (0, 2, 0)
    assert len(other["duplicate_ids"]) == 2 and parsed
    assert _counts(db)["articles"] == 3


def test_web_ingest_api_retries_a_body_with_a_rejected_record(
    server: tuple[TestClient, Path], parsed: list[str]
) -> None:
    client, _ = server
    body = json.dumps([RECORDS[0], {"title": "no text here"}]).encode()
    headers = {**AUTH, "Content-Type": "application/json"}
    first = client.post("/api/articles", content=body, headers=headers).json()
    assert (first["stored"], first["rejected"]) == (1, 1)
    parsed.clear()
    again = client.post("/api/articles", content=body, headers=headers).json()
    assert (again["stored"], again["duplicates"], again["rejected"]) == (0, 1, 1)
    assert again["known_inputs"] == 0 and "body" in parsed


def test_web_ingest_api_refuses_a_bad_body_as_before(server: tuple[TestClient, Path]) -> None:
    client, _ = server
    response = client.post(
        "/api/articles", content=b"{not json", headers={**AUTH, "Content-Type": "json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad-request"


def _figures(response_text: str) -> tuple[str, ...]:
    """The ingest result page's inputs, stored, duplicates and rejected."""
    doc = html.fromstring(response_text)
    return tuple(
        doc.xpath(f"//dd[@class='{name}']")[0].text_content().strip()
        for name in ("inputs", "stored", "duplicates", "rejected")
    )


def test_web_ingest_page_skips_known_uploads_unparsed(
    server: tuple[TestClient, Path], parsed: list[str]
) -> None:
    client, db = server
    lines = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
    files = [
        ("files", ("deepmere.txt", f"Deepmere bridge repairs\n\n{TEXT}\n".encode(), "text/plain")),
        ("files", ("wire.jsonl", lines, "application/json")),
    ]
    first = client.post("/ingest", data={"token": TOKEN}, files=files)
    assert first.status_code == 200, first.text[:500]
    assert _figures(first.text) == ("2", "4", "0", "0")
    parsed.clear()
    again = client.post("/ingest", data={"token": TOKEN}, files=files)
    assert _figures(again.text) == ("2", "0", "4", "0")
    assert parsed == []
    with Store(db, create=False) as store:
        sources = {r[0] for r in store.db.execute("SELECT source FROM inputs")}
    assert sources == {"upload:deepmere.txt", "upload:wire.jsonl"}


def test_web_ingest_page_skips_a_known_pasted_article(
    server: tuple[TestClient, Path], parsed: list[str]
) -> None:
    client, _ = server
    fields = {"token": TOKEN, "text": TEXT, "title": "Bridge repairs", "outlet": "Mere News"}
    first = client.post("/ingest", data=fields)
    assert _figures(first.text) == ("1", "1", "0", "0")
    parsed.clear()
    again = client.post("/ingest", data=fields)
    assert _figures(again.text) == ("1", "0", "1", "0") and parsed == []
    # the same text with other fields is cleaned again (and found stored)
    other = client.post("/ingest", data={**fields, "title": "Repairs to the bridge"})
    assert _figures(other.text)[1:] == ("0", "1", "0") and parsed
