"""Issue 16: the language stages run over a whole batch at once (one spaCy parse, then
quotes, entities and events); an unexpected error on one article in any of them loses that
article only. It becomes its input's reject (``analysis-failed``, with the stage and the
exception); the other articles of the batch are prepared and stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storylens import Options, Store, ingest
from storylens.model import RawInput, Reject
from storylens.pipeline import Prepared, prepare_many, stages
from storylens.pipeline.stages import Extraction

TEXTS = {
    "a.txt": "Orvale",
    "b.txt": "Tessary",
    "c.txt": "Lunden",
}
STORY = (
    "The harbour authority of {place} said on Friday that it would close the northern pier "
    "for three weeks of repairs after divers found cracks in two of its pilings.\n\n"
    '"We cannot take any risks with the ferries," the authority\'s director, Mara Velt, told '
    "reporters, adding that the repairs were expected to cost about 1.2 million euros.\n\n"
    "Police arrested two men near the pier on Thursday, the city council said.\n"
)
EVERYTHING = Extraction(attributions=True, events=True)
# each language stage's function, as stages calls it, and how it is called
STAGE_FUNCTIONS = {
    "parse": "parse_articles",
    "attribution": "extract",
    "entities": "find_mentions",
    "events": "code_events",
}


def _inputs() -> list[RawInput]:
    return [
        RawInput(name, "text", STORY.format(place=place).encode())
        for name, place in TEXTS.items()
    ]


def _articles_of(arguments: tuple[Any, ...]) -> list[Any]:
    first = arguments[0]
    return [first] if hasattr(first, "text") else list(first)


def _failing_on(monkeypatch: pytest.MonkeyPatch, name: str, word: str) -> list[int]:
    """Make stages' function ``name`` raise whenever one of the articles it is given holds
    ``word``; the sizes of the calls made to it."""
    real: Callable[..., Any] = getattr(stages, name)
    calls: list[int] = []

    def failing(*arguments: Any, **keywords: Any) -> Any:
        articles = _articles_of(arguments)
        calls.append(len(articles))
        if any(word in article.text for article in articles):
            raise RuntimeError(f"cannot analyse {word}\nsecond line")
        return real(*arguments, **keywords)

    monkeypatch.setattr(stages, name, failing)
    return calls


@pytest.mark.parametrize("stage", list(STAGE_FUNCTIONS))
def test_stages_language_stage_failing_on_one_article_rejects_only_it(
    monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    _failing_on(monkeypatch, STAGE_FUNCTIONS[stage], "Tessary")
    first, second, third = prepare_many(_inputs(), EVERYTHING)
    assert second == [
        Reject(
            "b.txt", "analysis-failed",
            f"the {stage} stage failed on this article (RuntimeError: cannot analyse Tessary)",
        )
    ]
    for results, place in ((first, "Orvale"), (third, "Lunden")):
        (prepared,) = results
        assert isinstance(prepared, Prepared)
        assert place in prepared.article.text
        assert prepared.mentions, "the entities stage ran for the articles left"
        assert prepared.attributions, "the attribution stage ran for the articles left"


def test_stages_batched_stage_runs_once_when_nothing_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _failing_on(monkeypatch, "extract", "no article holds this")
    results = prepare_many(_inputs(), EVERYTHING)
    assert calls == [3]
    assert all(isinstance(r, Prepared) for rs in results for r in rs)


def test_stages_batched_stage_failing_is_retried_article_by_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _failing_on(monkeypatch, "code_events", "Lunden")
    *_, third = prepare_many(_inputs(), EVERYTHING)
    assert calls == [3, 1, 1, 1]
    assert [r.reason for r in third if isinstance(r, Reject)] == ["analysis-failed"]


def test_pipeline_language_stage_failure_stores_the_other_articles(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _failing_on(monkeypatch, "code_events", "Tessary")
    folder = tmp_path / "in"
    folder.mkdir()
    for raw in _inputs():
        (folder / raw.source).write_bytes(raw.data)
    options = Options(worker_processes=1, extract_attributions=True, extract_events=True)
    with Store(tmp_path / "t.db") as store:
        summary = ingest([folder], store, options)
        stored = {Path(row[0]).name for row in store.db.execute("SELECT source FROM articles")}
        rejects = {Path(r["source"]).name: r["reason"] for r in store.rejects()}
    assert stored == {"a.txt", "c.txt"}
    assert rejects == {"b.txt": "analysis-failed"}
    assert summary.rejected == 1
