"""Tables: CSV and TSV files with a header row, each row a record read as a JSON Lines
record is (records.record_draft), one article a row.

The header names the columns; each field of an article is read from the first column whose
name (any case; spaces and hyphens read as underscores) is one of the field's usual names,
unless the options choose a column for it (``csv_text_column`` and the rest, carried on the
input as ``RawInput.columns``):

- text: ``text``, ``body``, ``content``
- title: ``title``, ``headline``
- url: ``url``, ``link``
- outlet: ``outlet``, ``source``, ``publisher``
- published: ``published``, ``date``, ``timestamp``, ``published_at`` (ISO 8601, an e-mail
  style date or epoch seconds or milliseconds, as in JSON records)
- id: ``id``

A table with no text column but a title column is a table of headlines: each row's title is
its text, as a headline stream's records are read (bench cluster's ``--text title``). A table
with neither is refused whole (``bad-table``), as is one whose chosen column is not in its
header. A row with another number of fields than the header (``bad-row``) or with no text
(``no-text``) is rejected alone, named by its row number (the header is row 1, as a
spreadsheet counts), and the rest of the table is read.

The delimiter of a ``.tsv`` (or ``.tab``) file is the tab, with no quoting (the IANA format,
and the UCI News Aggregator's, whose headlines often begin with a quotation mark); that of a
``.csv`` file is guessed from its header line (comma, semicolon, tab or bar) by csv.Sniffer,
a comma when it cannot tell, and fields may be quoted (holding delimiters and line breaks).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace

from ..errors import RejectedInput
from ..model import Draft, Reject
from .records import record_draft

# The kinds of input that are tables (sources.KINDS_BY_SUFFIX), one record a row.
TABLE_KINDS = ("csv", "tsv")
# The usual names of each field's column, in the order they are looked for.
USUAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "publisher"),
    "published": ("published", "date", "timestamp", "published_at"),
    "id": ("id",),
}
_DELIMITERS = ",;\t|"
# A field may be as long as the file that holds it, and inputs are held to max_file_size_mb
# before they are parsed; the csv module's own limit (128 KiB) would refuse a long article.
# 2**31 - 1 is the largest limit every platform's C long takes.
FIELD_LIMIT_CHARS = 2**31 - 1


def parse_table(
    source: str, text: str, tabs: bool, columns: Mapping[str, str] | None = None
) -> list[Draft | Reject]:
    """Every row of a table as a draft, or a Reject naming its row and why. ``tabs``: a TSV
    file (else CSV); ``columns``: the column chosen for a field, by field. Raises
    RejectedInput("bad-table") for a table without a header that names a text or title
    column (or without a column the options chose)."""
    if csv.field_size_limit() < FIELD_LIMIT_CHARS:
        csv.field_size_limit(FIELD_LIMIT_CHARS)
    rows = _reader(text, tabs)
    header = _header(rows)
    found = _columns(header, columns or {})
    results: list[Draft | Reject] = []
    for number, row in _numbered(rows, source, results):
        if not row:  # a blank line
            continue
        where = f"{source}#row{number}"
        if len(row) != len(header):
            results.append(Reject(where, "bad-row", (
                f"row {number} has {len(row)} fields where the header has {len(header)}"
            )))
            continue
        results.append(_row_draft(where, number, dict(zip(header, row, strict=True)), found))
    return results


def _reader(text: str, tabs: bool) -> Iterator[list[str]]:
    """The rows of the table, as csv reads them with its delimiter and quoting."""
    handle = io.StringIO(text, newline="")
    if tabs:
        return csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
    first = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return csv.reader(handle, delimiter=delimiter)


def _header(rows: Iterator[list[str]]) -> list[str]:
    """The column names of the first row that is not blank, in lower case, spaces and
    hyphens read as underscores. Raises RejectedInput("bad-table") when there is none."""
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                return ["_".join(cell.strip().lower().replace("-", " ").split()) for cell in row]
    except csv.Error as error:
        raise RejectedInput("bad-table", f"the header cannot be read: {error}") from error
    raise RejectedInput("bad-table", "the table has no header row")


def _columns(header: list[str], chosen: Mapping[str, str]) -> dict[str, str]:
    """The column each field is read from (field to column name), the chosen ones first.
    Raises RejectedInput("bad-table") for a chosen column the header lacks, or a header with
    no text or title column."""
    found: dict[str, str] = {}
    names = set(header)
    for field, usual in USUAL_COLUMNS.items():
        choice = chosen.get(field, "").strip()
        if choice:
            name = "_".join(choice.lower().replace("-", " ").split())
            if name not in names:
                raise RejectedInput("bad-table", (
                    f"the column {choice!r} chosen for the {field} (setting csv_{field}_column) "
                    f"is not in the header: {_shown(header)}"
                ))
            found[field] = name
            continue
        name = next((n for n in usual if n in names), "")
        if name:
            found[field] = name
    if "text" not in found and "title" not in found:
        raise RejectedInput("bad-table", (
            "the header names no text column (text, body or content) and no title column "
            f"(title or headline): {_shown(header)}; choose them with the settings "
            "csv_text_column and csv_title_column"
        ))
    return found


def _shown(header: list[str]) -> str:
    """A header's names as a reject's detail shows them (the first ten)."""
    shown = ", ".join(repr(name) for name in header[:10])
    return shown + (", ..." if len(header) > 10 else "")


def _numbered(
    rows: Iterator[list[str]], source: str, results: list[Draft | Reject]
) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header with their numbers (the header is row 1, a blank line a
    row). A row csv cannot read ends the table: it is rejected in ``results`` with the rest
    of the file (the quoting is lost from there on)."""
    number = 1
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            results.append(Reject(f"{source}#row{number}", "bad-row", (
                f"row {number} cannot be read ({error}); the rest of the file is skipped"
            )))
            return
        yield number, row


def _row_draft(
    where: str, number: int, row: dict[str, str], found: dict[str, str]
) -> Draft | Reject:
    """One row as a draft, read as a JSON record of the fields the columns give (a table of
    headlines: the title as the text), or the Reject saying why it cannot be one."""
    record = {field: row[name].strip() for field, name in found.items() if row[name].strip()}
    if "text" not in found:
        record.pop("title", None)
        text_column = found["title"]
    else:
        text_column = found["text"]
    if not row[text_column].strip():
        return Reject(where, "no-text", f"row {number} has no text (its {text_column!r} is empty)")
    record["text"] = row[text_column].strip()
    draft = record_draft(where, record)
    if isinstance(draft, Reject):
        return draft
    raw = json.dumps(row, ensure_ascii=False, sort_keys=True)
    return replace(draft, kind="table", raw=raw)
