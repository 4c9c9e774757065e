"""The article pages: an article's text with its paragraphs, attributions (content, cue and
speaker) and entity mentions marked, and its raw input shown as text.

The article's text reaches the page escaped: the fragments of HTML built here are assembled
by ``read.storypage.mark_up`` from pieces each passed through ``markupsafe.escape`` first.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..errors import NotFoundError
from ..model import Article, EventMention, Mention
from ..read.storypage import Mark, evidence, mark_up, paragraph_marks
from ..read.views import article_view, attribution_view
from ..store import Store
from .deps import StoreDep
from .render import not_found, public_source, render

router = APIRouter(include_in_schema=False)


def _attribution_marks(
    attributions: list[dict[str, Any]],
) -> tuple[list[Mark], dict[int, list[Markup]]]:
    """Attributions marked (content, cue, speaker as written), and the speaker's name to put
    after the content's end (once where statements by one speaker end together)."""
    marks: list[Mark] = []
    after: dict[int, list[Markup]] = {}
    named: set[tuple[int, str]] = set()
    for number, item in enumerate(attributions):
        speaker = item["speaker"] or item["speaker_text"] or "speaker not resolved"
        label = f"{item['kind']} attribution to {speaker} ({item['cue']})"
        opening = Markup(
            '<mark class="attribution attribution-{}" data-attribution="{}" '
            'data-speaker="{}" title="{}">'
        ).format(item["kind"], number, speaker, label)
        for start, end in item["content_spans"]:
            marks.append(Mark(start, end, opening, Markup("</mark>"), 1))
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
    return marks, after


def _entity_marks(mentions: list[Mention]) -> list[Mark]:
    """Entity mentions linked to their page; of overlapping mentions the first, longest is
    kept, since links cannot nest."""
    marks: list[Mark] = []
    taken: list[tuple[int, int]] = []
    for mention in sorted(mentions, key=lambda m: (m.span[0], -m.span[1])):
        start, end = mention.span
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        described = mention.name if not mention.title else f"{mention.title} {mention.name}"
        opening = Markup(
            '<span class="entity entity-{}" data-entity-id="{}">'
            '<a href="/entities/{}" title="{} ({})">'
        ).format(mention.kind, mention.entity_id, mention.entity_id, described, mention.kind)
        marks.append(Mark(start, end, opening, Markup("</a></span>"), 3))
    return marks


def _article_marks(
    article: Article, attributions: list[dict[str, Any]], mentions: list[Mention]
) -> tuple[list[Mark], dict[int, list[Markup]]]:
    """Paragraphs, then attributions, then entity mentions (see _attribution_marks and
    _entity_marks), and what to put after where attributions end."""
    quoted, after = _attribution_marks(attributions)
    marks = [*paragraph_marks(article.text), *quoted, *_entity_marks(mentions)]
    return marks, after


def _entity_counts(mentions: list[Mention]) -> list[dict[str, Any]]:
    """The entities an article mentions, the most mentioned first, then by name."""
    entities: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        row = entities.setdefault(
            mention.entity_id,
            {"id": mention.entity_id, "name": mention.name, "kind": mention.kind, "count": 0},
        )
        row["count"] += 1
    return sorted(entities.values(), key=lambda e: (-e["count"], e["name"]))


def _report_view(report: EventMention) -> dict[str, Any]:
    """An event reported in the article, with its sentence as evidence."""
    return {
        "type": report.type,
        "mode": report.mode,
        "date": report.date,
        "source": report.source,
        "target": report.target,
        "evidence": evidence(
            {
                "sentence": report.sentence,
                "sentence_span": report.sentence_span,
                "trigger_span": report.trigger_span,
            }
        ),
    }


def _found(request: Request, store: Store, article_id: str) -> Article | HTMLResponse:
    """The article, or the 404 page when there is none by that id."""
    try:
        return store.article(article_id)
    except NotFoundError as error:
        return not_found(request, error)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    article = _found(request, store, article_id)
    if isinstance(article, HTMLResponse):
        return article
    attributions = [
        attribution_view(x, article.outlet)
        for x in store.attributions([article.id]).get(article.id, [])
    ]
    mentions = store.mentions([article.id]).get(article.id, [])
    marks, after = _article_marks(article, attributions, mentions)
    reports = store.event_mentions([article.id]).get(article.id, [])
    story_id = store.article_story(article.id)
    story = None
    if story_id:
        try:
            story = store.story(story_id)
        except NotFoundError:
            story = None
    view = article_view(article, full=True)
    view["source"] = public_source(article.source)
    context = {
        "article": view,
        "body": mark_up(article.text, marks, after),
        "attributions": attributions,
        "entities": _entity_counts(mentions),
        "reports": [_report_view(r) for r in reports],
        "story": story,
    }
    return render(request, "article.html.j2", context)


@router.get("/articles/{article_id}/raw", response_class=HTMLResponse)
def raw_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    article = _found(request, store, article_id)
    if isinstance(article, HTMLResponse):
        return article
    view = article_view(article, raw=True)
    view["source"] = public_source(article.source)
    return render(request, "raw.html.j2", {"article": view})
