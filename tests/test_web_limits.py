"""The server's limits before reading (storylens/web): the write token checked before a body
is read, every body counted as it streams in and cut at the limit, query integers and search
queries bounded, and a busy database answered 503, each in the one error shape. The bodies
are fed to the application straight through ASGI, chunk by chunk, so that a test can count
how much of a body the server pulled."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from conftest import copy_database
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storylens.store import connection as store_connection
from storylens.web.app import create_app
from storylens.web.boundary import MAX_URL_BYTES, URL_BOUND
from storylens.web.deps import ServerConfig

TOKEN = "limits-token"
CHUNK = 64 * 1024
LIMIT_MB = 1.0
BIG = 50 * 1024 * 1024  # a 50 MB body against a 1 MB limit
BOUNDARY = "storylens-test-boundary"


@pytest.fixture(scope="module")
def app(demo_db: Path) -> FastAPI:
    return create_app(ServerConfig(db=demo_db, write_token=TOKEN, max_body_mb=LIMIT_MB))


@dataclass
class Answer:
    """What the application sent back, and how many body bytes it pulled."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


def _call(app: FastAPI, path: str, headers: dict[str, str], body: Iterator[bytes]) -> Answer:
    """POST a body to the application chunk by chunk (no Content-Length unless given),
    counting the bytes the application asked for."""
    answer = Answer()

    async def receive() -> dict[str, Any]:
        chunk = next(body, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        answer.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return answer


def _zeros(size: int) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        yield b"0" * min(CHUNK, size - sent)
        sent += CHUNK


def _multipart(token: str, size: int) -> Iterator[bytes]:
    """A multipart form as a browser sends the ingest form: the token first, then a file of
    ``size`` bytes."""
    yield (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n"
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
        "filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    ).encode()
    yield from _zeros(size)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _error(answer: Answer, status: int, code: str) -> str:
    """The one error shape; returns its message."""
    assert answer.status == status, answer.body[:300]
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert (error["status"], error["code"]) == (status, code)
    return str(error["message"])


FORM = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_ingest_page_wrong_token_refused_before_the_upload_is_read(app: FastAPI) -> None:
    answer = _call(app, "/ingest", FORM, _multipart("wrong-token", BIG))
    assert answer.status == 401
    assert b"token" in answer.body
    assert answer.pulled < 2 * CHUNK  # not the 50 MB


def test_ingest_page_chunked_upload_over_the_limit_is_413(app: FastAPI) -> None:
    answer = _call(app, "/ingest", FORM, _multipart(TOKEN, BIG))
    _error(answer, 413, "too-large")
    assert "content-security-policy" in answer.headers
    assert answer.pulled <= LIMIT_MB * 1024 * 1024 + 2 * CHUNK


def test_api_post_wrong_token_refused_before_the_body_is_read(app: FastAPI) -> None:
    wrong = {"authorization": "Bearer wrong", "content-type": "application/json"}
    answer = _call(app, "/api/articles", wrong, _zeros(BIG))
    _error(answer, 401, "unauthorized")
    assert answer.pulled == 0


def test_boundary_chunked_body_over_the_limit_is_cut_as_it_streams(app: FastAPI) -> None:
    """Any route's body is counted in the ASGI layer: a chunked body to a route that reads
    it whole (an unknown API path reads nothing; the ingest page reads a url-encoded form)."""
    form = {"content-type": "application/x-www-form-urlencoded"}
    answer = _call(app, "/ingest", form, _zeros(BIG))
    _error(answer, 413, "too-large")
    assert answer.pulled <= LIMIT_MB * 1024 * 1024 + 2 * CHUNK


# -- query integers and pages ------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def _json_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code)
    return str(error["message"])


@pytest.mark.parametrize("path", ["/api/stories", "/api/entities"])
def test_api_offset_past_sqlites_integers_is_422(client: TestClient, path: str) -> None:
    _json_error(client.get(path, params={"offset": 2**63}), 422, "invalid")
    assert client.get(path, params={"offset": 2**63 - 1}).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/?page=99999999999999999999", "/?page=²", "/entities?page=²", "/events?page=²",
     "/entities?page=99999999999999999999", "/?page=" + "9" * 5000],
)
def test_render_page_number_that_is_no_number_is_a_400_page(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "page" in response.text


def test_render_page_number_not_digits_is_still_page_one(client: TestClient) -> None:
    for url in ("/?page=abc", "/entities?page=0", "/events?page=-3"):
        assert client.get(url).status_code == 200


# -- search queries ----------------------------------------------------------------------------

NEAR = "NEAR(" + " ".join(["x"] * 10_000) + ")"  # 20 KB, 10,001 terms


@pytest.mark.parametrize(
    ("path", "name"), [("/api/search", "q"), ("/api/stories", "q")]
)
def test_articles_search_query_over_the_limits_is_a_fast_400(
    client: TestClient, path: str, name: str
) -> None:
    for query in (NEAR, "x" * 1001, " ".join(["word"] * 33)):
        started = time.perf_counter()
        message = _json_error(client.get(path, params={name: query}), 400, "bad-request")
        assert time.perf_counter() - started < 0.5
        assert "limited to" in message
    assert client.get(path, params={name: " ".join(["word"] * 32)}).status_code == 200


def test_articles_search_query_over_the_limits_on_the_stories_page(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.get("/", params={"q": NEAR})
    assert response.status_code == 400
    assert time.perf_counter() - started < 0.5
    assert "limited to" in response.text


# -- a busy database ---------------------------------------------------------------------------


@pytest.fixture
def locked(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the demo database whose write lock another connection holds, with the
    store's wait for it cut short (0.2 s, not 10 s) to keep the test quick."""
    db = copy_database(demo_db, tmp_path / "locked.db")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    connect = sqlite3.connect

    def impatient(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connect(*args, **{**kwargs, "timeout": 0.2})

    monkeypatch.setattr(store_connection.sqlite3, "connect", impatient)
    try:
        yield db
    finally:
        holder.rollback()
        holder.close()


def test_boundary_busy_database_is_503_with_retry_after(locked: Path) -> None:
    config = ServerConfig(db=locked, write_token=TOKEN)
    record = {"title": "Busy", "text": "A record posted while another process writes."}
    with TestClient(create_app(config)) as server:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        response = server.post("/api/articles", json=record, headers=auth)
        assert "busy" in _json_error(response, 503, "busy")
        assert response.headers["retry-after"].isdigit()
        page = server.post("/ingest", data={"token": TOKEN, "text": record["text"]})
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["retry-after"].isdigit()


# -- a real server: its memory while a stranger sends 50 MB --------------------------------------


def _peak_rss(pid: int) -> int:
    """A process's peak resident memory in bytes (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _send_chunked(port: int, head: str, body: Iterator[bytes]) -> tuple[bytes, int]:
    """Send a request with a chunked body until the server answers (or stops reading); the
    answer and how many body bytes were sent."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode())
        try:
            for chunk in body:
                if select.select([conn], [], [], 0)[0]:
                    break  # the server has answered
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            else:
                conn.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        answer = b""
        try:
            while data := conn.recv(65536):
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent


@pytest.fixture(scope="module")
def served(demo_db: Path) -> Iterator[tuple[int, psutil.Process]]:
    """``storylens serve`` on the demo database with a write token and a 1 MB body limit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STORYLENS_WRITE_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-m", "storylens", "serve", "--db", str(demo_db), "--port", str(port),
         "--max-body-mb", str(LIMIT_MB)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        yield port, psutil.Process(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/PID/status")
@pytest.mark.parametrize(("token", "status"), [("wrong-token", b" 401 "), (TOKEN, b" 413 ")])
def test_serve_chunked_50mb_upload_is_refused_without_reading_it(
    served: tuple[int, psutil.Process], token: str, status: bytes
) -> None:
    port, process = served
    before = _peak_rss(process.pid)
    head = (
        "POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    )
    answer, sent = _send_chunked(port, head, _multipart(token, BIG))
    assert status in answer.split(b"\r\n", 1)[0], answer[:200]
    assert sent < BIG // 2  # it stopped taking the body long before its end
    assert _peak_rss(process.pid) - before < 20 * 1024 * 1024


def _form_parts(*parts: tuple[str, str | None, bytes]) -> Iterator[bytes]:
    """A multipart form of (name, file name or None, bytes) parts."""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        yield f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        yield data + b"\r\n"
    yield f"--{BOUNDARY}--\r\n".encode()


def test_form_token_after_the_files_is_still_read_and_checked(app: FastAPI) -> None:
    """A form that sends its files before the token (not the site's own form) is read whole,
    within the limit, and its token checked then."""
    body = _form_parts(("files", "a.txt", b"Some text. " * 100), ("token", None, b"wrong"))
    answer = _call(app, "/ingest", FORM, body)
    assert answer.status == 401
    assert b"token" in answer.body


def test_form_with_too_many_parts_is_refused(app: FastAPI) -> None:
    parts = [("title", None, b"t")] * 1101
    _error(_call(app, "/ingest", FORM, _form_parts(*parts)), 400, "bad-request")


def test_form_malformed_multipart_is_400(app: FastAPI) -> None:
    garbage = iter([b"--" + BOUNDARY.encode() + b"\r\nno headers here\r\n\r\n\x00"])
    _error(_call(app, "/ingest", FORM, garbage), 400, "bad-request")


# -- long URLs ---------------------------------------------------------------------------------


def test_boundary_url_over_the_limit_is_414_in_the_error_shape(client: TestClient) -> None:
    long = "a" * (MAX_URL_BYTES + 1)
    message = _json_error(client.get(f"/api/stories?q={long}"), 414, "uri-too-long")
    assert str(MAX_URL_BYTES) in message
    for url in (f"/?q={long}", f"/stories/{long}", f"/no/such/page/{long}"):
        response = client.get(url)
        assert response.status_code == 414
        assert response.headers["content-type"].startswith("text/html")
        assert "URL too long" in response.text
    # just within the limit, a URL is read
    within = "/api/stories?x=" + "a" * (MAX_URL_BYTES - len("/api/stories?x="))
    assert client.get(within).status_code == 200


def _get_target(port: int, target: bytes) -> tuple[bytes, bytes, bytes]:
    """GET a request target as sent, from a real server: the answer's status line, headers
    (lower case) and body."""
    request = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % target
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        # the server may answer and close before it takes the whole request
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(request)
        with contextlib.suppress(ConnectionResetError):
            while data := conn.recv(65536):
                answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    status, _, headers = head.partition(b"\r\n")
    return status, headers.lower(), body


def test_server_url_of_100kb_is_414_in_the_error_shape(
    served: tuple[int, psutil.Process],
) -> None:
    """``storylens serve`` reads a URL of 100 KB (past httptools' URL parser's 64 KB) whole
    enough for the application to answer it: 414 in the JSON shape for the API, the site's
    error page for a page."""
    port, _ = served
    status, headers, body = _get_target(port, b"/api/stories?q=" + b"a" * 100_000)
    assert b" 414 " in status, status
    assert b"content-type: application/json" in headers
    error = json.loads(body)["error"]
    assert (error["status"], error["code"]) == (414, "uri-too-long")
    status, headers, body = _get_target(port, b"/stories/" + b"%C3%A4" * 20_000)
    assert b" 414 " in status, status
    assert b"content-type: text/html" in headers and b"URL too long" in body


def test_server_url_past_the_bound_is_refused_unread(served: tuple[int, psutil.Process]) -> None:
    """Past URL_BOUND the URL is not read further: the HTTP server's own plain-text 400, and
    the connection closed (the server still answers the next request)."""
    port, _ = served
    status, _, _ = _get_target(port, b"/api/stories?q=" + b"a" * (URL_BOUND + 1))
    assert b" 400 " in status, status
    status, _, _ = _get_target(port, b"/api/stories")
    assert b" 200 " in status, status
