"""The series of attention over time (storylens/read/attention.py), from counts as the store
gives them: the period chosen by the span, every period from the first to the last with
zeros filled, the top outlets named and the rest summed, the CSV, the description, and an
entity's stories and events day by day."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from storylens.errors import UsageError
from storylens.read.attention import (
    DAY,
    HOUR,
    OTHER,
    UNNAMED,
    WEEK,
    attention_csv,
    describe,
    entity_timeline,
    one_selection,
    period_for,
    stack,
)
from storylens.store import AttentionSpan


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def _view(periods: list[str], series: list[dict[str, object]], unit: str = "day") -> dict[
        str, object]:
    totals = [sum(s["counts"][i] for s in series) for i in range(len(periods))]  # type: ignore[index]
    return {"kind": "query", "value": "ferry", "label": "the search “ferry”", "unit": unit,
            "periods": periods, "series": series, "totals": totals, "total": sum(totals),
            "undated": 0}


def test_attention_series_period_follows_the_span() -> None:
    two_days = _ts("2025-03-06T10:00:00") - _ts("2025-03-04T09:00:00")
    start = _ts("2025-03-04T09:00:00")
    assert period_for(AttentionSpan(start, start + two_days, 5, 0, 0)) is HOUR
    # a date alone says nothing of the hour: per day, however short the span
    assert period_for(AttentionSpan(start, start + two_days, 5, 0, 1)) is DAY
    assert period_for(AttentionSpan(start, start + 4 * 86400, 5, 0, 0)) is DAY
    assert period_for(AttentionSpan(start, start + 800 * 86400, 5, 0, 0)) is WEEK
    assert period_for(AttentionSpan(None, None, 0, 3, 0)) is DAY
    assert HOUR.label(_ts("2025-03-04T16:00:00")) == "2025-03-04T16:00Z"
    assert DAY.label(_ts("2025-03-04T00:00:00")) == "2025-03-04"
    # weeks start on Mondays (1970-01-01 was a Thursday: the offset is three days)
    monday = _ts("2025-03-03T00:00:00")
    assert int((monday + WEEK.offset) % WEEK.width) == 0


def test_attention_series_fills_every_day_with_zeros() -> None:
    rows = [(_ts("2025-03-04T00:00:00"), "Meridian Wire", 2),
            (_ts("2025-03-07T00:00:00"), "Meridian Wire", 1),
            (_ts("2025-03-07T00:00:00"), "Eastgate Times", 3)]
    periods, series = stack(rows, DAY)
    assert periods == ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"]
    assert [(s["outlet"], s["counts"], s["total"]) for s in series] == [
        ("Eastgate Times", [0, 0, 0, 3], 3),
        ("Meridian Wire", [2, 0, 0, 1], 3),  # a tie: by name
    ]
    assert stack([], DAY) == ([], [])


def test_attention_series_names_the_top_outlets_and_sums_the_rest() -> None:
    day = _ts("2025-03-04T00:00:00")
    rows = [(day, f"Outlet {n:02d}", n) for n in range(1, 12)] + [(day, None, 20)]
    periods, series = stack(rows, DAY, top=3)
    assert periods == ["2025-03-04"]
    assert [s["outlet"] for s in series] == [UNNAMED, "Outlet 11", "Outlet 10", OTHER]
    assert [s["kind"] for s in series] == ["unnamed", "outlet", "outlet", "other"]
    assert series[-1]["counts"] == [sum(range(1, 10))] and series[-1]["outlets"] == 9
    assert sum(s["total"] for s in series) == 20 + sum(range(1, 12))
    # one outlet beyond the top is named, not summed as "other"
    _, four = stack(rows[-4:], DAY, top=3)
    assert OTHER not in [s["outlet"] for s in four] and len(four) == 4


def test_attention_series_csv_has_a_row_per_period() -> None:
    view = _view(["2025-03-04", "2025-03-05"], [
        {"outlet": "Eastgate Times, Ltd", "kind": "outlet", "counts": [0, 3], "total": 3},
        {"outlet": OTHER, "kind": "other", "counts": [2, 0], "total": 2, "outlets": 4},
    ])
    rows = list(csv.reader(io.StringIO(attention_csv(view))))
    assert rows == [["day", "Eastgate Times, Ltd", OTHER, "total"],
                    ["2025-03-04", "0", "2", "2"], ["2025-03-05", "3", "0", "3"]]


def test_attention_series_description_says_what_the_chart_shows() -> None:
    view = _view(["2025-03-04", "2025-03-05"], [
        {"outlet": "Eastgate Times", "kind": "outlet", "counts": [1, 3], "total": 4}])
    view["undated"] = 2
    text = describe(view)
    assert "Articles per day about the search “ferry”, from 2025-03-04 to 2025-03-05" in text
    assert "4 in all, the most (3) in the day of 2025-03-05" in text
    assert text.endswith("2 undated, not shown.")
    assert describe(_view([], [])) == "No dated articles about the search “ferry”."


def test_attention_series_one_selection_exactly() -> None:
    assert one_selection({"q": ("query", " ferry "), "outlet": ("outlet", None)}) == (
        "query", "ferry")
    with pytest.raises(UsageError, match="exactly one of q, outlet .none given"):
        one_selection({"q": ("query", " "), "outlet": ("outlet", None)})
    with pytest.raises(UsageError, match="q and outlet given"):
        one_selection({"q": ("query", "a"), "outlet": ("outlet", "b")})


def test_attention_series_entity_timeline_by_day() -> None:
    entity = {
        "stories": [{"id": "s1", "first_published": "2025-03-04"},
                    {"id": "s2", "first_published": None},
                    {"id": "s3", "first_published": "2025-03-02T10:00:00Z"}],
        "events": [{"id": "e1", "date": "2025-03-04"}, {"id": "e2", "date": "2025-03-05"},
                   {"id": "e3", "date": None}],
    }
    days = entity_timeline(entity)
    assert [d["day"] for d in days] == ["2025-03-02", "2025-03-04", "2025-03-05", None]
    assert [[s["id"] for s in d["stories"]] for d in days] == [["s3"], ["s1"], [], ["s2"]]
    assert [[e["id"] for e in d["events"]] for d in days] == [[], ["e1"], ["e2"], ["e3"]]
