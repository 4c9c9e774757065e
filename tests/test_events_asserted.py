"""Issue 17: events are coded only where the text asserts them. The benchmark's type
precision, and sentences of our own: an evaluation is not the act it evaluates, a song or a
title is not an event, one act is coded under one type, and only actors take part."""

from __future__ import annotations

import pytest
from conftest import Cli, shared_path

from storylens.bench.events import GoldEvent, score_events
from storylens.model import Actor, Article, EventMention
from storylens.pipeline import Extraction, analyse


def _events(text: str, published: str | None = "2003-01-10") -> list[EventMention]:
    article = Article("a1", "t.txt", "text", text, text, published=published)
    return analyse([article], Extraction(events=True)).events["a1"]


def _mention(kind: str) -> EventMention:
    side = (Actor("Japan", "JPN", "GOV"),)
    return EventMention("a", kind, None, side, (), None, None, "", (0, 0), "", (0, 0), 1.0)


def test_bench_events_type_precision_counts_record_type_pairs() -> None:
    gold = [
        GoldEvent("t1", None, "REQUEST", frozenset({"JPN"}), frozenset()),
        GoldEvent("t2", None, "ASSAULT", frozenset({"JPN"}), frozenset()),
        GoldEvent("t3", None, "AGREE", frozenset({"JPN"}), frozenset()),
    ]
    predicted = [
        [_mention("REQUEST"), _mention("REQUEST"), _mention("COERCE")],  # two pairs, one right
        [_mention("ASSAULT")],  # one pair, right
        [],  # no pair
    ]
    scores = score_events(predicted, gold)
    assert scores["type_accuracy"] == pytest.approx(2 / 3)
    assert scores["type_precision"] == pytest.approx(2 / 3)
    assert scores["types_per_record"] == pytest.approx(1.0)


# Issue 17's targets on the PLOVER gold records: type accuracy >= 0.80, type precision
# >= 0.75 (measured 0.801 and 0.752; before this work 0.804 and 0.546).
EVENTS_TYPE_ACCURACY_GATE = 0.80
EVENTS_TYPE_PRECISION_GATE = 0.75


def test_bench_events_type_precision_meets_target(cli: Cli) -> None:
    path = shared_path("data", "plover", "PLOVER_GSR_CAMEO.json")
    figures = cli.json("bench", "events", str(path), db=False)
    assert isinstance(figures, dict)
    assert figures["type_accuracy"] >= EVENTS_TYPE_ACCURACY_GATE, figures
    assert figures["type_precision"] >= EVENTS_TYPE_PRECISION_GATE, figures
    assert figures["types_per_record"] < 1.1, figures


@pytest.mark.parametrize(
    "text",
    [
        "Japanese Prime Minister Junichiro Koizumi called the withdrawal regrettable.",
        'In a statement, the Japanese premier Junichiro Koizumi called the pullout "deeply '
        'regrettable" and said Japan would respond.',
        "Kenyan President Mwai Kibaki called the withdrawal of the troops regrettable.",
    ],
)
def test_events_evaluation_is_not_the_act_it_judges(text: str) -> None:
    events = _events(text)
    assert not [e for e in events if e.type == "RETREAT"]
    assert all(e.type == "ACCUSE" for e in events if {"JPN", "KEN"} & {a.code for a in e.source})


@pytest.mark.parametrize(
    "text",
    [
        "Vitali Klitschko welcomed Happy Birthday on Sunday.",
        '"Catching Fire" praised the Kenyan government.',
    ],
)
def test_events_party_that_is_no_actor_is_dropped(text: str) -> None:
    assert _events(text) == []


def test_events_withdrawal_from_a_treaty_coded_once() -> None:
    events = _events("North Korea withdrew from the nuclear treaty on Friday.")
    assert [e.type for e in events] == ["SANCTION"]
    assert events[0].trigger_span[0] < events[0].trigger_span[1]
    assert events[0].sentence


@pytest.mark.parametrize(
    "text",
    [
        "Kenya rejected a Ugandan request to interrogate the detained traders.",
        "Tanzania demanded that Kenya match Uganda's support for the regional court.",
    ],
)
def test_events_act_asked_for_or_refused_is_not_coded_as_done(text: str) -> None:
    assert len(_events(text)) == 1


def test_events_hunger_strike_is_one_protest() -> None:
    events = _events(
        "Hundreds of Kenyan teachers began a hunger strike on Monday to protest against the "
        "new pay law."
    )
    assert [(e.type, e.trigger) for e in events] == [("PROTEST", "hunger strike")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The Kenyan army prepared to impose martial law as riots spread in Nairobi.", "THREATEN"),
        (
            "Kenyan army helicopters evacuated the wounded from the besieged town of Garissa "
            "on Friday.",
            "AID",
        ),
        (
            "The rebels said they will return weapons seized last year from Kenyan soldiers.",
            "AGREE",
        ),
    ],
)
def test_events_backdrop_without_a_source_is_not_a_second_event(text: str, kind: str) -> None:
    assert [e.type for e in _events(text)] == [kind]


def test_events_act_named_again_is_not_a_second_act() -> None:
    events = _events(
        "Kenya withdrew from the regional trade treaty on Monday. "
        "Trade with Uganda fell sharply after Kenya's withdrawal."
    )
    assert [e.type for e in events] == ["SANCTION"]


def test_events_seeds_withdrawal_coded_once_and_not_by_its_judge() -> None:
    for path in sorted(shared_path("seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        events = _events(text)
        assert not [e for e in events if e.type == "RETREAT"], path.name
        korea = {e.type for e in events if "PRK" in {a.code for a in e.source}}
        assert "SANCTION" in korea and "RETREAT" not in korea
        japan = {e.type for e in events if "JPN" in {a.code for a in e.source}}
        assert "RETREAT" not in japan


def test_events_clause_describing_a_participant_is_backdrop() -> None:
    events = _events(
        "Kenya sent troops to Somalia, whose army is trying to broker a truce between rival clans."
    )
    assert [e.type for e in events] == ["MOBILIZE"]


def test_events_event_noun_qualifying_a_noun_is_backdrop() -> None:
    events = _events(
        "Kenya praised Ugandan President Yoweri Museveni for his role in the Sudanese peace talks."
    )
    assert [e.type for e in events] == ["SUPPORT"]


@pytest.mark.parametrize(
    "text",
    [
        "Tanzania is ready to send equipment to help defend Kenya if it is attacked.",
        "Uganda offered its troops to Kenyan President Mwai Kibaki to help him disarm the "
        "militias.",
    ],
)
def test_events_help_with_a_verb_is_what_an_act_is_for(text: str) -> None:
    assert [e.type for e in _events(text)] == ["AGREE"]


def test_events_help_with_an_object_is_aid() -> None:
    assert [e.type for e in _events("Kenya helped Somali refugees in Dadaab.")] == ["AID"]


def test_events_sourceless_act_beside_a_reported_one_is_backdrop() -> None:
    events = _events(
        "The Kenyan government defended the right of its police to fire on rioters in Nairobi."
    )
    assert [e.type for e in events] == ["SUPPORT"]


def test_events_act_deep_in_a_request_is_the_request_s() -> None:
    events = _events("Kenya demanded a truce before allowing Ugandan aid convoys to reach Garissa.")
    assert [e.type for e in events] == ["REQUEST"]


@pytest.mark.parametrize(
    "text",
    [
        # what is hoped or believed of another is not done
        "Kenya hopes Uganda will join the trade treaty before the summit, the ministry said.",
        "The minister said he believed Tanzania could play a vital role in resolving the dispute.",
    ],
)
def test_events_hoped_or_believed_act_not_coded(text: str) -> None:
    assert not [e for e in _events(text) if {a.code for a in e.source} & {"UGA", "TZA"}]
