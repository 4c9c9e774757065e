"""Issue 17: events are coded only where the text asserts them. The benchmark's type
precision, and sentences of our own: an evaluation is not the act it evaluates, a song or a
title is not an event, one act is coded under one type, and only actors take part."""

from __future__ import annotations

import pytest

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
