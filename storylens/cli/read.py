"""The commands that read stories and articles: stories, story, article, rejects, search
and report."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .._util import plural
from ..errors import UsageError
from ..model import StoryFilter
from ..read.report import render_report
from ..read.since import SINCE_HELP, developments_since, parse_since
from ..read.views import article_detail, story_list, story_summary, story_view
from ..store import Store
from .database import DbOption, open_store
from .filters import (
    EventTypeOption,
    FromOption,
    StoryEntityOption,
    StoryLanguageOption,
    StoryOutletOption,
    StoryQueryOption,
    ToOption,
)
from .output import (
    Format,
    FormatOption,
    JsonOption,
    chosen_format,
    out,
    print_json,
    print_rows,
    say,
)


class Sort(StrEnum):
    """The order of the story list."""

    latest = "latest"
    size = "size"


StoryColumns = ("id", "first", "last", "articles", "outlets", "title")


def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int, typer.Option(min=0, help="Show at most this many stories.")
    ] = 100,
    query: StoryQueryOption = None,
    outlet: StoryOutletOption = None,
    entity: StoryEntityOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    language: StoryLanguageOption = None,
    event_type: EventTypeOption = None,
    sort: Annotated[
        Sort, typer.Option(help="latest: newest first (by the latest article); size: those "
                           "with the most articles first.")
    ] = Sort.latest,
    fmt: FormatOption = None,
) -> None:
    """List stories: id, title, first and last publication date, article count, outlets."""
    filters = StoryFilter(
        query, outlet, entity, date_from, date_to, language=language, event_type=event_type
    )
    with open_store(db) as store:
        if filters.is_empty() and sort is Sort.latest:
            found = [
                _listed(story_summary(s) | {"unnamed_articles": s.unnamed_articles})
                for s in store.stories(limit=limit)
            ]
        else:
            found = _filtered(store, filters, limit, sort)
    chosen = chosen_format(fmt, as_json)
    if chosen is Format.json:
        print_json(found)
        return
    rows = [
        [s["id"], s["first_published"] or "-", s["last_published"] or "-",
         str(s["article_count"]), _outlet_names(s), s["title"] or "-"]
        for s in found
    ]
    print_rows(
        StoryColumns, rows, chosen, right=("articles",), fixed=StoryColumns[:4],
        spare=("outlets",),
    )


def _outlet_names(summary: dict[str, Any]) -> str:
    """A story's outlets as the story table shows them: their names, and how many of its
    articles name none ("Orvelle Tide, 3 not named"), or "-"."""
    names = list(summary["outlets"])
    if summary["unnamed_articles"]:
        names.append(f"{summary['unnamed_articles']} not named")
    return ", ".join(names) or "-"


def _outlets_line(view: dict[str, Any]) -> str:
    """A story's outlets as ``story`` shows them: "outlets: A, B", "no outlet named", or
    "outlets: A, 3 articles with no outlet named"."""
    unnamed, names = view["unnamed_articles"], ", ".join(view["outlets"])
    if not unnamed:
        return f"outlets: {names or '-'}"
    if not names:
        return "no outlet named"
    return f"outlets: {names}, {plural(unnamed, 'article')} with no outlet named"


def _filtered(
    store: Store, filters: StoryFilter, limit: int, sort: Sort
) -> list[dict[str, Any]]:
    """The summaries of the stories the filters keep, in the order asked, at most ``limit``:
    by size, every story kept is read and sorted (newest first among equals)."""
    if sort is Sort.latest:
        page = story_list(store, filters, limit=limit)["stories"]
    else:
        total = story_list(store, filters, limit=0)["total"]
        page = story_list(store, filters, limit=total)["stories"]
        page.sort(key=lambda s: -int(s["article_count"]))  # stable: newest first among equals
        page = page[:limit]
    return [_listed(s) for s in page]


def _listed(summary: dict[str, Any]) -> dict[str, Any]:
    """A story's line of the listing, as ``stories --json`` prints it."""
    keys = ("id", "title", "first_published", "last_published", "article_count", "outlets",
            "unnamed_articles", "wire_copies", "languages")
    return {k: summary[k] for k in keys}


def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="Only what changed: the developments "
                                 f"(facts a later article adds) published since {SINCE_HELP}.")
    ] = None,
) -> None:
    """Show a story: its summary (each sentence with the outlets that report it), then its
    articles (outlet, title, date, url, dateline, cleaned text); with --since, only its
    developments since then."""
    if since is not None:
        parse_since(since)  # a bad date is a usage error before the database is opened
    with open_store(db) as store:
        view = story_view(store, story_id)
    if since is not None:
        view = developments_since(view, since)
    if as_json:
        print_json(view)
        return
    title = escape(view["title"] or "Untitled story")
    out.print(f"[bold]{title}[/bold]  ({view['id']})", highlight=False)
    say(
        f"{plural(view['article_count'], 'article')}, "
        f"{_outlets_line(view)}, "
        f"{view['first_published'] or '?'} to {view['last_published'] or '?'}"
    )
    if since is not None:
        _print_developments(view)
        return
    _print_summary(view["summary"])
    for article in view["articles"]:
        out.print()
        line = f"== {article['outlet'] or 'outlet not named'} | {article['published'] or 'undated'}"
        if article["place"] or article["wire"]:
            wire = f" ({article['wire']})" if article["wire"] else ""
            line += f" | {article['place'] or ''}{wire}"
        if article["language"]:
            line += f" | {article['language']}"
        if article["wire_copy_of"]:
            line += f" | copy of {article['wire_copy_of']}"
        say(line + f" | {article['id']}")
        if article["title"]:
            say(article["title"])
        say(article["text"])


def _print_summary(summary: dict[str, Any]) -> None:
    """The story's summary as ``story`` prints it: each sentence, then the outlets that
    report it; then what only each outlet reports."""
    if not summary["sentences"]:
        return
    out.print()
    say("Summary" + (" (the earliest article's lead)" if summary["kind"] == "lead" else ""))
    for number, sentence in enumerate(summary["sentences"], 1):
        cited = ", ".join(c["outlet"] for c in sentence["outlets"])
        say(f"{number}. {sentence['text']} [{cited}]")
    for group in summary["exclusives"]:
        say(f"Only in {group['outlet']}:")
        for sentence in group["sentences"]:
            say(f"  - {sentence['text']}")
def _print_developments(view: dict[str, Any]) -> None:
    """The developments of a view chosen by --since: each article's new sentences, marked
    "update" where they restate a reported fact with a new name or figure."""
    found = view["developments"]
    sentences = sum(len(item["sentences"]) for item in found)
    say(f"{plural(sentences, 'development')} since {view['since']}, "
        f"from {plural(len(found), 'article')}")
    for item in found:
        out.print()
        say(f"== {item['outlet'] or 'outlet not named'} | {item['published'] or 'undated'}"
            f" | {item['article_id']}")
        if item["title"]:
            say(item["title"])
        for sentence in item["sentences"]:
            mark = " (update: adds " + ", ".join(sentence["adds"]) + ")" if (
                sentence["kind"] == "update") else ""
            say(f"- {sentence['text']}{mark}")


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
    say(f"language: {view['language'] or 'unknown'}")
    if view["note"]:
        say(view["note"])
    out.print()
    say(view["text"])
    if view["removed"]:
        out.print()
        out.print(f"removed by cleaning ({plural(len(view['removed']), 'line')}):")
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
    """Write a one-page HTML report of a story: its summary with citations, its outlets side
    by side."""
    with open_store(db) as store:
        view = story_view(store, story_id)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        output.write_text(render_report(view, generated), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error}") from error
    say(f"wrote {output}")
