"""The story page's content, rendered from a story view without the web server: the ingest
renders it when it stores the view (see stored.refresh_story_views), the server when no stored
rendering is up to date (pages.story_page).

Every piece of article text reaches the page escaped: the templates autoescape, and the few
fragments of HTML built here (an article's text with its sentences marked) are assembled from
pieces each passed through ``markupsafe.escape`` first.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..errors import NotFoundError
from . import attention, chart
from .attention import attention_chart
from .since import published_moment
from .summarypage import sentence_anchor, summary_links

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"
# The templates a stored story page depends on (see PAGE_FORMAT).
PAGE_TEMPLATES = (
    "story_content.html.j2", "_macros.html.j2", "_summary.html.j2", "_developments.html.j2",
    "_story_attention.html.j2", "_attention.html.j2",
)
# The timeline draws each article on a track of this many steps (CSS classes at-0 ... at-20:
# the content security policy forbids style attributes, so positions are classes).
TIMELINE_STEPS = 20
# Up to this many articles stand in one row of columns (scrolling sideways); more wrap.
MAX_COLUMNS = 12
# A story page shows this many articles side by side; a larger story's go on further pages
# (/stories/ID?page=2 ...), each with its own columns, timeline and exclusives.
PAGE_ARTICLES = 40
# Each page shows at most this many of a story's lists: quotes, the renditions of one quote,
# speakers, the outlets that quote one speaker, events, the reports of one event, entities and
# one voice's exclusive facts. The rest are counted on the page, and all are in the story's
# JSON (/api/stories/ID). So a page's size and time do not grow with its story's.
PAGE_QUOTES = 30
PAGE_RENDITIONS = 12
PAGE_SPEAKERS = 30
PAGE_OUTLETS = 12
PAGE_EVENTS = 30
PAGE_EVIDENCE = 5
PAGE_ENTITIES = 100
PAGE_EXCLUSIVES = 20
# The developments shown ("What changed"): the first this many articles that add something,
# each with at most this many of its new sentences; the rest are counted, all in the JSON.
PAGE_DEVELOPMENTS = 30
PAGE_DEVELOPMENT_SENTENCES = 12
# A shared sentence lists the outlets that report it when they are at most this many; more
# are counted (listing them would make every sentence of a large story as long as its list).
LISTED_OUTLETS = 12


@functools.cache
def environment() -> Environment:
    """The templates, autoescaped (article text can hold "<script>" and must run nothing)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


# --- marking up text --------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A span of text to wrap in ``open`` ... ``close``. Marks nest by ``layer`` (lower is
    outer), then by position; a mark crossing an outer one's boundary is split in two."""

    start: int
    end: int
    open: Markup
    close: Markup
    layer: int


def mark_up(
    text: str, marks: Iterable[Mark], after: dict[int, list[Markup]] | None = None
) -> Markup:
    """The text, escaped, with the marks as properly nested HTML: the text is cut at every
    mark's boundary, and at each cut the open tags that end are closed, down to the outermost
    one still running, and those that start (or go on) are opened. ``after``: HTML to insert
    at an offset, once the marks ending there are closed (inside a layer-0 mark ending
    there: a paragraph)."""
    size = len(text)
    # (start, end, key, mark), clipped to the text; the key orders marks outer first
    kept = []
    for number, m in enumerate(marks):
        start, end = max(0, m.start), min(size, m.end)
        if start < end:
            kept.append((start, end, (m.layer, start, -end, number), m))
    inserts = {k: v for k, v in (after or {}).items() if 0 <= k <= size}
    cuts = sorted({0, size, *(k[0] for k in kept), *(k[1] for k in kept), *inserts})
    starting: dict[int, list[tuple[int, int, tuple[int, int, int, int], Mark]]] = {}
    for item in kept:
        starting.setdefault(item[0], []).append(item)
    running: list[tuple[int, int, tuple[int, int, int, int], Mark]] = []
    out: list[str] = []
    stack: list[tuple[int, int, tuple[int, int, int, int], Mark]] = []
    for index, cut in enumerate(cuts):
        following = cuts[index + 1] if index + 1 < len(cuts) else size
        running = [r for r in running if r[1] > cut] + starting.get(cut, [])
        active = sorted(running, key=lambda r: r[2]) if following > cut else []
        same = 0
        while same < min(len(stack), len(active)) and stack[same] is active[same]:
            same += 1
        pending = inserts.get(cut, [])
        for closing in reversed(stack[same:]):
            if pending and closing[3].layer == 0:  # inserted inside the paragraph it ends
                out.extend(str(insert) for insert in pending)
                pending = []
            out.append(str(closing[3].close))
        del stack[same:]
        out.extend(str(insert) for insert in pending)
        for opening in active[same:]:
            out.append(str(opening[3].open))
            stack.append(opening)
        if following > cut:
            out.append(str(escape(text[cut:following])))
    for closing in reversed(stack):
        out.append(str(closing[3].close))
    return Markup("".join(out))


def paragraph_marks(text: str) -> list[Mark]:
    """One <p> per paragraph (paragraphs are joined by blank lines in a cleaned text)."""
    marks, start = [], 0
    for paragraph in text.split("\n\n"):
        end = start + len(paragraph)
        if paragraph.strip():
            marks.append(Mark(start, end, Markup("<p>"), Markup("</p>"), 0))
        start = end + 2
    return marks


# --- the story page ----------------------------------------------------------------------


def _sentence_marks(
    text: str,
    sentences: list[dict[str, Any]],
    facts: dict[tuple[str, int], tuple[int, dict[str, Any]]],
    copy_of: str | None,
) -> list[Mark]:
    """Paragraphs, and every sentence of an article (as its facts list it: ``article_id``,
    ``index``, ``start``, ``end``) marked shared (with the outlets that report it, or when
    there are more than LISTED_OUTLETS, their number: a sentence's mark stays small however
    many outlets report it) or exclusive; ``data-fact`` numbers the fact, the same in every
    column; ``id`` (see sentence_anchor) is where the summary's citations point.
    ``copy_of``: the outlet this article is a wire copy of, which its sentences speak for."""
    marks = paragraph_marks(text)
    copied = f"Wire copy of {copy_of}: counts as it. " if copy_of else ""
    extra = " from-copy" if copy_of else ""
    for sentence in sentences:
        number, fact = facts.get((sentence["article_id"], sentence["index"]), (-1, None))
        anchor = sentence_anchor(sentence["article_id"], sentence["index"])
        if fact is not None and fact["shared"] and len(fact["outlets"]) > LISTED_OUTLETS:
            some = ", ".join(fact["outlets"][:LISTED_OUTLETS])
            # voices that are all articles naming no outlet are counted as articles
            unnamed = all(label.startswith("article ") for label in fact["outlets"])
            opening = Markup(
                '<span class="sentence shared{}" id="{}" data-fact="{}" data-outlet-count="{}" '
                'title="{}Reported by {} {}, among them {}…">'
            ).format(extra, anchor, number, len(fact["outlets"]), copied, len(fact["outlets"]),
                     "articles" if unnamed else "outlets", some)
        elif fact is not None and fact["shared"]:
            outlets = ", ".join(fact["outlets"])
            opening = Markup(
                '<span class="sentence shared{}" id="{}" data-fact="{}" data-outlets="{}" '
                'title="{}Reported by {}">'
            ).format(extra, anchor, number, outlets, copied, outlets)
        else:
            label = ", ".join(fact["outlets"]) if fact is not None else ""
            where = f"Only in {label}" if label else "Only in this article"
            opening = Markup(
                '<span class="sentence exclusive{}" id="{}" data-fact="{}" title="{}">'
            ).format(extra, anchor, number, copied + where)
        marks.append(Mark(sentence["start"], sentence["end"], opening, Markup("</span>"), 1))
    return marks


def _when(published_at: str | None) -> tuple[datetime | None, str, bool]:
    """A publication time as a moment in UTC (None when undated), as shown ("2025-03-04
    16:52 UTC", or the date alone), and whether the time of day was given. A date alone is
    placed at midday, as the grouping stage places it."""
    if not published_at:
        return None, "undated", False
    try:
        moment = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        return None, published_at, False
    if len(published_at) <= 10:
        return moment.replace(hour=12, tzinfo=UTC), published_at, False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC), moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"), True


def _delta(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return "first"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return "+" + " ".join(p for p in parts if p)


def _timeline(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles in publication order, each with its place on a track from the first to
    the last (a step of TIMELINE_STEPS) and the time since the first."""
    rows = []
    for item in articles:
        moment, shown, timed = _when(item["published_at"])
        rows.append({**item, "moment": moment, "shown": shown, "timed": timed})
    dated = [r["moment"] for r in rows if r["moment"] is not None]
    first, last = (min(dated), max(dated)) if dated else (None, None)
    for row in rows:
        moment = row["moment"]
        row["step"], row["after"] = None, ""
        if moment is None or first is None or last is None:
            continue
        at = (moment - first).total_seconds()
        span = (last - first).total_seconds()
        row["step"] = round(TIMELINE_STEPS * at / span) if span > 0 else 0
        row["after"] = _delta(at) if row["timed"] else "time not given"
    rows.sort(key=lambda r: (r["moment"] is None, r["moment"] or first))
    return rows


def _speakers(
    attributions: list[dict[str, Any]], entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Who is quoted or reported, by which outlets, how often; linked to the entity of that
    name where the story has one."""
    by_name: dict[str, str] = {}
    for entity in entities:
        for name in (entity["name"], *entity["aliases"]):
            by_name.setdefault(name.casefold(), entity["id"])
    speakers: dict[str, dict[str, Any]] = {}
    for item in attributions:
        name = item["speaker"] or item["speaker_text"] or "Speaker not resolved"
        row = speakers.setdefault(
            name,
            {
                "name": name,
                "entity_id": by_name.get(name.casefold()),
                "outlets": {},
                "count": 0,
                "kinds": {},
            },
        )
        row["count"] += 1
        outlet = item["outlet"] or "Outlet not named"
        row["outlets"][outlet] = row["outlets"].get(outlet, 0) + 1
        row["kinds"][item["kind"]] = row["kinds"].get(item["kind"], 0) + 1
    return sorted(speakers.values(), key=lambda r: (-len(r["outlets"]), -r["count"], r["name"]))


def evidence(mention: dict[str, Any]) -> Markup:
    """An event report's sentence, escaped, with its trigger words in <strong>."""
    sentence = mention["sentence"]
    start = mention["trigger_span"][0] - mention["sentence_span"][0]
    end = mention["trigger_span"][1] - mention["sentence_span"][0]
    if not 0 <= start < end <= len(sentence):
        return Markup(escape(sentence))
    return mark_up(
        sentence, [Mark(start, end, Markup('<strong class="trigger">'), Markup("</strong>"), 0)]
    )


def with_evidence(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for event in events:
        for mention in event["mentions"]:
            mention["evidence"] = evidence(mention)
    return events


def story_page_parts(
    story: dict[str, Any], page: int = 1, since_error: str | None = None
) -> dict[str, str]:
    """The story page's title and main content (HTML) for a story view (views.story_view):
    what the ingest stores with the view (page 1), and the server wraps in the site's page.
    A view chosen by a date (read.since: ``since`` set, its developments those after it)
    says so; ``since_error``: why the date asked for could not be read.
    A story of more than PAGE_ARTICLES articles has further pages of columns (``page``, from
    1; NotFoundError past the last); every list on a page is capped (see PAGE_*), the rest
    counted, so that a page's size does not grow with its story's."""
    last = max(1, -(-len(story["articles"]) // PAGE_ARTICLES))
    if not 1 <= page <= last:
        raise NotFoundError(f"story {story['id']} has {last} page(s) of articles, not {page}")
    shown = story["articles"][(page - 1) * PAGE_ARTICLES : page * PAGE_ARTICLES]
    articles = _columns(story["facts"], shown)
    counts = {"shared": 0, "exclusive": 0}
    for fact in story["facts"]:
        counts["shared" if fact["shared"] else "exclusive"] += len(fact["sentences"])
    speakers = _speakers(story["attributions"], story["entities"])
    context = {
        "story": {**story, "articles": articles},
        "pages": _pages(story["id"], page, last, len(story["articles"])),
        "sentence_counts": counts,
        "quotes": [
            _capped(q, "renditions", PAGE_RENDITIONS) for q in story["quotes"][:PAGE_QUOTES]
        ],
        "exclusives": _exclusives(story["exclusives"], shown, paged=last > 1),
        "speakers": [_capped(s, "outlets", PAGE_OUTLETS) for s in speakers[:PAGE_SPEAKERS]],
        "more_speakers": max(0, len(speakers) - PAGE_SPEAKERS),
        "timeline": _timeline(articles),
        "events": with_evidence(  # copies: the view itself stays as it was
            [_capped(e, "mentions", PAGE_EVIDENCE) for e in story["events"][:PAGE_EVENTS]]
        ),
        "entities": story["entities"][:PAGE_ENTITIES],
        "summary": summary_links(story, page, PAGE_ARTICLES),
        "columns": len(articles) if len(articles) <= MAX_COLUMNS else "many",
        "developments": _developments(story, since_error),
        "attention_chart": (
            attention_chart(story["attention"], "attention-chart") if "attention" in story else None
        ),
    }
    content = environment().get_template("story_content.html.j2").render(context)
    return {"title": story["title"] or "Untitled story", "content": content}


def _developments(story: dict[str, Any], since_error: str | None) -> dict[str, Any]:
    """What the "What changed" section shows: the developments (at most PAGE_DEVELOPMENTS,
    each with at most PAGE_DEVELOPMENT_SENTENCES sentences), how many there are, the date
    they are since (if any, with the form's value when it is a date) and the first article,
    where the story starts."""
    found = story.get("developments", [])
    since = story.get("since")
    dated = sorted(
        (a for a in story["articles"] if published_moment(a["published_at"]) is not None),
        key=lambda a: (published_moment(a["published_at"]), a["id"]),
    )
    return {
        "shown": [
            _capped(d, "sentences", PAGE_DEVELOPMENT_SENTENCES)
            for d in found[:PAGE_DEVELOPMENTS]
        ],
        "count": len(found),
        "sentences": sum(len(d["sentences"]) for d in found),
        "more": max(0, len(found) - PAGE_DEVELOPMENTS),
        "since": since,
        "since_value": since if since and len(since) == 10 else "",
        "error": since_error,
        "first": dated[0] if dated else None,
    }


def _columns(facts: list[dict[str, Any]], shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles of a page, each with its text marked up sentence by sentence (see
    _sentence_marks): the facts are looked through once, for these articles' sentences."""
    ids = {item["id"] for item in shown}
    numbered: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    sentences: dict[str, list[dict[str, Any]]] = {}
    for number, fact in enumerate(facts):
        for sentence in fact["sentences"]:
            if sentence["article_id"] in ids:
                numbered[(sentence["article_id"], sentence["index"])] = (number, fact)
                sentences.setdefault(sentence["article_id"], []).append(sentence)
    articles = []
    for item in shown:
        copy_of = (
            (item["wire_copy_of_outlet"] or item["wire_copy_of"]) if item["wire_copy_of"] else None
        )
        body = mark_up(
            item["text"],
            _sentence_marks(item["text"], sentences.get(item["id"], []), numbered, copy_of),
        )
        articles.append({**item, "body": body})
    return articles


def _pages(story_id: str, page: int, last: int, total: int) -> dict[str, Any]:
    """Where a page of a story's articles stands: its range, and links to the pages around."""

    def at(number: int) -> str:
        return f"/stories/{story_id}" + (f"?page={number}" if number > 1 else "")

    return {
        "page": page,
        "last": last,
        "first_article": (page - 1) * PAGE_ARTICLES + 1 if total else 0,
        "last_article": min(total, page * PAGE_ARTICLES),
        "total": total,
        "prev": at(page - 1) if page > 1 else None,
        "next": at(page + 1) if page < last else None,
    }


def _capped(item: dict[str, Any], key: str, most: int) -> dict[str, Any]:
    """A copy of a record with at most ``most`` of its list (or dict) ``key``, and how many
    more there are under ``more_<key>``."""
    values = item[key]
    kept = dict(list(values.items())[:most]) if isinstance(values, dict) else list(values[:most])
    if key == "mentions":  # with_evidence adds to each: copies, so the view stays as it was
        kept = [dict(m) for m in kept]
    return {**item, key: kept, f"more_{key}": max(0, len(values) - most)}


def _exclusives(
    exclusives: dict[str, list[dict[str, Any]]], shown: list[dict[str, Any]], paged: bool
) -> list[dict[str, Any]]:
    """Each voice's exclusive facts (at most PAGE_EXCLUSIVES of each); when the story has
    several pages, only the voices of this page's articles."""
    labels = {item["outlet"] or f"article {item['id']}" for item in shown}
    return [
        {"label": label, "facts": facts[:PAGE_EXCLUSIVES], "count": len(facts),
         "more": max(0, len(facts) - PAGE_EXCLUSIVES)}
        for label, facts in exclusives.items()
        if not paged or label in labels
    ]


def encode_page(parts: dict[str, str]) -> bytes:
    """Page parts as they are stored: JSON, compressed."""
    return zlib.compress(json.dumps(parts, ensure_ascii=False).encode(), 6)


def decode_page(body: bytes) -> dict[str, str]:
    return dict(json.loads(zlib.decompress(body)))


def _page_format() -> str:
    """What the stored pages were rendered by: a digest of this module and the templates it
    renders, so that a changed template or helper is never served from an old rendering."""
    digest = hashlib.sha256()
    for module in (__file__, attention.__file__, chart.__file__):  # the chart's drawing too
        digest.update(Path(module).read_bytes())
    for name in PAGE_TEMPLATES:
        digest.update((TEMPLATES / name).read_bytes())
    return digest.hexdigest()[:16]


PAGE_FORMAT = _page_format()
