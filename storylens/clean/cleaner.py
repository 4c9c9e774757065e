"""Cleaning: a draft becomes an article (pure; no I/O).

Fixes mojibake (ftfy), splits the text into paragraphs, reads the header lines (date, outlet,
title, byline) and the dateline (place, wire agency), drops web boilerplate and repeated
paragraphs, and splits paragraphs into sentences.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

import ftfy
from sentencex import segment

from ..errors import RejectedInput
from ..ingest.dates import find_date
from ..ingest.sources import printable
from ..model import Article, Draft, Reject, Sentence
from .boilerplate import is_related_heading, is_share_target, line_reason
from .header import Header, is_place, read_header, site_of, url_line
from .language import detect, language_of

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’\-]*(?:[ .][A-Za-z.'’\-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?)"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*(?:19|20)\d\d)?))?"
    r"(?:\s*\((?P<wire>[A-Za-z][A-Za-z&.\- ]{0,24})\))?"
    r"\s*(?:[—–]|--|-)\s*(?=\S)"
)
_COPYRIGHT_HOLDER = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?:by\s+)?"
    r"(?P<holder>[A-Z][\w&'’ .-]{1,60}?)"
    r"(?:,?\s+(?:LLC|L\.L\.C\.|Inc|Ltd|Limited|plc|PLC|GmbH|Corp|Corporation|Co|Media Group)\.?)?"
    r"\s*(?:[.|,]|all rights reserved|$)",
    re.IGNORECASE,
)
REPEAT_ANYWHERE_WORDS = 40


def content_id(raw: str) -> str:
    """The article id: a hash of its raw input with white space folded."""
    folded = " ".join(raw.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def warm_up() -> None:
    """Load what cleaning loads lazily, the language model and the place list (about a
    second), now: before worker processes are forked, or a benchmark's clock starts."""
    detect("warm")
    is_place("Paris")


def clean(draft: Draft) -> Article | Reject:
    """One draft to one cleaned article, or a Reject when no article text is left or its
    date is not one that can be placed in time (``bad-date``). Text that cannot be stored as
    UTF-8 (lone surrogates, from a JSON escape or a file name that is not UTF-8) is first
    written with backslash escapes."""
    draft = _printable(draft)
    try:
        article = _clean(draft)
        _check_date(article)
    except RejectedInput as rejected:
        return Reject(draft.source, rejected.reason, rejected.detail)
    return article


_TEXT_FIELDS = ("source", "kind", "raw", "text", "title", "outlet", "url", "published",
                "external_id", "language")


def _printable(draft: Draft) -> Draft:
    """The draft with every text field printable (ingest.sources.printable)."""
    changes = {}
    for name in _TEXT_FIELDS:
        value = getattr(draft, name)
        if isinstance(value, str) and printable(value) is not value:
            changes[name] = printable(value)
    return dataclasses.replace(draft, **changes) if changes else draft


def _check_date(article: Article) -> None:
    """Raise RejectedInput("bad-date") when the article's date is not one Article.timestamp
    places (a draft made elsewhere than ingest.parse may carry any text as its date)."""
    try:
        article.timestamp  # noqa: B018 - read to check it
    except ValueError as error:
        raise RejectedInput("bad-date", str(error)) from error


def _clean(draft: Draft) -> Article:
    text = _fix(draft.text)
    title = _fix(draft.title) if draft.title else None
    removed: list[tuple[str, str]] = []
    units = _paragraphs(text)

    holders: list[str] = []
    header = Header()
    url = draft.url
    # A one-line text record (a headline feed, a teaser) is its own body: nothing to strip.
    if len(units) > 1 or draft.kind == "html":
        found_url = url_line(units[0]) if units else None
        if found_url:  # a URL as the first line is the article's address, not its text
            url = url or found_url
            removed.append(("url", units.pop(0)))
        holders = _copyright_holders(units)
        header = read_header(
            units, title, [draft.outlet or "", *holders], _is_body, site_of(url)
        )
        removed.extend(header.removed)
        units = _drop_repeats(_drop_boilerplate(header.units, removed), removed)
    if not units and draft.kind != "html" and (title or header.title):
        # A text that holds only a headline (under its address and date) is its own body, as a
        # headline record is; a web page needs text of its own (no-article-body).
        units = [title or header.title or ""]
    if not units:
        reason = "no-article-body" if draft.kind == "html" else "no-text"
        raise RejectedInput(reason, "no article text is left after removing boilerplate")
    _check_text(units, draft.kind)

    place, wire, dateline_date = _dateline(units[0])
    article = Article(
        id=content_id(draft.raw),
        source=draft.source,
        kind=draft.kind,
        raw=draft.raw,
        text="\n\n".join(units),
        title=title or header.title,
        outlet=draft.outlet or header.outlet or (holders[0] if holders else None) or site_of(url),
        url=url,
        published=draft.published or header.published or dateline_date,
        place=place,
        wire=wire,
        external_id=draft.external_id,
        paragraphs=units,
        removed=removed,
    )
    article.language = language_of(article.title, article.text, draft.language)
    article.sentences = split_sentences(units)
    return article


# A menu's items: the separators between them and the longest item, in words ("Home | News |
# World News | Contact Us"); a line of at least MENU_ITEMS such items and nothing else is a
# menu, not text.
_MENU_SEPARATOR = re.compile(r"\s*[|·•›»>/]\s*|\s+[-–—]\s+")
MENU_ITEM_WORDS = 3
MENU_ITEMS = 3
# A run of words between separators is text (a sentence, a headline) when it has at least
# TEXT_WORDS words, one of them in lower case ("Storm hits the harbour"), or at least
# ENDED_WORDS words and the end of a sentence ("Ferries resume."); menu labels ("Contact Us",
# "Terms of use") are shorter and end with no full stop.
TEXT_WORDS = 4
ENDED_WORDS = 2
# Scripts without capitals (Chinese, Japanese, Arabic ...), often written without spaces: a
# run is text when it has this many of their letters.
CASELESS_CHARS = 10


def _check_text(units: list[str], kind: str) -> None:
    """Raise RejectedInput when what is left of a web page holds no run of words that reads
    as text: ``not-an-article`` for a page that is only a navigation menu, ``no-article-body``
    for one of short labels or links ("Home | About"). (A text, JSON or feed record of one
    short line is a headline, and kept.)"""
    if kind != "html" or any(_is_text(unit) for unit in units):
        return
    menu = any(_is_menu(u) for u in units)
    found = "a navigation menu" if menu else "short labels"
    sample = " ".join(units)
    sample = sample if len(sample) <= 60 else sample[:59] + "…"
    reason = "not-an-article" if menu else "no-article-body"
    raise RejectedInput(reason, f"no sentence of text, only {found} ({sample!r})")


def _items(unit: str) -> list[list[str]]:
    """The runs of words of a line between menu separators."""
    return [part.split() for part in _MENU_SEPARATOR.split(unit) if part.strip()]


def _is_menu(unit: str) -> bool:
    """Whether a line is only a menu: MENU_ITEMS or more short items, each capitalised (a line
    without separators, "Home News Sport", has a word an item)."""
    items = _items(unit)
    if len(items) == 1:
        items = [[word] for word in items[0]]
    return len(items) >= MENU_ITEMS and all(
        len(words) <= MENU_ITEM_WORDS
        and words[0][:1].isupper()
        and not _SENTENCE_END.search(words[-1])
        for words in items
    )


def _is_text(unit: str) -> bool:
    """Whether a line holds a run of words that reads as text (see TEXT_WORDS)."""
    for words in _items(unit):
        caseless = sum(c.isalpha() and c.islower() == c.isupper() for c in "".join(words))
        if caseless >= CASELESS_CHARS:
            return True
        lower = any(word[:1].islower() for word in words)
        if len(words) >= TEXT_WORDS and lower:
            return True
        if len(words) >= ENDED_WORDS and _SENTENCE_END.search(words[-1]):
            return True
    return False


def _fix(text: str) -> str:
    if text.isascii():
        return text
    return ftfy.fix_text(text, _FTFY)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs: blank-line separated blocks, a line each unless the text is hard-wrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks = [
        [line.strip() for line in block.split("\n") if line.strip()]
        for block in re.split(r"\n\s*\n", text)
    ]
    blocks = [b for b in blocks if b]
    wrapped = sum(len(b) for b in blocks if _is_wrapped(b))
    total = sum(len(b) for b in blocks)
    units: list[str] = []
    for block in blocks:
        if total and wrapped / total > 0.5 and len(block) > 1:
            units.append(" ".join(block))
        else:
            units.extend(block)
    return [re.sub(r"[ \t]+", " ", u) for u in units]


def _is_wrapped(block: list[str]) -> bool:
    """Whether a block's lines were cut at a width: most of its lines are near the longest,
    and those mostly end inside a sentence. Short lines are left out of the second count, so
    that a header (address, headline, date) over one sentence a line is not taken for
    wrapping."""
    inner = [line for line in block[:-1] if not url_line(line)]  # an address is not prose
    if not inner:
        return False
    width = max(len(line) for line in inner)
    long = [line for line in inner if len(line) >= 0.6 * width]
    if len(long) <= len(inner) / 2 or len(block[-1]) > 1.2 * width:
        return False  # lines of every length, or a last line past the width: cut at none
    mean = sum(len(line) for line in long) / len(long)
    ended = sum(1 for line in long if _SENTENCE_END.search(line))
    return 45 <= mean <= 100 and ended / len(long) < 0.5


def _is_body(unit: str) -> bool:
    return len(unit.split()) >= 12 and bool(_SENTENCE_END.search(unit)) or bool(
        _DATELINE.match(unit) and len(unit.split()) >= 8
    )


def _drop_boilerplate(units: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """The lines that are not boilerplate; each removed line goes to ``removed`` with its
    reason. The link list after a related heading goes too, and so does a share target named
    alone ("Facebook") right after a line of share buttons ("Share this:")."""
    kept: list[str] = []
    in_related = False
    in_share = False
    for unit in units:
        if in_related and not _is_body(unit):
            removed.append(("related", unit))
            continue
        in_related = False
        if in_share and is_share_target(unit):
            removed.append(("share", unit))
            continue
        in_share = False
        if is_related_heading(unit):
            in_related = True
            removed.append(("related", unit))
            continue
        reason = line_reason(unit)
        if reason:
            in_share = reason == "share"
            removed.append((reason, unit))
            continue
        kept.append(unit)
    return kept


def _drop_repeats(units: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """Drop a paragraph repeated right after itself (a scraping artefact) or a long one repeated
    anywhere. Short repeats further apart are kept: interviews repeat their questions, tables
    their header rows."""
    seen: set[str] = set()
    kept: list[str] = []
    recent: list[str] = []
    for unit in units:
        key = _key(unit)
        words = key.count(" ") + 1
        if key and (key in recent or (key in seen and words >= REPEAT_ANYWHERE_WORDS)):
            removed.append(("repeated", unit))
            continue
        seen.add(key)
        recent = (recent + [key])[-2:]
        kept.append(unit)
    return kept


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _dateline(first: str) -> tuple[str | None, str | None, str | None]:
    """Place, wire agency and (where it gives the year) date from a dateline
    ("MOSCOW, Jan. 10 (UPI) —", "LISBON, March 4, 2025 —")."""
    match = _DATELINE.match(first)
    if not match:
        return None, None, None
    place = match.group("place").strip()
    letters = [c for c in place.split(",")[0] if c.isalpha()]
    shouting = bool(letters) and all(c.isupper() for c in letters)
    if not shouting and not match.group("wire") and not match.group("date"):
        # "Dunmore, Ohio — " style: a capitalised place with its region after a comma; a
        # capitalised name alone before a dash is as likely a person ("Jo Bell — the chair —").
        words = place.replace(",", " ").split()
        if "," not in place or len(words) > 4 or not all(w[0].isupper() for w in words):
            return None, None, None
    if shouting:
        head, _, tail = place.partition(",")
        place = head.title() + ("," + tail if tail else "")
    wire = match.group("wire")
    found = find_date(match.group("date") or "")
    return place, (wire.strip() if wire else None), (found[0] if found else None)


def _copyright_holders(units: list[str]) -> list[str]:
    """Names in the copyright lines of a text, last first (the site's own line is usually last)."""
    holders: list[str] = []
    for line in reversed(units):
        if line_reason(line) != "copyright":
            continue
        match = _COPYRIGHT_HOLDER.search(line)
        if match:
            holder = match.group("holder").strip(" .,")
            if holder and not re.match(r"(?i)^(all rights|the author|notice)", holder):
                holders.append(holder)
    return holders


def split_sentences(paragraphs: list[str]) -> list[Sentence]:
    """Sentences with character offsets into "\\n\\n".join(paragraphs).

    sentencex (rule-based, Wikimedia) rather than spaCy here: spaCy's tokenizer alone runs at
    about 120 news articles a second on this hardware, too slow for ingest; spaCy runs later,
    in the extraction stages.
    """
    sentences: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(paragraphs):
        cursor = 0
        for piece in segment("en", paragraph):
            piece = piece.strip()
            if not piece:
                continue
            start = paragraph.find(piece, cursor)
            if start < 0:
                start = cursor
            end = start + len(piece)
            cursor = end
            sentences.append(
                Sentence(len(sentences), number, offset + start, offset + end, piece)
            )
        offset += len(paragraph) + 2
    return sentences
