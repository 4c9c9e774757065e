"""Attention over time: the articles about a story, an entity, a search or from an outlet per
hour, day or week, stacked by outlet (the most prolific first, the rest as "Other outlets"),
every period from the first to the last shown, zeros included; as JSON (the API, ``storylens
attention --json``, the story's view), CSV, and an SVG chart (see chart) with the numbers as
a table beside it.

The store counts (Store.attention_span, attention_counts: indexed SQL); this module only
shapes the counts it returns, so a chart costs what it shows, not the articles behind it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from ..errors import UsageError
from ..store import SCOPE_KINDS, AttentionScope, AttentionSpan, Store
from .chart import BarChart, Series, render_svg

# A span of dated articles shorter than this is counted per hour (when every article gives
# its time of day: a date alone says nothing of the hour); longer, per day.
HOURLY_SPAN_HOURS = 72
# A span longer than this is counted per week (from Monday): a decade of days is thousands of
# bars too thin to read.
WEEKLY_SPAN_DAYS = 731
# The outlets stacked by name, the most articles first; the rest are summed as OTHER. As many
# as the chart's palette has distinguishable colours.
TOP_OUTLETS = 8
OTHER = "Other outlets"
UNNAMED = "Outlet not named"

_HOUR, _DAY = 3600, 86400


@dataclass(frozen=True)
class Period:
    """How articles are counted: per ``unit`` (hour, day, week), periods ``width`` seconds
    long starting ``offset`` seconds before multiples of it (weeks: on Mondays, UTC)."""

    unit: str
    width: int
    offset: int = 0

    def label(self, start: float) -> str:
        """A period as the JSON and CSV give it: 2025-03-04 (a day, or the Monday a week
        starts), 2025-03-04T16:00Z (an hour)."""
        moment = datetime.fromtimestamp(start, UTC)
        return moment.strftime("%Y-%m-%dT%H:00Z" if self.unit == "hour" else "%Y-%m-%d")


HOUR, DAY, WEEK = Period("hour", _HOUR), Period("day", _DAY), Period("week", 7 * _DAY, 3 * _DAY)


def period_for(span: AttentionSpan) -> Period:
    """Hours for a short span of timed articles, weeks for a very long one, else days."""
    if span.first_ts is None or span.last_ts is None:
        return DAY
    length = span.last_ts - span.first_ts
    if length < HOURLY_SPAN_HOURS * _HOUR and not span.day_only:
        return HOUR
    return WEEK if length > WEEKLY_SPAN_DAYS * _DAY else DAY


def stack(
    rows: Iterable[tuple[float, str | None, int]], period: Period, top: int = TOP_OUTLETS
) -> tuple[list[str], list[dict[str, Any]]]:
    """The periods (labels, every one from the first counted to the last) and the series
    stacked over them from counts of (period start, outlet, articles): the ``top`` outlets
    with the most articles (then by name), an outlet not named as UNNAMED, and the rest
    summed as OTHER (only when it would hold two outlets or more; one is shown by name)."""
    per_outlet: dict[str | None, dict[float, int]] = {}
    for start, outlet, count in rows:
        counts = per_outlet.setdefault(outlet, {})
        counts[start] = counts.get(start, 0) + count
    if not per_outlet:
        return [], []
    starts = [s for counts in per_outlet.values() for s in counts]
    first, last = min(starts), max(starts)
    periods = [first + i * period.width for i in range(int((last - first) // period.width) + 1)]
    ranked = sorted(per_outlet, key=lambda o: (-sum(per_outlet[o].values()), o is None, o or ""))
    named = ranked if len(ranked) <= top + 1 else ranked[:top]
    series = [
        _series(UNNAMED if outlet is None else outlet, "unnamed" if outlet is None else "outlet",
                [per_outlet[outlet].get(p, 0) for p in periods])
        for outlet in named
    ]
    rest = ranked[len(named):]
    if rest:
        values = [sum(per_outlet[o].get(p, 0) for o in rest) for p in periods]
        series.append(_series(OTHER, "other", values) | {"outlets": len(rest)})
    return [period.label(p) for p in periods], series


def _series(name: str, kind: str, counts: list[int]) -> dict[str, Any]:
    return {"outlet": name, "kind": kind, "counts": counts, "total": sum(counts)}


def one_selection(given: dict[str, tuple[str, str | None]]) -> tuple[str, str]:
    """The kind and value of the one selection given, from {name as the reader gives it:
    (kind, value or None)}; UsageError (naming them) when none or several are given."""
    filled = {name: pair for name, pair in given.items() if pair[1] and pair[1].strip()}
    if len(filled) != 1:
        which = "none" if not filled else " and ".join(filled)
        raise UsageError(f"give exactly one of {', '.join(given)} ({which} given)")
    kind, value = next(iter(filled.values()))
    return kind, str(value).strip()


def attention_view(
    store: Store, kind: str, value: str, *, advanced: bool = False, top: int = TOP_OUTLETS,
    label: str | None = None,
) -> dict[str, Any]:
    """The articles per period of a story (``kind`` story, ``value`` its id), an entity (its
    id, name or written form), a search (the words of ``value``; FTS5 syntax with
    ``advanced``) or an outlet (its name, any case), stacked by outlet: what is counted
    (``kind``, ``value``: an entity by its id, ``label``), the ``unit``, the ``periods``, the
    ``series`` (``outlet``, ``kind``: outlet, unnamed or other, ``counts`` per period,
    ``total``), the ``totals`` per period, the ``total`` of dated articles and the
    ``undated`` ones, which no period holds. NotFoundError for an unknown story or entity;
    UsageError for a bad search. A caller that has looked the story or entity up gives its
    ``label`` (and an entity by its id): it is not looked up again."""
    if kind not in SCOPE_KINDS:
        raise UsageError(f"attention is counted for {', '.join(SCOPE_KINDS)}, not {kind!r}")
    value = value.strip()
    if label is None:
        value, label = _subject(store, kind, value)
    scope = AttentionScope(kind, value, advanced)
    span = store.attention_span(scope)
    period = period_for(span)
    periods, series = stack(
        store.attention_counts(scope, period.width, period.offset), period, top
    )
    totals = [sum(s["counts"][i] for s in series) for i in range(len(periods))]
    return {
        "kind": kind, "value": value, "label": label, "unit": period.unit,
        "periods": periods, "series": series, "totals": totals, "total": sum(totals),
        "undated": span.undated,
    }


def _subject(store: Store, kind: str, value: str) -> tuple[str, str]:
    """What is counted, as the store selects it (an entity by its id), and in words."""
    if kind == "story":
        story = store.story(value)
        return value, f"the story “{story.title or 'Untitled story'}”"
    if kind == "entity":
        entity = store.entity(value)
        return entity.id, entity.name
    if kind == "query":
        return value, f"the search “{value}”"
    return value, f"the outlet {value}"


def attention_csv(view: dict[str, Any]) -> str:
    """The counts as CSV: a row per period (its label, each series' articles, the total),
    the series' names as the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([view["unit"], *(s["outlet"] for s in view["series"]), "total"])
    for index, period in enumerate(view["periods"]):
        writer.writerow(
            [period, *(s["counts"][index] for s in view["series"]), view["totals"][index]]
        )
    return buffer.getvalue()


def _shown(unit: str, label: str) -> str:
    """A period as the chart's axis shows it: 4 Mar 2025, 4 Mar 16:00, week of 3 Mar 2025."""
    if unit == "hour":
        moment = datetime.strptime(label, "%Y-%m-%dT%H:00Z")
        return f"{moment.day} {moment:%b %H:00}"
    moment = datetime.strptime(label, "%Y-%m-%d")
    return f"{moment.day} {moment:%b %Y}"


def describe(view: dict[str, Any]) -> str:
    """What the chart shows, in a sentence or two (its SVG description, read out)."""
    unit, periods = view["unit"], view["periods"]
    if not periods:
        return f"No dated articles about {view['label']}."
    busiest = max(range(len(periods)), key=lambda i: view["totals"][i])
    text = (
        f"Articles per {unit} about {view['label']}, from {periods[0]} to {periods[-1]} "
        f"(UTC), stacked by outlet: {view['total']} in all, the most ({view['totals'][busiest]}) "
        f"in the {unit} of {periods[busiest]}."
    )
    if view["undated"]:
        text += f" {view['undated']} undated, not shown."
    return text


def attention_chart(view: dict[str, Any], element_id: str) -> Markup:
    """The view as an SVG stacked bar chart (safe to put in a page: ElementTree escaped every
    text), ids prefixed by ``element_id``."""
    unit = view["unit"]
    chart = BarChart(
        periods=[_shown(unit, p) for p in view["periods"]],
        series=[Series(s["outlet"], s["counts"], s["kind"] == "other") for s in view["series"]],
        title=f"Articles per {unit} about {view['label']}, by outlet",
        description=describe(view),
        x_label=f"{unit} (UTC)" if unit != "week" else "week, from Monday (UTC)",
        y_label=f"articles per {unit}",
        keys=view["periods"],
    )
    return Markup(render_svg(chart, element_id))


def entity_timeline(entity: dict[str, Any]) -> list[dict[str, Any]]:
    """An entity's stories (on the day of their first article) and the events it takes part
    in (on their date), day by day from the oldest, from its view (views.entity_detail):
    each day's ``day`` (YYYY-MM-DD; None for what is undated, last), ``stories`` and
    ``events``."""
    days: dict[str | None, dict[str, Any]] = {}

    def on(day: str | None) -> dict[str, Any]:
        key = day[:10] if day else None
        return days.setdefault(key, {"day": key, "stories": [], "events": []})

    for story in entity["stories"]:
        on(story["first_published"])["stories"].append(story)
    for event in entity["events"]:
        on(event["date"])["events"].append(event)
    return sorted(days.values(), key=lambda d: (d["day"] is None, d["day"] or ""))
