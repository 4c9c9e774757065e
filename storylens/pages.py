"""The web pages: server-rendered HTML (Jinja2 templates in storylens/web/templates) that
works without JavaScript; the local static files in storylens/web/static only help.

Every piece of article text reaches the page escaped: the templates autoescape, and the few
fragments of HTML built here (an article's text with its sentences, quotes and entities
marked) are assembled from pieces each passed through ``markupsafe.escape`` first.
"""

from __future__ import annotations

import hmac
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .api import WEB, WRITE_LOCK, ServerConfig, ViewCache, get_config, get_store
from .errors import NotFoundError, StoreError, StorylensError, UsageError
from .lexicon import TYPES
from .model import Article, Assignment, Draft, RawInput, Reject
from .options import Options
from .pipeline import Ingestor, IngestSummary, Unit, feed
from .sources import list_files, read_inputs
from .store import Store
from .views import (
    all_events,
    article_view,
    attribution_view,
    entity_detail,
    event_outlets,
    event_view,
    story_list,
    story_summary,
    story_view,
)

router = APIRouter(include_in_schema=False)
# autoescape on for every template: article text can hold "<script>" and must run nothing
templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.autoescape = True
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

StoreDep = Annotated[Store, Depends(get_store)]
ConfigDep = Annotated[ServerConfig, Depends(get_config)]

STORIES_PER_PAGE = 20
ENTITIES_PER_PAGE = 50
EVENTS_PER_PAGE = 50
# The PLOVER event types (CAMEO2PLOVER-2021), for the events page's filter.
EVENT_TYPES = TYPES
# The timeline draws each article on a track of this many steps (CSS classes at-0 ... at-20:
# the content security policy forbids style attributes, so positions are classes).
TIMELINE_STEPS = 20
# Up to this many articles stand in one row of columns (scrolling sideways); more wrap.
MAX_COLUMNS = 12


# --- rendering helpers ------------------------------------------------------------------------


def _render(
    request: Request, name: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    config: ServerConfig = request.app.state.config
    page = {"writable": config.write_token is not None, "nav": "", **context}
    response: HTMLResponse = templates.TemplateResponse(request, name, page, status_code=status)
    return response


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return _render(request, "error.html.j2", {"title": title, "message": message}, status)


def _not_found(request: Request, error: StorylensError) -> HTMLResponse:
    return _error(request, 404, "Not found", str(error))


def _page_number(value: str | None) -> int:
    """The page asked for, from 1; anything that is not a positive number is page 1."""
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _blank(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _link(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return f"{path}?{urlencode(kept)}" if kept else path


def _pages(
    path: str, params: dict[str, Any], page: int, total: int, per_page: int
) -> dict[str, Any]:
    last = max(1, -(-total // per_page))
    return {
        "page": page,
        "last": last,
        "total": total,
        "prev": _link(path, {**params, "page": page - 1}) if page > 1 else None,
        "next": _link(path, {**params, "page": page + 1}) if page < last else None,
    }


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


def _paragraph_marks(text: str) -> list[Mark]:
    """One <p> per paragraph (paragraphs are joined by blank lines in a cleaned text)."""
    marks, start = [], 0
    for paragraph in text.split("\n\n"):
        end = start + len(paragraph)
        if paragraph.strip():
            marks.append(Mark(start, end, Markup("<p>"), Markup("</p>"), 0))
        start = end + 2
    return marks


# --- stories ----------------------------------------------------------------------------------


def _fts_fallback(query: str) -> str:
    """A search box's words as an FTS5 query of quoted terms (for input that is not valid
    FTS5 syntax: "U.S.", an unbalanced quote)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    to: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    date_from = _blank(request.query_params.get("from"))
    filters = {
        "q": _blank(q),
        "from": date_from,
        "to": _blank(to),
        "outlet": _blank(outlet),
        "entity": _blank(entity),
    }
    number = _page_number(page)
    context: dict[str, Any] = {"nav": "stories", "filters": filters, "stories": [], "error": None}
    status = 200

    def listing(query: str | None) -> dict[str, Any]:
        return story_list(
            store,
            query=query,
            outlet=filters["outlet"],
            entity=filters["entity"],
            date_from=filters["from"],
            date_to=filters["to"],
            limit=STORIES_PER_PAGE,
            offset=(number - 1) * STORIES_PER_PAGE,
        )

    try:
        try:
            found = listing(filters["q"])
        except (UsageError, StoreError):
            fallback = _fts_fallback(filters["q"] or "")
            if not filters["q"] or not fallback or fallback == filters["q"]:
                raise
            found = listing(fallback)
        context["stories"] = found["stories"]
        context["pages"] = _pages("/", filters, number, found["total"], STORIES_PER_PAGE)
    except NotFoundError as error:
        context["error"] = str(error)
    except (UsageError, StoreError) as error:
        context["error"] = str(error)
        status = 400
    return _render(request, "stories.html.j2", context, status)


# --- one story --------------------------------------------------------------------------------


def _sentence_marks(
    article: Article,
    facts: dict[tuple[str, int], tuple[int, dict[str, Any]]],
    copy_of: str | None,
) -> list[Mark]:
    """Paragraphs, and every sentence marked shared (with the outlets that report it) or
    exclusive; ``data-fact`` numbers the fact, the same in every column. ``copy_of``: the
    outlet this article is a wire copy of, which its sentences speak for."""
    marks = _paragraph_marks(article.text)
    copied = f"Wire copy of {copy_of}: counts as it. " if copy_of else ""
    extra = " from-copy" if copy_of else ""
    for sentence in article.sentences:
        number, fact = facts.get((article.id, sentence.index), (-1, None))
        if fact is not None and fact["shared"]:
            outlets = ", ".join(fact["outlets"])
            opening = Markup(
                '<span class="sentence shared{}" data-fact="{}" data-outlets="{}" '
                'title="{}Reported by {}">'
            ).format(extra, number, outlets, copied, outlets)
        else:
            label = ", ".join(fact["outlets"]) if fact is not None else ""
            where = f"Only in {label}" if label else "Only in this article"
            opening = Markup(
                '<span class="sentence exclusive{}" data-fact="{}" title="{}">'
            ).format(extra, number, copied + where)
        marks.append(Mark(sentence.start, sentence.end, opening, Markup("</span>"), 1))
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


def _evidence(mention: dict[str, Any]) -> Markup:
    """An event report's sentence, escaped, with its trigger words in <strong>."""
    sentence = mention["sentence"]
    start = mention["trigger_span"][0] - mention["sentence_span"][0]
    end = mention["trigger_span"][1] - mention["sentence_span"][0]
    if not 0 <= start < end <= len(sentence):
        return Markup(escape(sentence))
    return mark_up(
        sentence, [Mark(start, end, Markup('<strong class="trigger">'), Markup("</strong>"), 0)]
    )


def _with_evidence(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for event in events:
        for mention in event["mentions"]:
            mention["evidence"] = _evidence(mention)
    return events


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: StoreDep) -> Response:
    """The story page, rendered once per version of the story (ViewCache)."""
    try:
        version = store.story_version(story_id)
    except NotFoundError as error:
        return _not_found(request, error)
    cache: ViewCache = request.app.state.views
    body = cache.get(
        ("page-story", story_id, version), lambda: _story_page(request, story_id, store).body
    )
    return HTMLResponse(body)


def _story_page(request: Request, story_id: str, store: Store) -> HTMLResponse:
    story = story_view(store, story_id)
    articles = {article.id: article for article, _ in store.story_articles(story_id)}
    facts: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    for number, fact in enumerate(story["facts"]):
        for sentence in fact["sentences"]:
            facts[(sentence["article_id"], sentence["index"])] = (number, fact)
    for item in story["articles"]:
        article = articles.get(item["id"])
        item["body"] = (
            mark_up(
                article.text,
                _sentence_marks(
                    article,
                    facts,
                    (item["wire_copy_of_outlet"] or item["wire_copy_of"])
                    if item["wire_copy_of"]
                    else None,
                ),
            )
            if article
            else Markup("")
        )
    counts = {"shared": 0, "exclusive": 0}
    for fact in story["facts"]:
        counts["shared" if fact["shared"] else "exclusive"] += len(fact["sentences"])
    context = {
        "story": story,
        "sentence_counts": counts,
        "speakers": _speakers(story["attributions"], story["entities"]),
        "timeline": _timeline(story["articles"]),
        "events": _with_evidence(story["events"]),
        "columns": len(story["articles"]) if len(story["articles"]) <= MAX_COLUMNS else "many",
    }
    return _render(request, "story.html.j2", context)


# --- one article ------------------------------------------------------------------------------


def _article_marks(
    article: Article, attributions: list[dict[str, Any]], mentions: list[Any]
) -> tuple[list[Mark], dict[int, list[Markup]]]:
    """Paragraphs; attributions (content, cue, speaker as written) with the speaker named
    after the content; entity mentions linked to their page (overlapping mentions: the
    first, longest kept, since links cannot nest)."""
    marks = _paragraph_marks(article.text)
    after: dict[int, list[Markup]] = {}
    named: set[tuple[int, str]] = set()  # one speaker tag where statements end together
    for number, item in enumerate(attributions):
        speaker = item["speaker"] or item["speaker_text"] or "speaker not resolved"
        label = f"{item['kind']} attribution to {speaker} ({item['cue']})"
        for start, end in item["content_spans"]:
            marks.append(
                Mark(
                    start,
                    end,
                    Markup(
                        '<mark class="attribution attribution-{}" data-attribution="{}" '
                        'data-speaker="{}" title="{}">'
                    ).format(item["kind"], number, speaker, label),
                    Markup("</mark>"),
                    1,
                )
            )
        end = max((e for _, e in item["content_spans"]), default=None)
        if end is not None and (end, speaker) not in named:
            named.add((end, speaker))
            after.setdefault(end, []).append(
                Markup('<span class="speaker" data-attribution="{}">{}</span>').format(
                    number, speaker
                )
            )
        if item["cue_span"]:
            start, end = item["cue_span"]
            marks.append(Mark(start, end, Markup('<span class="cue">'), Markup("</span>"), 2))
        if item["speaker_span"]:
            start, end = item["speaker_span"]
            marks.append(Mark(start, end, Markup('<span class="source">'), Markup("</span>"), 2))
    taken: list[tuple[int, int]] = []
    for mention in sorted(mentions, key=lambda m: (m.span[0], -m.span[1])):
        start, end = mention.span
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        described = mention.name if not mention.title else f"{mention.title} {mention.name}"
        marks.append(
            Mark(
                start,
                end,
                Markup(
                    '<span class="entity entity-{}" data-entity-id="{}">'
                    '<a href="/entities/{}" title="{} ({})">'
                ).format(
                    mention.kind, mention.entity_id, mention.entity_id, described, mention.kind
                ),
                Markup("</a></span>"),
                3,
            )
        )
    return marks, after


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    try:
        article = store.article(article_id)
    except NotFoundError as error:
        return _not_found(request, error)
    view = article_view(article, full=True)
    attributions = [
        attribution_view(x, article.outlet)
        for x in store.attributions([article.id]).get(article.id, [])
    ]
    mentions = store.mentions([article.id]).get(article.id, [])
    marks, after = _article_marks(article, attributions, mentions)
    entities: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        row = entities.setdefault(
            mention.entity_id,
            {"id": mention.entity_id, "name": mention.name, "kind": mention.kind, "count": 0},
        )
        row["count"] += 1
    reports = store.event_mentions([article.id]).get(article.id, [])
    story_id = store.article_story(article.id)
    story = None
    if story_id:
        try:
            story = store.story(story_id)
        except NotFoundError:
            story = None
    context = {
        "article": view,
        "body": mark_up(article.text, marks, after),
        "attributions": attributions,
        "entities": sorted(entities.values(), key=lambda e: (-e["count"], e["name"])),
        "reports": [
            {
                "type": r.type,
                "mode": r.mode,
                "date": r.date,
                "source": r.source,
                "target": r.target,
                "evidence": _evidence(
                    {
                        "sentence": r.sentence,
                        "sentence_span": r.sentence_span,
                        "trigger_span": r.trigger_span,
                    }
                ),
            }
            for r in reports
        ],
        "story": story,
    }
    return _render(request, "article.html.j2", context)


@router.get("/articles/{article_id}/raw", response_class=HTMLResponse)
def raw_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    try:
        article = store.article(article_id)
    except NotFoundError as error:
        return _not_found(request, error)
    return _render(request, "raw.html.j2", {"article": article_view(article, raw=True)})


# --- entities ---------------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, store: StoreDep, q: str | None = None, page: str | None = None
) -> HTMLResponse:
    query = _blank(q)
    number = _page_number(page)
    # one more than a page, to know whether there is a next one
    found = store.entities(
        limit=ENTITIES_PER_PAGE + 1, offset=(number - 1) * ENTITIES_PER_PAGE, query=query
    )
    params = {"q": query}
    context = {
        "nav": "entities",
        "q": query,
        "entities": found[:ENTITIES_PER_PAGE],
        "prev": _link("/entities", {**params, "page": number - 1}) if number > 1 else None,
        "next": (
            _link("/entities", {**params, "page": number + 1})
            if len(found) > ENTITIES_PER_PAGE
            else None
        ),
        "page": number,
    }
    return _render(request, "entities.html.j2", context)


@router.get("/entities/{name_or_id}", response_class=HTMLResponse)
def entity_page(request: Request, name_or_id: str, store: StoreDep) -> HTMLResponse:
    try:
        entity = entity_detail(store, name_or_id)
    except NotFoundError as error:
        return _not_found(request, error)
    except UsageError as error:  # a name several entities share: list them
        context = {
            "nav": "entities",
            "q": name_or_id,
            "entities": store.entities(limit=ENTITIES_PER_PAGE, query=name_or_id),
            "notice": str(error),
            "page": 1,
        }
        return _render(request, "entities.html.j2", context)
    return _render(
        request,
        "entity.html.j2",
        {
            "nav": "entities",
            "entity": entity,
            "events": _with_evidence(entity["events"]),
            "titles": {s["id"]: s["title"] for s in entity["stories"]},
        },
    )


# --- events -----------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    store: StoreDep,
    story: str | None = None,
    type: str | None = None,  # noqa: A002 - the query parameter's name
    page: str | None = None,
) -> HTMLResponse:
    story_id = _blank(story)
    kind = (_blank(type) or "").upper() or None
    number = _page_number(page)
    context: dict[str, Any] = {
        "nav": "events",
        "story_id": story_id,
        "type": kind,
        "types": EVENT_TYPES,
        "events": [],
        "story": None,
    }
    try:
        events = all_events(store, story_id)
        if story_id:
            context["story"] = store.story(story_id)
    except NotFoundError as error:
        context["error"] = str(error)
        return _render(request, "events.html.j2", context, 404)
    if kind:
        events = [e for e in events if e.type == kind]
    start = (number - 1) * EVENTS_PER_PAGE
    shown = events[start : start + EVENTS_PER_PAGE]
    outlets = event_outlets(store, shown)
    titles: dict[str, str | None] = {}
    for event in shown:
        if event.story_id and event.story_id not in titles:
            titles[event.story_id] = store.story(event.story_id).title
    context["events"] = _with_evidence([event_view(e, outlets) for e in shown])
    context["titles"] = titles
    context["pages"] = _pages(
        "/events", {"story": story_id, "type": kind}, number, len(events), EVENTS_PER_PAGE
    )
    return _render(request, "events.html.j2", context)


# --- ingest -----------------------------------------------------------------------------------


class _Recording(Ingestor):
    """An ingestor that keeps where each stored article went."""

    def __init__(self, store: Store, options: Options) -> None:
        super().__init__(store, options)
        self.assignments: list[Assignment] = []

    def flush(self) -> list[Assignment]:
        done = super().flush()
        self.assignments.extend(done)
        return done


_UNSAFE = re.compile(r"[^\w.\- ]+")


def _safe_name(name: str, number: int) -> str:
    """An uploaded file's name reduced to its last part, without path or odd characters (its
    suffix is kept: it tells the input's kind)."""
    base = re.split(r"[/\\]", name)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return f"{number:03d}-{base or 'upload'}"


@dataclass
class _Upload:
    name: str
    data: bytes


def _ingest(
    store: Store, config: ServerConfig, uploads: list[_Upload], draft: Draft | None
) -> tuple[IngestSummary, list[str]]:
    """Run the real pipeline over uploaded files (written to a temporary folder, read as any
    input is, their sources named "upload:NAME") and a pasted article; in this process, one
    input after another. Returns the summary and the stories the new articles joined."""
    started = time.perf_counter()
    ingestor = _Recording(store, config.options)
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as folder:
        names: dict[str, str] = {}
        for number, upload in enumerate(uploads, start=1):
            path = Path(folder) / _safe_name(upload.name, number)
            path.write_bytes(upload.data)
            names[str(path)] = upload.name

        def units() -> Iterator[Unit]:
            files = list_files([Path(folder)]) if uploads else []
            for item in read_inputs(files, config.options):
                ingestor.summary.inputs += 1
                label = f"upload:{names.get(item.source, Path(item.source).name)}"
                renamed: RawInput | Reject = replace(item, source=label)
                yield renamed, True
            if draft is not None:
                ingestor.summary.inputs += 1
                yield draft, True

        with WRITE_LOCK:  # one writer: the API's POST /api/articles takes the same lock
            feed(units(), ingestor, parallel=False)
    ingestor.summary.seconds = time.perf_counter() - started
    stories = list(dict.fromkeys(a.story_id for a in ingestor.assignments))
    return ingestor.summary, stories


def _ingest_form(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    return _render(request, "ingest.html.j2", {"nav": "ingest", "form": {}, **context}, status)


def _read_only(request: Request) -> HTMLResponse:
    return _error(
        request,
        403,
        "Read-only server",
        "This server is read-only: ingesting needs a server started with --write-token "
        "(or STORYLENS_WRITE_TOKEN).",
    )


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, config: ConfigDep) -> HTMLResponse:
    if config.write_token is None:
        return _read_only(request)
    return _ingest_form(request)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_submit(request: Request, config: ConfigDep) -> Response:
    if config.write_token is None:
        return _read_only(request)
    limit = int(config.max_body_mb * 1024 * 1024)
    form = await request.form(max_files=1000, max_fields=100, max_part_size=limit)
    try:
        fields = {
            key: value.strip()
            for key in ("token", "text", "title", "outlet", "date", "url")
            if isinstance(value := form.get(key), str)
        }
        uploads = [
            _Upload(item.filename or "upload", await item.read())
            for item in form.getlist("files")
            if isinstance(item, UploadFile) and item.filename
        ]
    finally:
        await form.close()
    kept = {k: v for k, v in fields.items() if k != "token"}
    token = fields.get("token", "")
    if not token or not hmac.compare_digest(
        token.encode("utf-8"), config.write_token.encode("utf-8")
    ):
        return _ingest_form(request, 401, form=kept, error="The write token is missing or wrong.")
    uploads = [u for u in uploads if u.data]
    text = fields.get("text", "")
    if not uploads and not text:
        return _ingest_form(
            request, 400, form=kept, error="Choose files to upload or paste an article's text."
        )
    draft = None
    if text:
        draft = Draft(
            source=f"pasted:{fields.get('title') or text[:40]}",
            kind="text",
            raw=text,
            text=text,
            title=fields.get("title") or None,
            outlet=fields.get("outlet") or None,
            url=fields.get("url") or None,
            published=fields.get("date") or None,
        )

    def run() -> tuple[IngestSummary, list[dict[str, Any]]]:
        store = Store(config.db, create=False)
        try:
            summary, story_ids = _ingest(store, config, uploads, draft)
            found = []
            for story_id in story_ids:
                try:
                    found.append(story_summary(store.story(story_id)))
                except NotFoundError:
                    continue
            return summary, found
        finally:
            store.close()

    try:
        summary, stories = await run_in_threadpool(run)
    except StorylensError as error:
        return _error(request, 500, "Ingest failed", str(error))
    return _render(
        request, "ingest_result.html.j2", {"nav": "ingest", "summary": summary, "stories": stories}
    )


# --- anything else ----------------------------------------------------------------------------


@router.get("/{path:path}", response_class=HTMLResponse)
def unknown_page(request: Request, path: str) -> HTMLResponse:
    """A page that does not exist: the site's own 404 page (under /api/, the API's JSON
    error shape). Registered last, after every other page."""
    if path == "api" or path.startswith("api/"):
        raise HTTPException(404, f"no endpoint at /{path}")
    return _error(request, 404, "Not found", f"There is no page at /{path}.")
