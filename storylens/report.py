"""A one-page HTML report of a story: its outlets side by side, every text escaped."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("storylens", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(story: dict[str, Any], generated: str) -> str:
    """The report page for a story view (as built by views.story_view)."""
    template = _environment().get_template("report.html.j2")
    return template.render(story=story, generated=generated)
