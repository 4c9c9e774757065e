"""Atom feeds (RFC 4287) of stories: an alert's entries, a story list, an entity's stories.

Built with the standard library's ElementTree rather than a feed library: an Atom feed is a
handful of elements, ElementTree escapes every text and attribute it writes, and no
dependency is added for it (feedgen, the library that would do it, pulls in dateutil and
lxml's element API for the same few elements). Pure: the caller gives the entries and the
absolute URLs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
# The time a feed with no entries says it was updated: the Unix epoch, as RFC 3339 wants a
# date-time and an empty feed has none of its own.
_EPOCH = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class FeedEntry:
    """One entry: a stable id (a URI), the story's title, its page's absolute URL, when the
    entry was made or last changed (RFC 3339, UTC), its outlets and article count."""

    id: str
    title: str
    link: str
    updated: str
    outlets: tuple[str, ...]
    articles: int


@dataclass(frozen=True)
class Feed:
    """A feed: its stable id (a URI), title, its own absolute URL, and the absolute URL of
    the page it follows."""

    id: str
    title: str
    self_url: str
    page_url: str


def rfc3339(value: str | None) -> str:
    """A stored time ("2026-01-02T03:04:05Z", or a date "2026-01-02", or an ISO time with an
    offset) as an RFC 3339 UTC time; the epoch when there is none or it cannot be read."""
    if not value:
        return _EPOCH
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _EPOCH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_content(entry: FeedEntry) -> str:
    """The entry's text: its article count and outlets."""
    count = f"{entry.articles} article{'' if entry.articles == 1 else 's'}"
    if not entry.outlets:
        return f"{count}; no outlet named."
    return f"{count} from {', '.join(entry.outlets)}."


def atom_feed(feed: Feed, entries: Iterable[FeedEntry]) -> bytes:
    """The feed as Atom XML (UTF-8), its entries in the order given (newest first, by the
    caller); ``updated`` is the latest entry's time."""
    entries = list(entries)
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    updated = max((rfc3339(e.updated) for e in entries), default=_EPOCH)
    _text(root, "updated", updated)
    ET.SubElement(root, "link", {"rel": "self", "type": ATOM_TYPE, "href": feed.self_url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html",
                                 "href": feed.page_url})
    author = ET.SubElement(root, "author")
    _text(author, "name", "storylens")
    _text(root, "generator", "storylens")
    for entry in entries:
        item = ET.SubElement(root, "entry")
        _text(item, "id", entry.id)
        _text(item, "title", entry.title)
        _text(item, "updated", rfc3339(entry.updated))
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html",
                                     "href": entry.link})
        _text(item, "summary", entry_content(entry))
        content = _text(item, "content", entry_content(entry))
        content.set("type", "text")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _xml_safe(text)
    return element


def _xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold at all (ElementTree escapes
    markup, but would write these as they are, and no reader accepts them)."""
    return "".join(
        c for c in text
        if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )
