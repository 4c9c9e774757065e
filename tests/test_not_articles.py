"""Issue 16: inputs that are not articles. A web page that is only a menu, and a feed whose
DOCTYPE declares entities (the "billion laughs"), are rejects with their reason; real pages,
short wire items and ordinary feeds are read as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens import Options, Store, ingest
from storylens.clean.cleaner import clean
from storylens.ingest.parse import parse_input
from storylens.model import Article, Draft, RawInput, Reject

STORY = (
    "The harbour authority of Orvale said on Friday that it would close the northern pier for "
    "three weeks of repairs after divers found cracks in two of its pilings."
)
MENUS = [
    "<div>Home | News | Sport | Weather | Contact</div>",
    '<div><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | '
    '<a href="/weather">Weather</a> | <a href="/contact">Contact</a></div>',
    "<div>Home - World News - Business - Contact Us</div>",
    "<div>Home · Politics · Culture · Travel · About us · Jobs</div>",
    "<div>Home News Sport Weather Contact</div>",
]


def _page(body: str, title: str = "The Daily Post") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


def _prepared(raw: RawInput) -> list[Article | Reject]:
    return [clean(r) if isinstance(r, Draft) else r for r in parse_input(raw)]


@pytest.mark.parametrize("body", MENUS)
def test_clean_page_of_only_a_menu_is_not_an_article(body: str) -> None:
    (result,) = _prepared(RawInput("menu.html", "html", _page(body)))
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("menu.html", "not-an-article")
    assert result.detail.startswith("no sentence of text, only ")
    assert "Home" in result.detail


def test_clean_menu_page_detail_says_it_found_a_navigation_menu() -> None:
    (result,) = _prepared(RawInput("menu.html", "html", _page(MENUS[0])))
    assert isinstance(result, Reject)
    assert "a navigation menu" in result.detail


@pytest.mark.parametrize(
    "body",
    [
        f"<div>Home | News | Sport</div><article><p>{STORY}</p></article>",
        "<p>Ferries resume after storm.</p>",
        "<p>Storm closes the harbour at Orvale</p>",
        "<p>東京の警察は 二十代の男性を 商標法違反の疑いで逮捕した</p>",
    ],
)
def test_clean_page_with_a_sentence_is_still_an_article(body: str) -> None:
    (result,) = _prepared(RawInput("page.html", "html", _page(body)))
    assert isinstance(result, Article), result


@pytest.mark.parametrize("kind", ["text", "json"])
def test_clean_one_line_headline_records_are_still_articles(kind: str) -> None:
    headline = "Coldplay - Magic | Music Video"
    data = headline if kind == "text" else json.dumps({"text": headline})
    (result,) = _prepared(RawInput(f"h.{kind}", kind, data.encode()))
    assert isinstance(result, Article)


def test_pipeline_menu_page_beside_an_article_is_listed_in_rejects(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY + "\n", encoding="utf-8")
    (folder / "menu.html").write_bytes(_page(MENUS[0]))
    with Store(tmp_path / "t.db") as store:
        ingest([folder], store, Options(extract_attributions=False, extract_events=False))
        stored = [Path(row[0]).name for row in store.db.execute("SELECT source FROM articles")]
        rejects = {Path(r["source"]).name: r["reason"] for r in store.rejects()}
    assert stored == ["good.txt"]
    assert rejects == {"menu.html": "not-an-article"}


# -- feeds whose DOCTYPE declares entities --------------------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">'.replace("&lol1;", "&lol;")
    for n in range(2, 10)
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n' + LAUGHS + "\n]>\n"
    '<rss version="2.0"><channel><title>Gazette</title>'
    "<item><title>Laughs</title><description>&lol9;</description></item>"
    f"<item><title>Pier</title><description>{STORY}</description></item>"
    "</channel></rss>"
)
ORDINARY = (
    '<rss version="2.0"><channel><title>Gazette</title>'
    f"<item><title>Pier</title><description>{STORY}{{entity}}</description></item>"
    "</channel></rss>"
)


def test_parse_feed_declaring_nested_entities_is_refused_as_unsafe_xml() -> None:
    assert "&lol8;&lol8;" in LAUGHS and "&lol;&lol;" in LAUGHS
    results = _prepared(RawInput("laughs.xml", "feed", BILLION_LAUGHS.encode()))
    assert len(results) == 1 and isinstance(results[0], Reject)
    assert (results[0].source, results[0].reason) == ("laughs.xml", "unsafe-xml")
    assert "declares 9 entities" in results[0].detail
    assert "'lol'" in results[0].detail


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY secret SYSTEM "file:///etc/passwd">',
        '<!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote;',
        '<!ENTITY name "Orvale">',
    ],
)
def test_parse_feed_declaring_any_entity_of_text_is_refused(declaration: str) -> None:
    feed = f'<?xml version="1.0"?><!DOCTYPE rss [{declaration}]>' + ORDINARY.format(
        entity=""
    )
    (result,) = _prepared(RawInput("feed.xml", "feed", feed.encode()))
    assert isinstance(result, Reject) and result.reason == "unsafe-xml"


@pytest.mark.parametrize(
    ("doctype", "entity"),
    [
        ("", ""),
        ('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
         '"http://my.netscape.com/publish/formats/rss-0.91.dtd">', ""),
        ('<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>', " Repairs start&nbsp;soon."),
    ],
)
def test_parse_feed_without_entities_of_text_is_read_as_before(doctype: str, entity: str) -> None:
    feed = '<?xml version="1.0"?>' + doctype + ORDINARY.format(entity=entity)
    (result,) = _prepared(RawInput("feed.xml", "feed", feed.encode()))
    assert isinstance(result, Article)
    assert result.text.startswith("The harbour authority of Orvale")
