"""Formats storylens does not read, known by their content: the first bytes of a file.

A file is judged by what it holds, not by its name: a PDF named ``.txt`` is still a PDF, and
a text file named ``.pdf`` is read as text (its suffix is not one storylens knows, so its
content decides its kind, as for any unknown suffix). The signatures are a table in
signatures.py; a zip archive is told apart by the names of the entries it holds (an office
document is a zip with ``word/document.xml`` and the like).
"""

from __future__ import annotations

from .signatures import SIGNATURES, ZIP_KINDS, ZIP_MAGIC, ZIP_NAME

# What a reject's detail says storylens reads instead.
READABLE = "storylens reads text, HTML, JSON Lines, CSV/TSV, RSS/Atom and WARC"


def unsupported_format(data: bytes) -> str | None:
    """The name of the format the bytes are in ("a PDF document") when it is one storylens
    does not read (documents, images, office files, archives other than gzip, executables,
    audio and video), else None."""
    if data.startswith(ZIP_MAGIC):
        return next((name for marker, name in ZIP_KINDS if marker in data), ZIP_NAME)
    for parts, name in SIGNATURES:
        if all(data[offset : offset + len(magic)] == magic for offset, magic in parts):
            return name
    return None


def unsupported_detail(name: str) -> str:
    """A reject's detail for a file in a format storylens does not read."""
    return f"{name}; {READABLE}"
