"""The voice an article speaks with: its outlet, or for a wire copy the outlet of the article it
copies, since a paper that reprints an agency's text does not speak for itself (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Article


def outlet_label(article: Article) -> str:
    """The label of an article's outlet; an article whose outlet is not named counts as an
    outlet of its own, ``article <id>``, since nothing says it is any other's."""
    return article.outlet or f"article {article.id}"


def voices(articles: Iterable[Article], copies: dict[str, str | None]) -> dict[str, str]:
    """Article id -> the label of the voice it speaks with: its own outlet, or for a wire copy
    its original's (followed back through copies of copies inside ``articles``; an original
    outside them leaves the copy its own voice). See ``outlet_label``."""
    by_id = {a.id: a for a in articles}
    found: dict[str, str] = {}
    for article in by_id.values():
        root, seen = article, {article.id}
        while (up := copies.get(root.id)) in by_id and up not in seen:
            root = by_id[up]
            seen.add(root.id)
        found[article.id] = outlet_label(root)
    return found
