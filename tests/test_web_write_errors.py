"""A write the database cannot take answers in the one error shape, never 500 (issue 16, "one
error shape everywhere"): a full disk is 507 ``disk-full``, a database that cannot be written
503 ``read-only``; nothing of the batch is stored, and the server goes on answering reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storylens import Store
from storylens.store import connection
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "write-errors-token"
BODY = json.dumps({"title": "Ferry timetable changes at Harlow Reach",
                   "text": "The ferry across Harlow Reach will run every twenty minutes from "
                           "Monday while the toll bridge is shut, the county said."})


def _limit_writes(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    """Every connection the store opens from now on gets ``pragma`` (run with its page count
    when it names one): SQLite's own ways of refusing a write as a full disk or a read-only
    file would."""
    connect = connection.StoreBase._connect

    def limited(self: connection.StoreBase, uri: str | None = None) -> connection.Connection:
        db = connect(self, uri)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(pragma.format(pages=pages))
        return db

    monkeypatch.setattr(connection.StoreBase, "_connect", limited)


@pytest.mark.parametrize(("pragma", "status", "code"), [
    ("PRAGMA max_page_count = {pages}", 507, "disk-full"),
    ("PRAGMA query_only = 1", 503, "read-only"),
], ids=["full-disk", "read-only"])
def test_web_write_errors_are_one_shape_not_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pragma: str, status: int, code: str
) -> None:
    path = tmp_path / "w.db"
    Store(path).close()
    with TestClient(create_app(ServerConfig(db=path, write_token=TOKEN))) as client:
        _limit_writes(monkeypatch, pragma)
        answer = client.post(
            "/api/articles", content=BODY,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        assert answer.status_code == status, answer.text
        error = answer.json()["error"]
        assert error["status"] == status and error["code"] == code
        assert "Traceback" not in error["message"]
        assert client.get("/api/stories").status_code == 200
    monkeypatch.undo()
    with TestClient(create_app(ServerConfig(db=path))) as client:
        assert client.get("/api/stories").json()["total"] == 0  # the write was rolled back
