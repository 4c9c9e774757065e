"""The storylens command line (typer).

Errors raised by the library become one line on standard error and an exit status:
0 all stored, 3 some inputs rejected (the rest stored), 2 usage or database error,
4 not found, 1 anything else.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..bench import core as benchmarks
from ..errors import StorylensError, UsageError
from ..model import Reject
from ..options import Options
from ..pipeline.ingestor import IngestSummary
from ..pipeline.ingestor import ingest as run_ingest
from ..read.compute import all_events, event_outlets
from ..read.export import export_rows, write_events
from ..read.report import render_report
from ..read.stored import refresh_story_views
from ..read.views import (
    article_detail,
    entity_detail,
    entity_view,
    event_view,
    story_summary,
    story_view,
)
from ..store import Store

EXIT_REJECTED = 3
DEFAULT_DB = "storylens.db"

app = typer.Typer(
    name="storylens",
    help="Turn news articles from many outlets into deduplicated stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
bench_app = typer.Typer(
    help="Measure speed, memory and quality on real data.", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")
export_app = typer.Typer(help="Export what storylens found, for other tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help=f"Database file. Default: $STORYLENS_DB, else ./{DEFAULT_DB}.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
SettingOption = Annotated[
    list[str] | None,
    typer.Option(
        "--setting",
        "-s",
        help="Change a setting, as NAME=VALUE (repeatable). 'storylens settings' lists them.",
        show_default=False,
    ),
]


def _db_path(db: Path | None) -> Path:
    return db or Path(os.environ.get("STORYLENS_DB") or DEFAULT_DB)


def _open(db: Path | None, *, create: bool = False) -> Store:
    return Store(_db_path(db), create=create)


def _switch(value: str) -> bool:
    """A yes/no setting's value: true/false, yes/no, on/off or 1/0."""
    words = {"true": True, "yes": True, "on": True, "1": True,
             "false": False, "no": False, "off": False, "0": False}
    if value.strip().lower() not in words:
        raise ValueError(value)
    return words[value.strip().lower()]


_switch.__name__ = "true or false"


def _options(settings: list[str] | None) -> Options:
    """Options from NAME=VALUE pairs, each converted to the type of its default."""
    changes: dict[str, Any] = {}
    known = {f.name: f for f in Options.settings()}
    for pair in settings or []:
        name, sep, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in known:
            raise UsageError(
                f"unknown setting {pair!r}; known settings: {', '.join(sorted(known))}"
            )
        kind: Any = type(known[name].default)
        if kind is bool:
            kind = _switch
        try:
            changes[name] = kind(value)
        except ValueError as error:
            raise UsageError(f"setting {name} takes a {kind.__name__}, not {value!r}") from error
    return Options(**changes)


def _say(text: str) -> None:
    """Print text as it is (no rich markup or highlighting: it is article text)."""
    out.print(text, markup=False, highlight=False)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    setting: SettingOption = None,
) -> None:
    """Ingest articles: .txt, .html/.htm, .json/.jsonl, RSS/Atom feeds, any of them gzipped.

    Exit status 0 when every input was stored, 3 when some were rejected (the rest are
    stored; 'storylens rejects' lists why), 2 on a usage error.
    """
    options = _options(setting)
    with _open(db, create=True) as store:
        summary = _ingest_with_progress(paths, store, options, show=not (quiet or as_json))
    if as_json:
        _print_json(summary.as_dict())
    else:
        out.print(
            f"{summary.stored} stored, {summary.duplicates} duplicates, "
            f"{summary.rejected} rejected, {summary.new_stories} new stories "
            f"({summary.inputs} inputs in {summary.seconds:.1f} s)"
        )
        _say_skipped_and_rejected(summary.skipped, summary.rejects)
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _say_skipped_and_rejected(skipped: dict[str, int], rejects: list[Reject]) -> None:
    """The web archive records skipped, by type, and the first rejects with their reasons."""
    if skipped:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        out.print(f"web archive records skipped (not documents): {counts}", markup=False)
    for reject in rejects[:20]:
        err.print(f"rejected {reject.source}: {reject.reason}: {reject.detail}", markup=False)
    if len(rejects) > 20:
        err.print(f"... and {len(rejects) - 20} more ('storylens rejects' lists all)")


def _ingest_with_progress(
    paths: list[Path], store: Store, options: Options, show: bool
) -> IngestSummary:
    if not (show and err.is_terminal):
        return run_ingest(paths, store, options, views=refresh_story_views)
    with Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None)
        return run_ingest(
            paths, store, options,
            progress=lambda n: bar.advance(task, n),
            on_total=lambda total: bar.update(task, total=total),
            views=refresh_story_views,
        )


@app.command()
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Show at most this many stories, newest first.")] = 100,
) -> None:
    """List stories: id, title, first and last publication date, article count, outlets."""
    with _open(db) as store:
        found = store.stories(limit=limit)
    if as_json:
        _print_json([story_summary(s) for s in found])
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


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a story and its articles (outlet, title, date, url, dateline, cleaned text)."""
    with _open(db) as store:
        view = story_view(store, story_id)
    if as_json:
        _print_json(view)
        return
    title = escape(view["title"] or "Untitled story")
    out.print(f"[bold]{title}[/bold]  ({view['id']})", highlight=False)
    _say(
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
        _say(line + f" | {article['id']}")
        if article["title"]:
            _say(article["title"])
        _say(article["text"])


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    raw: Annotated[bool, typer.Option("--raw", help="Include the raw input.")] = False,
) -> None:
    """Show one article: its metadata, cleaned text, sentences, what cleaning removed and
    the quotes and reported speech found in it, with their speakers."""
    with _open(db) as store:
        view = article_detail(store, article_id, raw=raw)
    if as_json:
        _print_json(view)
        return
    for key in ("id", "story_id", "outlet", "title", "published_at", "url", "place", "wire",
                "source"):
        _say(f"{key}: {view[key] if view[key] is not None else '-'}")
    out.print()
    _say(view["text"])
    if view["removed"]:
        out.print()
        out.print(f"removed by cleaning ({len(view['removed'])} lines):")
        for item in view["removed"]:
            _say(f"  [{item['reason']}] {item['text']}")
    if view["attributions"]:
        out.print()
        out.print(f"attributions ({len(view['attributions'])}):")
        for item in view["attributions"]:
            speaker = item["speaker"] or "?"
            _say(f"  {speaker} [{item['cue']}, {item['kind']}]: {item['content']}")
    if raw:
        out.print()
        _say(view["raw"])


@app.command()
def rejects(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the inputs that were rejected, with the reason for each."""
    with _open(db) as store:
        found = store.rejects()
    if as_json:
        _print_json(found)
        return
    if not found:
        out.print("no rejected inputs")
    for item in found:
        _say(f"{item['source']}\t{item['reason']}\t{item['detail']}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Full-text query (SQLite FTS5 syntax).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
) -> None:
    """Search the articles' titles and text."""
    with _open(db) as store:
        hits = [
            {"id": i, "title": t, "story_id": store.article_story(i)}
            for i, t in store.search(query, limit)
        ]
    if as_json:
        _print_json(hits)
        return
    for hit in hits:
        _say(f"{hit['id']}\t{hit['story_id'] or '-'}\t{hit['title'] or '-'}")


@app.command()
def report(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id.")],
    output: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    db: DbOption = None,
) -> None:
    """Write a one-page HTML report of a story: its outlets side by side."""
    with _open(db) as store:
        view = story_view(store, story_id)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        output.write_text(render_report(view, generated), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error}") from error
    _say(f"wrote {output}")


@app.command()
def entities(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int, typer.Option(help="Show at most this many, those in the most articles first.")
    ] = 100,
    search_text: Annotated[
        str | None,
        typer.Option("--search", help="Only names or written forms containing this text."),
    ] = None,
) -> None:
    """List entities (people, organisations, places): name, kind, code, sector, articles and
    mentions, those in the most articles first."""
    with _open(db) as store:
        found = store.entities(limit=limit, query=search_text)
    if as_json:
        _print_json([entity_view(e) for e in found])
        return
    table = Table(box=None)
    for column in ("id", "name", "kind", "code", "sector"):
        table.add_column(column, no_wrap=column == "id")
    table.add_column("articles", justify="right")
    table.add_column("mentions", justify="right")
    for e in found:
        table.add_row(
            e.id, escape(e.name), e.kind, e.code or "-", e.sector or "-", str(e.articles),
            str(e.mentions),
        )
    out.print(table)


@app.command()
def entity(
    name_or_id: Annotated[
        str, typer.Argument(metavar="NAME_OR_ID", help="Entity id, name or written form.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show an entity: its names and titles, the stories that mention it over time and the
    events it is a source or target of."""
    with _open(db) as store:
        view = entity_detail(store, name_or_id)
    if as_json:
        _print_json(view)
        return
    coded = " ".join(x for x in (view["code"], view["sector"]) if x)
    _say(f"{view['name']} ({view['kind']}{', ' + coded if coded else ''})  {view['id']}")
    _say(f"{view['articles']} articles, {view['mentions']} mentions")
    if view["titles"]:
        _say(f"titles: {', '.join(view['titles'])}")
    _say(f"written as: {', '.join(view['aliases'])}")
    out.print()
    out.print(f"stories ({len(view['stories'])}):")
    for s in view["stories"]:
        _say(
            f"  {s['first_published'] or 'undated'}  {s['id']}  "
            f"{s['articles_mentioning']}/{s['article_count']} articles  {s['title'] or '-'}"
        )
    out.print()
    out.print(f"events ({len(view['events'])}):")
    for e in view["events"]:
        _say(
            f"  {e['date'] or 'undated'}  {e['type']}  {_actors(e['source'])} -> "
            f"{_actors(e['target'])}  ({e['num_articles']} articles; {e['role']})"
        )


def _actors(actors: list[dict[str, Any]]) -> str:
    return "; ".join(a["name"] for a in actors) or "-"


@app.command()
def events(
    db: DbOption = None,
    as_json: JsonOption = False,
    story_id: Annotated[
        str | None, typer.Option("--story", metavar="ID", help="Only this story's events.")
    ] = None,
) -> None:
    """List events (who did what to whom, PLOVER types), each counted once in its story with
    how many articles and outlets report it."""
    with _open(db) as store:
        found = all_events(store, story_id)
        outlets = event_outlets(store, found)
    views = [event_view(e, outlets) for e in found]
    if as_json:
        _print_json(views)
        return
    table = Table(box=None)
    for column in ("date", "story", "type", "mode", "source", "target"):
        table.add_column(column, no_wrap=column in ("date", "story", "type"))
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    for e in views:
        table.add_row(
            e["date"] or "-", e["story_id"] or "-", e["type"], e["mode"] or "-",
            escape(_actors(e["source"])), escape(_actors(e["target"])), str(e["num_articles"]),
            str(e["num_outlets"]),
        )
    out.print(table)


class ExportFormat(StrEnum):
    tsv = "tsv"
    jsonl = "jsonl"
    parquet = "parquet"


@export_app.command("events")
def export_events(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE",
            help="File to write. Default: standard output (tsv, jsonl); parquet needs a file.",
            show_default=False,
        ),
    ] = None,
    story_id: Annotated[
        str | None, typer.Option("--story", metavar="ID", help="Only this story's events.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export events counted once, one row each, GDELT-like: event_id, story_id, date,
    source_code, source_name, source_sector, type, mode, target_code, target_name,
    target_sector, place, num_articles, num_outlets, confidence, first_url, evidence."""
    if fmt is ExportFormat.parquet and output is None:
        raise UsageError("the parquet format needs --output FILE")
    with _open(db) as store:
        rows = export_rows(all_events(store, story_id))
    write_events(rows, fmt.value, output)
    if output is not None:
        _say(f"wrote {len(rows)} events to {output}")


@app.command()
def settings(as_json: JsonOption = False) -> None:
    """List the settings (change them with --setting NAME=VALUE)."""
    rows = [
        {"name": f.name, "default": f.default, "help": f.metadata["help"]}
        for f in Options.settings()
    ]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        _say(f"{row['name']} = {row['default']}\n    {row['help']}")


@app.command("spark")
def spark_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Files, folders or URIs Spark can read (web archives, JSON Lines, HTML, text, "
            "feeds, gzipped or not); a path ending in .parquet is read as Parquet records.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the Parquet tables.")
    ],
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master (local[2], spark://HOST:7077, yarn ...); "
                     "default: spark-submit's, else local[*]."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Spark partitions of the inputs, and at most "
                     "as many grouping tasks (default: 4 times Spark's default parallelism)."),
    ] = None,
    setting: SettingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the pipeline on Apache Spark (extra: storylens[spark]): the same stage functions
    as ingest in Spark tasks, stories grouped in time blocks side by side
    (grouping_block_hours) and joined across them on the driver; writes the Parquet tables
    articles, sentences, stories, story_members, attributions, entity_mentions,
    event_mentions, events, term_df, rejects and meta. 'storylens import' loads them."""
    from ..spark import job as spark

    summary = spark.run(inputs, output, _options(setting), master, partitions)
    if as_json:
        _print_json(summary.as_dict())
        return
    out.print(
        f"{summary.stored} stored, {summary.duplicates} duplicates, {summary.rejected} "
        f"rejected, {summary.new_stories} stories ({summary.inputs} files, {summary.records} "
        f"Parquet records, {summary.blocks} time blocks in {summary.seconds:.1f} s); tables "
        f"in {output}", markup=False,
    )
    _say_skipped_and_rejected(summary.skipped, summary.rejects)


@app.command("import")
def import_command(
    folder: Annotated[
        Path, typer.Argument(metavar="PARQUET_DIR", help="Folder 'storylens spark' wrote.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the Parquet tables of 'storylens spark' into a new database (then 'serve' shows
    them); the stories' views are computed as an ingest computes them."""
    from ..spark.parquet import read_tables

    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    with _open(db, create=True) as store:
        read = read_tables(store, folder)
    if as_json:
        _print_json(read)
        return
    out.print(", ".join(f"{n} {table}" for table, n in read.items()), markup=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; 127.0.0.1 keeps the server on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            "--write-token", envvar="STORYLENS_WRITE_TOKEN", show_default=False,
            help="Token that POST /api/articles and the ingest page require (as "
            "'Authorization: Bearer TOKEN'). Without one the server is read-only. Default: "
            "$STORYLENS_WRITE_TOKEN.",
        ),
    ] = None,
    max_body_mb: Annotated[
        float, typer.Option("--max-body-mb", min=0.001, help="Largest request body accepted "
                            "(megabytes); larger ones get 413.")
    ] = 20.0,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes answering requests (each with "
                          "its own cache); one per processor core serves the most at once.")
    ] = 1,
    setting: SettingOption = None,
) -> None:
    """Serve the web UI and the HTTP API (under /api/, docs at /docs) over a database.

    The database must exist (run 'storylens ingest' first). Read-only unless a write token is
    given.
    """
    from ..web.app import create_app
    from ..web.deps import SERVE_CONFIG_ENV, ServerConfig, config_to_json

    path = _db_path(db)
    if not path.is_file():
        raise UsageError(f"no database at {path} (run 'storylens ingest' first)")
    config = ServerConfig(
        db=path.resolve(),
        write_token=write_token.strip() if write_token and write_token.strip() else None,
        max_body_mb=max_body_mb,
        options=_options(setting),
    )
    with Store(config.db, create=False):
        pass  # opens it now: an unreadable file or a newer schema stops here, in one line
    import uvicorn

    mode = "read-write" if config.write_token else "read-only"
    err.print(f"storylens: serving {path} ({mode}) at http://{host}:{port}/", markup=False)
    if workers == 1:
        uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
        return
    # Several processes: each builds the app from the configuration in its environment.
    os.environ[SERVE_CONFIG_ENV] = config_to_json(config)
    uvicorn.run(
        "storylens.web.app:app_from_environment", factory=True, workers=workers, host=host,
        port=port, log_level="warning",
    )


@app.command()
def demo(db: DbOption = None) -> None:
    """Ingest the demo corpus that ships with storylens (invented events) and list its stories."""
    from importlib import resources

    folder = Path(str(resources.files("storylens") / "demo" / "articles"))
    with _open(db, create=True) as store:
        summary = run_ingest([folder], store, Options(), views=refresh_story_views)
    out.print(
        f"demo corpus: {summary.stored} stored, {summary.duplicates} duplicates, "
        f"{summary.rejected} rejected into {_db_path(db)}"
    )
    stories(db=db, as_json=False, limit=100)


@bench_app.command("ingest")
def bench_ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Articles per second and peak memory of ingest + clean + store into a fresh database."""
    _print_figures(benchmarks.bench_ingest(paths, _options(setting)), as_json)


@bench_app.command("pipeline")
def bench_pipeline(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """The whole in-process pipeline (ingest, clean, extract, group, store) into a fresh
    database, the same without extraction, then the grouping stage alone over the same
    articles: articles/s against the targets (50 and 1,000) and memory by quarter of the
    inputs. The language model is loaded before the clocks start (load_seconds)."""
    _print_figures(benchmarks.bench_pipeline(paths, _options(setting)), as_json)


@bench_app.command("extract")
def bench_extract(
    folder: Annotated[Path, typer.Argument(help="Folder with html/ and ground-truth.json.")],
    as_json: JsonOption = False,
) -> None:
    """Article-body extraction quality: shingle precision, recall and F1 against gold bodies."""
    _print_figures(benchmarks.bench_extract(folder), as_json)


@bench_app.command("quotes")
def bench_quotes(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder with text/*.txt and attributions/*.ann.")
    ],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Attribution extraction quality on a PolNeAR-layout folder: content precision, recall
    and F1 (a match needs character overlap IoU >= 0.5), source accuracy, articles/s."""
    _print_figures(benchmarks.bench_quotes(folder, _options(setting)), as_json)


@bench_app.command("events")
def bench_events(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="PLOVER gold records (JSON list or JSON Lines).")
    ],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Event coding quality on PLOVER gold records: type accuracy (an event of the gold type
    is coded), macro F1 over types, source and target code accuracy on the records whose type
    is found (gold codes among the coded ones), records/s."""
    _print_figures(benchmarks.bench_events(path, _options(setting)), as_json)


@bench_app.command("cluster")
def bench_cluster(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="JSONL or TSV, gzipped or not.")],
    text: Annotated[
        str, typer.Option("--text", help="Field(s) holding the text, comma-separated.")
    ] = "text",
    label: Annotated[str, typer.Option("--label", help="Field holding the gold story.")] = "story",
    time_field: Annotated[
        str | None,
        typer.Option("--time", help="Field holding the time (ISO date or epoch milliseconds)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Field naming the outlet.")
    ] = None,
    id_field: Annotated[str | None, typer.Option("--id", help="Field holding an id.")] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Read at most this many records.")
    ] = None,
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Story grouping quality (B-cubed and pairwise F1) and speed on labelled records, fed in
    time order through the ingest path (attribution extraction left out)."""
    fields = benchmarks.ClusterFields(
        text=tuple(f.strip() for f in text.split(",") if f.strip()),
        label=label,
        time=time_field,
        source=source,
        id=id_field,
    )
    _print_figures(benchmarks.bench_cluster(path, fields, _options(setting), limit), as_json)


@bench_app.command("serve")
def bench_serve(
    records: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Headlines in the UCI News Aggregator layout (TSV or JSONL, gzipped or not), "
            "e.g. ../shared/data/uci-news/uci-news-dev.tsv.gz.",
        ),
    ],
    articles: Annotated[
        int, typer.Option("--articles", min=1, help="Articles in the database it builds.")
    ] = 100_000,
    clients: Annotated[int, typer.Option("--clients", min=1, help="Concurrent clients.")] = 20,
    seconds: Annotated[
        float, typer.Option("--seconds", min=0.1, help="Measured seconds.")
    ] = 20.0,
    ingest_rate: Annotated[
        float,
        typer.Option(
            "--ingest-rate", min=0.0, help="Articles/s of the concurrent ingest (0: no cap)."
        ),
    ] = 0.0,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Database to serve: built when missing, reused (and grown "
                     "by the concurrent ingest) when present. Default: a temporary one."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Server processes (serve --workers).")
    ] = 2,
    load_tool: Annotated[
        str, typer.Option("--load-tool", help="Load generator: wrk, httpx, or auto (wrk when "
                          "installed).")
    ] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Latency of the server (story page, /api/stories with and without q) under concurrent
    clients while an ingest runs: p50/p95/p99 and requests/s per endpoint."""
    from ..bench import serve as benchserve

    figures = benchserve.bench_serve(
        benchserve.ServeBench(
            records, articles, clients, seconds, db, ingest_rate, workers=workers,
            load_tool=load_tool,
        )
    )
    if as_json:
        _print_json(figures)
        return
    for line in benchserve.text_lines(figures):
        _say(line)


def _print_figures(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _print_json(figures)
        return
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        _say(f"{key:<{width}}  {value}")


def main() -> None:
    """Entry point: typer handles usage errors (exit 2), --help and exit codes; storylens
    errors become one line on standard error and their exit status."""
    try:
        app()
    except StorylensError as error:
        err.print(f"storylens: error: {error}", markup=False, highlight=False)
        sys.exit(error.exit_status)
