"""The stage table of the pipeline: rows chosen by the extraction asked for, each checked when
the pipeline is composed to find what it requires in a row before it."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import DEMO

from storylens.errors import UsageError
from storylens.model import RawInput
from storylens.pipeline import STAGES, Batch, Extraction, Prepared, Stage, compose, prepare


def _without(name: str) -> list[Stage]:
    return [stage for stage in STAGES if stage.name != name]


@pytest.mark.parametrize(
    ("extraction", "names"),
    [
        (Extraction(), ("read", "clean", "features")),
        (Extraction(attributions=True), ("read", "clean", "features", "parse", "attribution")),
        (Extraction(events=True), ("read", "clean", "features", "parse", "entities", "events")),
        (
            Extraction(attributions=True, events=True),
            ("read", "clean", "features", "parse", "attribution", "entities", "events"),
        ),
    ],
)
def test_stages_extraction_selects_rows(extraction: Extraction, names: tuple[str, ...]) -> None:
    assert compose(extraction).names == names


def test_stages_unmet_requirement_refused_naming_both() -> None:
    """Events need the spaCy parse: without its row, the events row is refused."""
    with pytest.raises(UsageError, match="'events' requires 'syntax'"):
        compose(Extraction(events=True), _without("parse"))


def test_stages_requirement_of_an_unselected_row_refused() -> None:
    """A row that an extraction leaves out provides nothing: quotes asked for without the
    parse row are refused, naming the attribution stage and the parse it lacks."""
    parse_for_events_only = [
        dataclasses.replace(stage, wanted=lambda e: e.events) if stage.name == "parse" else stage
        for stage in STAGES
    ]
    with pytest.raises(UsageError, match="'attribution' requires 'syntax'"):
        compose(Extraction(attributions=True), parse_for_events_only)
    assert "attribution" not in compose(Extraction(), parse_for_events_only).names


def test_stages_needs_checked_at_the_end() -> None:
    with pytest.raises(UsageError, match="no stage provides 'features'"):
        compose(Extraction(), STAGES[:2], needs=frozenset({"features"}))


def test_stages_since_takes_earlier_rows_as_done() -> None:
    assert compose(Extraction(events=True), since="parse").names == (
        "parse", "entities", "events"
    )
    with pytest.raises(UsageError, match="no stage is named 'tokenise'"):
        compose(Extraction(), since="tokenise")


def test_stages_added_row_runs_after_the_rows_it_requires() -> None:
    """Adding a stage is adding a row: it runs over the batch the rows before it left."""
    seen: list[str] = []

    def count_words(batch: Batch) -> None:
        seen.extend(a.id for a in batch.full + batch.short)

    row = Stage("words", frozenset({"features"}), frozenset({"words"}), count_words)
    pipeline = compose(Extraction(), [*STAGES, row], needs=frozenset({"words"}))
    assert pipeline.names[-1] == "words"
    path = sorted((DEMO / "articles").glob("*.txt"))[0]
    item = RawInput(str(path), "text", path.read_bytes())
    batch = pipeline.run(Batch(Extraction(), pieces=[[item]]))
    prepared = [p for p in batch.pieces[0] if isinstance(p, Prepared)]
    assert seen == [p.article.id for p in prepared] and seen
    assert [p.article for p in prepared] == [
        p.article for p in prepare(item) if isinstance(p, Prepared)
    ]
