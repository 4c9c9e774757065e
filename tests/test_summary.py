"""A story's summary with citations (compare/summary.py, pure): the few facts most outlets
report, in the order the story unfolded, each an outlet's own sentence cited by every outlet
that reports it; then what only each outlet reports; a lone article's lead; wire copies once.
The story page's links to the cited sentences (read/summarypage.py)."""

from __future__ import annotations

import pytest

from storylens.compare.outlets import compare_story
from storylens.compare.summary import (
    SUMMARY_LEAD_SENTENCES,
    SUMMARY_MAX_EXCLUSIVES,
    SUMMARY_MAX_FACTS,
    Summary,
    summarise,
    summary_json,
)
from storylens.model import Article, Sentence
from storylens.read.storypage import PAGE_ARTICLES, story_page_parts
from storylens.read.summarypage import sentence_anchor, summary_links

# Invented sentences of an invented story: a harbour bridge closed after a crack was found.
CLOSED = "Inspectors closed the harbour bridge on Tuesday after finding a crack in a main girder."
CLOSED_B = "The harbour bridge was closed by inspectors Tuesday when a crack turned up in a girder."
FERRY = "Extra ferry crossings will carry commuters across the harbour while repairs continue."
FERRY_B = "Commuters will cross the harbour on extra ferry crossings while repairs go on."
COST = "Engineers estimate the girder repairs will cost about four million euros."
COST_B = "The girder repairs should cost about four million euros, engineers estimate."
MAYOR = "The mayor promised a full review of maintenance budgets for every city bridge."
UNION = "Dock workers complained that the closure adds an hour to their shifts each day."
BYLINE = "By Ana Lopes"


def article(
    article_id: str, outlet: str | None, sentences: list[str], published: str | None = None
) -> Article:
    """An article of one sentence a paragraph (offsets into the joined text)."""
    body = "\n\n".join(sentences)
    rows, at = [], 0
    for index, sentence in enumerate(sentences):
        rows.append(Sentence(index, index, at, at + len(sentence), sentence))
        at += len(sentence) + 2
    return Article(
        id=article_id, source=f"{article_id}.txt", kind="text", raw=body, text=body,
        outlet=outlet, published=published, paragraphs=list(sentences), sentences=rows,
    )


def summed(articles: list[Article], copies: dict[str, str | None] | None = None) -> Summary:
    copies = copies or {}
    return summarise(articles, compare_story(articles, {}, copies), copies)


def test_summary_shared_facts_cited_by_every_outlet_with_offsets() -> None:
    one = article("a", "Harbour Post", [BYLINE, CLOSED, FERRY, MAYOR], "2025-03-04T08:00:00Z")
    two = article("b", "City Daily", [CLOSED_B, UNION, FERRY_B], "2025-03-04T09:30:00Z")
    summary = summed([one, two])
    assert summary.kind == "shared"
    assert [s.text for s in summary.sentences] == [CLOSED, FERRY]
    texts = {"a": one.text, "b": two.text}
    for sentence in summary.sentences:
        assert [c.outlet for c in sentence.citations] == ["Harbour Post", "City Daily"]
        assert texts[sentence.article_id][sentence.start : sentence.end] == sentence.text
        for citation in sentence.citations:
            cited = texts[citation.article_id][citation.start : citation.end]
            assert cited in (sentence.text, CLOSED_B, FERRY_B)


def test_summary_in_the_order_the_story_unfolded() -> None:
    """A fact first published earlier comes first, wherever it stands in later articles."""
    early = article("a", "Harbour Post", [COST, CLOSED], "2025-03-04T08:00:00Z")
    late = article("b", "City Daily", [CLOSED_B, COST_B], "2025-03-05T08:00:00Z")
    summary = summed([late, early])
    assert [s.text for s in summary.sentences] == [COST, CLOSED]


def test_summary_keeps_the_facts_most_outlets_report() -> None:
    """A fact three outlets report makes the summary; one that two of six report does not
    (below half of the top count)."""
    outlets = [f"Outlet {n}" for n in range(6)]
    closed = [CLOSED, CLOSED_B, CLOSED, CLOSED_B, CLOSED, CLOSED_B]
    articles = [
        article(f"x{n}", outlets[n], [closed[n], *([COST] if n < 2 else [])])
        for n in range(6)
    ]
    summary = summed(articles)
    assert [s.text for s in summary.sentences] == [CLOSED]
    assert len(summary.sentences[0].citations) == 6


def test_summary_at_most_max_facts() -> None:
    facts = [f"The council approved plan number {n} for the harbour district budget." for n in
             range(SUMMARY_MAX_FACTS + 3)]
    one = article("a", "Harbour Post", facts)
    two = article("b", "City Daily", list(facts))
    assert len(summed([one, two]).sentences) == SUMMARY_MAX_FACTS


def test_summary_wire_copy_counts_once() -> None:
    """A paper reprinting the agency's text does not make its sentences shared."""
    wire = article("w", "Meridian Wire", [CLOSED, MAYOR], "2025-03-04T08:00:00Z")
    copy = article("c", "Harbour Post", [CLOSED, MAYOR], "2025-03-04T09:00:00Z")
    other = article("o", "City Daily", [CLOSED_B, UNION], "2025-03-04T10:00:00Z")
    summary = summed([wire, copy, other], {"c": "w"})
    assert [s.text for s in summary.sentences] == [CLOSED]
    citations = summary.sentences[0].citations
    assert [c.outlet for c in citations] == ["Meridian Wire", "City Daily"]
    assert citations[0].article_id == "w"  # the original, not its copy
    assert [s.text for s in summary.exclusives["Meridian Wire"]] == [MAYOR]


def test_summary_one_article_is_its_lead() -> None:
    alone = article("a", "Harbour Post", [BYLINE, CLOSED, FERRY, MAYOR])
    summary = summed([alone])
    assert summary.kind == "lead"
    assert [s.text for s in summary.sentences] == [CLOSED, FERRY][:SUMMARY_LEAD_SENTENCES]
    assert all([c.outlet for c in s.citations] == ["Harbour Post"] for s in summary.sentences)
    assert summary.exclusives == {}


def test_summary_no_shared_fact_is_the_earliest_lead() -> None:
    late = article("b", "City Daily", [UNION], "2025-03-05T08:00:00Z")
    early = article("a", "Harbour Post", [MAYOR, FERRY], "2025-03-04T08:00:00Z")
    summary = summed([late, early])
    assert summary.kind == "lead"
    assert [s.text for s in summary.sentences] == [MAYOR, FERRY]
    assert [s.text for s in summary.exclusives["City Daily"]] == [UNION]
    assert "Harbour Post" not in summary.exclusives  # its lead is already shown


def test_summary_exclusives_few_and_saying_enough() -> None:
    own = [f"Residents of district {n} asked for a second footbridge near the market." for n in
           range(SUMMARY_MAX_EXCLUSIVES + 2)]
    credit = "(Reporting by Ana Lopes; Editing by Tom Reed)"
    one = article("a", "Harbour Post", [CLOSED, BYLINE, "Updated.", credit, *own])
    two = article("b", "City Daily", [CLOSED_B])
    found = summed([one, two]).exclusives["Harbour Post"]
    assert [s.text for s in found] == own[:SUMMARY_MAX_EXCLUSIVES]


def test_summary_unnamed_outlet_is_its_article() -> None:
    one = article("a", "Harbour Post", [CLOSED])
    two = article("b", None, [CLOSED_B, UNION])
    summary = summed([one, two])
    assert [c.outlet for c in summary.sentences[0].citations] == ["Harbour Post", "article b"]
    assert [s.text for s in summary.exclusives["article b"]] == [UNION]


def test_summary_of_nothing_is_empty() -> None:
    assert summed([article("a", "Harbour Post", [])]).sentences == ()


def test_summary_json_shape() -> None:
    one = article("a", "Harbour Post", [CLOSED, MAYOR])
    two = article("b", "City Daily", [CLOSED_B])
    found = summary_json(summed([one, two]))
    assert found["kind"] == "shared"
    first = found["sentences"][0]
    assert set(first) == {"text", "article_id", "outlet", "index", "start", "end", "outlets"}
    assert first["outlets"][1] == {
        "outlet": "City Daily", "article_id": "b", "index": 0, "start": 0, "end": len(CLOSED_B)
    }
    assert found["exclusives"][0]["outlet"] == "Harbour Post"


def _view(articles: list[Article]) -> dict[str, object]:
    """A story view of these articles as the page reads it (the fields it shows)."""
    from storylens.compare.outlets import comparison_json

    comparison = compare_story(articles, {}, {})
    return {
        "id": "s1", "title": "Bridge closed", "first_published": None, "last_published": None,
        "article_count": len(articles), "outlets": [a.outlet for a in articles if a.outlet],
        "wire_copies": 0, "languages": [], "unnamed_articles": 0,
        "articles": [
            {"id": a.id, "outlet": a.outlet, "title": None, "published": None,
             "published_at": None, "url": None, "place": None, "wire": None, "language": None,
             "note": None, "text": a.text, "wire_copy_of": None, "wire_copy_of_outlet": None,
             "similarity": 1.0}
            for a in articles
        ],
        "attributions": [], "entities": [], "events": [],
        **comparison_json(comparison),
        "summary": summary_json(summarise(articles, comparison, {})),
    }


def test_summary_page_links_each_citation_to_its_sentence() -> None:
    one = article("a", "Harbour Post", [CLOSED, MAYOR])
    two = article("b", "City Daily", [UNION, CLOSED_B])
    content = story_page_parts(_view([one, two]))["content"]
    assert content.index('id="summary"') < content.index('id="outlets"')
    for anchor in (sentence_anchor("a", 0), sentence_anchor("b", 1)):
        assert f'href="#{anchor}"' in content
        assert f'id="{anchor}"' in content


@pytest.mark.parametrize("page", [1, 2])
def test_summary_page_links_to_the_page_of_articles_holding_the_sentence(page: int) -> None:
    """In a story whose columns run over pages, a citation of an article on another page
    links to that page's anchor."""
    fillers = [article(f"f{n}", f"Outlet {n}", [BYLINE]) for n in range(PAGE_ARTICLES - 1)]
    one = article("a", "Harbour Post", [CLOSED])
    two = article("b", "City Daily", [CLOSED_B])
    view = _view([one, *fillers, two])
    links = summary_links(view, page, PAGE_ARTICLES)
    hrefs = [c["href"] for c in links["sentences"][0]["citations"]]
    if page == 1:
        assert hrefs == ["#s-a-0", "/stories/s1?page=2#s-b-0"]
    else:
        assert hrefs == ["/stories/s1#s-a-0", "#s-b-0"]


def test_summary_shows_a_sentence_that_stands_alone() -> None:
    """The first outlet's sentence opens with "He": another outlet's, which names the
    speaker, is shown instead; both outlets still cite the fact."""
    leaning = "He said the girder repairs will cost about four million euros."
    named = "Engineer Rui Matos said the girder repairs will cost about four million euros."
    one = article("a", "Harbour Post", [CLOSED, leaning], "2025-03-04T08:00:00Z")
    two = article("b", "City Daily", [CLOSED_B, named], "2025-03-04T09:30:00Z")
    summary = summed([one, two])
    shown = {s.text for s in summary.sentences}
    assert named in shown and leaning not in shown
    cost = next(s for s in summary.sentences if s.text == named)
    assert {c.outlet for c in cost.citations} == {"Harbour Post", "City Daily"}


def test_summary_exclusives_stand_alone() -> None:
    """A sentence only one outlet has that leans on the one before ("It ...") is not listed
    among its exclusives; one that says who or what is."""
    one = article("a", "Harbour Post", [CLOSED, MAYOR,
                                         "It would also cover the ferry piers and the tunnel."],
                  "2025-03-04T08:00:00Z")
    two = article("b", "City Daily", [CLOSED_B, UNION], "2025-03-04T09:30:00Z")
    own = {s.text for s in summed([one, two]).exclusives["Harbour Post"]}
    assert MAYOR in own
    assert not any(text.startswith("It ") for text in own)
