"""Comparing the outlets of a story: matched quotes and their fidelity, shared facts, each
outlet's exclusives, wire copies counted once; the real seeds and small invented cases."""

from __future__ import annotations

import json
import re

import pytest
from conftest import shared_path

from storylens.compare.outlets import (
    Comparison,
    Fact,
    MatchedQuote,
    compare_story,
    comparison_json,
    outlet_label,
)
from storylens.model import Article, Attribution, Sentence

_QUOTE = re.compile(r"[\"“]([^\"“”]+)[\"”]")


def make_article(
    article_id: str, outlet: str | None, sentences: list[str], text: str | None = None
) -> Article:
    """An article with one sentence a paragraph (offsets into the joined text)."""
    body = "\n\n".join(sentences)
    rows, at = [], 0
    for index, sentence in enumerate(sentences):
        rows.append(Sentence(index, index, at, at + len(sentence), sentence))
        at += len(sentence) + 2
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        kind="text",
        raw=body,
        text=body,
        outlet=outlet,
        paragraphs=list(sentences),
        sentences=rows,
    )


def quote_attributions(article: Article, source: str | None = None) -> list[Attribution]:
    """Stand-in for the extractor: one attribution per sentence holding quotation marks,
    ``direct`` when the sentence opens with one, ``partial`` otherwise."""
    found = []
    for sentence in article.sentences:
        quoted = tuple(
            (sentence.start + m.start(1), sentence.start + m.end(1))
            for m in _QUOTE.finditer(sentence.text)
        )
        if not quoted:
            continue
        direct = sentence.text.lstrip()[:1] in {'"', "“"}
        found.append(
            Attribution(
                article_id=article.id,
                kind="direct" if direct else "partial",
                content=sentence.text,
                content_spans=((sentence.start, sentence.end),),
                cue="said",
                cue_span=None,
                source=source,
                source_text=source,
                source_span=None,
                quoted=quoted,
            )
        )
    return found


def indirect(article: Article, sentence: int, clause: str, source: str | None) -> Attribution:
    """Reported speech: ``clause`` of one of the article's sentences, without quotation marks."""
    row = article.sentences[sentence]
    start = row.start + row.text.index(clause)
    return Attribution(
        article_id=article.id,
        kind="indirect",
        content=clause,
        content_spans=((start, start + len(clause)),),
        cue="said",
        cue_span=None,
        source=source,
        source_text=source,
        source_span=None,
    )


def compare(
    articles: list[Article],
    copies: dict[str, str | None] | None = None,
    extra: tuple[Attribution, ...] = (),
) -> Comparison:
    attributions = {a.id: quote_attributions(a, "Ilsa Varga") for a in articles}
    for attribution in extra:
        attributions[attribution.article_id].append(attribution)
    return compare_story(articles, attributions, copies or {a.id: None for a in articles})


# --- invented cases -----------------------------------------------------------------------

STATEMENT = (
    "The new bridge will carry twice the traffic of the old one and open before the winter floods"
)
FULL = f'"{STATEMENT}," Mayor Ilsa Varga said on Tuesday.'


def quote_sentence(words: str) -> str:
    return f'"{words}," the mayor said.'


@pytest.mark.parametrize(
    ("rendering", "fidelity"),
    [
        (quote_sentence(STATEMENT.upper()), "verbatim"),  # case and punctuation do not count
        (
            quote_sentence(
                "The new bridge will carry twice the traffic … before the winter floods"
            ),
            "shortened",
        ),
        (
            quote_sentence("The new bridge will carry twice the traffic ... the winter floods"),
            "shortened",
        ),
        (quote_sentence("The new bridge will carry twice the traffic of the old one"), "shortened"),
        (quote_sentence(STATEMENT.replace("twice", "double")), "altered"),
        (
            quote_sentence(
                "The new bridge will carry twice the traffic of the old one and surely open"
            ),
            "altered",  # a word added (and the end left out)
        ),
    ],
)
def test_compare_quote_fidelity(rendering: str, fidelity: str) -> None:
    first = make_article("a", "Harbour Courier", ["The council met on Tuesday.", FULL])
    second = make_article("b", "Coast Ledger", [rendering, "Rain fell all week."])
    comparison = compare([first, second])
    assert len(comparison.quotes) == 1
    quote = comparison.quotes[0]
    assert quote.statement == STATEMENT
    by_article = {r.article_id: r for r in quote.renditions}
    assert by_article["a"].fidelity == "verbatim"
    assert by_article["b"].fidelity == fidelity


def test_compare_quote_diff_shows_original_words() -> None:
    first = make_article("a", "Harbour Courier", [FULL])
    second = make_article(
        "b", "Coast Ledger", [quote_sentence(STATEMENT.replace("twice", "Thrice"))]
    )
    quote = compare([first, second]).quotes[0]
    diff = next(r for r in quote.renditions if r.article_id == "b").diff
    assert {"op": "replace", "reference": "twice", "rendition": "Thrice"} in diff
    assert [d["op"] for d in diff] == ["equal", "replace", "equal"]


def test_compare_quote_paraphrased() -> None:
    first = make_article("a", "Harbour Courier", [FULL])
    clause = (
        "the new bridge would carry double the old bridge's traffic and open before winter floods"
    )
    second = make_article("b", "Coast Ledger", [f"Mayor Varga said {clause}."])
    comparison = compare([first, second], extra=(indirect(second, 0, clause, "Ilsa Varga"),))
    assert len(comparison.quotes) == 1
    renditions = {r.article_id: r for r in comparison.quotes[0].renditions}
    assert renditions["b"].fidelity == "paraphrased"
    assert renditions["b"].text == clause


def test_compare_paraphrase_of_another_speaker_not_attached() -> None:
    first = make_article("a", "Harbour Courier", [FULL])
    clause = (
        "the new bridge would carry double the old bridge's traffic and open before winter floods"
    )
    second = make_article("b", "Coast Ledger", [f"Engineer Tomas Brill said {clause}."])
    comparison = compare([first, second], extra=(indirect(second, 0, clause, "Tomas Brill"),))
    assert comparison.quotes == ()


def test_compare_quote_only_one_outlet_has_is_not_matched() -> None:
    first = make_article("a", "Harbour Courier", [FULL])
    second = make_article(
        "b", "Coast Ledger", [quote_sentence("Fishing boats will keep their moorings at the quay")]
    )
    assert compare([first, second]).quotes == ()


def test_compare_unrelated_quotes_sharing_common_words_not_matched() -> None:
    first = make_article("a", "Harbour Courier", [quote_sentence("It is the best day of the year")])
    second = make_article(
        "b", "Coast Ledger", [quote_sentence("It is the worst budget of the decade for farmers")]
    )
    assert compare([first, second]).quotes == ()


def test_compare_split_direct_quote_joined() -> None:
    split = '"The new bridge will carry twice the traffic," Varga said, "of the old one."'
    first = make_article("a", "Harbour Courier", [FULL])
    second = make_article("b", "Coast Ledger", [split])
    quote = compare([first, second]).quotes[0]
    rendition = next(r for r in quote.renditions if r.article_id == "b")
    assert rendition.fidelity == "shortened"
    assert len(rendition.spans) == 2


FERRY = "The ferry to Lindholm will stop running on Sundays from next month to save fuel costs."
FERRY_AGAIN = "From next month the Lindholm ferry will no longer run on Sundays, to cut fuel costs."
MARKET = "Volunteers repainted the covered market on Saturday."


def test_compare_wire_copy_counted_once_for_quotes() -> None:
    original = make_article("a", "Harbour Courier", [FULL, FERRY])
    copy = make_article("c", "Valley Post", [FULL, FERRY])
    copies: dict[str, str | None] = {"a": None, "c": "a"}
    comparison = compare([original, copy], copies)
    assert comparison.quotes == ()
    assert all(not fact.shared for fact in comparison.facts)


def test_compare_wire_copy_listed_but_not_corroborating() -> None:
    original = make_article("a", "Harbour Courier", [FULL, FERRY, MARKET])
    copy = make_article("c", "Valley Post", [FULL, FERRY, MARKET])
    other = make_article("b", "Coast Ledger", [quote_sentence(STATEMENT), FERRY_AGAIN])
    copies: dict[str, str | None] = {"a": None, "c": "a", "b": None}
    comparison = compare([original, copy, other], copies)
    (quote,) = comparison.quotes
    assert {r.article_id: r.copy_of for r in quote.renditions} == {"a": None, "c": "a", "b": None}
    ferry = fact_with(comparison.facts, "Sundays")
    assert ferry.shared
    assert ferry.outlets == ("Harbour Courier", "Coast Ledger")
    assert {s.article_id for s in ferry.sentences} == {"a", "b", "c"}
    market = fact_with(comparison.facts, "market")
    assert not market.shared
    assert market in comparison.exclusives["Harbour Courier"]
    assert "Valley Post" not in comparison.exclusives


def test_compare_fact_reworded_is_shared() -> None:
    first = make_article("a", "Harbour Courier", [FERRY, MARKET])
    second = make_article("b", "Coast Ledger", ["Rain fell all week.", FERRY_AGAIN])
    comparison = compare([first, second])
    ferry = fact_with(comparison.facts, "Sundays")
    assert ferry.shared
    assert [(s.article_id, s.index) for s in ferry.sentences] == [("a", 0), ("b", 1)]
    assert fact_with(comparison.exclusives["Harbour Courier"], "market")
    assert fact_with(comparison.exclusives["Coast Ledger"], "Rain")


def test_compare_sentences_sharing_only_names_not_aligned() -> None:
    first = make_article(
        "a", "Harbour Courier", ["Mayor Ilsa Varga of Orvale opened the new covered market."]
    )
    second = make_article(
        "b", "Coast Ledger", ["Mayor Ilsa Varga of Orvale criticised the regional budget."]
    )
    comparison = compare([first, second])
    assert not any(fact.shared for fact in comparison.facts)
    assert set(comparison.exclusives) == {"Harbour Courier", "Coast Ledger"}


def test_compare_unnamed_outlets_count_as_their_own() -> None:
    first = make_article("a", None, [FERRY])
    second = make_article("b", None, [FERRY_AGAIN])
    comparison = compare([first, second])
    (fact,) = comparison.facts
    assert fact.shared
    assert fact.outlets == ("article a", "article b")
    assert outlet_label(first) == "article a"


def test_compare_same_outlet_twice_is_not_shared() -> None:
    first = make_article("a", "Harbour Courier", [FERRY])
    second = make_article("b", "Harbour Courier", [FERRY_AGAIN])
    comparison = compare([first, second])
    (fact,) = comparison.facts
    assert not fact.shared
    assert comparison.exclusives == {}  # one voice: nothing is exclusive of another


def test_compare_json_is_serialisable_with_keys() -> None:
    first = make_article("a", "Harbour Courier", [FULL, FERRY])
    second = make_article("b", None, [quote_sentence(STATEMENT), FERRY_AGAIN, MARKET])
    data = comparison_json(compare([first, second]))
    assert set(data) == {"quotes", "facts", "exclusives"}
    json.dumps(data)
    quote = data["quotes"][0]
    assert set(quote) == {"speaker", "statement", "renditions"}
    assert set(quote["renditions"][0]) == {
        "article_id",
        "outlet",
        "fidelity",
        "text",
        "spans",
        "diff",
        "speaker",
        "copy_of",
    }
    assert set(data["facts"][0]) == {"shared", "outlets", "sentences"}
    assert set(data["facts"][0]["sentences"][0]) == {
        "article_id",
        "outlet",
        "index",
        "text",
        "copy_of",
        "start",
        "end",
    }
    assert list(data["exclusives"]) == ["article b"]


def test_compare_report_renders_sections_escaped() -> None:
    from storylens.read.report import render_report

    first = make_article("a", "Harbour Courier", [FULL, FERRY])
    second = make_article("b", None, [quote_sentence(STATEMENT + " <b>"), FERRY_AGAIN, MARKET])
    story = {
        "id": "s1",
        "title": "Bridge",
        "article_count": 2,
        "outlets": ["Harbour Courier"],
        "wire_copies": 0,
        "first_published": None,
        "last_published": None,
        "articles": [],
        **comparison_json(compare([first, second])),
        "attributions": [
            {
                "article_id": "a",
                "outlet": "Harbour Courier",
                "kind": "direct",
                "speaker": "Ilsa <i>Varga</i>",
                "speaker_text": "Mayor Ilsa Varga",
                "cue": "said",
                "content": STATEMENT,
                "content_spans": [[1, 20]],
                "quoted": [[1, 20]],
            },
        ],
    }
    html = render_report(story, "today")
    for heading in ("Quotes", "Shared facts", "Only in", "Attributions"):
        assert heading in html
    assert "Ilsa &lt;i&gt;Varga&lt;/i&gt;" in html
    assert "<b>" not in html.split("<body>")[1]
    assert "Sundays" in html and "covered market" in html


def fact_with(facts: tuple[Fact, ...], word: str) -> Fact:
    """The one fact one of whose sentences holds ``word``."""
    found = [f for f in facts if any(word in s.text for s in f.sentences)]
    assert len(found) == 1, found
    return found[0]


# --- the seeds: two reports of 10 Jan 2003 --------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    from storylens.ingest.sources import read_inputs
    from storylens.options import Options
    from storylens.pipeline import Prepared, prepare

    folder = shared_path("seeds")
    items = read_inputs(sorted(folder.iterdir()), Options())
    prepared = [p for item in items for p in prepare(item)]  # type: ignore[arg-type]
    articles = [p.article for p in prepared if isinstance(p, Prepared)]
    assert len(articles) == 2
    return sorted(articles, key=lambda a: a.outlet is None)  # The Washington Times first


@pytest.fixture(scope="module")
def seeds_compared(seed_articles: list[Article]) -> Comparison:
    attributions = {a.id: quote_attributions(a) for a in seed_articles}
    return compare_story(seed_articles, attributions, {a.id: None for a in seed_articles})


def aggravate_quote(comparison: Comparison) -> MatchedQuote:
    found = [q for q in comparison.quotes if "can only aggravate" in q.statement]
    assert len(found) == 1, comparison.quotes
    return found[0]


def check_aggravate(comparison: Comparison, seed_articles: list[Article]) -> None:
    times, other = seed_articles
    quote = aggravate_quote(comparison)
    assert quote.statement.startswith("There is no doubt that such a step can only aggravate")
    assert "universal international legal mechanism" in quote.statement  # the fullest
    fidelity = {r.article_id: r.fidelity for r in quote.renditions}
    assert fidelity == {times.id: "shortened", other.id: "verbatim"}
    shortened = next(r for r in quote.renditions if r.article_id == times.id)
    assert any(d["op"] == "delete" and "universal" in d["reference"] for d in shortened.diff)


def test_compare_seeds_ministry_quote_shortened_in_washington_times(
    seeds_compared: Comparison, seed_articles: list[Article]
) -> None:
    check_aggravate(seeds_compared, seed_articles)


def test_compare_seeds_ministry_quote_with_real_extractor(seed_articles: list[Article]) -> None:
    """The same acceptance through the real attribution extractor (storylens.extract.attribution,
    being written): skipped until it and its spaCy pipeline are there."""
    attribution = pytest.importorskip("storylens.extract.attribution")
    nlp = pytest.importorskip("storylens.extract.nlp")
    extract = getattr(attribution, "extract", None)
    if not callable(extract) or not callable(getattr(nlp, "pipeline", None)):
        pytest.skip("storylens.extract.attribution has no extract(articles, nlp) yet")
    try:
        pipeline = nlp.pipeline()
    except Exception as error:  # ModelUnavailable: no spaCy model on this machine
        pytest.skip(f"no spaCy pipeline: {error}")
    attributions = extract(seed_articles, pipeline)
    comparison = compare_story(seed_articles, attributions, {a.id: None for a in seed_articles})
    check_aggravate(comparison, seed_articles)


def test_compare_seeds_1994_agreement_shared(
    seeds_compared: Comparison, seed_articles: list[Article]
) -> None:
    fact = fact_with(seeds_compared.facts, "1994 agreement")
    assert fact.shared
    assert {s.article_id for s in fact.sentences} == {a.id for a in seed_articles}


def test_compare_seeds_koizumi_urging_putin_exclusive_to_washington_times(
    seeds_compared: Comparison,
) -> None:
    fact = fact_with(seeds_compared.facts, "urged President Vladimir Putin")
    assert not fact.shared
    assert fact in seeds_compared.exclusives["The Washington Times"]
    assert any("Kim Jong Il" in s.text for s in fact.sentences)


@pytest.mark.parametrize("words", ["would further study", "keep close contacts with all sides"])
def test_compare_seeds_yakovenko_exclusive_to_unnamed_outlet(
    seeds_compared: Comparison, seed_articles: list[Article], words: str
) -> None:
    other = seed_articles[1]
    assert other.outlet is None
    fact = fact_with(seeds_compared.facts, words)
    assert fact.sentences[0].article_id == other.id
    assert fact in seeds_compared.exclusives[outlet_label(other)]


def test_compare_rendition_spans_point_into_article_text() -> None:
    first = make_article("a", "Harbour Courier", ["The council met.", FULL])
    second = make_article("b", "Coast Ledger", [quote_sentence(STATEMENT)])
    articles = {a.id: a for a in (first, second)}
    for rendition in compare([first, second]).quotes[0].renditions:
        text = articles[rendition.article_id].text
        assert " ".join(text[s:e] for s, e in rendition.spans) == rendition.text


@pytest.mark.parametrize(
    "articles",
    [[], [make_article("a", "Harbour Courier", ["It is.", "So it was."])]],
    ids=["no-articles", "no-content-words"],
)
def test_compare_story_without_content_is_empty(articles: list[Article]) -> None:
    comparison = compare(articles)
    assert comparison.quotes == ()
    assert comparison.exclusives == {}
    assert all(len(fact.sentences) == 1 for fact in comparison.facts)
