"""storylens bench: speed, memory and quality measured on real data, the figures printed as
text or JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..bench.cluster import bench_cluster as measure_cluster
from ..bench.events import bench_events as measure_events
from ..bench.extraction import bench_extract as measure_extract
from ..bench.ingest import bench_ingest as measure_ingest
from ..bench.pipeline import bench_pipeline as measure_pipeline
from ..bench.quotes import bench_quotes as measure_quotes
from ..bench.records import ClusterFields
from ..options import Options
from .output import JsonOption, print_figures, print_json, say
from .settings import SettingOption, options_from

T = TypeVar("T")

bench_app = typer.Typer(
    help="Measure speed, memory and quality on real data.", no_args_is_help=True
)

InputsArgument = Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")]


def _show(
    measure: Callable[[T, Options], dict[str, Any]], target: T, setting: list[str] | None,
    as_json: bool,
) -> None:
    """Run a benchmark on its input with the settings given, and print its figures."""
    print_figures(measure(target, options_from(setting)), as_json)


@bench_app.command("ingest")
def bench_ingest(
    paths: InputsArgument, as_json: JsonOption = False, setting: SettingOption = None
) -> None:
    """Articles per second and peak memory of ingest + clean + store into a fresh database."""
    _show(measure_ingest, paths, setting, as_json)


@bench_app.command("pipeline")
def bench_pipeline(
    paths: InputsArgument, as_json: JsonOption = False, setting: SettingOption = None
) -> None:
    """The whole in-process pipeline (ingest, clean, extract, group, store) into a fresh
    database, the same without extraction, then the grouping stage alone over the same
    articles: articles/s against the targets (50 and 1,000) and memory by quarter of the
    inputs. Then spaCy's small English pipeline with all its components over the same
    articles (reference): the whole pipeline should be at least 1.8 times as fast
    (times_reference). The language models are loaded before the clocks start
    (load_seconds)."""
    _show(measure_pipeline, paths, setting, as_json)


@bench_app.command("extract")
def bench_extract(
    folder: Annotated[Path, typer.Argument(help="Folder with html/ and ground-truth.json.")],
    as_json: JsonOption = False,
) -> None:
    """Article-body extraction quality: shingle precision, recall and F1 against gold bodies."""
    print_figures(measure_extract(folder), as_json)


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
    _show(measure_quotes, folder, setting, as_json)


@bench_app.command("events")
def bench_events(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="PLOVER gold records (JSON list or JSON Lines).")
    ],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Event coding quality on PLOVER gold records: type accuracy (an event of the gold type
    is coded), type precision (of the (record, type) pairs coded, the share of the gold type)
    and types per record, macro F1 over types, source and target code accuracy on the records
    whose type is found (gold codes among the coded ones), records/s."""
    _show(measure_events, path, setting, as_json)


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
    fields = ClusterFields(
        text=tuple(f.strip() for f in text.split(",") if f.strip()),
        label=label,
        time=time_field,
        source=source,
        id=id_field,
    )
    print_figures(measure_cluster(path, fields, options_from(setting), limit), as_json)


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
        print_json(figures)
        return
    for line in benchserve.text_lines(figures):
        say(line)


@bench_app.command("big-story")
def bench_big_story(
    records: Annotated[
        int, typer.Option("--records", min=1, help="Records in the file it ingests.")
    ] = 20_000,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="alike: short alike records, none with an outlet ('Short item 7 text about "
            "the bridge...'); shared: each from one of 300 outlets, with a shared fact, a "
            "shared quote and a sentence of its own.",
        ),
    ] = "alike",
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="Folder to write the records file and database in (kept); "
                     "default: a temporary one."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What one very large story costs: peak memory of 'storylens ingest' of many alike
    records (one story), then the size of that story's page and the time a real server takes
    to answer it (first request, then the median of five; and the first of its second page)."""
    from ..bench.bigstory import bench_big_story as measure

    print_figures(measure(kind, records, keep), as_json)


@bench_app.command("entities")
def bench_entities(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Named entities in the CoNLL layout (token and tag a line, IO or IOB2), "
            "e.g. ../shared/data/ner/wikigold.conll.",
        ),
    ],
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """Entity finding quality: exact typed spans over PER, LOC and ORG (precision, recall,
    F1), with spaCy's recogniser on the same texts as the reference, and the seconds each
    took."""
    from ..bench.entities import bench_entities as measure

    _show(measure, path, setting, as_json)


@bench_app.command("watch")
def bench_watch(
    articles: Annotated[
        int, typer.Option("--articles", metavar="N", min=1,
                          help="Articles on the sites of run 1.")
    ] = 300,
    hosts: Annotated[
        int, typer.Option("--hosts", metavar="H", min=1,
                          help="Sites, each on a loopback port of its own.")
    ] = 3,
    delay: Annotated[
        float,
        typer.Option("--delay", metavar="SECONDS", min=0.01,
                     help="Run 2: seconds between two requests to one host "
                     "(fetch_delay_seconds)."),
    ] = 0.2,
    polite_articles: Annotated[
        int, typer.Option("--polite-articles", metavar="N", min=1,
                          help="Run 2: articles a site.")
    ] = 30,
    as_json: JsonOption = False,
    setting: SettingOption = None,
) -> None:
    """storylens watch against invented news sites served on 127.0.0.1 (each an RSS feed, a
    sitemap index, a news sitemap and its article pages; every request counted and timed),
    one round into a fresh database as 'watch --once' does. Run 1, politeness off: pages
    fetched and articles stored per second with the settings given (every extraction by
    default), then without extraction, and peak memory. Run 2, politeness on with --delay:
    the most requests a host received in any one second and the mean, against the limit
    (1 / delay). Each run says whether its counts add up (every article stored once)."""
    from ..bench import watch as benchwatch

    figures = benchwatch.bench_watch(
        benchwatch.WatchBench(articles, hosts, delay, polite_articles), options_from(setting)
    )
    if as_json:
        print_json(figures)
        return
    for line in benchwatch.text_lines(figures):
        say(line)
