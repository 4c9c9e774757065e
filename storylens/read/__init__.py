"""What the store holds, read for people and programs: story views and lists, the story
page, the report, and exports."""

from __future__ import annotations

from .compute import all_events, event_outlets
from .export import export_rows, write_events
from .report import render_report
from .stored import refresh_story_views, story_view_json
from .views import VIEW_FORMAT, article_detail, entity_detail, story_list, story_view

__all__ = [
    "VIEW_FORMAT",
    "all_events",
    "article_detail",
    "entity_detail",
    "event_outlets",
    "export_rows",
    "refresh_story_views",
    "render_report",
    "story_list",
    "story_view",
    "story_view_json",
    "write_events",
]
