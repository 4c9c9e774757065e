"""Event rows for export (export_rows: who did what to whom, when, where, how widely
reported) and writing them as TSV, CSV, JSON Lines or Parquet; and the one CSV writer every
list's export uses (write_csv, csv_text).

TSV has a header line; a tab, carriage return or newline inside a value becomes a space, and
a missing value is an empty field. JSON Lines has one object per event, missing values null.
Parquet has one column per field (strings, int64 counts, float64 confidence).

CSV (RFC 4180, Python's csv module) has a header line, fields quoted where needed (a comma,
quote or line break inside a value stays in it), lines ended by CRLF; a missing value is an
empty field, a list its items joined by "; ". A text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets an apostrophe before it: spreadsheets (Excel,
LibreOffice, Google Sheets) run such a cell as a formula when the file is opened, and an
article's title or a quote is text anyone could have written ("=HYPERLINK(...)"); the
apostrophe makes the spreadsheet show it as text (OWASP's advice on CSV injection). Numbers
are written as they are.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..errors import UsageError
from ..model import Actor, Event

# The columns of an event export, in order (GDELT-like: who did what to whom, when, where, how
# widely reported, and the evidence).
EXPORT_COLUMNS = (
    "event_id", "story_id", "date", "source_code", "source_name", "source_sector", "type",
    "mode", "target_code", "target_name", "target_sector", "place", "num_articles",
    "num_outlets", "confidence", "first_url", "evidence",
)

FORMATS = ("tsv", "csv", "jsonl", "parquet")
_INTEGER_COLUMNS = ("num_articles", "num_outlets")
_FLOAT_COLUMNS = ("confidence",)
_BLANKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def write_tsv(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    stream.write("\t".join(EXPORT_COLUMNS) + "\n")
    for row in rows:
        stream.write("\t".join(_tsv_field(row.get(c)) for c in EXPORT_COLUMNS) + "\n")


def _tsv_field(value: Any) -> str:
    if value is None:
        return ""
    return str(value).translate(_BLANKS)


# What a spreadsheet reads as the start of a formula (see the module's docstring).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str | int | float:
    """A value as a CSV cell: numbers as they are, None empty, a list or tuple its items
    joined by "; ", booleans "true"/"false", and text that a spreadsheet would run as a
    formula behind an apostrophe."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join("" if v is None else str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], stream: TextIO
) -> None:
    """Rows as CSV under a header of ``columns`` (each row's values by column name; a
    missing one is empty), every cell through csv_cell."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows as the text of a CSV file (see write_csv)."""
    stream = io.StringIO()
    write_csv(columns, rows, stream)
    return stream.getvalue()


def write_jsonl(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps({c: row.get(c) for c in EXPORT_COLUMNS}, ensure_ascii=False))
        stream.write("\n")


def _write_event_csv(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    write_csv(EXPORT_COLUMNS, rows, stream)


def write_parquet(rows: Sequence[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa  # imported here: a heavy import only this format needs
    import pyarrow.parquet as pq

    def kind(column: str) -> Any:
        if column in _INTEGER_COLUMNS:
            return pa.int64()
        if column in _FLOAT_COLUMNS:
            return pa.float64()
        return pa.string()

    schema = pa.schema([(c, kind(c)) for c in EXPORT_COLUMNS])
    table = pa.table({c: [row.get(c) for row in rows] for c in EXPORT_COLUMNS}, schema=schema)
    pq.write_table(table, str(path))


def write_events(rows: Sequence[dict[str, Any]], fmt: str, output: Path | None) -> None:
    """Write the rows in a format to a file, or for tsv and jsonl to standard output when no
    ``output`` is given. Raises UsageError for an unknown format, Parquet without an output
    file, or a file that cannot be written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "parquet" and output is None:
        raise UsageError("the parquet format needs --output FILE (it is not written to a terminal)")
    try:
        if fmt == "parquet":
            assert output is not None
            write_parquet(rows, output)
            return
        writer = {"tsv": write_tsv, "csv": _write_event_csv, "jsonl": write_jsonl}[fmt]
        if output is None:
            writer(rows, sys.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            writer(rows, stream)
    except OSError as error:
        raise UsageError(f"cannot write {output or 'to standard output'}: {error}") from error


def export_rows(events: list[Event]) -> list[dict[str, Any]]:
    """One row per event with the EXPORT_COLUMNS: several actors on one side are joined with
    ";" (an actor without a code or sector leaves its place empty); the evidence is the first
    report's sentence."""
    rows = []
    for event in events:
        row: dict[str, Any] = {
            "event_id": event.id,
            "story_id": event.story_id,
            "date": event.date,
            **_side("source", event.source),
            "type": event.type,
            "mode": event.mode,
            **_side("target", event.target),
            "place": event.place,
            "num_articles": event.num_articles,
            "num_outlets": event.num_outlets,
            "confidence": event.confidence,
            "first_url": event.first_url,
            "evidence": event.mentions[0].sentence if event.mentions else None,
        }
        rows.append({column: row[column] for column in EXPORT_COLUMNS})
    return rows


def _side(prefix: str, actors: tuple[Actor, ...]) -> dict[str, str | None]:
    def joined(values: list[str | None]) -> str | None:
        return ";".join(v or "" for v in values) if any(values) else None

    return {
        f"{prefix}_code": joined([a.code for a in actors]),
        f"{prefix}_name": joined([a.name for a in actors]),
        f"{prefix}_sector": joined([a.sector for a in actors]),
    }
