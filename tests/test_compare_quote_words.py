"""Quote fidelity compares words, not the marks and spacing outlets' tokenisers leave: an
apostrophe set apart ("She ’ s"), curly or straight marks, dashes of any kind and ellipses in
any written form make no rendition "altered"; the diff still shows the words as written."""

from __future__ import annotations

import pytest

from storylens.compare.outlets import Rendition, compare_story
from storylens.compare.words import terms
from storylens.model import Article, Attribution

STATEMENT = (
    "She's sure the cross-harbour bridge won't close before the winter floods — and the "
    "ferry will keep running"
)


def quoting_article(article_id: str, outlet: str, words: str, marks: str = '""') -> Article:
    """An article of one sentence quoting ``words`` between the two ``marks``."""
    text = f"{marks[0]}{words},{marks[1]} Mayor Ilsa Varga said on Tuesday."
    return Article(
        id=article_id, source=f"{article_id}.txt", kind="text", raw=text, text=text,
        outlet=outlet, paragraphs=[text],
    )


def direct_quote(article: Article) -> Attribution:
    """The article's one direct quote, as the extractor gives it (marks left out)."""
    text = article.text
    end = max(text.rfind('"'), text.rfind("”"))
    span = (1, end)
    return Attribution(
        article_id=article.id, kind="direct", content=text[1:end], content_spans=(span,),
        cue="said", cue_span=None, source="Ilsa Varga", source_text="Mayor Ilsa Varga",
        source_span=None, quoted=(span,),
    )


def rendition_of(words: str, marks: str = '""') -> Rendition:
    """How the second of two outlets renders the statement when it writes it as ``words``."""
    first = quoting_article("a", "Harbour Courier", STATEMENT)
    second = quoting_article("b", "Coast Ledger", words, marks)
    comparison = compare_story(
        [first, second],
        {a.id: [direct_quote(a)] for a in (first, second)},
        {"a": None, "b": None},
    )
    assert len(comparison.quotes) == 1
    renditions = {r.article_id: r for r in comparison.quotes[0].renditions}
    assert renditions["a"].fidelity == "verbatim"
    return renditions["b"]


@pytest.mark.parametrize(
    "words",
    [
        STATEMENT.replace("She's", "She ’ s").replace("won't", "won ’ t"),
        STATEMENT.replace("She's", "She ’s").replace("won't", "wo n't"),
        STATEMENT.replace("She's", "She’ s"),
        STATEMENT.replace("She's", "Sheʼs").replace("won't", "won`t"),
        STATEMENT.replace("'", "’"),
    ],
)
def test_outlets_apostrophe_set_apart_or_curly_is_verbatim(words: str) -> None:
    assert rendition_of(words).fidelity == "verbatim"


def test_outlets_curly_quotation_marks_are_verbatim() -> None:
    nested = STATEMENT.replace("winter floods", "‘winter floods’")
    assert rendition_of(nested, "“”").fidelity == "verbatim"


@pytest.mark.parametrize(
    "words",
    [
        STATEMENT.replace(" — ", " – "),
        STATEMENT.replace(" — ", " - "),
        STATEMENT.replace(" — ", "—"),
        STATEMENT.replace(" — ", "--"),
        STATEMENT.replace(" — ", " -- "),
        STATEMENT.replace("cross-harbour", "cross–harbour"),
        STATEMENT.replace("cross-harbour", "cross‑harbour"),
    ],
)
def test_outlets_dash_forms_are_verbatim(words: str) -> None:
    assert rendition_of(words).fidelity == "verbatim"


@pytest.mark.parametrize("ellipsis", ["…", "...", ". . .", " . . . "])
def test_outlets_ellipsis_forms_leaving_words_out_are_shortened(ellipsis: str) -> None:
    words = STATEMENT.replace(" before the winter floods — and ", f" {ellipsis} ")
    assert rendition_of(words).fidelity == "shortened"


@pytest.mark.parametrize("ellipsis", ["…", "...", ". . ."])
def test_outlets_ellipsis_forms_leaving_nothing_out_are_verbatim(ellipsis: str) -> None:
    words = STATEMENT.replace(" — ", f"{ellipsis} ")
    assert rendition_of(words).fidelity == "verbatim"


def test_outlets_diff_shows_split_apostrophe_as_written() -> None:
    words = STATEMENT.replace("She's", "She ’ s").replace("running", "sailing")
    rendition = rendition_of(words)
    assert rendition.fidelity == "altered"
    assert rendition.diff[0]["op"] == "equal"
    assert rendition.diff[0]["rendition"].startswith("She ’ s sure")
    assert rendition.diff[0]["reference"].startswith("She's sure")
    assert {"op": "replace", "reference": "running,", "rendition": "sailing,"} in rendition.diff


@pytest.mark.parametrize(
    ("parted", "whole"),
    [
        ("She won ’ t go back", "She won't go back"),
        ("They do n't care", "They don't care"),
        ("Korea ’ s plan", "Korea's plan"),
        ("She ’s here", "She's here"),
    ],
)
def test_words_terms_of_a_word_split_at_its_apostrophe(parted: str, whole: str) -> None:
    assert terms(parted) == terms(whole)
