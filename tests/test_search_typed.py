"""Search a reader can type (issue 18): plain words and phrases with any punctuation work
alike in the command line, the API and the stories page, which agree; FTS5 syntax only in the
advanced mode, where its errors are the reader's (400, one line), never a 500."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO, Cli, demo_database
from fastapi.testclient import TestClient
from lxml import html

from storylens import Options, Store, ingest
from storylens.errors import UsageError
from storylens.store.fts import fts_query
from storylens.web import ServerConfig, create_app

# Texts we write: each holds one of the names a reader types with punctuation in it.
TYPED = {
    "Kim Jong-il": "Kim Jong-il inspected a missile site, state media in Pyongyang reported.",
    "U.S. Navy": "The U.S. Navy sent a destroyer through the strait on Tuesday morning.",
    "O'Brien": "Councillor Maeve O'Brien opened the new library in Dunmore yesterday.",
    "AT&T": "AT&T said its network outage was caused by a faulty software update.",
    "Non-Proliferation": "Delegates met in Vienna to review the Non-Proliferation Treaty.",
}
# Text holding none of them (nor their words side by side).
PLAIN = "The town council approved a budget for the harbour wall and a new ferry pier."
PUNCTUATION = "\"'-.&():*"
QUERIES = 200


def _records() -> str:
    """The typed texts and the plain one as JSON Lines, each its own outlet and date."""
    lines = [
        {"id": f"typed-{n}", "title": f"Report {n}", "text": text, "outlet": f"Outlet {n}",
         "published": f"2025-06-{n + 1:02d}"}
        for n, text in enumerate([*TYPED.values(), PLAIN])
    ]
    return "".join(json.dumps(line) + "\n" for line in lines)


@pytest.fixture(scope="module")
def typed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("typed")
    records = folder / "typed.jsonl"
    records.write_text(_records(), encoding="utf-8")
    db = folder / "typed.db"
    with Store(db) as store:
        summary = ingest([records], store, Options())
    assert summary.rejected == 0, summary.rejects
    return db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory.mktemp("search") / "demo.db")


def _client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(db))) as client:
        yield client


@pytest.fixture(scope="module")
def typed_client(typed_db: Path) -> Iterator[TestClient]:
    yield from _client(typed_db)


@pytest.fixture(scope="module")
def demo_client(demo_db: Path) -> Iterator[TestClient]:
    yield from _client(demo_db)


def _cli_hits(db: Path, query: str, *more: str) -> list[dict[str, Any]]:
    """The real ``storylens search`` (``--`` before the query: it may start with a hyphen)."""
    done = Cli(db)("search", "--db", str(db), "--json", *more, "--", query, db=False)
    assert done.returncode == 0, (query, done.stderr)
    hits: list[dict[str, Any]] = json.loads(done.stdout)
    return hits


def _api(client: TestClient, query: str) -> tuple[list[str], list[str]]:
    """The article ids /api/search finds for a query, and the story ids /api/stories lists."""
    found = client.get("/api/search", params={"q": query})
    assert found.status_code == 200, (query, found.text)
    stories = client.get("/api/stories", params={"q": query, "limit": 100})
    assert stories.status_code == 200, (query, stories.text)
    return (
        [hit["id"] for hit in found.json()["articles"]],
        [story["id"] for story in stories.json()["stories"]],
    )


def _form(client: TestClient, query: str) -> tuple[list[str], list[str]]:
    """The article ids and the story ids the stories page shows for a query."""
    response = client.get("/", params={"q": query})
    assert response.status_code == 200, (query, response.text[:500])
    doc = html.fromstring(response.text)
    articles = doc.xpath("//section[@id='article-hits']//li[@data-article]/@data-article")
    links = doc.xpath("//ul[@id='stories']/li//a[contains(@class, 'story-link')]/@href")
    return [str(a) for a in articles], [str(link).rsplit("/", 1)[-1] for link in links]


# --- the query built from what was typed ------------------------------------------------------


def test_fts_plain_terms_are_quoted_and_anded() -> None:
    assert fts_query("Kim Jong-il") == '"Kim" AND "Jong-il"'
    assert fts_query('say "U.S. Navy" AT&T') == '"say" AND "U.S. Navy" AND "AT&T"'
    assert fts_query("O'Brien NEAR(x) col:y *") == '"O\'Brien" AND "NEAR(x)" AND "col:y"'
    assert fts_query('a "unbalanced') == '"a" AND "unbalanced"'
    assert fts_query("- & * ()") == ""


def test_fts_advanced_keeps_the_syntax() -> None:
    assert fts_query("river OR flood*", advanced=True) == "river OR flood*"
    with pytest.raises(UsageError, match="limited to"):
        fts_query(" ".join(["word"] * 33))


# --- the defects, on texts we write ---------------------------------------------------------


@pytest.mark.parametrize("name", list(TYPED))
def test_search_typed_name_found_in_cli_api_and_page(
    typed_db: Path, typed_client: TestClient, name: str
) -> None:
    with Store(typed_db, create=False) as store:
        hits = store.search_hits(name)
    assert [h.title for h in hits] == [f"Report {list(TYPED).index(name)}"]
    expected = hits[0].id
    assert hits[0].outlet and hits[0].published and hits[0].story_id
    text, spans = hits[0].plain_snippet()
    assert spans and all(text[a:b].lower() in name.lower() for a, b in spans)
    cli = _cli_hits(typed_db, name)
    assert [h["id"] for h in cli] == [expected]
    assert cli[0]["outlet"] == hits[0].outlet and cli[0]["published"] == hits[0].published
    assert cli[0]["story_id"] == hits[0].story_id and cli[0]["highlights"]
    articles, stories = _api(typed_client, name)
    assert articles == [expected] and stories == [hits[0].story_id]
    assert _form(typed_client, name) == (articles, stories)


@pytest.mark.parametrize("name", list(TYPED))
def test_search_typed_name_absent_finds_nothing(
    demo_db: Path, demo_client: TestClient, name: str
) -> None:
    assert _cli_hits(demo_db, name) == []
    assert _api(demo_client, name) == ([], [])
    assert _form(demo_client, name) == ([], [])  # "AT&T" listed 33 stories


def test_search_cli_table_shows_outlet_date_and_snippet(typed_db: Path) -> None:
    done = Cli(typed_db)("search", "AT&T")
    assert done.returncode == 0, done.stderr
    assert "Outlet 3" in done.stdout and "2025-06-04" in done.stdout
    assert "network outage" in done.stdout and "Report 3" in done.stdout


def test_search_page_marks_the_matched_words(typed_client: TestClient) -> None:
    response = typed_client.get("/", params={"q": "O'Brien library"})
    assert response.status_code == 200
    doc = html.fromstring(response.text)
    marked = doc.xpath("//section[@id='article-hits']//p[@class='hit-snippet']/mark/text()")
    assert sorted(marked) == ["O'Brien", "library"]
    assert "Outlet 2" in response.text


# --- the advanced mode ------------------------------------------------------------------------


def test_search_advanced_operators_and_errors(
    typed_db: Path, typed_client: TestClient
) -> None:
    both = "destroyer OR outage"
    assert _cli_hits(typed_db, both) == []  # plainly: the three words, "or" among them
    hits = _cli_hits(typed_db, both, "--advanced")
    assert {h["title"] for h in hits} == {"Report 1", "Report 3"}
    ids = {h["id"] for h in hits}
    found = typed_client.get("/api/search", params={"q": both, "advanced": "true"}).json()
    assert {h["id"] for h in found["articles"]} == ids
    for bad in ('"unclosed', "NEAR(a b", "AND", "nosuchcolumn:x"):
        response = typed_client.get("/api/search", params={"q": bad, "advanced": "true"})
        assert response.status_code == 400, response.text
        page = typed_client.get("/", params={"q": bad, "advanced": "true"})
        assert page.status_code == 400 and "bad search query" in page.text
        done = Cli(typed_db)("search", "--db", str(typed_db), "--advanced", "--", bad, db=False)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "bad search query" in lines[0]


# --- 200 typed queries: no error, and the three agree -----------------------------------------


def _typed_queries(seed: int = 18) -> list[str]:
    """Queries of one to three random words of the demo corpus, each with random punctuation
    around or inside it, some as quoted phrases."""
    words = sorted({
        w
        for path in sorted((DEMO / "articles").iterdir())
        for w in re.findall(r"[^\W\d_]{3,}", path.read_text(encoding="utf-8"))
    })
    rng = random.Random(seed)
    queries = []
    for _ in range(QUERIES):
        terms = []
        for word in rng.sample(words, rng.randint(1, 3)):
            kind = rng.randrange(4)
            mark = rng.choice(PUNCTUATION)
            if kind == 0:
                word = mark + word
            elif kind == 1:
                word += mark
            elif kind == 2:
                cut = rng.randint(1, len(word) - 1)
                word = word[:cut] + mark + word[cut:]
            terms.append(word)
        query = " ".join(terms)
        queries.append(f'"{query}"' if rng.random() < 0.2 else query)
    return queries


def test_search_typed_queries_agree_in_cli_api_and_page(
    demo_db: Path, demo_client: TestClient
) -> None:
    queries = _typed_queries()
    assert len(set(queries)) == QUERIES
    with ThreadPoolExecutor(max_workers=2) as pool:
        cli = list(pool.map(lambda q: _cli_hits(demo_db, q), queries))
    matched = 0
    for query, cli_hits in zip(queries, cli, strict=True):
        articles, stories = _api(demo_client, query)
        assert [h["id"] for h in cli_hits] == articles, query
        assert _form(demo_client, query) == (articles, stories), query
        assert {h["story_id"] for h in cli_hits} <= set(stories), query
        matched += bool(articles)
    assert matched >= QUERIES // 10  # the words are the corpus's: many queries find them
