"""The commands that read stories and articles: stories, story, article, rejects, search
and report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..errors import UsageError
from ..read.report import render_report
from ..read.views import article_detail, story_summary, story_view
from .database import DbOption, open_store
from .output import JsonOption, out, print_json, say


def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many stories, newest first.")] = 100,
) -> None:
    """List stories: id, title, first and last publication date, article count, outlets."""
    with open_store(db) as store:
        found = store.stories(limit=limit)
    if as_json:
        print_json([story_summary(s) for s in found])
        return
    table = Table(box=None)
    table.add_column("id", no_wrap=True)
    table.add_column("first", no_wrap=True)
    table.add_column("last", no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("outlets")
    table.add_column("title")
    for s in found:
        table.add_row(
            s.id, s.first_published or "-", s.last_published or "-", str(s.article_count),
            ", ".join(s.outlets) or "-", s.title or "-",
        )
    out.print(table)


def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a story and its articles (outlet, title, date, url, dateline, cleaned text)."""
    with open_store(db) as store:
        view = story_view(store, story_id)
    if as_json:
        print_json(view)
        return
    title = escape(view["title"] or "Untitled story")
    out.print(f"[bold]{title}[/bold]  ({view['id']})", highlight=False)
    say(
        f"{view['article_count']} articles, outlets: {', '.join(view['outlets']) or '-'}, "
        f"{view['first_published'] or '?'} to {view['last_published'] or '?'}"
    )
    for article in view["articles"]:
        out.print()
        line = f"== {article['outlet'] or 'outlet not named'} | {article['published'] or 'undated'}"
        if article["place"] or article["wire"]:
            wire = f" ({article['wire']})" if article["wire"] else ""
            line += f" | {article['place'] or ''}{wire}"
        if article["wire_copy_of"]:
            line += f" | copy of {article['wire_copy_of']}"
        say(line + f" | {article['id']}")
        if article["title"]:
            say(article["title"])
        say(article["text"])


def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    raw: Annotated[bool, typer.Option("--raw", help="Include the raw input.")] = False,
) -> None:
    """Show one article: its metadata, cleaned text, sentences, what cleaning removed and
    the quotes and reported speech found in it, with their speakers."""
    with open_store(db) as store:
        view = article_detail(store, article_id, raw=raw)
    if as_json:
        print_json(view)
        return
    for key in ("id", "story_id", "outlet", "title", "published_at", "url", "place", "wire",
                "source"):
        say(f"{key}: {view[key] if view[key] is not None else '-'}")
    out.print()
    say(view["text"])
    if view["removed"]:
        out.print()
        out.print(f"removed by cleaning ({len(view['removed'])} lines):")
        for item in view["removed"]:
            say(f"  [{item['reason']}] {item['text']}")
    if view["attributions"]:
        out.print()
        out.print(f"attributions ({len(view['attributions'])}):")
        for item in view["attributions"]:
            speaker = item["speaker"] or "?"
            say(f"  {speaker} [{item['cue']}, {item['kind']}]: {item['content']}")
    if raw:
        out.print()
        say(view["raw"])


def rejects(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the inputs that were rejected, with the reason for each."""
    with open_store(db) as store:
        found = store.rejects()
    if as_json:
        print_json(found)
        return
    if not found:
        out.print("no rejected inputs")
    for item in found:
        say(f"{item['source']}\t{item['reason']}\t{item['detail']}")


def search(
    query: Annotated[str, typer.Argument(
        help="Words or quoted phrases, all of which an article holds (any punctuation)."
    )],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
    advanced: Annotated[bool, typer.Option(
        "--advanced", help="Read the query as SQLite FTS5 syntax (AND, OR, NOT, NEAR, prefix*)."
    )] = False,
) -> None:
    """Search the articles' titles and text: each hit's outlet, date, story and snippet."""
    with open_store(db) as store:
        hits = store.search_hits(query, limit, advanced=advanced)
    if as_json:
        print_json([hit.as_dict() for hit in hits])
        return
    if not hits:
        say("no articles match")
        return
    table = Table(box=None)
    for name in ("article", "story", "outlet", "date"):
        table.add_column(name, no_wrap=True)
    table.add_column("title and snippet")
    for hit in hits:
        text, spans = hit.plain_snippet()
        snippet = Text(f"{hit.title or '-'}\n")
        snippet.append(Text(text))
        for start, end in spans:
            snippet.stylize("bold", start + len(snippet.plain) - len(text),
                            end + len(snippet.plain) - len(text))
        table.add_row(
            Text(hit.id), Text(hit.story_id or "-"), Text(hit.outlet or "-"),
            Text(hit.published or "-"), snippet,
        )
    out.print(table)


def report(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id.")],
    output: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    db: DbOption = None,
) -> None:
    """Write a one-page HTML report of a story: its outlets side by side."""
    with open_store(db) as store:
        view = story_view(store, story_id)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        output.write_text(render_report(view, generated), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error}") from error
    say(f"wrote {output}")
