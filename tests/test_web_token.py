"""The write token's accepted forms (storylens/web/deps.py, require_token and token_accepted;
README "Serving"): each documented form lets a write through, a wrong token is refused with
401 in the JSON error shape, and the ingest page takes it as its form field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from storylens import Store
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "form-token"
EMPTY = b"[]"  # past the token, a 400 ("no records"): no pipeline runs


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A writable server on an empty database."""
    path = tmp_path_factory.mktemp("token") / "empty.db"
    Store(path).close()
    with TestClient(create_app(ServerConfig(db=path, write_token=TOKEN))) as client:
        yield client


def _post(server: TestClient, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    headers = {**headers, "Content-Type": "application/json"}
    response = server.post("/api/articles", content=EMPTY, headers=headers)
    return response.status_code, response.json()["error"]


@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {TOKEN}"},
    {"Authorization": TOKEN},
    {"X-Storylens-Token": TOKEN},
    {"Authorization": "Bearer ", "X-Storylens-Token": TOKEN},
], ids=["bearer", "plain-authorization", "x-storylens-token", "empty-bearer-then-header"])
def test_deps_require_token_accepts_each_documented_form(
    server: TestClient, headers: dict[str, str]
) -> None:
    """Each form the README documents gets past the token (to the body's own 400)."""
    status, error = _post(server, headers)
    assert (status, error["code"]) == (400, "bad-request"), error


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-the-token"},
    {"Authorization": "not-the-token"},
    {"X-Storylens-Token": "not-the-token"},
    {"Authorization": f"bearer {TOKEN}"},  # the scheme is spelt "Bearer"
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": "Bearer not-the-token", "X-Storylens-Token": TOKEN},
], ids=["none", "bearer", "plain", "header", "lower-case-scheme", "basic", "authorization-first"])
def test_deps_require_token_refuses_a_wrong_token(
    server: TestClient, headers: dict[str, str]
) -> None:
    """A missing or wrong token, in any form, is 401 in the JSON shape; when Authorization
    is given, it is the one read."""
    status, error = _post(server, headers)
    assert status == 401, error
    assert error == {"status": 401, "code": "unauthorized", "message": error["message"]}


def test_ingest_page_token_field(server: TestClient) -> None:
    """The ingest page takes the token as its form field ``token``; headers are not read."""
    assert server.post("/ingest", data={"token": TOKEN}).status_code == 400  # nothing sent
    assert server.post("/ingest", data={"token": "not-the-token"}).status_code == 401
    refused = server.post("/ingest", data={"token": ""}, headers={"X-Storylens-Token": TOKEN})
    assert refused.status_code == 401
