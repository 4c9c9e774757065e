"""Stacked bar charts as SVG, drawn on the server.

Why our own few lines rather than a charting library: none is among storylens' dependencies
(matplotlib, pygal, Vega-Lite would each be a large addition for one kind of chart), and an
SVG of rectangles is small, needs no JavaScript (so it shows with scripts off and within the
pages' Content-Security-Policy: presentation attributes only, no ``style``) and is built with
the standard library's ElementTree, which escapes every text and attribute.

The chart is accessible: ``role="img"`` labelled by its ``<title>`` and ``<desc>``, each bar
segment with a ``<title>`` of its own (a tooltip: period, series, count), labelled axes, and
a legend. Its colours are Okabe and Ito's palette for colour-blind readers, the last series
(``other``) grey, with a white line between stacked segments.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision,
# ordered so that neighbours in a stack contrast.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000")
OTHER_COLOUR = "#A0A0A0"
TEXT_COLOUR = "#333333"
AXIS_COLOUR = "#666666"

# The drawing's geometry, in SVG user units (the SVG scales to its container's width).
WIDTH = 720
PLOT_HEIGHT = 160
LEFT, RIGHT, TOP = 48, 12, 12
AXIS_BELOW = 40  # x tick labels and the x axis' label
LEGEND_ROW = 18
LEGEND_COLUMN = 176
FONT_SIZE = 12
MAX_X_LABELS = 7
MAX_Y_STEPS = 5


@dataclass(frozen=True)
class Series:
    """One stacked series: its name, its value per period, and whether it is the grey
    remainder (``other``)."""

    name: str
    values: Sequence[int]
    other: bool = False


@dataclass(frozen=True)
class BarChart:
    """What a stacked bar chart shows: the periods (labels along the x axis, as shown),
    the series stacked in each (the first at the bottom), the axes' labels, the title and
    description read out for it, and optionally a key per period for programs."""

    periods: Sequence[str]
    series: Sequence[Series]
    title: str
    description: str
    x_label: str
    y_label: str
    keys: Sequence[str] = ()  # each period's key (ISO), on its bars as data-period


def y_axis(most: int) -> tuple[int, int]:
    """The y axis for a largest value: its top and the step between its ticks, the step the
    least of 1, 2 or 5 times a power of ten that reaches ``most`` in at most MAX_Y_STEPS,
    and the top the first tick at or above ``most`` (so the tallest bar nearly fills the
    plot: 335 gives 400 in steps of 100, 7 gives 8 in steps of 2)."""
    most = max(1, most)
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            steps = -(-most // step)
            if steps <= MAX_Y_STEPS:
                return steps * step, step
        power *= 10


def y_ticks(top: int, step: int) -> list[int]:
    """The ticks of the y axis, from 0 to ``top``."""
    return list(range(0, top + 1, step))


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    """A child element with its attributes (underscores in names as dashes) and text."""
    node = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        node.text = text
    return node


def _colour(index: int, series: Series) -> str:
    return OTHER_COLOUR if series.other else PALETTE[index % len(PALETTE)]


def _legend_rows(chart: BarChart) -> int:
    per_row = max(1, (WIDTH - LEFT) // LEGEND_COLUMN)
    return max(1, -(-len(chart.series) // per_row))


def render_svg(chart: BarChart, element_id: str) -> str:
    """The chart as an ``<svg>`` element (text), its ids prefixed by ``element_id`` (unique
    on its page). Bar heights are proportional to the values: a value v is drawn
    v * PLOT_HEIGHT / top units high, top being the y axis' last tick."""
    height = TOP + PLOT_HEIGHT + AXIS_BELOW + _legend_rows(chart) * LEGEND_ROW + 8
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {height}",
        "width": str(WIDTH), "height": str(height), "role": "img", "class": "chart",
        "id": element_id, "aria-labelledby": f"{element_id}-title {element_id}-desc",
        "font-family": "system-ui, sans-serif", "font-size": str(FONT_SIZE),
    })
    _element(svg, "title", chart.title, id=f"{element_id}-title")
    _element(svg, "desc", chart.description, id=f"{element_id}-desc")
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.periods))]
    top, step = y_axis(max(totals, default=0))
    _y_axis(svg, chart, top, step)
    _bars(svg, chart, top)
    _x_axis(svg, chart)
    _legend(svg, chart)
    return ET.tostring(svg, encoding="unicode")


def _y_axis(svg: ET.Element, chart: BarChart, top: int, step: int) -> None:
    """Horizontal grid lines at the ticks, their numbers, and the y axis' label."""
    axis = _element(svg, "g", class_="y-axis")
    for tick in y_ticks(top, step):
        y = TOP + PLOT_HEIGHT - tick * PLOT_HEIGHT / top
        _element(axis, "line", x1=LEFT, x2=WIDTH - RIGHT, y1=f"{y:.2f}", y2=f"{y:.2f}",
                 stroke="#E3E5EA" if tick else AXIS_COLOUR, stroke_width=1)
        _element(axis, "text", str(tick), x=LEFT - 6, y=f"{y + 4:.2f}", text_anchor="end",
                 fill=TEXT_COLOUR)
    middle = TOP + PLOT_HEIGHT / 2
    _element(axis, "text", chart.y_label, x=12, y=f"{middle:.2f}", text_anchor="middle",
             fill=TEXT_COLOUR, transform=f"rotate(-90 12 {middle:.2f})")


def _bars(svg: ET.Element, chart: BarChart, top: int) -> None:
    """One group per period, its series' segments stacked from the bottom; zeros drawn
    not at all."""
    count = max(1, len(chart.periods))
    slot = (WIDTH - LEFT - RIGHT) / count
    width = max(slot * 0.8, min(slot, 1.0))
    bars = _element(svg, "g", class_="bars")
    for index, period in enumerate(chart.periods):
        key = chart.keys[index] if chart.keys else period
        group = _element(bars, "g", class_="period", data_period=key)
        base = float(TOP + PLOT_HEIGHT)
        x = LEFT + index * slot + (slot - width) / 2
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if not value:
                continue
            size = value * PLOT_HEIGHT / top
            base -= size
            rect = _element(
                group, "rect", x=f"{x:.2f}", y=f"{base:.3f}", width=f"{width:.2f}",
                height=f"{size:.3f}", fill=_colour(number, series), stroke="#FFFFFF",
                stroke_width=0.5, data_series=series.name, data_value=value,
            )
            _element(rect, "title", f"{period} · {series.name}: {value}")


def _x_axis(svg: ET.Element, chart: BarChart) -> None:
    """At most MAX_X_LABELS period labels, evenly chosen (the first always), and the x axis'
    label."""
    axis = _element(svg, "g", class_="x-axis")
    count = len(chart.periods)
    slot = (WIDTH - LEFT - RIGHT) / max(1, count)
    every = max(1, math.ceil(count / MAX_X_LABELS))
    baseline = TOP + PLOT_HEIGHT
    for index in range(0, count, every):
        x = LEFT + (index + 0.5) * slot
        _element(axis, "line", x1=f"{x:.2f}", x2=f"{x:.2f}", y1=baseline, y2=baseline + 4,
                 stroke=AXIS_COLOUR, stroke_width=1)
        _element(axis, "text", chart.periods[index], x=f"{x:.2f}", y=baseline + 16,
                 text_anchor="middle", fill=TEXT_COLOUR)
    _element(axis, "text", chart.x_label, x=LEFT + (WIDTH - LEFT - RIGHT) / 2,
             y=baseline + 33, text_anchor="middle", fill=TEXT_COLOUR)


def _legend(svg: ET.Element, chart: BarChart) -> None:
    """A swatch and name per series, in stacking order, in rows under the chart."""
    legend = _element(svg, "g", class_="legend")
    per_row = max(1, (WIDTH - LEFT) // LEGEND_COLUMN)
    first = TOP + PLOT_HEIGHT + AXIS_BELOW + 4
    for number, series in enumerate(chart.series):
        row, column = divmod(number, per_row)
        x, y = LEFT + column * LEGEND_COLUMN, first + row * LEGEND_ROW
        _element(legend, "rect", x=x, y=y, width=12, height=12, fill=_colour(number, series))
        name = series.name if len(series.name) <= 24 else series.name[:23] + "…"
        _element(legend, "text", name, x=x + 17, y=y + 10, fill=TEXT_COLOUR)
