"""The web pages (storylens/web/pages.py and the templates): every page over a real database of
the demo corpus plus one article whose title, outlet and text hold markup, served by the real
application through FastAPI's test client."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO, SHARED
from fastapi.testclient import TestClient
from lxml import html
from lxml.html import HtmlElement
from markupsafe import Markup

from storylens import Options, Store, ingest
from storylens.read.storypage import Mark, mark_up
from storylens.web import pages as pages_module
from storylens.web.app import create_app
from storylens.web.deps import ServerConfig

TOKEN = "pages-test-token"
HOSTILE = {
    "id": "hostile-pages-1",
    "outlet": 'Evil "Gazette" <script>alert(3)</script>',
    "published": "2025-02-01T09:00:00Z",
    "title": "Ferry timetable <script>alert('title')</script> changes",
    "text": (
        "The ferry company changed its winter timetable on Friday, the harbour office said.\n\n"
        "A passenger's complaint read <script>alert(1)</script> and was posted as it was "
        "sent.\n\n"
        '"The boats <img src=x onerror=alert(2)> are late every day," said Mara Quist, a '
        "commuter from Ostby.\n\n"
        "The company said the new timetable would be reviewed in the spring after talks "
        "with passengers."
    ),
}
SCRIPT_PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>")


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    db = folder / "pages.db"
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with Store(db) as store:
        summary = ingest([DEMO / "articles", hostile], store, Options())
    assert summary.rejected == 0, summary.rejects
    return db


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    """A read-only server over the demo database."""
    with TestClient(create_app(ServerConfig(demo_db))) as test_client:
        yield test_client


@pytest.fixture
def writable(demo_db: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A server with a write token over a copy of the demo database (ingest changes it)."""
    copy = tmp_path / "writable.db"
    source = sqlite3.connect(demo_db)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    with TestClient(create_app(ServerConfig(copy, write_token=TOKEN))) as test_client:
        yield test_client, copy


def _rows(db: Path, sql: str, *args: object) -> list[sqlite3.Row]:
    with Store(db, create=False) as store:
        return list(store.db.execute(sql, args))


def _story_of(db: Path, file_name: str) -> str:
    rows = _rows(
        db,
        "SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
        "WHERE a.source LIKE ?",
        f"%{file_name}",
    )
    return str(rows[0]["story_id"])


def _hostile(db: Path) -> tuple[str, str]:
    (row,) = _rows(
        db,
        "SELECT a.id, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
        "WHERE a.external_id = ?",
        HOSTILE["id"],
    )
    return str(row["id"]), str(row["story_id"])


def _page(client: TestClient, path: str, status: int = 200) -> HtmlElement:
    response = client.get(path)
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return html.fromstring(response.text)


def _has_class(name: str) -> str:
    """An XPath test for an element carrying a class."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _all(doc: HtmlElement, *path: str) -> list[HtmlElement]:
    """Elements by a chain of steps: "tag#id", "tag.class.class", ".class" (descendants)."""
    xpath = ""
    for step in path:
        child = step.startswith(">")
        step = step.lstrip("> ")
        match = re.fullmatch(r"([\w*]*)(?:#([\w-]+))?((?:\.[\w-]+)*)", step)
        assert match, step
        tag, ident, classes = match.groups()
        tests = [f"@id='{ident}'"] if ident else []
        tests += [_has_class(c) for c in classes.split(".") if c]
        xpath += ("/" if child else "//") + (tag or "*")
        xpath += "".join(f"[{t}]" for t in tests)
    found: list[HtmlElement] = doc.xpath("." + xpath)
    return found


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _story_ids(doc: HtmlElement) -> list[str]:
    links = _all(doc, "ul#stories", "> li.story", "a.story-link")
    return [link.get("href").rsplit("/", 1)[-1] for link in links]


# --- the stories page -------------------------------------------------------------------------


def test_pages_stories_lists_every_story_newest_first(client: TestClient, demo_db: Path) -> None:
    doc = _page(client, "/")
    stories = _rows(demo_db, "SELECT id, last_ts FROM stories ORDER BY last_ts DESC")
    assert _story_ids(doc) == [r["id"] for r in stories]
    for item in _all(doc, "ul#stories", "> li.story"):
        link = _all(item, "a.story-link")[0]
        assert link.get("href").startswith("/stories/")
        assert _text(_all(link, "span.story-title")[0])
        assert _all(item, ".story-dates") and _all(item, ".story-counts")
    # the Lowen River story: 4 articles, 4 outlets, wire copies shown apart
    lowen = _story_of(demo_db, "lowen_river_flood_meridian-wire.txt")
    (item,) = [
        li
        for li in _all(doc, "ul#stories", "> li.story")
        if _all(li, "a.story-link")[0].get("href") == f"/stories/{lowen}"
    ]
    counts = _text(_all(item, ".story-counts")[0])
    assert "4 articles" in counts and "4 outlets" in counts and "2 wire copies" in counts
    entities = _all(item, "ul.story-entities", "a")
    assert entities and all(a.get("href").startswith("/entities/") for a in entities)


def test_pages_stories_search_form_has_labelled_fields(client: TestClient) -> None:
    doc = _page(client, "/")
    (form,) = _all(doc, "form#search")
    assert form.get("method") == "get" and form.get("action") == "/"
    for name in ("q", "from", "to", "outlet", "entity"):
        (field,) = form.xpath(f".//input[@name='{name}']")
        assert form.xpath(f".//label[@for='{field.get('id')}']"), name
    assert form.xpath(".//button[@type='submit']")
    assert doc.xpath("/html/@lang") == ["en"]
    assert _all(doc, "main#content")


def test_pages_stories_search_by_words_narrows_the_list(client: TestClient, demo_db: Path) -> None:
    everything = _story_ids(_page(client, "/"))
    found = _story_ids(_page(client, "/?q=seabed"))
    assert found == [_story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")]
    assert len(found) < len(everything)
    # what a search box gets that is not FTS5 syntax still searches
    assert _story_ids(_page(client, '/?q="seabed')) == found


def test_pages_stories_filter_by_outlet_entity_and_dates(client: TestClient, demo_db: Path) -> None:
    portugal = _story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")
    brightwell = _story_of(demo_db, "brightwell_recall_eastgate-times.txt")
    assert set(_story_ids(_page(client, "/?outlet=Eastgate+Times"))) == {portugal, brightwell}
    assert _story_ids(_page(client, "/?entity=Portugal")) == [portugal]
    halden = _story_of(demo_db, "halden_water_ruling_capital-observer.txt")
    lowen = _story_of(demo_db, "lowen_river_flood_meridian-wire.txt")
    assert _story_ids(_page(client, "/?from=2025-09-01")) == [lowen, halden]
    assert _story_ids(_page(client, "/?from=2025-09-01&to=2025-09-30")) == [halden]
    assert _story_ids(_page(client, "/?to=2025-03-04&outlet=Meridian+Wire")) == [portugal]
    # the form shows the filters it applied
    doc = _page(client, "/?outlet=Eastgate+Times&from=2025-01-01")
    assert doc.xpath("//form[@id='search']//input[@name='outlet']/@value") == ["Eastgate Times"]
    assert doc.xpath("//form[@id='search']//input[@name='from']/@value") == ["2025-01-01"]


def test_pages_stories_empty_result_and_bad_filters(client: TestClient) -> None:
    doc = _page(client, "/?q=zzyzxnothing")
    assert _all(doc, ".empty") and not _all(doc, "ul#stories")
    doc = _page(client, "/?entity=Nobody+Anywhere")
    assert "Nobody Anywhere" in _text(_all(doc, ".empty")[0])
    doc = _page(client, "/?from=2025-13-45", status=400)
    assert "date" in _text(_all(doc, ".empty")[0])


def test_pages_stories_pagination(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    monkeypatch.setattr(pages_module, "STORIES_PER_PAGE", 3)
    everything = [r["id"] for r in _rows(demo_db, "SELECT id FROM stories ORDER BY last_ts DESC")]
    first = _page(client, "/?outlet=")
    assert _story_ids(first) == everything[:3]
    assert not _all(first, "a.prev")
    (following,) = _all(first, "a.next")
    second = _page(client, following.get("href"))
    assert _story_ids(second) == everything[3:6]
    (back,) = _all(second, "a.prev")
    assert _story_ids(_page(client, back.get("href"))) == everything[:3]
    # the filters travel with the page links
    filtered = _page(client, "/?from=2025-01-01")
    assert "from=2025-01-01" in _all(filtered, "a.next")[0].get("href")


# --- the story page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portugal_page(client: TestClient, demo_db: Path) -> HtmlElement:
    return _page(
        client, f"/stories/{_story_of(demo_db, 'portugal_brazil_talks_meridian-wire.txt')}"
    )


def test_pages_story_shows_outlets_side_by_side(portugal_page: HtmlElement) -> None:
    columns = _all(portugal_page, "section#outlets", "> article.outlet-column")
    assert {c.get("data-outlet") for c in columns} == {
        "Meridian Wire",
        "The Capital Observer",
        "Southbridge Gazette",
        "Eastgate Times",
    }
    for column in columns:
        assert _text(_all(column, "h3.outlet-name")[0]) == column.get("data-outlet")
        assert column.xpath(".//time")
        assert column.xpath(".//a[starts-with(@href, '/articles/')]")
    assert _all(portugal_page, "section#outlets", ".legend")
    assert "columns-4" in portugal_page.xpath("//section[@id='outlets']/@class")[0]


def test_pages_story_marks_every_sentence_shared_or_exclusive(
    portugal_page: HtmlElement, demo_db: Path
) -> None:
    story = _story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")
    sentences = _rows(
        demo_db,
        "SELECT COUNT(*) AS n FROM sentences s JOIN story_members m "
        "ON m.article_id = s.article_id WHERE m.story_id = ?",
        story,
    )[0]["n"]
    marked = _all(portugal_page, "section#outlets", "span.sentence")
    assert len(marked) == sentences
    shared = _all(portugal_page, "section#outlets", "span.sentence.shared")
    exclusive = _all(portugal_page, "section#outlets", "span.sentence.exclusive")
    assert shared and exclusive and len(shared) + len(exclusive) == sentences
    for span in shared:
        outlets = span.get("data-outlets").split(", ")
        assert len(outlets) >= 2
        column = span.xpath("ancestor::article[1]")[0]
        assert column.get("data-outlet") in outlets
    for span in exclusive:
        assert span.get("data-outlets") is None
    # the one fact, the same number in every column it appears in
    first = shared[0].get("data-fact")
    columns = {
        s.xpath("ancestor::article[1]/@data-outlet")[0]
        for s in shared
        if s.get("data-fact") == first
    }
    assert columns == set(shared[0].get("data-outlets").split(", "))


def test_pages_story_quotes_show_fidelity_and_word_differences(
    portugal_page: HtmlElement,
) -> None:
    quotes = _all(portugal_page, "section#quotes", ".quote")
    assert quotes and all(_all(q, ".speaker") for q in quotes)

    def rendition(kind: str) -> HtmlElement:
        found = [
            r
            for r in _all(portugal_page, "section#quotes", ".rendition")
            if _all(r, f".fidelity.fidelity-{kind}")
        ]
        changed = [r for r in found if r.get("data-outlet") == "Eastgate Times"]
        assert len(changed) == 1, kind
        return changed[0]

    shortened, altered = rendition("shortened"), rendition("altered")
    assert _all(shortened, ".diff", "del") and not _all(shortened, ".diff", "ins")
    assert _all(altered, ".diff", "del") and _all(altered, ".diff", "ins")
    assert {_text(i) for i in _all(altered, ".diff", "ins")} >= {"should"}
    assert {_text(d) for d in _all(altered, ".diff", "del")} >= {"must"}
    speakers = {_text(q.xpath(".//*[contains(@class, 'speaker')]")[0]) for q in quotes}
    assert any("Valadão" in s for s in speakers) and any("Campelo" in s for s in speakers)
    verbatim = _all(portugal_page, "section#quotes", ".fidelity.fidelity-verbatim")
    assert verbatim


def test_pages_story_exclusives_speakers_events_timeline(portugal_page: HtmlElement) -> None:
    exclusives = _all(portugal_page, "section#exclusives", ".exclusive-outlet")
    assert {e.get("data-outlet") for e in exclusives} == {
        "Meridian Wire",
        "The Capital Observer",
        "Southbridge Gazette",
        "Eastgate Times",
    }
    assert all(_all(e, "li.exclusive-fact") for e in exclusives)
    speakers = [_text(th) for th in _all(portugal_page, "section#speakers", "tbody", "th")]
    assert any("Valadão" in s for s in speakers)
    events = _all(portugal_page, "section#events", ".event")
    assert events
    for event in events:
        assert _all(event, ".event-date") and _all(event, ".type-badge")
        assert _all(event, ".event-source") and _all(event, ".event-target")
        assert re.search(r"\d+ articles?, \d+ outlets?", _text(_all(event, ".event-reach")[0]))
        assert _all(event, "ul.evidence", "li")
    times = portugal_page.xpath("//section[@id='timeline']/ol/li//time/@datetime")
    assert times == sorted(times, key=lambda t: t if "T" in t else t + "T12:00:00Z")
    assert len(times) == 4


def test_pages_story_unknown_id_is_an_html_404(client: TestClient) -> None:
    doc = _page(client, "/stories/0000000000000000", status=404)
    assert "0000000000000000" in _text(doc.xpath("//main")[0])
    assert doc.xpath("//header//nav")  # the site's own page, with its navigation


# --- escaping ---------------------------------------------------------------------------------


def _assert_inert(body: str) -> None:
    """Markup from article data is shown as text: no script but ours, no onerror handler."""
    scripts = re.findall(r"<script\b[^>]*>", body, flags=re.IGNORECASE)
    assert scripts == ['<script src="/static/storylens.js" defer>'], scripts
    assert not re.search(r"<img\b", body, flags=re.IGNORECASE)
    assert not re.search(r"<[^>]*\sonerror\s*=", body, flags=re.IGNORECASE)
    assert " style=" not in body and "<style" not in body


def test_pages_hostile_article_escaped_on_story_and_article_pages(
    client: TestClient, demo_db: Path
) -> None:
    article, story = _hostile(demo_db)
    stored = _rows(demo_db, "SELECT text FROM articles WHERE id = ?", article)[0]["text"]
    assert all(payload in stored for payload in SCRIPT_PAYLOADS)  # kept, as text
    for path in (f"/stories/{story}", f"/articles/{article}", f"/articles/{article}/raw", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_inert(response.text)
        doc = html.fromstring(response.text)
        shown = doc.xpath("//main")[0].text_content()
        assert "<script>alert(" in shown, path  # the words are there, as text
    story_page = client.get(f"/stories/{story}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in story_page
    assert "&lt;img src=x onerror=alert(2)&gt;" in story_page
    article_page = client.get(f"/articles/{article}").text
    assert "&lt;img src=x onerror=alert(2)&gt;" in article_page
    # the outlet's quotes cannot leave its attribute
    doc = html.fromstring(story_page)
    assert doc.xpath("//article[contains(@class, 'outlet-column')]/@data-outlet") == [
        HOSTILE["outlet"]
    ]


def test_pages_every_page_keeps_to_the_content_security_policy(
    client: TestClient, demo_db: Path
) -> None:
    article, story = _hostile(demo_db)
    portugal = _story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")
    for path in (
        "/",
        f"/stories/{story}",
        f"/stories/{portugal}",
        f"/articles/{article}",
        f"/articles/{article}/raw",
        "/entities",
        "/entities/Portugal",
        "/events",
        "/stories/nope",
    ):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        _assert_inert(response.text)


def test_pages_mark_up_nests_overlapping_spans_and_escapes() -> None:
    text = 'a<b>&cd"ef'

    def mark(start: int, end: int, name: str, layer: int) -> Mark:
        return Mark(start, end, Markup(f"<{name}>"), Markup(f"</{name}>"), layer)

    built = mark_up(
        text,
        [mark(0, 10, "p", 0), mark(1, 6, "x", 1), mark(4, 9, "y", 2), mark(7, 20, "z", 1)],
        after={6: [Markup("<i>!</i>")]},
    )
    assert str(built) == (
        "<p>a<x>&lt;b&gt;<y>&amp;c</y></x><i>!</i><y>d</y><z><y>&#34;e</y>f</z></p>"
    )
    # a piece of text is never lost or doubled
    assert html.fromstring(f"<div>{built}</div>").text_content() == 'a<b>&c!d"ef'
    plain = html.fromstring(f"<div>{mark_up(text, [mark(2, 5, 'x', 1)])}</div>")
    assert plain.text_content() == text


# --- the article page -------------------------------------------------------------------------


def test_pages_article_highlights_attributions_and_entities(
    client: TestClient, demo_db: Path
) -> None:
    (row,) = _rows(
        demo_db,
        "SELECT id, outlet FROM articles WHERE source LIKE ?",
        "%portugal_brazil_talks_capital-observer.txt",
    )
    doc = _page(client, f"/articles/{row['id']}")
    assert _text(_all(doc, ".article-outlet")[0]) == row["outlet"]
    marks = _all(doc, "mark.attribution")
    assert marks and all(m.get("title") and m.get("data-speaker") for m in marks)
    speakers = {_text(s) for s in _all(doc, ".article-text", "span.speaker")}
    assert "Heitor Campelo" in speakers and "Inês Valadão" in speakers
    entities = _all(doc, "span.entity")
    assert entities
    for entity in entities:
        (link,) = entity.xpath("./a")
        assert link.get("href") == f"/entities/{entity.get('data-entity-id')}"
    assert "Portugal" in {_text(e) for e in entities}
    (raw,) = _all(doc, "a#raw-link")
    assert raw.get("href") == f"/articles/{row['id']}/raw"
    # the highlighted text is the article's text, whole and in order
    stored = _rows(demo_db, "SELECT text FROM articles WHERE id = ?", row["id"])[0]["text"]
    body = _all(doc, ".article-text")[0]
    for tag in body.xpath(".//span[contains(@class, 'speaker')]"):
        tag.drop_tree()
    shown = "".join(p.text_content() for p in body.xpath("./p"))
    assert shown == stored.replace("\n\n", "")


def test_pages_article_raw_page_and_unknown_article(client: TestClient, demo_db: Path) -> None:
    article, _ = _hostile(demo_db)
    doc = _page(client, f"/articles/{article}/raw")
    (pre,) = doc.xpath("//pre")
    assert "<script>alert(1)</script>" in pre.text_content()
    assert json.loads(pre.text_content())["id"] == HOSTILE["id"]
    _page(client, "/articles/nope", status=404)
    _page(client, "/articles/nope/raw", status=404)


# --- entities and events ----------------------------------------------------------------------


def test_pages_entities_list_and_search(client: TestClient) -> None:
    doc = _page(client, "/entities")
    rows = _all(doc, "table#entities", "tbody", "tr.entity-row")
    assert len(rows) > 10
    found = _page(client, "/entities?q=portu")
    names = [_text(a) for a in found.xpath("//table[@id='entities']/tbody/tr/th/a")]
    assert "Portugal" in names and len(names) < len(rows)
    assert _all(_page(client, "/entities?q=zzyzx"), ".empty")


def test_pages_entity_shows_aliases_stories_and_events(client: TestClient, demo_db: Path) -> None:
    doc = _page(client, "/entities/Portugal")
    assert _text(_all(doc, "h1.entity-name")[0]) == "Portugal"
    aliases = {_text(li) for li in _all(doc, "ul.aliases", "li")}
    assert {"Lisbon", "Portugal", "Portuguese"} <= aliases
    assert _text(_all(doc, ".entity-code")[0]) == "PRT"
    stories = _all(doc, "section#stories-over-time", "a.story-link")
    portugal = _story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")
    assert [a.get("href") for a in stories] == [f"/stories/{portugal}"]
    assert _all(doc, "section#events", ".event")
    _page(client, "/entities/nobody-at-all", status=404)


def test_pages_events_counted_once_with_story_filter(client: TestClient, demo_db: Path) -> None:
    doc = _page(client, "/events")
    everything = _all(doc, ".event")
    assert everything
    ids = [e.get("id") for e in everything]
    assert len(ids) == len(set(ids))
    portugal = _story_of(demo_db, "portugal_brazil_talks_meridian-wire.txt")
    one = _page(client, f"/events?story={portugal}")
    rows = _all(one, ".event")
    assert rows and len(rows) <= len(everything)
    story_page = _page(client, f"/stories/{portugal}")
    assert {e.get("id") for e in rows} == {e.get("id") for e in _all(story_page, ".event")}
    agree = _all(_page(client, f"/events?story={portugal}&type=AGREE"), ".event")
    assert agree and all(e.get("data-type") == "AGREE" for e in agree)
    _page(client, "/events?story=nope", status=404)


# --- ingest -----------------------------------------------------------------------------------


def test_pages_ingest_absent_on_a_read_only_server(client: TestClient) -> None:
    doc = _page(client, "/")
    assert not doc.xpath("//header//nav//a[@href='/ingest']")
    _page(client, "/ingest", status=403)
    response = client.post("/ingest", data={"token": TOKEN, "text": "Some text."})
    assert response.status_code == 403


def test_pages_ingest_refuses_a_missing_or_wrong_token(
    writable: tuple[TestClient, Path],
) -> None:
    client, db = writable
    doc = _page(client, "/ingest")
    assert doc.xpath("//header//nav//a[@href='/ingest']")
    (form,) = _all(doc, "form#ingest")
    assert form.get("enctype") == "multipart/form-data" and form.get("method") == "post"
    assert form.xpath(".//input[@type='file'][@name='files'][@multiple]")
    assert form.xpath(".//textarea[@name='text']")
    assert form.xpath(".//input[@type='password'][@name='token']")
    before = _rows(db, "SELECT COUNT(*) AS n FROM articles")[0]["n"]
    for token in ("", "wrong-token"):
        response = client.post("/ingest", data={"token": token, "text": "A text to store."})
        assert response.status_code == 401
        assert "token" in _text(_all(html.fromstring(response.text), ".form-error")[0])
    assert _rows(db, "SELECT COUNT(*) AS n FROM articles")[0]["n"] == before


def test_pages_ingest_stores_a_pasted_article(writable: tuple[TestClient, Path]) -> None:
    client, db = writable
    text = (
        "LISBON — Portugal and Brazil signed a second ocean monitoring agreement on Thursday, "
        "extending their joint network of drifting sensor buoys in the South Atlantic.\n\n"
        "Portuguese Foreign Minister Inês Valadão said the Atlantic Seabed Research Accord "
        "was still waiting for ratification by the Brazilian Congress."
    )
    response = client.post(
        "/ingest",
        data={
            "token": TOKEN,
            "text": text,
            "title": "Ocean pact extended <b>again</b>",
            "outlet": "Pasted Post",
            "date": "2025-03-06",
        },
    )
    assert response.status_code == 200, response.text[:500]
    doc = html.fromstring(response.text)
    assert _text(_all(doc, "dd.stored")[0]) == "1"
    (link,) = _all(doc, "ul#stories", "a.story-link")
    (row,) = _rows(
        db, "SELECT id, title, outlet, published FROM articles WHERE outlet = ?", "Pasted Post"
    )
    assert row["title"] == "Ocean pact extended <b>again</b>"
    assert row["published"].startswith("2025-03-06")
    story = _page(client, link.get("href"))
    assert "Pasted Post" in {
        c.get("data-outlet") for c in _all(story, "section#outlets", "article.outlet-column")
    }
    # the same text again is a duplicate
    again = client.post("/ingest", data={"token": TOKEN, "text": text, "outlet": "Pasted Post"})
    assert _text(_all(html.fromstring(again.text), "dd.duplicates")[0]) == "1"


def test_pages_ingest_stores_uploaded_files_and_lists_rejects(
    writable: tuple[TestClient, Path],
) -> None:
    client, db = writable
    article = (DEMO / "articles" / "wyndleford_fire_meridian-wire.txt").read_bytes()
    changed = article.replace(b"Wyndleford", b"Wyndleford town")
    response = client.post(
        "/ingest",
        data={"token": TOKEN},
        files=[
            ("files", ("../../outside.txt", changed, "text/plain")),
            ("files", ("broken.bin", b"\x00\x01\x02\x03" * 200, "application/octet-stream")),
        ],
    )
    assert response.status_code == 200, response.text[:500]
    doc = html.fromstring(response.text)
    assert _text(_all(doc, "dd.stored")[0]) == "1"
    assert _text(_all(doc, "dd.rejected")[0]) == "1"
    (reject,) = _all(doc, "ul#rejects", "li.reject")
    assert "upload:broken.bin" in _text(reject)
    sources = [r["source"] for r in _rows(db, "SELECT source FROM articles")]
    assert "upload:../../outside.txt" in sources
    assert _all(doc, "ul#stories", "a.story-link")
    assert not (Path(db).parent.parent / "outside.txt").exists()


def test_pages_ingest_without_input_asks_for_some(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    response = client.post("/ingest", data={"token": TOKEN, "title": "kept"})
    assert response.status_code == 400
    doc = html.fromstring(response.text)
    assert _all(doc, ".form-error")
    assert doc.xpath("//input[@name='title']/@value") == ["kept"]
    assert not doc.xpath("//input[@name='token']/@value")  # never sent back


# --- the seeds --------------------------------------------------------------------------------


def test_pages_seeds_story_page_shows_both_outlets_quote_exclusives_events(
    tmp_path: Path,
) -> None:
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip(f"{seeds} is absent: the labelled data in ../shared is not beside this clone")
    db = tmp_path / "seeds.db"
    with Store(db) as store:
        summary = ingest([seeds], store, Options())
    assert summary.stored == 2, summary.as_dict()
    (row,) = _rows(db, "SELECT id FROM stories")
    with TestClient(create_app(ServerConfig(db))) as client:
        doc = _page(client, f"/stories/{row['id']}")
    columns = _all(doc, "section#outlets", "> article.outlet-column")
    assert len(columns) == 2
    outlets = [c.get("data-outlet") for c in columns]
    assert "The Washington Times" in outlets
    unnamed = next(o for o in outlets if o != "The Washington Times")
    assert unnamed.startswith("article ")  # the outlet is not invented
    # the Foreign Ministry's statement, shortened by The Washington Times
    (quote,) = [
        q
        for q in _all(doc, "section#quotes", ".quote")
        if "Foreign Ministry" in _text(_all(q, ".speaker")[0])
    ]
    (shortened,) = [r for r in _all(quote, ".rendition") if _all(r, ".fidelity.fidelity-shortened")]
    assert shortened.get("data-outlet") == "The Washington Times"
    dropped = " ".join(_text(d) for d in _all(shortened, ".diff", "del"))
    assert "universal international legal mechanism" in dropped
    assert _all(quote, ".fidelity.fidelity-verbatim")
    # each outlet's exclusives, and both kinds of sentences side by side
    exclusives = {
        e.get("data-outlet") for e in _all(doc, "section#exclusives", ".exclusive-outlet")
    }
    assert exclusives == set(outlets)
    assert _all(doc, "section#outlets", "span.sentence.shared")
    assert _all(doc, "section#outlets", "span.sentence.exclusive")
    assert len(_all(doc, "section#events", ".event")) >= 5


def test_pages_unknown_page_is_an_html_404_but_api_keeps_json(client: TestClient) -> None:
    doc = _page(client, "/no/such/page", status=404)
    assert "/no/such/page" in _text(doc.xpath("//main")[0])
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
