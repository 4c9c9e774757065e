"""The web pages: server-rendered HTML (Jinja2 templates in storylens/web/templates) that
works without JavaScript; the local static files in storylens/web/static only help.

Every piece of article text reaches the page escaped: the templates autoescape, and the few
fragments of HTML built here (an article's text with its sentences, quotes and entities
marked) are assembled from pieces each passed through ``markupsafe.escape`` first.
"""

from __future__ import annotations

import hmac
import json
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import NotFoundError, StoreError, StorylensError, UsageError
from ..extract.lexicon import TYPES
from ..ingest.sources import list_files, read_inputs
from ..model import Article, Draft
from ..pipeline import Ingestor, IngestSummary, Unit, feed, units_of
from ..read.storypage import (
    PAGE_FORMAT,
    Mark,
    decode_page,
    evidence,
    mark_up,
    paragraph_marks,
    story_page_parts,
    with_evidence,
)
from ..read.views import (
    VIEW_FORMAT,
    all_events,
    article_view,
    attribution_view,
    entity_detail,
    event_outlets,
    event_view,
    refresh_story_views,
    story_list,
    story_summary,
    story_view_json,
)
from ..store.facade import Store
from .api import WEB, WRITE_LOCK, ServerConfig, ViewCache, get_config, get_store

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


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str, store: StoreDep) -> Response:
    """The story page, rendered once per version of the story (ViewCache) from the story's
    view (stored by the ingest, or computed when it is not up to date). Async, and on the
    event loop while it only looks up; a thread for rendering."""
    try:
        version = store.story_version(story_id)
    except NotFoundError as error:
        return _not_found(request, error)
    cache: ViewCache = request.app.state.views
    key = ("page-story", story_id, version)
    body = cache.get(key)
    if body is None:
        stored = store.stored_story_page(story_id, VIEW_FORMAT, PAGE_FORMAT)
        if stored is not None:  # as the ingest rendered it: only the page around it now
            body = _shell(request, decode_page(stored))
        else:
            body = await run_in_threadpool(
                lambda: _shell(request, story_page_parts(json.loads(
                    story_view_json(store, story_id)[1]
                )))
            )
        cache.put(key, body)
    return HTMLResponse(body)


def _shell(request: Request, parts: dict[str, str]) -> bytes:
    """A story page from its parts (see storypage.story_page_parts): the site's header,
    navigation and footer around them."""
    # the content was rendered (and escaped) by the story's template; the title is text
    context = {"title": parts["title"], "content": Markup(parts["content"])}
    return bytes(_render(request, "story.html.j2", context).body)




# --- one article ------------------------------------------------------------------------------


def _article_marks(
    article: Article, attributions: list[dict[str, Any]], mentions: list[Any]
) -> tuple[list[Mark], dict[int, list[Markup]]]:
    """Paragraphs; attributions (content, cue, speaker as written) with the speaker named
    after the content; entity mentions linked to their page (overlapping mentions: the
    first, longest kept, since links cannot nest)."""
    marks = paragraph_marks(article.text)
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
                "evidence": evidence(
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
            "events": with_evidence(entity["events"]),
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
    context["events"] = with_evidence([event_view(e, outlets) for e in shown])
    context["titles"] = titles
    context["pages"] = _pages(
        "/events", {"story": story_id, "type": kind}, number, len(events), EVENTS_PER_PAGE
    )
    return _render(request, "events.html.j2", context)


# --- ingest -----------------------------------------------------------------------------------


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
    ingestor = Ingestor(store, config.options, record=True, views=refresh_story_views)
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as folder:
        names: dict[str, str] = {}
        for number, upload in enumerate(uploads, start=1):
            path = Path(folder) / _safe_name(upload.name, number)
            path.write_bytes(upload.data)
            names[str(path)] = upload.name

        def units() -> Iterator[Unit]:
            files = list_files([Path(folder)]) if uploads else []
            limit = int(config.options.max_file_size_mb * 1024 * 1024)
            for item in read_inputs(files, config.options):
                ingestor.summary.inputs += 1
                label = f"upload:{names.get(item.source, Path(item.source).name)}"
                # a web archive's pages keep their "#record N"
                for unit, ends in units_of([item], limit, ingestor.summary.skipped):
                    named = unit.source.replace(item.source, label, 1)
                    yield replace(unit, source=named), ends
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
