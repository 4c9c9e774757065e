"""Records into drafts: a JSON record (or a table's row, or a Parquet row read as one) as
an article's draft, and the HTML fragments such records and feed items may hold as text."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from lxml import etree

from ..errors import RejectedInput
from ..model import Draft, Reject
from .dates import record_date

_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt", "div",
    "section", "article", "header", "footer", "aside", "figure", "figcaption", "ul", "ol",
    "table", "dl", "hr", "address",
}


_LINE_BREAK = "\u2028"  # marks a <br> while other white space is folded


def html_fragment_to_text(fragment: str) -> str:
    """An HTML fragment (feed content, a JSON field) to paragraphs separated by blank lines.

    Block elements start and end paragraphs; text between them is kept; white space inside a
    paragraph (source line breaks included) is folded, as a browser would show it.
    """
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = _LINE_BREAK + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    paragraphs = [
        "\n".join(" ".join(line.split()) for line in block.split(_LINE_BREAK)).strip()
        for block in re.split(r"\n\s*\n", text)
    ]
    return "\n\n".join(p for p in paragraphs if p)


def maybe_html(text: str) -> str:
    """Text as it is, or as html_fragment_to_text reads it when it holds block markup."""
    if re.search(r"<(p|div|br|li|h[1-6])\b[^>]*>", text, re.IGNORECASE):
        return html_fragment_to_text(text)
    return text


def record_draft(source: str, record: Any) -> Draft | Reject:
    """A JSON record (or a Parquet row read as one) as a draft, or the Reject saying why it
    cannot be one. Never raises."""
    try:
        return _record_draft(source, record)
    except Exception as error:  # noqa: BLE001 - whatever one record does, it is its reject
        rejected = RejectedInput.of(error)
        return Reject(source, rejected.reason, rejected.detail)


def _record_draft(source: str, record: Any) -> Draft | Reject:
    if not isinstance(record, dict):
        return Reject(source, "bad-json", "the record is not a JSON object")
    body = record.get("text") or record.get("body")
    if not isinstance(body, str) or not body.strip():
        return Reject(source, "no-text", "the record has no 'text' or 'body' string")
    published = record.get("published") or record.get("date")
    outlet = record.get("outlet") or record.get("source")
    return Draft(
        source=source,
        kind="json",
        raw=json.dumps(record, ensure_ascii=False, sort_keys=True),
        text=maybe_html(body),
        title=text_or_none(record.get("title")),
        outlet=text_or_none(outlet),
        url=text_or_none(record.get("url")),
        published=record_date(str(published)) if published is not None else None,
        external_id=text_or_none(record.get("id")),
        language=text_or_none(record.get("language") or record.get("lang")),
    )


def text_or_none(value: Any) -> str | None:
    """A record's value as stripped text; None when it is missing, empty or not a scalar."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None
