"""Reading inputs into drafts: files and folders (sources), the formats not read, known by
their first bytes (formats, signatures), web archives (warc), and the parsing of text, HTML,
JSON Lines and feeds (parse), CSV and TSV tables (tables) and records (records), with the
dates they carry (dates)."""

from __future__ import annotations

from .parse import parse_input
from .sources import check_paths, list_files, read_inputs
from .warc import Skipped, warc_inputs

__all__ = [
    "Skipped",
    "check_paths",
    "list_files",
    "parse_input",
    "read_inputs",
    "warc_inputs",
]
