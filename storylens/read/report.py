"""A one-page HTML report of a story: its outlets side by side, every text escaped."""

from __future__ import annotations

from typing import Any

from .storypage import environment


def render_report(story: dict[str, Any], generated: str) -> str:
    """The report page for a story view (as built by views.story_view)."""
    template = environment().get_template("report.html.j2")
    return template.render(story=story, generated=generated)
