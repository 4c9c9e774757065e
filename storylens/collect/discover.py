"""What a source's bytes hold (pure; no I/O): its kind, read from the content (an RSS or Atom
feed, a news sitemap, a sitemap index, or a site's front page), and the links it gives.

Feeds are read by feedparser and sitemaps by lxml, from bytes storylens fetched itself; a
front page's feeds are found by trafilatura's ``determine_feed`` (its ``<link
rel="alternate">`` and obvious feed links), which reads the HTML it is handed and fetches
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser
from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed

from ..errors import FetchFailed
from ..ingest.parse import html_fragment_to_text, parse_feed
from ..model import Draft
from .urls import normalise

# A feed item's content is the full article when it has at least this many words and more
# than its summary (or is its summary).
FULL_CONTENT_WORDS = 80

_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_KINDS = {
    "rss": "feed", "feed": "feed", "rdf": "feed", "urlset": "sitemap",
    "sitemapindex": "sitemap-index", "html": "page",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Link:
    """An article a source gives: its normalised URL and, for a feed item that carries the
    whole article, its draft (then the page is not fetched)."""

    url: str
    draft: Draft | None = None


def kind_of(body: bytes, content_type: str) -> str:
    """The kind of a source from what it holds: ``feed``, ``sitemap``, ``sitemap-index`` or
    ``page``. Raises FetchFailed("not-xml") for bytes that are no markup, ("unknown-xml")
    for markup of another kind."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<"):
        raise FetchFailed("not-xml", "the source is neither XML nor HTML")
    first = _FIRST_ELEMENT.search(start[:65536])  # past the declaration and DOCTYPE
    if first is not None:
        local = first.group(1).decode("ascii").lower().rsplit(":", 1)[-1]
        if local in _KINDS:
            return _KINDS[local]
    if content_type == "text/html":
        return "page"
    raise FetchFailed("unknown-xml", "the source is XML but not a feed or a sitemap")


def feed_links(body: bytes, url: str) -> list[Link]:
    """The articles of a feed, each item with a link; an item with its whole article in it
    carries its draft (parsed as ``storylens ingest`` parses a feed)."""
    feed = feedparser.parse(body)
    entries = list(feed.entries)
    if feed.bozo and not entries:
        raise FetchFailed("bad-feed", f"the feed cannot be read: {feed.get('bozo_exception')}")
    drafts: list[Any] = []
    if any(_full(entry) for entry in entries):
        try:
            drafts = parse_feed(url, body)
        except Exception:  # noqa: BLE001 - a feed refused whole: its pages are fetched instead
            drafts = []
    links: list[Link] = []
    for number, entry in enumerate(entries):
        link = normalise(str(entry.get("link") or ""), url)
        if link is None:
            continue
        draft = drafts[number] if number < len(drafts) and _full(entry) else None
        links.append(Link(link, draft if isinstance(draft, Draft) else None))
    return links


def _full(entry: Any) -> bool:
    """Whether a feed item carries the whole article: content (content:encoded, Atom's
    content) of some length, longer than its summary or the same."""
    contents = entry.get("content") or []
    content = str(contents[0].get("value") or "") if contents else ""
    words = len(html_fragment_to_text(content).split()) if content else 0
    if words < FULL_CONTENT_WORDS:
        return False
    summary = str(entry.get("summary") or "")
    return summary == content or words > len(html_fragment_to_text(summary).split())


def sitemap_links(body: bytes, url: str) -> list[str]:
    """The URLs a sitemap (``<url><loc>``) or a sitemap index (``<sitemap><loc>``) lists,
    normalised, in order."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise FetchFailed("not-xml", f"the sitemap is not well-formed XML: {error}") from error
    found: list[str] = []
    for element in root.iter("{*}loc"):
        link = normalise((element.text or "").strip(), url)
        if link is not None:
            found.append(link)
    return list(dict.fromkeys(found))


def page_feeds(body: bytes, url: str) -> list[str]:
    """The feeds a site's front page links to, normalised."""
    parts = urlsplit(url)
    params = FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.netloc, url)
    html = body.decode("utf-8", errors="replace")
    try:
        feeds = determine_feed(html, params)
    except (ValueError, TypeError, etree.LxmlError):
        feeds = []
    found = [link for link in (normalise(f, url) for f in feeds) if link is not None]
    if not found:
        raise FetchFailed("no-feed-found", "the page links to no RSS or Atom feed")
    return list(dict.fromkeys(found))
