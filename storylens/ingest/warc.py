"""Web archives (WARC, ISO 28500) as inputs: each archived HTML page becomes an input with the
record's URL and capture date; what is not an HTML page is skipped or rejected, each with its
reason. warcio reads the records (gzipped per record or not), as a stream: an archive of
gigabytes is never held in memory, and each page is held to the size limit of a file.

The same function reads an archive from disk (``ingest``) and from bytes Spark hands a task.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..model import RawInput, Reject

# Content types read as web pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Record types that hold a fetched document; the others (warcinfo, request, metadata,
# revisit, conversion, continuation) describe the crawl, not a page.
DOCUMENT_RECORDS = ("response", "resource")


@dataclass(frozen=True)
class Skipped:
    """A record that is not a document (``record_type``: warcinfo, request, metadata ...):
    counted, not stored."""

    source: str
    record_type: str


def warc_inputs(
    source: str, stream: IO[bytes], limit_bytes: int
) -> Iterator[RawInput | Reject | Skipped]:
    """The archive's records in order: each HTML page as an ``html`` input (source
    ``SOURCE#record N``, with its target URL and capture date), a Reject for a document that
    is not an HTML page (``not-html``), not fetched whole and well (``http-status``), empty
    or over ``limit_bytes``, and a Skipped for every other record. A record that cannot be
    read ends the file with one ``broken-record`` Reject naming that record (its URL, or its
    byte offset when its header cannot be read): the records after it cannot be found
    reliably."""
    from warcio.archiveiterator import ArchiveIterator

    number = 0
    records: Any = None
    current: Any = None  # the record being read, once warcio has read its header
    try:
        records = ArchiveIterator(stream, check_digests=False)
        for record in records:
            number, current = number + 1, record
            yield _input_of(record, f"{source}#record {number}", limit_bytes)
        # warcio ends quietly on a record cut short within its first bytes: what is left
        # unread after the last record is one, damaged
        if stream.seekable():
            size = stream.seek(0, 2)
            if records.offset < size:
                current = None
                raise ValueError(f"{size - records.offset} bytes at the end are not a record")
    except Exception as error:  # noqa: BLE001
        # warcio's errors on a damaged file (ArchiveLoadFailed, EOFError, OSError, ValueError,
        # zlib.error, AttributeError on some damaged headers) and whatever else reading a
        # record raises: the file is damaged all the same, and the batch goes on
        yield _broken(source, number, records, current, error)


def _broken(source: str, number: int, records: Any, current: Any, error: Exception) -> Reject:
    """The ``broken-record`` Reject of the record that ``error`` was met in: the last one
    read (``current``, record ``number``) when warcio had not finished reading it, else the
    next one, whose header could not be read, named by its byte offset."""
    if current is not None and getattr(records, "member_info", None) is None:
        url = current.rec_headers.get_header("WARC-Target-URI")
        name = url or current.rec_headers.get_header("WARC-Record-ID")
        named = f"record {number} ({_readable(str(name))})" if name else f"record {number}"
    else:
        number += 1
        named = f"record {number} at byte offset {getattr(records, 'offset', 0)}"
    return Reject(
        f"{source}#record {number}", "broken-record",
        f"{named} cannot be read ({_message(error)}); the rest of the file is skipped",
    )


def _input_of(record: Any, where: str, limit_bytes: int) -> RawInput | Reject | Skipped:
    """One record of the archive (``where``: its source name) as an input, a Reject or a
    Skipped. Raises ValueError for a record that is not a WARC record or is cut short."""
    if getattr(record, "format", None) != "warc" or not record.rec_type:
        # warcio reads ARC files and takes any line for an ARC record header
        raise ValueError("not a WARC record")
    kind = str(record.rec_type)
    if kind not in DOCUMENT_RECORDS:
        return Skipped(where, kind)
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    content_type = _content_type(record, kind, where, url)
    if isinstance(content_type, Reject):
        return content_type
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in HTML_TYPES:
        return Reject(where, "not-html", f"{url}: content type {media or 'not given'}, not HTML")
    data = record.content_stream().read(limit_bytes + 1)
    if len(data) <= limit_bytes and _cut_short(record):
        raise ValueError(f"the record ends before its Content-Length ({record.length})")
    if len(data) > limit_bytes:
        return Reject(
            where, "too-large",
            f"{url}: the page is over the size limit of {limit_bytes} bytes "
            "(setting max_file_size_mb)",
        )
    if not data.strip():
        return Reject(where, "empty", f"{url}: the page is empty")
    return RawInput(where, "html", data, url=url, date=date)


def _content_type(record: Any, kind: str, where: str, url: str | None) -> str | None | Reject:
    """The content type a document record declares: a response's HTTP header (a Reject for
    a response without HTTP headers or with a status other than 200), a resource's own."""
    declared: str | None
    if kind != "response":
        declared = record.rec_headers.get_header("Content-Type")
        return declared
    if record.http_headers is None:
        return Reject(where, "not-html", f"{url}: a response without HTTP headers")
    status = record.http_headers.get_statuscode()
    if status != "200":
        return Reject(where, "http-status", f"{url}: HTTP status {status}")
    declared = record.http_headers.get_header("Content-Type")
    return declared


def _cut_short(record: Any) -> bool:
    """Whether the record's block ended before its declared length (a truncated file: warcio
    hands over what there is without saying so)."""
    remaining = getattr(record.raw_stream, "limit", 0)
    return bool(remaining and remaining > 0)


# Longest message of an error kept in a reject's detail, in characters.
MESSAGE_CHARS = 160


def _message(error: BaseException) -> str:
    """An error as one readable line: its class and its message, without the raw bytes
    warcio quotes from a damaged record, cut to a sentence's length."""
    text = _readable(str(error))
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _readable(text: str) -> str:
    """Text on one line, up to its first character that cannot be printed (the raw bytes of
    a damaged record, which warcio quotes), at most MESSAGE_CHARS long."""
    text = " ".join(text.split())
    for at, char in enumerate(text):
        if not char.isprintable() or char == "\ufffd":
            text = text[:at].rstrip(" :") + " [unreadable bytes left out]"
            break
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"
