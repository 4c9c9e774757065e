"""Facets on the pages and in the API (web/browse.py, the story list `/`, `/articles`): the
numbers beside a list are the API's for the same filters, each value links to the list with
its filter added, an active value and the filters in force link to the list without them,
the event-type filter reaches the page and the API, and every list page links its CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lxml import html
from lxml.html import HtmlElement

from storylens.web.app import create_app
from storylens.web.deps import ServerConfig


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServerConfig(demo_db))) as test_client:
        yield test_client


def _doc(client: TestClient, path: str) -> HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return html.fromstring(response.text)


def _page_facets(doc: HtmlElement) -> dict[str, list[tuple[str, int, str]]]:
    """Facet -> (label, count, link) of each value, as the page lists them."""
    found: dict[str, list[tuple[str, int, str]]] = {}
    for section in doc.xpath("//section[@data-facet]"):
        found[section.get("data-facet")] = [
            (a.xpath(".//span[@class='facet-label']")[0].text_content(),
             int(a.xpath(".//span[@class='facet-count']")[0].text_content()), a.get("href"))
            for a in section.xpath(".//li/a")
        ]
    return found


def _api_facets(found: dict[str, list[dict[str, object]]]) -> dict[str, list[tuple[str, int]]]:
    return {
        kind: [(str(v.get("name") or v["value"]), int(v["count"])) for v in values]  # type: ignore[call-overload]
        for kind, values in found.items() if values
    }


@pytest.mark.parametrize("query", ["", "outlet=Meridian+Wire", "q=river&language=en",
                                   "event_type=agree", "from=2025-06-01&to=2025-09-30"])
def test_facets_pages_show_the_api_numbers(client: TestClient, query: str) -> None:
    doc = _doc(client, f"/?{query}")
    api = client.get(f"/api/stories?{query}&facets=true").json()
    shown = {k: [(label, n) for label, n, _ in v] for k, v in _page_facets(doc).items()}
    assert shown == _api_facets(api["facets"])
    total = doc.xpath("//p[@class='result-count']")[0].text_content()
    assert total.startswith(f"{api['total']} stor")


def test_facets_pages_articles_show_the_api_numbers(client: TestClient) -> None:
    for query in ("", "outlet=Southbridge+Gazette", "from=2025-03-01&to=2025-03-31"):
        doc = _doc(client, f"/articles?{query}")
        api = client.get(f"/api/articles?{query}&facets=1").json()
        shown = {k: [(label, n) for label, n, _ in v] for k, v in _page_facets(doc).items()}
        assert shown == _api_facets(api["facets"])
        assert len(doc.xpath("//table[@id='articles']/tbody/tr")) == min(api["total"], 50)


def test_facets_pages_links_add_and_remove_filters(client: TestClient) -> None:
    doc = _doc(client, "/?language=en")
    facets = _page_facets(doc)
    label, count, href = facets["outlet"][0]
    assert parse_qs(urlsplit(href).query) == {"language": ["en"], "outlet": [label]}
    narrowed = _doc(client, href)
    assert _page_facets(narrowed)["language"][0][1] == count
    active = narrowed.xpath("//section[@data-facet='outlet']//li[@class='active']/a")
    assert parse_qs(urlsplit(active[0].get("href")).query) == {"language": ["en"]}
    removers = {a.get("aria-label"): a.get("href")
                for a in narrowed.xpath("//ul[@class='active-filters']//a")}
    assert removers[f"Remove the filter Outlet: {label}"] == "/?language=en"
    assert parse_qs(urlsplit(removers["Remove the filter Language: en"]).query) == {
        "outlet": [label]}
    entity = facets["entity"][0]
    assert "entity" in parse_qs(urlsplit(entity[2]).query)
    named = _doc(client, entity[2]).xpath("//ul[@class='active-filters']")[0].text_content()
    assert f"Entity: {entity[0]}" in " ".join(named.split())  # its name, not its id
    month = facets["date"][0]
    dates = parse_qs(urlsplit(month[2]).query)
    assert dates["from"][0] == month[0] + "-01" and dates["to"][0].startswith(month[0])


def test_facets_pages_event_type_filter_and_csv_links(client: TestClient) -> None:
    doc = _doc(client, "/?event_type=AGREE")
    selected = doc.xpath("//select[@id='event_type']/option[@selected]")
    assert [o.get("value") for o in selected] == ["AGREE"]
    assert client.get("/api/stories?event_type=agree").json()["total"] == len(
        doc.xpath("//ul[@id='stories']/li"))
    for path, download in (("/?event_type=AGREE", "/api/stories.csv?event_type=AGREE"),
                      ("/articles?language=en", "/api/articles.csv?language=en"),
                      ("/entities?q=port", "/api/entities.csv?search=port"),
                      ("/events?type=AGREE", "/api/events.csv?type=AGREE")):
        links = _doc(client, path).xpath("//a[@class='csv-link']/@href")
        assert links == [download], path
        assert client.get(download).status_code == 200


def test_facets_pages_story_page_links_its_quotes_csv(client: TestClient) -> None:
    story = client.get("/api/stories?limit=1").json()["stories"][0]["id"]
    # the quotes' CSV (the story's attention chart has a CSV link of its own)
    (href,) = _doc(client, f"/stories/{story}").xpath(
        "//a[@class='csv-link'][contains(@href, 'attributions')]/@href")
    assert href == f"/api/attributions.csv?story={story}"
    rows = list(csv.DictReader(io.StringIO(client.get(href).text)))
    assert rows and {row["story_id"] for row in rows} == {story}
