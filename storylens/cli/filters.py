"""The options that choose a set of stories, shared by the commands that take the story
list's filters (stories, coverage): the same names, metavars and help everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

StoryQueryOption = Annotated[
    str | None, typer.Option("--query", "-q", metavar="TEXT", help="Only stories with an "
                             "article whose title or text matches (SQLite FTS5 syntax).")
]
StoryOutletOption = Annotated[
    str | None, typer.Option(metavar="NAME", help="Only stories this outlet reports "
                             "(exact name, any case).")
]
StoryEntityOption = Annotated[
    str | None, typer.Option(metavar="NAME_OR_ID", help="Only stories with an article "
                             "that mentions this entity (id, name or written form).")
]
FromOption = Annotated[
    str | None, typer.Option("--from", metavar="YYYY-MM-DD",
                             help="Only stories with a date on or after this day.")
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="YYYY-MM-DD",
                             help="Only stories with a date on or before this day.")
]
StoryLanguageOption = Annotated[
    str | None, typer.Option(metavar="CODE", help="Only stories with an article in this "
                             "language (ISO 639-1 code: en, ru, pt ...).")
]
EventTypeOption = Annotated[
    str | None, typer.Option(metavar="TYPE", help="Only stories with an article that reports "
                             "an event of this PLOVER type (AGREE, PROTEST ...).")
]
