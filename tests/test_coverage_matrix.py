"""The coverage matrix and blindspots (read.coverage.coverage_matrix) on hand-made counts:
the order of stories and outlets, the cells, the columns cut to the outlets asked for, the
articles with no outlet named, and the blindspot rule; and its CSV."""

from __future__ import annotations

import csv
import io

import pytest

from storylens.errors import UsageError
from storylens.model import Story
from storylens.read.coverage import (
    BLINDSPOTS_SHOWN,
    CoverageLimits,
    coverage_csv,
    coverage_matrix,
)
from storylens.store import CoverageCount


def _story(story_id: str, title: str | None = None) -> Story:
    return Story(story_id, title or f"Story {story_id}", "2025-01-01", "2025-01-02", 0)


def _counts(table: dict[str, dict[str | None, int]]) -> list[CoverageCount]:
    return [
        CoverageCount(story, outlet, n, 0)
        for story, by_outlet in table.items()
        for outlet, n in by_outlet.items()
    ]


TABLE: dict[str, dict[str | None, int]] = {
    "small": {"Alpha": 1},
    "wide": {"Alpha": 1, "Beta": 1, "Gamma": 1, "Delta": 1},
    "deep": {"Beta": 5, "Gamma": 1, None: 2},
    "mid": {"Alpha": 2, "Beta": 1, "Gamma": 1},
}
STORIES = [_story(i) for i in TABLE]


def test_coverage_matrix_orders_stories_by_size_and_outlets_by_stories_covered() -> None:
    view = coverage_matrix(STORIES, _counts(TABLE), CoverageLimits(min_outlets=3))
    assert [s["id"] for s in view["stories"]] == ["deep", "wide", "mid", "small"]
    # Alpha, Beta and Gamma cover 3 stories each: Beta has the most articles, Alpha then
    # Gamma by articles (4 against 3); Delta covers one
    assert [o["name"] for o in view["outlets"]] == ["Beta", "Alpha", "Gamma", "Delta"]
    assert [(o["stories"], o["articles"]) for o in view["outlets"]] == [
        (3, 7), (3, 4), (3, 3), (1, 1)
    ]
    rows = {s["id"]: s for s in view["stories"]}
    assert rows["deep"]["counts"] == [5, 0, 1, 0]
    assert rows["deep"]["articles"] == 8  # the 2 with no outlet named included
    assert rows["deep"]["unnamed_articles"] == 2
    assert rows["deep"]["outlet_count"] == 2  # articles with no outlet named are no outlet
    assert rows["wide"]["counts"] == [1, 1, 1, 1]
    assert view["outlets_total"] == 4


def test_coverage_matrix_columns_cut_to_the_outlets_asked_for() -> None:
    view = coverage_matrix(STORIES, _counts(TABLE), CoverageLimits(outlets=2, min_outlets=3))
    assert [o["name"] for o in view["outlets"]] == ["Beta", "Alpha"]
    rows = {s["id"]: s for s in view["stories"]}
    assert rows["wide"]["counts"] == [1, 1]
    assert rows["wide"]["other_outlets"] == 2  # Gamma and Delta, not shown
    assert rows["deep"]["other_outlets"] == 1
    assert view["outlets_total"] == 4


def test_coverage_blindspots_are_stories_enough_other_outlets_covered() -> None:
    view = coverage_matrix(STORIES, _counts(TABLE), CoverageLimits(min_outlets=3))
    spots = {o["name"]: [b["id"] for b in o["blindspots"]] for o in view["outlets"]}
    # wide has 4 outlets, mid 3: stories with fewer are no one's blindspot
    assert spots == {"Beta": [], "Alpha": [], "Gamma": [], "Delta": ["mid"]}
    view = coverage_matrix(STORIES, _counts(TABLE), CoverageLimits(min_outlets=2))
    spots = {o["name"]: [b["id"] for b in o["blindspots"]] for o in view["outlets"]}
    # the most widely covered first, then the biggest
    assert spots == {"Beta": [], "Alpha": ["deep"], "Gamma": [], "Delta": ["mid", "deep"]}
    delta = view["outlets"][3]
    assert delta["blindspot_count"] == 2
    assert delta["blindspots"][0] == {"id": "mid", "title": "Story mid", "outlets": 3,
                                      "articles": 4}
    view = coverage_matrix(STORIES, _counts(TABLE), CoverageLimits(min_outlets=5))
    assert all(o["blindspot_count"] == 0 for o in view["outlets"])


def test_coverage_blindspots_listed_up_to_a_limit_and_all_counted() -> None:
    many = {f"s{n:02}": {"A": 1, "B": 1, "C": 1} for n in range(BLINDSPOTS_SHOWN + 5)}
    many["lone"] = {"D": 1}
    stories = [_story(i) for i in many]
    view = coverage_matrix(stories, _counts(many), CoverageLimits(min_outlets=3))
    lone = next(o for o in view["outlets"] if o["name"] == "D")
    assert lone["blindspot_count"] == BLINDSPOTS_SHOWN + 5
    assert len(lone["blindspots"]) == BLINDSPOTS_SHOWN


def test_coverage_wire_copies_counted_for_the_outlet_that_printed_them() -> None:
    counts = [CoverageCount("x", "Wire", 1, 0), CoverageCount("x", "Paper", 2, 1)]
    view = coverage_matrix([_story("x")], counts, CoverageLimits())
    row = view["stories"][0]
    assert [o["name"] for o in view["outlets"]] == ["Paper", "Wire"]
    assert row["counts"] == [2, 1] and row["copies"] == [1, 0]


def test_coverage_limits_out_of_range_are_usage_errors() -> None:
    for limits in (CoverageLimits(stories=0), CoverageLimits(outlets=10_000),
                   CoverageLimits(min_outlets=0)):
        with pytest.raises(UsageError):
            limits.checked()


def test_coverage_csv_has_a_row_per_story_and_keeps_formulas_as_text() -> None:
    stories = [_story("x", "=HYPERLINK(\"http://example.com\")"),
               _story("y", "Plain, with a comma")]
    counts = [CoverageCount("x", "+Outlet", 2, 0), CoverageCount("y", "Other", 1, 0),
              CoverageCount("y", None, 1, 0)]
    text = coverage_csv(coverage_matrix(stories, counts, CoverageLimits()))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["story_id", "title", "first_published", "last_published", "articles",
                       "outlets", "unnamed_articles", "'+Outlet", "Other", "other_outlets"]
    assert rows[1][:2] == ["x", "'=HYPERLINK(\"http://example.com\")"]
    assert rows[1][4:] == ["2", "1", "0", "2", "0", "0"]
    assert rows[2][1:] == ["Plain, with a comma", "2025-01-01", "2025-01-02", "2", "1", "1",
                           "0", "1", "0"]
