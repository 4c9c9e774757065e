"""Preparing inputs: the pure part of the pipeline, run in worker processes or Spark tasks.

An input is read, cleaned and extracted by the stages of ``stages.STAGES`` that its
``Extraction`` asks for, a batch of inputs at a time; ``units_of`` cuts what was read into
the pieces of work a batch is made of.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from ..ingest.parse import parse_input
from ..ingest.sources import printable
from ..ingest.tables import TABLE_KINDS
from ..ingest.warc import Skipped, warc_inputs
from ..model import Article, Attribution, Draft, EventMention, Mention, RawInput, Reject
from .stages import Batch, Extraction, Piece, Prepared, compose

Unit = tuple[RawInput | Draft | Reject, bool]  # a piece of work, and whether it ends its file


@dataclass
class Analysis:
    """What the language stages found in each article (by id)."""

    attributions: dict[str, list[Attribution]]
    mentions: dict[str, list[Mention]]
    events: dict[str, list[EventMention]]


def analyse(articles: list[Article], extraction: Extraction) -> Analysis:
    """The language stages over a batch of full articles: one spaCy parse of the sentences
    that need it, shared by attributions and events; entity mentions from the text. Articles
    in a language other than English are not read (see stages.run_features)."""
    full = [a for a in articles if a.analysed]
    batch = compose(extraction, since="parse").run(Batch(extraction, full=full))
    return Analysis(
        {a.id: batch.attributions.get(a.id, []) for a in articles},
        {a.id: batch.mentions.get(a.id, []) for a in articles},
        {a.id: batch.events.get(a.id, []) for a in articles},
    )


def prepare(
    item: RawInput | Draft, extraction: Extraction | None = None
) -> list[Prepared | Reject]:
    """Parse (for a raw input), clean and, as ``extraction`` asks, find the quotes and
    reported speech, the entities and the events of full articles (headlines and snippets
    get their entities only): the pure per-input part of the pipeline."""
    return prepare_many([item], extraction)[0]


def prepare_many(
    items: Sequence[RawInput | Draft], extraction: Extraction | None = None
) -> list[list[Prepared | Reject]]:
    """prepare() over several inputs, each input's results in a list of their own. The
    language stages run once over all their full articles: spaCy parses a batch of many
    articles' sentences about a third faster than the same sentences article by article.
    This runs in worker processes (or Spark tasks), a few inputs per task."""
    extraction = extraction or Extraction()
    batch = Batch(extraction, pieces=[[item] for item in items])
    compose(extraction, needs=frozenset({"features"})).run(batch)
    return [_finished(pieces, batch) for pieces in batch.pieces]


def _finished(pieces: list[Piece], batch: Batch) -> list[Prepared | Reject]:
    """An input's prepared articles, each with what the language stages found in it, and
    its rejects."""
    results: list[Prepared | Reject] = []
    for piece in pieces:
        if isinstance(piece, Prepared):
            key = piece.article.id
            piece.attributions = batch.attributions.get(key, [])
            piece.mentions = batch.mentions.get(key, [])
            piece.events = batch.events.get(key, [])
        elif not isinstance(piece, Reject):
            raise TypeError(f"the stages left {type(piece).__name__} unprepared")
        results.append(piece)
    return results


def prepare_units(
    units: Sequence[Unit], extraction: Extraction
) -> list[tuple[list[Prepared | Reject], bool]]:
    """prepare_many over a batch of units (a worker's task), with whether each ends its file."""
    inputs = [item for item, _ in units if not isinstance(item, Reject)]
    prepared = iter(prepare_many(inputs, extraction))
    return [
        ([item] if isinstance(item, Reject) else next(prepared), ends_file)
        for item, ends_file in units
    ]


# The kinds of input split into their records as they are read: JSON (Lines) and tables.
SPLIT_KINDS = ("json", *TABLE_KINDS)


def units_of(
    items: Iterable[RawInput | Reject], limit_bytes: int, skipped: Counter[str] | None = None
) -> Iterator[Unit]:
    """Work units for prepare(): JSON inputs and tables are split into their records here
    (cheap), so that a large JSON Lines file or table is cleaned in parallel too, and web
    archives into their pages (read as a stream; each page at most ``limit_bytes``).
    ``skipped`` counts the archive records that are not documents, by record type."""
    for item in items:
        if isinstance(item, RawInput) and item.kind in SPLIT_KINDS:
            records = parse_input(item)
            for number, record in enumerate(records, start=1):
                yield record, number == len(records)
            if not records:
                what = "JSON input holds no records" if item.kind == "json" else "table has no rows"
                yield Reject(item.source, "no-text", f"the {what}"), True
        elif isinstance(item, RawInput) and item.kind == "warc":
            yield from _warc_units(item, limit_bytes, skipped)
        else:
            yield item, True


def _warc_units(
    archive: RawInput, limit_bytes: int, skipped: Counter[str] | None
) -> Iterator[Unit]:
    """The pages of a web archive, from its bytes when they were read already (Spark), else
    streamed from its file."""
    path = printable(archive.source)  # the name its pages are stored by
    try:
        handle: IO[bytes] = (
            io.BytesIO(archive.data) if archive.data else open(archive.source, "rb")  # noqa: SIM115
        )
    except OSError as error:
        yield Reject(path, "unreadable", f"cannot read the file: {error}"), True
        return
    with handle:
        previous: RawInput | Reject | None = None
        for item in warc_inputs(path, handle, limit_bytes):
            if isinstance(item, Skipped):
                if skipped is not None:
                    skipped[item.record_type] += 1
                continue
            if previous is not None:
                yield previous, False
            previous = item
    if previous is None:
        yield Reject(path, "no-pages", "the web archive holds no page (no response or "
                     "resource record)"), True
    else:
        yield previous, True
