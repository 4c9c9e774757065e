"""What each new article of a story adds (compare.developments): publication order, wire
copies, restatements the fact alignment or the word check catches, updates that name someone
for the first time, sentences too short to be a fact; and choosing them since a date
(read.since). Small invented stories."""

from __future__ import annotations

import pytest

from storylens.compare.developments import (
    NOVELTY_MIN,
    developments_json,
    find_developments,
    publication_order,
)
from storylens.compare.facts import align_facts
from storylens.compare.voices import voices
from storylens.errors import UsageError
from storylens.model import Article, Sentence
from storylens.read.since import developments_since, parse_since

FIRST = [
    "A fire broke out at the Corven paper mill on Tuesday night, destroying two warehouses.",
    "About 120 workers were sent home and the mill will stay shut for a week, managers said.",
    "One firefighter was treated in hospital for smoke inhalation, the fire service said.",
]


def article(
    article_id: str, outlet: str | None, published: str | None, sentences: list[str]
) -> Article:
    """An article with one sentence a paragraph (offsets into the joined text)."""
    rows, at = [], 0
    for index, text in enumerate(sentences):
        rows.append(Sentence(index, index, at, at + len(text), text))
        at += len(text) + 2
    body = "\n\n".join(sentences)
    return Article(
        id=article_id, source=f"{article_id}.txt", kind="text", raw=body, text=body,
        outlet=outlet, published=published, paragraphs=list(sentences), sentences=rows,
    )


def developments(articles: list[Article], copies: dict[str, str | None] | None = None) -> list:
    copies = copies or {}
    facts = align_facts(articles, copies, voices(articles, copies))
    return list(find_developments(articles, facts, copies))


def texts(found: list) -> list[str]:
    return [s.text for d in found for s in d.sentences]


def test_a_later_article_lists_only_what_no_earlier_one_reported() -> None:
    later = [
        "A fire broke out at the Corven paper mill on Tuesday night and destroyed two warehouses.",
        "Investigators said on Thursday that the blaze started in a faulty conveyor motor.",
        "Insurers put the damage at several million and the owners promised to rebuild.",
    ]
    found = developments([
        article("a", "Post", "2025-05-06T22:00:00Z", FIRST),
        article("b", "Herald", "2025-05-08T09:00:00Z", later),
    ])
    assert [d.article_id for d in found] == ["b"]
    assert texts(found) == later[1:]
    assert {s.kind for s in found[0].sentences} == {"new"}
    assert all(s.novelty >= NOVELTY_MIN for s in found[0].sentences)
    assert (found[0].sentences[0].start, found[0].sentences[0].index) == (
        len(later[0]) + 2, 1
    )


def test_a_paraphrase_the_alignment_misses_is_not_new() -> None:
    # a short restatement of part of a long sentence: too little of the long one's words for
    # the alignment, but no word of it is new to the story, and it names nothing new (the
    # long sentence is not the first article's lead: two leads align at a lower similarity)
    long = [
        "Fire crews from three towns fought a blaze until dawn.",
        "A fire broke out at the Corven paper mill in Ashby late on Tuesday, destroying two "
        "warehouses, forcing about 120 workers out of the night shift and sending thick smoke "
        "over the river town, the county emergency office said.",
    ]
    articles = [
        article("a", "Post", "2025-05-06T22:00:00Z", long),
        article("b", "Herald", "2025-05-07T08:00:00Z", ["Across Ashby, about 120 workers left."]),
    ]
    facts = align_facts(articles, {}, voices(articles, {}))
    assert all({s.article_id for s in f.sentences} != {"a", "b"} for f in facts)  # missed
    assert developments(articles) == []


def test_the_first_article_and_wire_copies_add_nothing() -> None:
    copy = FIRST + ["The cause of the fire was not yet known, officials added on Wednesday."]
    found = developments(
        [
            article("a", "Wire", "2025-05-06T22:00:00Z", FIRST),
            article("b", "Reprinter", "2025-05-07T06:00:00Z", copy),
        ],
        copies={"b": "a"},
    )
    assert found == []


def test_articles_are_read_in_publication_order_not_in_the_order_given() -> None:
    later = FIRST[:1] + [
        "Investigators said on Thursday that a faulty conveyor motor was to blame."
    ]
    early = article("z-early", "Post", "2025-05-06T22:00:00Z", FIRST)
    late = article("a-late", "Herald", "2025-05-08T09:00:00Z", later)
    undated = article("0-undated", None, None, FIRST)
    assert [a.id for a in publication_order([late, undated, early])] == [
        "z-early", "a-late", "0-undated",
    ]
    found = developments([late, early])
    assert [d.article_id for d in found] == ["a-late"]
    assert texts(found) == [later[1]]
    # same moment: by id
    twin = article("b-twin", "Gazette", "2025-05-06T22:00:00Z", FIRST)
    assert [a.id for a in publication_order([twin, early])] == ["b-twin", "z-early"]


def test_a_restated_fact_with_a_new_name_is_an_update() -> None:
    named = [
        "One firefighter, Dara Quillon, 34, was treated in hospital for smoke inhalation, "
        "the fire service said.",
    ]
    found = developments([
        article("a", "Post", "2025-05-06T22:00:00Z", FIRST),
        article("b", "Herald", "2025-05-07T10:00:00Z", named),
    ])
    assert len(found) == 1
    sentence = found[0].sentences[0]
    assert sentence.kind == "update"
    assert sentence.adds == ("Dara", "Quillon", "34")


def test_an_initial_a_weekday_or_a_title_is_no_new_name() -> None:
    restated = [
        "On Friday Mr. J. Corven said the fire destroyed two warehouses at the paper mill.",
    ]
    found = developments([
        article("a", "Post", "2025-05-06T22:00:00Z", FIRST),
        article("b", "Herald", "2025-05-09T10:00:00Z", restated),
    ])
    assert found == []


def test_credit_lines_and_fragments_are_no_facts() -> None:
    later = ["(Reporting by Anwen Strode; Editing by Tobias Rekk)", '"It was awful," he said.']
    found = developments([
        article("a", "Post", "2025-05-06T22:00:00Z", FIRST),
        article("b", "Herald", "2025-05-07T10:00:00Z", later),
    ])
    assert found == []


def test_json_shape_and_since() -> None:
    later = ["Investigators said on Thursday that the blaze started in a faulty conveyor motor."]
    found = developments([
        article("a", "Post", "2025-05-06T22:00:00Z", FIRST),
        article("b", "Herald", "2025-05-08T09:00:00Z", later),
        article(
            "c", "Times", "2025-05-09", ["Insurers put the damage at several million dollars."]
        ),
    ])
    items = developments_json(found)
    assert items[0] == {
        "article_id": "b", "outlet": "Herald", "published": "2025-05-08T09:00:00Z",
        "date": "2025-05-08", "title": None,
        "sentences": [{
            "text": later[0], "index": 0, "start": 0, "end": len(later[0]), "kind": "new",
            "novelty": items[0]["sentences"][0]["novelty"], "adds": [],
        }],
    }
    view = {"id": "s", "developments": items}
    assert [d["article_id"] for d in developments_since(view, "2025-05-08")["developments"]] == [
        "b", "c",
    ]
    assert developments_since(view, "2025-05-09")["since"] == "2025-05-09"
    # a date alone is placed at its midday; a time with a zone is read in UTC
    chosen = developments_since(view, "2025-05-09T13:00:00+02:00")
    assert [d["article_id"] for d in chosen["developments"]] == ["c"]
    assert chosen["since"] == "2025-05-09 11:00 UTC"
    assert developments_since(view, "2025-05-10")["developments"] == []


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", "2025-5-9", "", "2025"])
def test_an_unreadable_since_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="since must be a date"):
        parse_since(bad)
