"""The SVG stacked bar chart (storylens/read/chart.py), parsed with ElementTree: bars stacked
in order with heights proportional to their values, an accessible title and description,
labelled axes, a legend in distinguishable colours, text escaped, and no style attribute
(the pages' Content-Security-Policy forbids inline styles)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from storylens.read.attention import attention_chart
from storylens.read.chart import (
    OTHER_COLOUR,
    PALETTE,
    PLOT_HEIGHT,
    TOP,
    BarChart,
    Series,
    render_svg,
    y_axis,
    y_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**changes: object) -> BarChart:
    fields: dict[str, object] = {
        "periods": ["4 Mar", "5 Mar", "6 Mar"],
        "series": [Series("Eastgate Times", [3, 0, 1]), Series("Meridian <Wire>", [2, 0, 4]),
                   Series("Other outlets", [1, 0, 2], other=True)],
        "title": "Articles per day about the search “ferry”, by outlet",
        "description": "Six articles in all.",
        "x_label": "day (UTC)",
        "y_label": "articles per day",
        "keys": ["2025-03-04", "2025-03-05", "2025-03-06"],
    }
    fields.update(changes)
    return BarChart(**fields)  # type: ignore[arg-type]


def _parse(chart: BarChart) -> ET.Element:
    return ET.fromstring(render_svg(chart, "c1"))


def test_attention_chart_bar_heights_are_proportional_to_counts() -> None:
    svg = _parse(_chart())
    top, _ = y_axis(7)  # the busiest period holds 1 + 4 + 2
    assert top == 8
    groups = svg.findall(f".//{SVG}g[@class='period']")
    assert [g.get("data-period") for g in groups] == ["2025-03-04", "2025-03-05", "2025-03-06"]
    for group, values in zip(groups, ([3, 2, 1], [], [1, 4, 2]), strict=True):
        rects = group.findall(f"{SVG}rect")
        assert [int(r.get("data-value") or 0) for r in rects] == values  # zeros not drawn
        heights = [float(r.get("height") or 0) for r in rects]
        assert heights == [round(v * PLOT_HEIGHT / top, 3) for v in values]
        # stacked from the baseline up, each segment on the one below
        bottom = TOP + PLOT_HEIGHT
        for rect, height in zip(rects, heights, strict=True):
            assert abs(float(rect.get("y") or 0) + height - bottom) < 0.01
            bottom -= height
    tooltips = [t.text for t in groups[2].findall(f"{SVG}rect/{SVG}title")]
    assert tooltips == ["6 Mar · Eastgate Times: 1", "6 Mar · Meridian <Wire>: 4",
                        "6 Mar · Other outlets: 2"]


def test_attention_chart_is_accessible_and_within_the_policy() -> None:
    text = render_svg(_chart(), "c1")
    svg = ET.fromstring(text)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "c1-title" and "ferry" in (title.text or "")
    assert desc is not None and desc.text == "Six articles in all."
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "articles per day" in labels and "day (UTC)" in labels
    assert {"4 Mar", "5 Mar", "6 Mar"} <= set(labels)
    assert [str(n) for n in y_ticks(*y_axis(7))] == [t for t in labels if t and t.isdigit()]
    assert "Meridian <Wire>" in labels and "&lt;Wire&gt;" in text  # escaped
    assert all("style" not in element.attrib for element in svg.iter())
    legend = svg.find(f"{SVG}g[@class='legend']")
    assert legend is not None
    swatches = [r.get("fill") for r in legend.findall(f"{SVG}rect")]
    assert swatches == [PALETTE[0], PALETTE[1], OTHER_COLOUR]
    assert len(set(PALETTE)) == len(PALETTE) and OTHER_COLOUR not in PALETTE


def test_attention_chart_axis_ticks_and_empty_chart() -> None:
    assert [y_axis(v) for v in (0, 1, 3, 5, 6, 7, 12, 23, 101, 335)] == [
        (1, 1), (1, 1), (3, 1), (5, 1), (6, 2), (8, 2), (15, 5), (25, 5), (150, 50),
        (400, 100)]
    assert y_ticks(*y_axis(7)) == [0, 2, 4, 6, 8] and y_ticks(*y_axis(1)) == [0, 1]
    many = _chart(periods=[f"d{n}" for n in range(400)], keys=[],
                  series=[Series("A", [n % 3 for n in range(400)])])
    svg = _parse(many)
    assert len(svg.findall(f".//{SVG}g[@class='period']")) == 400
    ticks = svg.find(f"{SVG}g[@class='x-axis']")
    assert ticks is not None and len(ticks.findall(f"{SVG}line")) <= 7  # labels thinned
    empty = _parse(_chart(periods=[], keys=[], series=[]))
    assert empty.findall(f".//{SVG}rect") == []


def test_attention_chart_of_a_view_has_the_view_in_words() -> None:
    view = {"kind": "story", "value": "s1", "label": "the story “Pier”", "unit": "hour",
            "periods": ["2025-03-04T16:00Z", "2025-03-04T17:00Z"],
            "series": [{"outlet": "Eastgate Times", "kind": "outlet", "counts": [1, 2],
                        "total": 3}],
            "totals": [1, 2], "total": 3, "undated": 0}
    svg = ET.fromstring(str(attention_chart(view, "story-chart")))
    assert svg.get("id") == "story-chart"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == "Articles per hour about the story “Pier”, by outlet"
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "4 Mar 16:00" in labels and "hour (UTC)" in labels
    groups = svg.findall(f".//{SVG}g[@class='period']")
    assert [g.get("data-period") for g in groups] == view["periods"]
