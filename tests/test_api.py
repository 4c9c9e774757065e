"""The HTTP API (storylens/web/api.py) on a real database built from the demo corpus: every
endpoint, the filters and pages of the story list, the one error shape, the write token, the
body limit, escaping and the security headers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Cli, copy_database
from fastapi.testclient import TestClient

from storylens import Options, Store
from storylens.read.views import entity_detail
from storylens.web.app import create_app
from storylens.web.deps import WRITE_LOCK, ServerConfig, token_accepted
from storylens.web.ingest import ingest_drafts, records_to_drafts, run_ingest

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
EVENT_TEXT = (
    "MARROWBY, Nov 5 - The Lowen River Authority said on Wednesday it would rebuild the "
    "Pellham Ford embankment before the spring floods.\n\n"
    '"We will not let this happen again," said Agnes Holloway, the authority\'s chair.'
)


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    """A read-only server on the demo database (nothing writes to it)."""
    with TestClient(create_app(ServerConfig(db=demo_db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def writable_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_database(demo_db, tmp_path_factory.mktemp("api-write") / "write.db")


@pytest.fixture(scope="module")
def writer(writable_db: Path) -> Iterator[TestClient]:
    """A server with a write token, on a copy of the demo database."""
    config = ServerConfig(db=writable_db, write_token=TOKEN, max_body_mb=1.0)
    with TestClient(create_app(config)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def all_stories(client: TestClient) -> list[dict[str, Any]]:
    found = client.get("/api/stories", params={"limit": 100}).json()
    stories: list[dict[str, Any]] = found["stories"]
    assert found["total"] == len(stories) == 6
    return stories


def _error(response: httpx.Response, status: int, code: str) -> str:
    """The one error shape; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return str(body["error"]["message"])


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["stories"]]


# -- GET /api/stories ----------------------------------------------------------------------------


def test_api_stories_newest_first_with_outlets_and_entities(
    all_stories: list[dict[str, Any]],
) -> None:
    lasts = [s["last_published"] for s in all_stories]
    assert lasts == sorted(lasts, reverse=True)
    for story in all_stories:
        assert {
            "id",
            "title",
            "first_published",
            "last_published",
            "article_count",
            "outlets",
            "outlet_count",
            "wire_copies",
            "top_entities",
        } <= set(story)
        assert story["outlet_count"] == len(story["outlets"]) == len(set(story["outlets"]))
        assert 0 <= story["wire_copies"] < story["article_count"]
        assert 0 < len(story["top_entities"]) <= 5
        counts = [e["mentions"] for e in story["top_entities"]]
        assert counts == sorted(counts, reverse=True)
        assert all(set(e) == {"id", "name", "kind", "mentions"} for e in story["top_entities"])
    assert any(s["wire_copies"] for s in all_stories)


def test_api_stories_top_entities_are_the_story_views_first(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    for story in all_stories:
        entities = client.get(f"/api/stories/{story['id']}").json()["entities"]
        expected = [{k: e[k] for k in ("id", "name", "kind", "mentions")} for e in entities[:5]]
        assert story["top_entities"] == expected


def test_api_stories_pagination(client: TestClient, all_stories: list[dict[str, Any]]) -> None:
    pages = [client.get("/api/stories", params={"limit": 4, "offset": o}) for o in (0, 4, 8)]
    assert [p.json()["total"] for p in pages] == [6, 6, 6]
    assert [p.json()["offset"] for p in pages] == [0, 4, 8]
    assert pages[0].json()["limit"] == 4
    assert [i for p in pages for i in _ids(p)] == [s["id"] for s in all_stories]
    assert _ids(pages[2]) == []
    default = client.get("/api/stories").json()
    assert default["limit"] == 20 and default["offset"] == 0


def test_api_stories_filter_full_text(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    # OR is FTS5 syntax: only in the advanced mode (a plain query ANDs its words)
    advanced = {"q": "embankment OR evacuated", "advanced": "true"}
    hits = client.get("/api/search", params=advanced).json()["articles"]
    expected = {h["story_id"] for h in hits}
    assert expected
    found = client.get("/api/stories", params=advanced).json()
    assert {s["id"] for s in found["stories"]} == expected
    assert found["total"] == len(expected)
    order = [s["id"] for s in all_stories if s["id"] in expected]
    assert [s["id"] for s in found["stories"]] == order
    assert client.get("/api/stories", params={"q": "zzzunheardofword"}).json()["total"] == 0


def test_api_stories_filter_outlet_any_case(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    outlet = all_stories[0]["outlets"][0]
    expected = [s["id"] for s in all_stories if outlet in s["outlets"]]
    assert 0 < len(expected) < len(all_stories)
    for asked in (outlet, outlet.upper(), outlet.lower()):
        found = client.get("/api/stories", params={"outlet": asked})
        assert _ids(found) == expected
        assert found.json()["total"] == len(expected)
    assert _ids(client.get("/api/stories", params={"outlet": outlet[:-1]})) == []


def test_api_stories_filter_entity_by_id_or_name(
    client: TestClient, demo_db: Path, all_stories: list[dict[str, Any]]
) -> None:
    entity = all_stories[0]["top_entities"][0]
    with Store(demo_db, create=False) as store:
        expected = {s["id"] for s in entity_detail(store, entity["id"])["stories"]}
    assert all_stories[0]["id"] in expected
    for asked in (entity["id"], entity["name"], entity["name"].upper()):
        found = client.get("/api/stories", params={"entity": asked})
        assert set(_ids(found)) == expected
        assert found.json()["total"] == len(expected)
    _error(client.get("/api/stories", params={"entity": "Nobody Atall"}), 404, "not-found")


def test_api_stories_filter_dates(client: TestClient, all_stories: list[dict[str, Any]]) -> None:
    story = all_stories[2]
    day = story["first_published"]
    found = _ids(client.get("/api/stories", params={"from": day, "to": day}))
    assert story["id"] in found
    for other in all_stories:
        overlaps = other["first_published"] <= day <= other["last_published"]
        assert (other["id"] in found) == overlaps
    later = _ids(client.get("/api/stories", params={"from": story["last_published"]}))
    assert later == [s["id"] for s in all_stories if s["last_published"] >= story["last_published"]]
    earlier = _ids(client.get("/api/stories", params={"to": story["first_published"]}))
    assert earlier == [
        s["id"] for s in all_stories if s["first_published"] <= story["first_published"]
    ]
    assert _ids(client.get("/api/stories", params={"to": "1999-12-31"})) == []


def test_api_stories_filters_combine(client: TestClient, all_stories: list[dict[str, Any]]) -> None:
    story = all_stories[0]
    params = {
        "outlet": story["outlets"][0],
        "entity": story["top_entities"][0]["id"],
        "from": story["first_published"],
        "to": story["last_published"],
        "q": "river",
    }
    assert story["id"] in _ids(client.get("/api/stories", params=params))
    params["to"] = "2000-01-01"
    assert _ids(client.get("/api/stories", params=params)) == []


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"limit": 0}, 422, "invalid"),
        ({"limit": 101}, 422, "invalid"),
        ({"limit": "many"}, 422, "invalid"),
        ({"offset": -1}, 422, "invalid"),
        ({"from": "2025-13-01"}, 400, "bad-request"),
        ({"to": "yesterday"}, 400, "bad-request"),
        ({"q": '"unclosed', "advanced": "true"}, 400, "bad-request"),
    ],
)
def test_api_stories_bad_parameters(
    client: TestClient, params: dict[str, Any], status: int, code: str
) -> None:
    _error(client.get("/api/stories", params=params), status, code)


# -- one story, one article ----------------------------------------------------------------------


def test_api_story_equals_cli_story_json(
    client: TestClient, demo_db: Path, all_stories: list[dict[str, Any]]
) -> None:
    story_id = all_stories[0]["id"]
    expected = Cli(demo_db).json("story", story_id)
    response = client.get(f"/api/stories/{story_id}")
    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.parametrize(
    "url",
    [
        "/api/stories/0000000000000000",
        "/api/articles/0000000000000000",
        "/api/articles/0000000000000000/raw",
        "/api/entities/0000000000000000",
        "/api/events?story=0000000000000000",
    ],
)
def test_api_unknown_ids_are_404(client: TestClient, url: str) -> None:
    assert "0000000000000000" in _error(client.get(url), 404, "not-found")


def test_api_unknown_route_is_404_in_the_error_shape(client: TestClient) -> None:
    _error(client.get("/api/nothing-here"), 404, "not-found")
    _error(client.delete("/api/stories"), 405, "method-not-allowed")


def test_api_article_with_attributions_entities_and_events(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    story = client.get(f"/api/stories/{all_stories[0]['id']}").json()
    article_id = story["attributions"][0]["article_id"]
    view = client.get(f"/api/articles/{article_id}").json()
    assert view["id"] == article_id
    assert view["story_id"] == story["id"]
    assert view["sentences"] and view["paragraphs"]
    assert view["raw_url"] == f"/api/articles/{article_id}/raw"
    assert "raw" not in view
    assert view["attributions"] == [
        a for a in story["attributions"] if a["article_id"] == article_id
    ]
    text = view["text"]
    assert view["entities"]
    for mention in view["entities"]:
        start, end = mention["span"]
        assert text[start:end] == mention["text"]
    reported = {m["article_id"] for e in story["events"] for m in e["mentions"]}
    with_events = next(iter(reported))
    events = client.get(f"/api/articles/{with_events}").json()["events"]
    assert events
    for event in events:
        start, end = event["trigger_span"]
        assert event["type"] and event["trigger"]
        assert 0 <= start < end


def test_api_article_raw_is_plain_text(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    story = client.get(f"/api/stories/{all_stories[0]['id']}").json()
    article_id = story["articles"][0]["id"]
    response = client.get(f"/api/articles/{article_id}/raw")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert story["articles"][0]["title"].split()[0] in response.text


# -- search, entities, events --------------------------------------------------------------------


def test_api_search_articles_with_story_ids(
    client: TestClient, all_stories: list[dict[str, Any]]
) -> None:
    found = client.get("/api/search", params={"q": "river", "limit": 3}).json()
    assert found["query"] == "river"
    assert 0 < len(found["articles"]) <= 3
    known = {s["id"] for s in all_stories}
    for hit in found["articles"]:
        assert set(hit) == {
            "id", "title", "story_id", "outlet", "published", "snippet", "highlights"
        }
        assert hit["story_id"] in known
        article = client.get(f"/api/articles/{hit['id']}").json()
        assert "river" in (article["title"] + " " + article["text"]).lower()
    _error(client.get("/api/search"), 422, "invalid")
    _error(client.get("/api/search", params={"q": "AND", "advanced": "true"}), 400, "bad-request")


def test_api_entities_list_search_and_pages(client: TestClient) -> None:
    everyone = client.get("/api/entities", params={"limit": 500}).json()["entities"]
    assert len(everyone) > 10
    articles = [e["articles"] for e in everyone]
    assert articles == sorted(articles, reverse=True)
    page = client.get("/api/entities", params={"limit": 5, "offset": 5}).json()
    assert [e["id"] for e in page["entities"]] == [e["id"] for e in everyone[5:10]]
    assert (page["limit"], page["offset"]) == (5, 5)
    found = client.get("/api/entities", params={"search": "HOLLOWAY"}).json()["entities"]
    assert found and all("holloway" in " ".join([e["name"], *e["aliases"]]).lower() for e in found)
    _error(client.get("/api/entities", params={"limit": 0}), 422, "invalid")


def test_api_entity_equals_cli_entity_json(
    client: TestClient, demo_db: Path, all_stories: list[dict[str, Any]]
) -> None:
    name = all_stories[0]["top_entities"][0]["name"]
    expected = Cli(demo_db).json("entity", name)
    assert client.get(f"/api/entities/{name}").json() == expected
    assert client.get(f"/api/entities/{expected['id']}").json() == expected  # type: ignore[index]


def test_api_events_all_and_of_one_story(client: TestClient, demo_db: Path) -> None:
    everything = client.get("/api/events").json()["events"]
    assert everything == Cli(demo_db).json("events")
    story_id = everything[0]["story_id"]
    one = client.get("/api/events", params={"story": story_id}).json()["events"]
    assert one and all(e["story_id"] == story_id for e in one)
    assert {e["id"] for e in one} == {e["id"] for e in everything if e["story_id"] == story_id}


# -- POST /api/articles --------------------------------------------------------------------------


def test_api_post_needs_the_token(writer: TestClient, client: TestClient) -> None:
    record = {"title": "Token test", "text": EVENT_TEXT}
    _error(writer.post("/api/articles", json=record), 401, "unauthorized")
    wrong = {"Authorization": "Bearer not-the-token"}
    _error(writer.post("/api/articles", json=record, headers=wrong), 401, "unauthorized")
    assert writer.post("/api/articles", json=record).headers["www-authenticate"] == "Bearer"
    _error(client.post("/api/articles", json=record, headers=AUTH), 403, "forbidden")


def test_api_post_stores_then_reports_a_duplicate(writer: TestClient) -> None:
    record = {
        "title": "Authority to rebuild Pellham Ford embankment",
        "outlet": "Test Gazette",
        "published": "2025-11-05",
        "url": "https://example.org/a",
        "text": EVENT_TEXT,
    }
    before = writer.get("/api/stories").json()["total"]
    first = writer.post("/api/articles", json=record, headers=AUTH)
    assert first.status_code == 200, first.text
    done = first.json()
    assert (done["stored"], done["duplicates"], done["rejected"]) == (1, 0, 0)
    stored = done["articles"][0]
    assert stored["story_id"] in done["story_ids"]
    article = writer.get(f"/api/articles/{stored['id']}").json()
    assert article["outlet"] == "Test Gazette"
    assert article["story_id"] == stored["story_id"]
    assert article["attributions"]  # the whole pipeline ran
    story = writer.get(f"/api/stories/{stored['story_id']}").json()
    assert stored["id"] in {a["id"] for a in story["articles"]}
    after = writer.get("/api/stories").json()["total"]
    assert after == before + len(done["new_story_ids"])
    second = writer.post("/api/articles", json=[record], headers=AUTH).json()
    assert (second["stored"], second["duplicates"], second["rejected"]) == (0, 1, 0)
    assert second["duplicate_ids"] == [stored["id"]]
    assert second["new_story_ids"] == [] and second["articles"] == []


def test_api_post_reports_rejected_records_with_reasons(writer: TestClient) -> None:
    records = [{"title": "no body here"}, "not an object", {"text": "A short line of text."}]
    done = writer.post("/api/articles", json=records, headers=AUTH).json()
    assert done["stored"] == 1 and done["rejected"] == 2
    assert [r["reason"] for r in done["rejects"]] == ["no-text", "bad-json"]
    assert all(r["detail"] and r["source"] for r in done["rejects"])


@pytest.mark.parametrize("body", [b"{not json", b"42", b"[]", "\u00e9".encode("latin-1")], ids=repr)
def test_api_post_refuses_a_body_that_is_not_records(writer: TestClient, body: bytes) -> None:
    response = writer.post(
        "/api/articles",
        content=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    _error(response, 400, "bad-request")


def test_api_post_over_the_body_limit_is_413(writer: TestClient) -> None:
    big = json.dumps({"text": "word " * 300_000}).encode()  # 1.5 MB, the limit is 1 MB
    _error(
        writer.post("/api/articles", content=big, headers={**AUTH, "Content-Type": "json"}),
        413,
        "too-large",
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    response = writer.post("/api/articles", content=chunks(), headers=AUTH)
    assert "content-length" not in response.request.headers
    _error(response, 413, "too-large")


def test_api_one_writer_at_a_time(writable_db: Path) -> None:
    """Two ingests of the same new record at once: one stores it, the other finds it."""
    config = ServerConfig(db=writable_db, write_token=TOKEN)
    body = json.dumps({"title": "Concurrent", "text": "Two writers race to store this."})
    results: list[Any] = []

    def post() -> None:
        results.append(ingest_drafts(config, records_to_drafts(body.encode())))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((r.summary.stored, r.summary.duplicates) for r in results) == [(0, 1), (1, 0)]


# -- security ------------------------------------------------------------------------------------


def test_api_article_text_with_markup_is_data(writer: TestClient) -> None:
    record = {
        "title": f"Hostile {XSS} title",
        "outlet": "Test Gazette",
        "text": f"A council statement held {XSS} and {IMG} in its text. It said nothing else.",
    }
    done = writer.post("/api/articles", json=record, headers=AUTH).json()
    assert done["stored"] == 1
    article_id = done["articles"][0]["id"]
    view = writer.get(f"/api/articles/{article_id}")
    assert view.headers["content-type"] == "application/json"
    assert XSS in view.json()["title"]
    assert XSS in view.json()["text"] and IMG in view.json()["text"]
    story = writer.get(f"/api/stories/{done['articles'][0]['story_id']}").json()
    member = next(a for a in story["articles"] if a["id"] == article_id)
    assert member["title"] == record["title"] and IMG in member["text"]
    raw = writer.get(f"/api/articles/{article_id}/raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "text/plain; charset=utf-8"
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in raw.headers["content-security-policy"]
    assert json.loads(raw.text) == record


@pytest.mark.parametrize(
    "url", ["/api/stories", "/api/stories/0000000000000000", "/api/openapi.json", "/docs"]
)
def test_api_security_headers_on_responses(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_api_413_carries_the_security_headers(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles", content=b"x" * 2_000_000, headers={**AUTH, "Content-Type": "json"}
    )
    assert response.status_code == 413
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/static/..%2ftemplates%2fbase.html.j2",
        "/static/..%2f..%2fapi.py",
        "/static/..%2f..%2fpyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/api.py",
        "/static/..%5c..%5capi.py",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_api_static_files_refuse_path_traversal(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "[project]" not in response.text and "root:" not in response.text


def test_api_static_dot_segments_reach_no_file(client: TestClient) -> None:
    # sent as written: the client would otherwise resolve the dots before sending
    for path in (
        "/static/../templates/base.html.j2",
        "/static/../../api.py",
        "/static/../../../pyproject.toml",
    ):
        url = client.base_url.copy_with(raw_path=path.encode())
        response = client.get(url)
        assert response.status_code == 404, path
        assert b"import" not in response.content and b"[project]" not in response.content


def test_api_docs_list_every_endpoint(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/raw",
        "/api/search",
        "/api/entities",
        "/api/entities/{name_or_id}",
        "/api/events",
    } <= set(paths)
    assert "post" in paths["/api/articles"]


# -- storylens serve -----------------------------------------------------------------------------


def test_api_serve_answers_on_loopback(demo_db: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("STORYLENS_DB",)}
    env["STORYLENS_WRITE_TOKEN"] = TOKEN
    server = subprocess.Popen(
        [sys.executable, "-m", "storylens", "serve", "--db", str(demo_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"{base}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["total"] == 6
        # the token came from the environment: a wrong one is 401, not 403 (read-only)
        refused = httpx.post(f"{base}/api/articles", json={"text": "x"}, timeout=5)
        assert refused.status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_api_story_cache_follows_a_story_that_grows(demo_db: Path, tmp_path: Path) -> None:
    """A story's JSON and page are cached per version of the story: an article joining it
    shows on the next request."""
    db = copy_database(demo_db, tmp_path / "grow.db")
    config = ServerConfig(db=db, write_token=TOKEN)
    with TestClient(create_app(config)) as server:
        stories = server.get("/api/stories", params={"limit": 100}).json()["stories"]
        story = max(stories, key=lambda s: s["article_count"])
        before = server.get(f"/api/stories/{story['id']}").json()
        page = server.get(f"/stories/{story['id']}").text
        first = before["articles"][0]
        text = server.get(f"/api/articles/{first['id']}").json()["text"]
        record = {
            "text": text + "\n\nA late paragraph added by a reprint.",
            "title": first["title"],
            "outlet": "Reprint Weekly",
            "published": before["last_published"],
        }
        posted = server.post("/api/articles", json=record, headers=AUTH)
        assert posted.status_code == 200, posted.text
        after = server.get(f"/api/stories/{story['id']}").json()
        assert after["article_count"] == before["article_count"] + 1
        assert "Reprint Weekly" in server.get(f"/stories/{story['id']}").text
        assert "Reprint Weekly" not in page


# -- the write token and the ingest run, shared by the API and the ingest page -----------------


def test_deps_token_accepted_only_the_servers_token() -> None:
    """The one write-token check (the API's header, the ingest page's form field): the
    server's token only, never an empty one, never on a read-only server; a token with
    characters beyond ASCII is simply not the token."""
    config = ServerConfig(db=Path("unused.db"), write_token=TOKEN)
    assert token_accepted(config, TOKEN)
    assert not token_accepted(config, TOKEN + "x")
    assert not token_accepted(config, "")
    assert not token_accepted(config, "t\u00f6ken")
    assert not token_accepted(ServerConfig(db=Path("unused.db")), TOKEN)


def test_api_token_beyond_ascii_is_refused_as_wrong(writer: TestClient) -> None:
    record = {"title": "Token test", "text": EVENT_TEXT}
    wrong = {"Authorization": "Bearer t\u00f6ken".encode("latin-1")}
    _error(writer.post("/api/articles", json=record, headers=wrong), 401, "unauthorized")


def test_ingest_run_feeds_under_the_one_write_lock(tmp_path: Path) -> None:
    """run_ingest (behind POST /api/articles and the ingest page) makes its units while it
    holds the server's write lock, lets it go after, and times its summary."""
    options = Options(extract_attributions=False, extract_events=False)
    config = ServerConfig(db=tmp_path / "empty.db", write_token=TOKEN, options=options)
    held: list[bool] = []

    def units(_: object) -> Iterator[Any]:
        held.append(WRITE_LOCK.locked())
        return iter(())

    with Store(config.db) as store:
        ingestor = run_ingest(store, config, units)
    assert held == [True]
    assert not WRITE_LOCK.locked()
    assert ingestor.summary.seconds >= 0 and ingestor.summary.stored == 0
