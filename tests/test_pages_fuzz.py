"""The web pages fuzzed with hypothesis, in process, on a small real database: every page route
of the application (read from its routes), with generated query strings (each parameter a
page reads, any text, huge numbers, digits that are not ASCII, empty, repeated, raw
percent-escapes) and generated path ids (any text, dot segments, percent-escapes, very long
ones). No request answers 5xx, and every error is an HTML page with the error's status.

Requests go to the application through ASGI as uvicorn hands them over: the raw path and
query string as sent, the path percent-decoded, so that no client tidies them first."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Mount, Route

from storylens import Store
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "pages-fuzz-token"
# Every query parameter a page reads, and one none does.
PARAMETERS = ("q", "outlet", "entity", "from", "to", "page", "story", "type", "token", "x")
# Examples per route: enough to meet each kind of value, few enough for the file's budget.
EXAMPLES = 100


@pytest.fixture(scope="module")
def fuzz_app(demo_db: Path) -> FastAPI:
    """A writable server (its ingest page shows the form) on the demo database."""
    return create_app(ServerConfig(db=demo_db, write_token=TOKEN, max_body_mb=1.0))


@pytest.fixture(scope="module")
def known_ids(demo_db: Path) -> list[str]:
    """Ids that exist: a story's, an article's, an entity's, a static file's name."""
    with Store(demo_db, create=False) as store:
        story = store.stories()[0]
        article = store.story_articles(story.id)[0][0]
        entity = store.entities(limit=1)[0]
    return [story.id, article.id, entity.id, "storylens.css"]


def _walk(routes: Iterable[BaseRoute]) -> Iterator[tuple[str, set[str] | None]]:
    """Every route's path and methods (a mount's methods are None), routers included into
    the application followed into."""
    for route in routes:
        if isinstance(route, Mount):
            yield route.path, None
        elif isinstance(route, Route):
            yield route.path, route.methods
        else:  # a router included into the application
            included = getattr(route, "routes", None)
            if included is None:
                included = getattr(getattr(route, "original_router", None), "routes", [])
            yield from _walk(included)


def page_routes(app: FastAPI) -> list[str]:
    """The path templates of the site's pages: every GET route outside the API and the
    documentation, each mount (the static files) as ``MOUNT/{path}``."""
    found = []
    for path, methods in _walk(app.routes):
        if path.startswith(("/api", "/docs", "/redoc")):
            continue
        if methods is None:
            found.append(path + "/{path}")
        elif "GET" in methods:
            found.append(path)
    return sorted(set(found))


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
# Digits that str.isdigit() takes and int() may not ('²'), and other scripts' digits.
_DIGITS = st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=5)
_ESCAPES = st.sampled_from(
    ["%", "%z", "%zz", "%ff", "%00", "%0a", "%2e%2e", "%2f", "%5c", "%c0%af", "%e2%80%ae", "%25"]
)
_VALUES = st.one_of(
    st.just(""),
    _TEXT.map(lambda text: quote(text, safe="")),
    st.integers(-(10**40), 10**40).map(str),
    _DIGITS.map(lambda text: quote(text, safe="")),
    _ESCAPES,
    st.builds(lambda unit, n: unit * n, st.sampled_from(["9", "a", "%C2%B2"]),
              st.integers(100, 3000)),
)
_QUERIES = st.lists(
    st.tuples(st.sampled_from(PARAMETERS) | _TEXT.map(quote), _VALUES, st.booleans()),
    max_size=6,
).map(lambda pairs: "&".join(f"{k}={v}" if equals else f"{k}{v}" for k, v, equals in pairs))


def _segments(known: list[str]) -> st.SearchStrategy[str]:
    """A path id as sent (percent-encoded where it must be): a known id, any text, dot
    segments, escapes, a very long one, several segments."""
    return st.one_of(
        st.sampled_from(known),
        _TEXT.map(lambda text: quote(text, safe="")),
        st.sampled_from([".", "..", "%2e%2e", "..%2f..%2fpyproject.toml", "a/b", "~", "%2f"]),
        _ESCAPES,
        st.builds(lambda unit, n: unit * n, st.sampled_from(["a", "%C3%A4", "9", "../"]),
                  st.integers(200, 20_000)),
        _DIGITS.map(lambda text: quote(text, safe="")),
    )


def get(app: FastAPI, raw_path: str, query: str) -> tuple[int, dict[str, str], bytes]:
    """GET a raw path and query string from the application, as uvicorn hands them over."""
    answer: dict[str, Any] = {"body": b""}
    requested = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:  # the request (no body), then the client gone once answered
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")
            if not message.get("more_body", False):
                done.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": unquote(raw_path), "raw_path": raw_path.encode("ascii"),
        "query_string": query.encode("ascii"), "root_path": "",
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "headers": [(b"host", b"x")],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return answer["status"], answer["headers"], answer["body"]


def _fill(template: str, segments: list[str]) -> str:
    """A route's path with each ``{name}`` replaced by the next segment."""
    parts = iter(segments)
    return re.sub(r"\{[^}]+\}", lambda _: next(parts, "x"), template)


def _fuzz(
    app: FastAPI, template: str, segment: st.SearchStrategy[str], examples: int
) -> None:
    """Bounded examples of one route, its ids drawn from ``segment``: never 5xx, and every
    error an HTML page."""

    @given(segments=st.lists(segment, min_size=2, max_size=2), query=_QUERIES)
    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(segments: list[str], query: str) -> None:
        raw_path = _fill(template, segments)
        status, headers, body = get(app, raw_path, query)
        where = (raw_path[:200], query[:200], status, body[:300])
        assert status < 500, where
        if status >= 400:
            assert headers["content-type"].startswith("text/html"), where
            assert b"<html" in body and b"</html>" in body, where

    check()


def test_pages_fuzz_routes_are_the_sites_pages(fuzz_app: FastAPI) -> None:
    routes = page_routes(fuzz_app)
    assert {
        "/", "/stories/{story_id}", "/articles/{article_id}", "/articles/{article_id}/raw",
        "/entities", "/entities/{name_or_id}", "/events", "/ingest", "/static/{path}",
        "/{path:path}",
    } <= set(routes), routes


def test_pages_fuzz_no_server_error(fuzz_app: FastAPI, known_ids: list[str]) -> None:
    """Every page route, with generated ids and query strings: never 5xx, and every error an
    HTML page with the error's status."""
    for template in page_routes(fuzz_app):
        _fuzz(fuzz_app, template, _segments(known_ids), EXAMPLES)
        if "{" in template:  # the pages of records that exist, with any query string
            _fuzz(fuzz_app, template, st.sampled_from(known_ids), EXAMPLES // 2)
