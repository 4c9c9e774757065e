"""The ingest page's multipart form read as it streams in, part by part, so that the write
token can be checked as soon as its part has arrived: the ingest form sends the token first,
and a wrong one is refused before any upload is read.

Every part is capped (fields and files alike), as is their number; the whole body is capped
by the server's edge (web.boundary).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import HTTPException
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

# The most parts a form may have (its fields and its files).
MAX_PARTS = 1100


@dataclass
class Part:
    """One part of a multipart form: its field name, its file name (None for a plain
    field), its bytes, and whether it has arrived whole."""

    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    done: bool = False

    def text(self) -> str:
        """The part's bytes as text (UTF-8, else Latin-1, as browsers send forms)."""
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return self.data.decode("latin-1")


class StreamedForm:
    """A multipart form parsed as its chunks arrive (``feed``), each part at most
    ``part_limit`` bytes."""

    def __init__(self, content_type: str, part_limit: int) -> None:
        _, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if not boundary:
            raise HTTPException(400, "a multipart form needs a boundary")
        self.part_limit = part_limit
        self.parts: list[Part] = []
        self._header = (bytearray(), bytearray())
        self._headers: dict[str, str] = {}
        callbacks: MultipartCallbacks = {
            "on_part_begin": self._begin,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_header_field": lambda d, s, e: self._header[0].extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header[1].extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }
        self._parser = MultipartParser(boundary, callbacks)

    def feed(self, chunk: bytes) -> None:
        """Parse the next chunk of the body (400 for a malformed form or too many parts, 413
        for a part over the limit)."""
        try:
            self._parser.write(chunk)
        except MultipartParseError as error:
            raise HTTPException(400, f"a malformed form: {error}") from error

    def _begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise HTTPException(400, f"a form may have at most {MAX_PARTS} parts")
        self.parts.append(Part())
        self._headers = {}

    def _header_end(self) -> None:
        name, value = self._header
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        self._header = (bytearray(), bytearray())

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", ""))
        part = self.parts[-1]
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        part.filename = None if filename is None else filename.decode("utf-8", "replace")

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self.parts[-1]
        part.data.extend(data[start:end])
        if len(part.data) > self.part_limit:
            raise HTTPException(413, f"form parts are limited to {self.part_limit} bytes")

    def _end(self) -> None:
        self.parts[-1].done = True


async def read_streamed(
    content_type: str,
    chunks: AsyncIterator[bytes],
    part_limit: int,
    stop: Callable[[StreamedForm], bool],
) -> StreamedForm:
    """A multipart form read chunk by chunk until it ends, or until ``stop`` (asked after
    every chunk) says to read no more."""
    form = StreamedForm(content_type, part_limit)
    async for chunk in chunks:
        form.feed(chunk)
        if stop(form):
            break
    return form
