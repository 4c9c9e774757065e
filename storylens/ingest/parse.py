"""Parsing: bytes of one input become article drafts (pure; no I/O).

Text is decoded (UTF-8, else the detected legacy encoding), HTML pages go through trafilatura,
JSON and JSON Lines records, the rows of CSV and TSV tables (tables.py) and RSS/Atom feed items
become one draft each. Every input that cannot become an article is returned as a Reject with
its reason; the others go on.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import charset_normalizer
import feedparser
import trafilatura
from lxml import etree

from ..errors import RejectedInput
from ..model import Draft, RawInput, Reject
from .dates import parse_date, record_date, struct_date
from .records import html_fragment_to_text as html_fragment_to_text
from .records import maybe_html, text_or_none
from .records import record_draft as record_draft
from .tables import TABLE_KINDS, parse_table

SHORT_BODY_WORDS = 80
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# The single-byte encoding most legacy Western web text is in (WHATWG reads latin-1 labels as
# it too); preferred when detection finds it as plausible as another single-byte code page.
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}


def decode(data: bytes) -> str:
    """Bytes to text: by byte-order mark, UTF-8, else the encoding charset-normalizer detects.

    Raises RejectedInput("binary") for data that is not text, ("undecodable") when no encoding fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise RejectedInput("undecodable", f"bad {encoding} text: {error}") from error
    if b"\x00" in data[:8192]:
        raise RejectedInput("binary", "the file holds binary data (NUL bytes), not text")
    sample = data[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise RejectedInput("binary", "the file holds binary data (control bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise RejectedInput("undecodable", "the text's encoding could not be detected")
    for match in matches:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.02:
            return str(match)
    return str(best)


def parse_input(raw: RawInput) -> list[Draft | Reject]:
    """All drafts of one input, with a Reject for each part that cannot be used. Never
    raises: an input that fails in any way (nested too deeply, say) is rejected whole."""
    try:
        text = decode(raw.data)
        if raw.kind == "html":
            draft = parse_html(raw.source, text, raw.url)
            if draft.published is None and raw.date:
                # a page that gives no date of its own: when it was archived (news archives
                # such as CC-NEWS fetch pages within hours of publication)
                draft = replace(draft, published=parse_date(raw.date) or None)
            return [draft]
        if raw.kind == "json":
            return parse_json(raw.source, text)
        if raw.kind in TABLE_KINDS:
            return parse_table(raw.source, text, raw.kind == "tsv", dict(raw.columns))
        if raw.kind == "feed":
            return parse_feed(raw.source, raw.data)
        return [Draft(source=raw.source, kind="text", raw=text, text=text)]
    except Exception as error:  # noqa: BLE001 - whatever one input does, it is its reject
        rejected = RejectedInput.of(error)
        return [Reject(raw.source, rejected.reason, rejected.detail)]


# -- HTML ------------------------------------------------------------------------------------


def parse_html(source: str, html: str, url: str | None = None) -> Draft:
    """A web page to a draft: trafilatura extracts the body and the page's metadata."""
    document = _extract(html, url, favor_precision=True)
    body = getattr(document, "text", None) if document is not None else None
    if len((body or "").split()) < SHORT_BODY_WORDS:
        # Precision mode sometimes keeps only a notice and misses the article: ask again
        # without it and keep the longer body.
        second = _extract(html, url, favor_precision=False)
        second_body = getattr(second, "text", None) if second is not None else None
        if len((second_body or "").split()) > len((body or "").split()):
            document, body = second, second_body
    if not body or not body.strip():
        raise RejectedInput("no-article-body", "no article body was found in the page")
    return Draft(
        source=source,
        kind="html",
        raw=html,
        text=_drop_lead_metadata(body, document.title),
        title=document.title or None,
        outlet=document.sitename or None,
        url=document.url or url,
        published=parse_date(document.date) if document.date else None,
        language=page_language(html),
    )


# Where a page declares its language: the root element's lang (or xml:lang) attribute, else
# a Content-Language or og:locale meta element; looked for in the page's head.
_HTML_LANG = re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_META_LANG = re.compile(
    r"<meta\b[^>]*?(?:http-equiv\s*=\s*[\"']?content-language|property\s*=\s*[\"']?og:locale)"
    r"[^>]*?\scontent\s*=\s*[\"']?([^\"'\s>,]+)",
    re.IGNORECASE,
)
_HEAD_CHARS = 50_000


def page_language(html: str) -> str | None:
    """The language a web page declares for itself, as written ("pt-BR"), or None."""
    head = html[:_HEAD_CHARS]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return match.group(1) if match else None


def _extract(html: str, url: str | None, favor_precision: bool) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_precision=favor_precision,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:  # translated at the boundary
        raise RejectedInput("bad-html", f"the page cannot be parsed: {error}") from error


def _drop_lead_metadata(body: str, title: str | None) -> str:
    """Trafilatura may repeat the headline as the body's first line."""
    lines = body.split("\n")
    known = {_squash(title)} if title else set()
    while lines and known and _squash(lines[0]) in known | {""}:
        lines.pop(0)
    return "\n".join(lines)


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


# -- JSON and JSON Lines -------------------------------------------------------------------------


def parse_json(source: str, text: str) -> list[Draft | Reject]:
    """A JSON document (an object or a list of objects) or JSON Lines (one object a line)."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            records = _loads(stripped)
        except json.JSONDecodeError as error:
            return [Reject(source, "bad-json", f"not valid JSON: {error}")]
        return [record_draft(f"{source}#item{i + 1}", r) for i, r in enumerate(records)]
    if stripped.startswith("{") and "\n" in stripped:
        try:  # a single pretty-printed object
            return [record_draft(source, _loads(stripped))]
        except json.JSONDecodeError:
            pass
    results: list[Draft | Reject] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#line{number}"
        try:
            record = _loads(line)
        except json.JSONDecodeError as error:
            results.append(Reject(where, "bad-json", f"line {number} is not valid JSON: {error}"))
            continue
        except RejectedInput as rejected:
            results.append(Reject(where, rejected.reason, rejected.detail))
            continue
        results.append(record_draft(where, record))
    return results


def _loads(text: str) -> Any:
    """json.loads; raises its JSONDecodeError for text that is not JSON, and RejectedInput
    for JSON that Python will not hold: nested too deeply (``too-deep``) or with an integer
    of more digits than it converts (``number-too-large``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:
        raise RejectedInput.of(error) from error


def _feed_outlet(title: str | None) -> str | None:
    """A feed's title names its outlet, often followed by a section ("Gazette - Top Stories")."""
    if not title:
        return None
    return re.split(r"\s+[-–—|:]\s+|:\s+", title, maxsplit=1)[0].strip() or None


# -- RSS and Atom ----------------------------------------------------------------------------------


def parse_feed(source: str, data: bytes) -> list[Draft | Reject]:
    """Every item of an RSS or Atom feed with full content becomes a draft. Raises
    RejectedInput("unsafe-xml") for a feed whose DOCTYPE declares entities (see
    _refuse_entities), ("bad-feed") for one that cannot be read or has no items."""
    _refuse_entities(decode(data))
    feed = feedparser.parse(data)
    if feed.bozo and not any(e.get("content") or e.get("summary") for e in feed.entries):
        error = feed.get("bozo_exception")
        raise RejectedInput("bad-feed", f"the feed cannot be parsed: {error}")
    if not feed.entries:
        raise RejectedInput("bad-feed", "the feed has no items")
    outlet = _feed_outlet(text_or_none(feed.feed.get("title")))
    language = text_or_none(feed.feed.get("language"))
    results: list[Draft | Reject] = []
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{source}#item{number}"
        try:
            results.append(_feed_item(where, entry, outlet, language))
        except Exception as error:  # noqa: BLE001 - whatever one item does, it is its reject
            rejected = RejectedInput.of(error)
            results.append(Reject(where, rejected.reason, rejected.detail))
    return results


# What comes before a document's first element: the XML declaration, comments, the DOCTYPE.
_ROOT = re.compile(r"<[A-Za-z_]")
_ENTITY = re.compile(r"<!ENTITY\s+(?P<name>%?\s*[^\s\"'>]*)")
# An entity whose value is one character reference ("&#160;") expands to one character:
# feedparser keeps such declarations and drops every other.
_CHARACTER_ENTITY = re.compile(
    r"<!ENTITY\s+[A-Za-z_:][\w.:-]*\s+([\"'])&#(?:\d{1,7}|x[0-9A-Fa-f]{1,6});\1\s*>"
)


def _refuse_entities(text: str) -> None:
    """Raise RejectedInput("unsafe-xml") when the document's DOCTYPE declares an entity
    other than one character (``<!ENTITY nbsp "&#160;">`` is kept, as feedparser keeps it).

    Such entities are how a feed expands to billions of characters ("billion laughs") or
    reads local files (external entities). feedparser does not expand them: it drops their
    declarations, and an item that uses one is left with its bare name ("&lol9;") as text.
    A feed that declares them is refused whole, so that no such item is stored."""
    root = _ROOT.search(text)
    prolog = text[: root.start()] if root else text
    declared = _ENTITY.findall(prolog)
    safe = len(_CHARACTER_ENTITY.findall(prolog))
    if len(declared) > safe:
        names = ", ".join(repr(name.strip()) for name in declared[:3])
        raise RejectedInput(
            "unsafe-xml",
            f"the feed's DOCTYPE declares {len(declared)} entities of its own ({names}"
            f"{', ...' if len(declared) > 3 else ''}): they could expand to billions of "
            "characters or read local files, so the feed is refused",
        )


def _feed_item(
    where: str, entry: Any, outlet: str | None, language: str | None = None
) -> Draft | Reject:
    """One feed item as a draft, or a Reject when it carries no content; its language the
    one its content declares (Atom's xml:lang), else the feed's (``language``). Raises
    RejectedInput("bad-date") for an item dated outside the years 1000 to 9999."""
    contents = entry.get("content") or []
    body = contents[0].get("value") if contents else entry.get("summary")
    if not body or not str(body).strip():
        return Reject(where, "no-text", "the feed item carries no content")
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    published = struct_date(moment) if moment else None
    given = entry.get("published") or entry.get("updated")
    if published is None and isinstance(given, str):
        record_date(given)  # a date feedparser could not place: rejected when out of range
    item = {k: entry.get(k) for k in ("id", "title", "link", "published", "updated")}
    item["content"] = body
    return Draft(
        source=where,
        kind="feed",
        raw=json.dumps(item, ensure_ascii=False, sort_keys=True),
        text=maybe_html(str(body)),
        title=text_or_none(entry.get("title")),
        outlet=outlet,
        url=text_or_none(entry.get("link")),
        published=published,
        external_id=text_or_none(entry.get("id")),
        language=text_or_none(contents[0].get("language") if contents else None) or language,
    )
