"""The events stage: PLOVER events from parsed sentences, with negation, modality, relative
dates, compound actors and sentences with no event (real spaCy parse, real lexicon)."""

from __future__ import annotations

import pytest

from storylens.model import Article, EventMention
from storylens.pipeline import Extraction, analyse


def _events(text: str, published: str | None = "2003-01-10") -> list[EventMention]:
    article = Article("a1", "t.txt", "text", text, text, published=published)
    return analyse([article], Extraction(events=True)).events["a1"]


def _codes(events: list[EventMention], kind: str, side: str) -> set[str]:
    return {a.code for e in events if e.type == kind for a in getattr(e, side) if a.code}


@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        (
            "Japan demanded on Friday that North Korea reverse its decision.",
            "REQUEST",
            {"JPN"},
            {"PRK"},
        ),
        (
            "Israeli troops attacked Palestinian militants in Gaza on Monday.",
            "ASSAULT",
            {"ISR"},
            {"PSE"},
        ),
        (
            "The Russian Foreign Ministry expressed deep concern over North Korea's decision.",
            "ACCUSE",
            {"RUS"},
            {"PRK"},
        ),
        (
            "Koizumi's government urged Moscow to mediate in the dispute with Pyongyang.",
            "REQUEST",
            set(),
            {"RUS"},
        ),
        ("The United States imposed sanctions on Iran on Tuesday.", "COERCE", {"USA"}, {"IRN"}),
        (
            "French President Jacques Chirac met German Chancellor Gerhard Schroeder in Berlin.",
            "CONSULT",
            {"FRA"},
            {"DEU"},
        ),
    ],
)
def test_events_codes_type_source_and_target(
    text: str, kind: str, source: set[str], target: set[str]
) -> None:
    found = _events(text)
    assert kind in {e.type for e in found}, found
    assert source <= _codes(found, kind, "source")
    assert target <= _codes(found, kind, "target")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Israel did not attack Syria on Friday.", "ASSAULT"),
        ("Israel refused to attack Syria on Friday.", "ASSAULT"),
        ("The army never shelled the town.", "ASSAULT"),
        ("Britain failed to attack the rebels.", "ASSAULT"),
    ],
)
def test_events_negated_is_not_the_event(text: str, absent: str) -> None:
    assert absent not in {e.type for e in _events(text)}


def test_events_refusal_is_coded_as_reject() -> None:
    found = _events("Israel refused to attack Syria on Friday.")
    assert "REJECT" in {e.type for e in found}
    assert _codes(found, "REJECT", "source") == {"ISR"}


def test_events_negated_cooperation_is_a_rejection() -> None:
    found = _events("Syria says it will not accept any more refugees from Iraq.")
    assert {e.type for e in found} == {"REJECT"}


@pytest.mark.parametrize(
    "text",
    [
        "The United States may impose sanctions on Iran.",
        "Russia could attack Georgia next year.",
        "If Iraq attacks Kuwait, the region will suffer.",
    ],
)
def test_events_hypothetical_is_not_coded(text: str) -> None:
    kinds = {e.type for e in _events(text)}
    assert not kinds & {"COERCE", "ASSAULT", "SANCTION"}, kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Portugal will support Turkey's bid to join the union.", "AGREE"),
        ("The rebels said they would boycott the elections.", "THREATEN"),
        ("Nigeria will withdraw its troops from Chad unless a ceasefire is agreed.", "THREATEN"),
        ("Putin offered to negotiate with the president of Armenia.", "AGREE"),
    ],
)
def test_events_future_is_coded_as_intent_or_threat(text: str, kind: str) -> None:
    assert kind in {e.type for e in _events(text)}


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        (
            "Japan demanded on Friday that North Korea reverse its decision.",
            "2003-01-10",
            "2003-01-10",
        ),
        (
            "Japan demanded on Tuesday that North Korea reverse its decision.",
            "2003-01-10",
            "2003-01-07",
        ),
        (
            "Japan demanded yesterday that North Korea reverse its decision.",
            "2003-01-10",
            "2003-01-09",
        ),
        (
            "Japan demanded on December 30 that North Korea reverse its decision.",
            "2003-01-03",
            "2002-12-30",
        ),
        ("Japan demanded that North Korea reverse its decision.", "2003-01-10", "2003-01-10"),
    ],
)
def test_events_dates_resolved_against_the_article(text: str, published: str, date: str) -> None:
    found = [e for e in _events(text, published) if e.type == "REQUEST"]
    assert found and found[0].date == date


def test_events_compound_actors_each_coded() -> None:
    found = _events(
        "Senior Hungarian and Romanian officials agreed on Wednesday that their countries "
        "should cooperate."
    )
    agree = [e for e in found if e.type == "AGREE"]
    assert agree
    assert {(a.code, a.sector) for a in agree[0].source} == {("HUN", "GOV"), ("ROU", "GOV")}


@pytest.mark.parametrize(
    "text",
    [
        "The weather in Paris was mild on Tuesday.",
        "Shares of the company rose three percent in early trading.",
        "",
        "Die Regierung in Berlin hat am Freitag eine Erklärung veröffentlicht.",
        "日本政府は金曜日に声明を発表した。",
    ],
)
def test_events_sentence_with_no_event(text: str) -> None:
    assert _events(text) == []


def test_events_evidence_offsets_point_into_the_text() -> None:
    text = "Quiet day.\n\nIsraeli troops attacked Palestinian militants in Gaza on Monday."
    (event,) = [e for e in _events(text) if e.type == "ASSAULT"]
    start, end = event.sentence_span
    assert text[start:end] == event.sentence
    start, end = event.trigger_span
    assert text[start:end] == "attacked"
