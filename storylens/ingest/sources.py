"""Reading inputs from disk: files, folders (recursive) and gzipped files.

This is the I/O boundary of ingest. It yields one RawInput per readable file, or a Reject
carrying the reason a file cannot be read. Parsing the bytes is the pure stage in parse.py.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import UsageError
from ..model import RawInput, Reject
from ..options import Options
from .formats import unsupported_detail, unsupported_format
from .tables import TABLE_KINDS

KINDS_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
}


def check_paths(paths: list[Path]) -> None:
    """Raise UsageError for a path that does not exist, before any work starts."""
    if not paths:
        raise UsageError("no input path given")
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")


def list_files(paths: list[Path]) -> list[Path]:
    """Every file below the given paths, folders walked recursively, in a stable order.

    Inside a folder, files and folders whose names start with a dot (``.DS_Store``, ``.git``)
    are hidden ones and skipped; a path given by name is always read. A folder that cannot
    be listed is in the list itself, for read_inputs to reject as ``unreadable``.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            unlisted: list[Path] = []
            for root, dirs, names in os.walk(path, onerror=_unlisted(unlisted)):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
            files.extend(sorted(unlisted))
        else:
            files.append(path)
    return files


def _unlisted(folders: list[Path]) -> Callable[[OSError], None]:
    """os.walk's error handler: keeps the folders it could not list."""

    def keep(error: OSError) -> None:
        folders.append(Path(error.filename) if error.filename else Path("."))

    return keep


def printable(text: str) -> str:
    """Text that can be stored and printed as UTF-8: a file name's bytes that are not UTF-8
    (which Python holds as lone surrogates, "bad\\udcff.txt") written as backslash escapes
    ("bad\\xff.txt"), other lone surrogates as "\\ud800"; text without them is returned as
    it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_escaped(char) for char in text)
    return text


def _escaped(char: str) -> str:
    """One character of printable's text: a lone surrogate as a backslash escape."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return char


def kind_of(path: Path, data: bytes) -> str:
    """The input kind, by suffix (ignoring .gz), else by a look at the first bytes."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    kind = KINDS_BY_SUFFIX.get(Path(name).suffix)
    if kind:
        return kind
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head):
        return "feed"
    if head.startswith((b"<rss", b"<feed")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"


def is_warc(source: str) -> bool:
    """Whether a file is a web archive (.warc, .warc.gz): read record by record."""
    return kind_of(Path(source), b"") == "warc"


def _read_limited(path: Path, limit_bytes: int) -> bytes:
    """Read a file, gunzipping it when it is gzip, refusing more than limit_bytes of content."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
        handle.seek(0)
        if magic == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=handle) as unzipped:
                data = unzipped.read(limit_bytes + 1)
        else:
            data = handle.read(limit_bytes + 1)
    return data


def read_inputs(files: list[Path], options: Options) -> Iterator[RawInput | Reject]:
    """One RawInput per file, or a Reject saying why the file cannot be read."""
    limit = int(options.max_file_size_mb * 1024 * 1024)
    for path in files:
        source = printable(str(path))
        if path.is_dir():  # a folder list_files could not list
            yield Reject(source, "unreadable", f"cannot read the folder: {_listing_error(path)}")
            continue
        if is_warc(source):
            # read record by record later (pipeline.units_of): an archive is not one input,
            # and each page in it is held to the size limit instead. Its source is the path
            # as it is, to open it by; units_of names its records printably.
            if os.access(path, os.R_OK):
                yield RawInput(str(path), "warc", b"")
            else:
                yield Reject(source, "unreadable", "cannot read the file: permission denied")
            continue
        try:
            if path.stat().st_size > limit and not path.name.lower().endswith(".gz"):
                yield Reject(source, "too-large", _too_large(path.stat().st_size, limit))
                continue
            data = _read_limited(path, limit)
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            yield Reject(source, "unreadable", f"cannot read the file: {error}")
            continue
        yield input_of(source, data, limit, options.table_columns())


def _listing_error(folder: Path) -> str:
    """Why a folder cannot be listed (as os.scandir says)."""
    try:
        with os.scandir(folder):
            pass
    except OSError as error:
        return printable(error.strerror or str(error))
    return "it could not be listed"


def input_of(
    source: str, data: bytes, limit: int, columns: tuple[tuple[str, str], ...] = ()
) -> RawInput | Reject:
    """A file's content (decompressed) as an input, or why it is not one: a file in a format
    storylens does not read (a PDF, an image, an office file, an archive other than gzip ...)
    is rejected as ``unsupported-format`` by its content, whatever its name (see formats.py).
    A web archive's bytes are kept whole, to be read record by record (pipeline.units_of).
    ``columns``: the columns the options chose for a table's fields (Options.table_columns)."""
    if is_warc(source):
        return RawInput(source, "warc", data)
    if len(data) > limit:
        return Reject(source, "too-large", _too_large(len(data), limit))
    if not data.strip():
        return Reject(source, "empty", "the file is empty")
    unsupported = unsupported_format(data)
    if unsupported:
        return Reject(source, "unsupported-format", unsupported_detail(unsupported))
    kind = kind_of(Path(source), data)
    return RawInput(source, kind, data, columns=columns if kind in TABLE_KINDS else ())


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """A file's bytes as read whole (by Spark): gunzipped when gzip, at most limit + 1 bytes."""
    if data[:2] != b"\x1f\x8b":
        return data
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
        return unzipped.read(limit + 1)


def _too_large(size: int, limit: int) -> str:
    return (
        f"over the size limit of {limit / 1024 / 1024:g} MB "
        f"(at least {size / 1024 / 1024:.1f} MB; setting max_file_size_mb)"
    )
