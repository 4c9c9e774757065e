"""The server on its own (issue 18): /docs works offline within the Content-Security-Policy,
and no page or response shows where the server keeps its inputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storylens import Options, Store, ingest
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

ARTICLE = (
    "Harbour board delays the ferry timetable\n\n"
    "The harbour board of an invented town said on Monday that the new ferry timetable would "
    "start a week later than planned, because two of its boats need repairs. \"We would rather "
    "be late than unsafe,\" said the board's chair, Ada Quill.\n"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inputs-kept-here")


@pytest.fixture(scope="module")
def client(folder: Path) -> Iterator[TestClient]:
    (folder / "in").mkdir()
    (folder / "in" / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "in" / "feed.jsonl").write_text(
        '{"text": "A second invented article about a library that opens late on Sundays. '
        'It has new shelves and a reading room.", "title": "Library opens late"}\n',
        encoding="utf-8",
    )
    db = folder / "server.db"
    with Store(db) as store:
        summary = ingest([folder / "in"], store, Options())
    assert summary.rejected == 0, summary.rejects
    with TestClient(create_app(ServerConfig(db))) as test_client:
        yield test_client


def _own_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)


def test_app_docs_load_offline_within_csp(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    urls = _own_urls(page.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "<script>" not in page.text  # no inline script: the policy allows none
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    assert "SwaggerUIBundle" in client.get("/static/swagger-ui/swagger-ui-bundle.js").text
    script = client.get("/static/docs.js").text
    assert "/api/openapi.json" in page.text and "SwaggerUIBundle(" in script
    assert client.get("/api/openapi.json").status_code == 200


def test_web_public_source_hides_the_folders() -> None:
    from storylens.web.render import public_source

    assert public_source("/srv/news/in/ferry.txt") == "ferry.txt"
    assert public_source("/srv/news/feed.xml#item3") == "feed.xml#item3"
    assert public_source("https://example.org/a.html") == "https://example.org/a.html"
    assert public_source("upload:a.txt") == "upload:a.txt"


def test_web_no_page_or_response_shows_a_server_path(client: TestClient, folder: Path) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert len(stories) == 2
    paths = ["/", "/api/stories", "/events", "/entities", "/api/events"]
    for story in stories:
        paths += [f"/stories/{story['id']}", f"/api/stories/{story['id']}"]
        view = client.get(f"/api/stories/{story['id']}").json()
        for article in view["articles"]:
            paths += [
                f"/articles/{article['id']}", f"/articles/{article['id']}/raw",
                f"/api/articles/{article['id']}",
            ]
    names = set()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert str(folder) not in response.text, path
        if path.startswith("/api/articles/"):
            names.add(response.json()["source"])
    assert names == {"ferry.txt", "feed.jsonl#line1"}
    page = client.get(paths[-3]).text
    assert "ferry.txt" in page or "feed.jsonl#line1" in page


def test_pages_counts_agree_with_their_nouns(client: TestClient) -> None:
    for story in client.get("/api/stories").json()["stories"]:
        assert story["article_count"] == 1
        page = client.get(f"/stories/{story['id']}").text
        assert "1 article<" in page and "1 articles" not in page
        article_id = client.get(f"/api/stories/{story['id']}").json()["articles"][0]["id"]
        page = client.get(f"/articles/{article_id}").text
        assert "(1 article)" in page and "1 articles" not in page
        shown = client.get(f"/stories/{story['id']}").text
        assert not re.search(r"<strong>1</strong> sentences", shown)
