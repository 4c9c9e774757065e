"""Labelled records (JSON Lines or TSV, gzipped or not) and the drafts of articles made of
them, as bench cluster, bench serve and the grouping tools read them."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..ingest.dates import parse_date
from ..model import Draft


@dataclass(frozen=True)
class ClusterFields:
    """Which fields of a labelled record hold what (bench cluster's --text, --label ...)."""

    text: tuple[str, ...]
    label: str
    time: str | None = None
    source: str | None = None
    id: str | None = None


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a JSON Lines or TSV file (gzipped or not), in file order. Raises UsageError
    for a file that is not one: not UTF-8, a gzip file damaged, a line that is not a JSON
    object (or is one Python will not hold: nested too deeply, a number of too many digits)."""
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    name = path.name.lower().removesuffix(".gz")
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            if name.endswith((".tsv", ".tab")):
                return _tsv_records(handle, limit)
            return _json_records(path, handle, limit)
    except UnicodeDecodeError as error:
        where = f"{error.reason} at byte {error.start}"
        raise UsageError(f"{path}: not UTF-8 text ({where})") from error
    except (OSError, EOFError, csv.Error) as error:
        raise UsageError(f"{path}: cannot be read ({type(error).__name__}: {error})") from error


def _tsv_records(handle: Iterable[str], limit: int | None) -> list[dict[str, Any]]:
    """The rows of a TSV file with a header row, as records; the cells of a row longer than
    the header are left out (those a shorter row lacks are None)."""
    records: list[dict[str, Any]] = []
    rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        records.append({key: value for key, value in row.items() if key is not None})
        if limit and len(records) >= limit:
            break
    return records


def _json_records(path: Path, handle: Iterable[str], limit: int | None) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file, one a line (blank lines skipped)."""
    records: list[dict[str, Any]] = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
            message = " ".join(str(error).split())[:200] or type(error).__name__
            raise UsageError(f"{path}: line {number} is not JSON: {message}") from error
        if not isinstance(record, dict):
            raise UsageError(f"{path}: line {number} is not a JSON object")
        records.append(record)
        if limit and len(records) >= limit:
            break
    return records


def record_drafts(records: list[dict[str, Any]], fields: ClusterFields) -> list[Draft]:
    """The labelled records as drafts of articles ("record N" their source)."""
    return [labelled_draft(r, fields, i + 1) for i, r in enumerate(records)]


def labelled_draft(record: dict[str, Any], fields: ClusterFields, number: int) -> Draft:
    """Record ``number`` as the draft of an article: its text fields joined (the first as the
    title when it is ``title`` and there are more), its time, outlet and id as the fields say;
    the record itself, as sorted JSON, is the raw input."""
    texts = [str(record.get(f) or "").strip() for f in fields.text]
    missing = [f for f in fields.text if f not in record]
    if len(missing) == len(fields.text):
        raise UsageError(f"record {number} has none of the text fields {', '.join(fields.text)}")
    title = texts[0] if len(texts) > 1 and fields.text[0] == "title" else None
    body = "\n\n".join(t for t in (texts[1:] if title else texts) if t)
    published = None
    if fields.time and record.get(fields.time) not in (None, ""):
        published = parse_date(str(record[fields.time]))
    return Draft(
        source=f"record {number}",
        kind="json",
        raw=json.dumps(record, ensure_ascii=False, sort_keys=True),
        text=body,
        title=title,
        outlet=str(record[fields.source]) if fields.source and record.get(fields.source) else None,
        published=published,
        external_id=str(record[fields.id]) if fields.id and fields.id in record else None,
    )




def time_order(drafts: list[Draft]) -> list[int]:
    """The drafts' positions in publication order, undated ones last, ties in input order."""
    return sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].published is None, drafts[i].published or "", i),
    )
