"""The HTTP API fuzzed from its own OpenAPI schema (schemathesis, in process: no network): no
request to any route answers 5xx, and every 4xx is in the one JSON error shape. Also the bad
bodies of issue 16 posted to /api/articles, and each form of the write token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def fuzz_app(demo_db: Path) -> FastAPI:
    """A writable server on a small real database (the demo corpus)."""
    return create_app(ServerConfig(db=demo_db, write_token=TOKEN, max_body_mb=1.0))


@pytest.fixture(scope="module")
def writer(fuzz_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(fuzz_app) as client:
        yield client


@pytest.fixture(scope="module")
def operations(fuzz_app: FastAPI) -> list[Any]:
    """Every operation of the server's OpenAPI schema, read from the app in process."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 9
    return found


def _assert_error_shape(status: int, body: Any) -> None:
    """A 4xx body is ``{"error": {"status", "code", "message"}}`` with the HTTP status."""
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message"}, error
    assert error["status"] == status, error
    assert isinstance(error["code"], str) and isinstance(error["message"], str), error


def _fuzz(operation: Any, mode: GenerationMode) -> None:
    """Bounded examples of one operation: none answers 5xx, every 4xx in the JSON shape."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(headers=AUTH)
        assert response.status_code < 500, (
            case.method, case.formatted_path, case.query, response.text[:300]
        )
        if 400 <= response.status_code < 500:
            _assert_error_shape(response.status_code, response.json())

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_fuzz_no_server_error(operations: list[Any], mode: GenerationMode) -> None:
    """Every operation, with requests the schema allows and requests it does not: no 5xx,
    and every error in the JSON shape."""
    unsatisfiable = []
    for operation in operations:
        try:
            _fuzz(operation, mode)
        except Unsatisfiable:  # nothing in it can break the schema (a free string path)
            unsatisfiable.append(operation.label)
    assert all("{" in label for label in unsatisfiable), unsatisfiable



@pytest.mark.parametrize("body", [
    b"[" * 100_000,
    b'{"title": "Big", "text": "A number.", "id": ' + b"7" * 5000 + b"}",
    json.dumps({
        "title": "Far future", "published": "Fri, 31 Dec 9999 23:59:59 -2359",
        "text": "The council in Harlow said on Monday that the bridge repairs would start soon.",
    }).encode("utf-8"),
], ids=["nested", "long-integer", "date-overflow"])
def test_api_post_articles_bad_body(writer: TestClient, body: bytes) -> None:
    """Each bad body of issue 16 answers a 4xx in the JSON shape, or a 200 that lists it as
    rejected: never 500."""
    response = writer.post(
        "/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        _assert_error_shape(response.status_code, response.json())
    else:
        summary = response.json()
        assert summary["stored"] + summary["duplicates"] + summary["rejected"] >= 1, summary
