"""JSON-ready views of stored records, shared by the CLI, reports and (later) the HTTP API."""

from __future__ import annotations

from typing import Any

from .model import Article, Story
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
    for article, membership in store.story_articles(story_id):
        item = article_view(article)
        item["wire_copy_of"] = membership["wire_copy_of"]
        item["similarity"] = membership["similarity"]
        articles.append(item)
    outlets = {a["id"]: a["outlet"] for a in articles}
    for item in articles:
        copied = item["wire_copy_of"]
        item["wire_copy_of_outlet"] = outlets.get(copied) if copied else None
    view["articles"] = articles
    return view
