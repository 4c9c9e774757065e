"""Writing event rows (views.export_rows) as TSV, JSON Lines or Parquet.

TSV has a header line; a tab, carriage return or newline inside a value becomes a space, and
a missing value is an empty field. JSON Lines has one object per event, missing values null.
Parquet has one column per field (strings, int64 counts, float64 confidence).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..errors import UsageError
from .views import EXPORT_COLUMNS

FORMATS = ("tsv", "jsonl", "parquet")
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


def write_jsonl(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps({c: row.get(c) for c in EXPORT_COLUMNS}, ensure_ascii=False))
        stream.write("\n")


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
        writer = write_tsv if fmt == "tsv" else write_jsonl
        if output is None:
            writer(rows, sys.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            writer(rows, stream)
    except OSError as error:
        raise UsageError(f"cannot write {output or 'to standard output'}: {error}") from error
