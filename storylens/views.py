"""JSON-ready views of stored records, shared by the CLI, reports and (later) the HTTP API."""

from __future__ import annotations

from typing import Any

from .compare import compare_story, comparison_json
from .model import Article, Attribution, Story
from .store import Store


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "article_count": story.article_count,
        "outlets": story.outlets,
        "wire_copies": story.wire_copies,
    }


def article_view(article: Article, *, full: bool = False, raw: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published_date,
        "published_at": article.published,
        "url": article.url,
        "place": article.place,
        "wire": article.wire,
        "text": article.text,
    }
    if full:
        view["source"] = article.source
        view["kind"] = article.kind
        view["external_id"] = article.external_id
        view["paragraphs"] = article.paragraphs
        view["sentences"] = [
            {"index": s.index, "paragraph": s.paragraph, "start": s.start, "end": s.end,
             "text": s.text}
            for s in article.sentences
        ]
        view["removed"] = [{"reason": r, "text": t} for r, t in article.removed]
    if raw:
        view["raw"] = article.raw
    return view


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    story = store.story(story_id)
    view = story_summary(story)
    articles = []
    pairs = store.story_articles(story_id)
    for article, membership in pairs:
        item = article_view(article)
        item["wire_copy_of"] = membership["wire_copy_of"]
        item["similarity"] = membership["similarity"]
        articles.append(item)
    outlets = {a["id"]: a["outlet"] for a in articles}
    for item in articles:
        copied = item["wire_copy_of"]
        item["wire_copy_of_outlet"] = outlets.get(copied) if copied else None
    view["articles"] = articles
    members = [article for article, _ in pairs]
    found = store.attributions(a.id for a in members)
    view["attributions"] = [
        attribution_view(x, outlets.get(x.article_id)) for a in members for x in found.get(a.id, [])
    ]
    copies = {item["id"]: item["wire_copy_of"] for item in articles}
    view.update(comparison_json(compare_story(members, found, copies)))
    return view


def attribution_view(attribution: Attribution, outlet: str | None) -> dict[str, Any]:
    return {
        "article_id": attribution.article_id,
        "outlet": outlet,
        "kind": attribution.kind,
        "speaker": attribution.source,
        "speaker_text": attribution.source_text,
        "speaker_span": attribution.source_span,
        "cue": attribution.cue,
        "cue_span": attribution.cue_span,
        "content": attribution.content,
        "content_spans": [list(s) for s in attribution.content_spans],
        "quoted": [list(s) for s in attribution.quoted],
    }
