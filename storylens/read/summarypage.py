"""The story summary as the story page shows it (``_summary.html.j2``): each sentence of a
story view's ``summary`` with links to where every citing outlet wrote it, in the side-by-side
columns: the sentence's anchor on this page, or on the page of articles that holds it when a
large story's columns run over several pages."""

from __future__ import annotations

from typing import Any

# A summary sentence links at most this many citing outlets on a page (the rest are counted;
# all are in the story's JSON), and the summary lists the own facts of at most this many.
SUMMARY_PAGE_OUTLETS = 12


def sentence_anchor(article_id: str, index: int) -> str:
    """The id of a sentence's mark in the columns (``s-<article id>-<index>``)."""
    return f"s-{article_id}-{index}"


def summary_links(story: dict[str, Any], page: int, per_page: int) -> dict[str, Any]:
    """The story's summary (``story["summary"]``) for page ``page`` of its columns (of
    ``per_page`` articles each): every sentence and citation with the ``href`` of its
    sentence, the citations of one sentence and the outlets listed capped at
    SUMMARY_PAGE_OUTLETS, with how many more (``more``, ``more_outlets``)."""
    summary = story.get("summary") or {"kind": "lead", "sentences": [], "exclusives": []}
    where = {item["id"]: n // per_page + 1 for n, item in enumerate(story["articles"])}

    def href(article_id: str, index: int) -> str:
        anchor = "#" + sentence_anchor(article_id, index)
        on = where.get(article_id, page)
        if on == page:
            return anchor
        return f"/stories/{story['id']}" + (f"?page={on}" if on > 1 else "") + anchor

    def shown(sentence: dict[str, Any]) -> dict[str, Any]:
        citations = [
            {"outlet": c["outlet"], "href": href(c["article_id"], c["index"])}
            for c in sentence["outlets"][:SUMMARY_PAGE_OUTLETS]
        ]
        return {
            "text": sentence["text"],
            "outlet": sentence["outlet"],
            "href": href(sentence["article_id"], sentence["index"]),
            "citations": citations,
            "more": max(0, len(sentence["outlets"]) - SUMMARY_PAGE_OUTLETS),
        }

    own = summary["exclusives"]
    return {
        "kind": summary["kind"],
        "sentences": [shown(s) for s in summary["sentences"]],
        "exclusives": [
            {"outlet": group["outlet"], "sentences": [shown(s) for s in group["sentences"]]}
            for group in own[:SUMMARY_PAGE_OUTLETS]
        ],
        "more_outlets": max(0, len(own) - SUMMARY_PAGE_OUTLETS),
    }
