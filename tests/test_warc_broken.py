"""Issue 16: a web archive's ``broken-record`` reject names the record that is broken (by
its URL, or by its byte offset when its header cannot be read) and says why in one readable
line, without the raw bytes of the damaged record."""

from __future__ import annotations

import io

from warcdata import Archive, bridge_page, ferry_page

from storylens.ingest.warc import warc_inputs
from storylens.model import RawInput, Reject


def _found(data: bytes) -> list[RawInput | Reject]:
    found = list(warc_inputs("a.warc", io.BytesIO(data), 1_000_000))
    assert all(isinstance(item, (RawInput, Reject)) for item in found)
    return [item for item in found if isinstance(item, (RawInput, Reject))]


def _readable(detail: str) -> bool:
    return detail.isprintable() and "\ufffd" not in detail and len(detail) <= 400


def test_warc_broken_record_cut_short_is_named_by_itself_and_its_url() -> None:
    first = Archive(gzip=False).response("https://x.example/a", bridge_page()).buffer.getvalue()
    second = Archive(gzip=False).response("https://x.example/b", ferry_page()).buffer.getvalue()
    *pages, broken = _found(first + second[:-200])  # the second page's content cut short
    assert [p.source for p in pages] == ["a.warc#record 1"]
    assert isinstance(broken, Reject)
    assert (broken.source, broken.reason) == ("a.warc#record 2", "broken-record")
    assert broken.detail.startswith("record 2 (https://x.example/b) cannot be read (ValueError: ")
    assert _readable(broken.detail)


def test_warc_broken_record_header_unreadable_is_named_by_its_byte_offset() -> None:
    first = Archive(gzip=False).response("https://x.example/a", bridge_page()).buffer.getvalue()
    second = Archive(gzip=False).response("https://x.example/b", ferry_page()).buffer.getvalue()
    damaged = b"GARBAGE\x00\xff\xfe\x8b junk\r\n" + second[20:]
    *_, broken = _found(first + damaged)
    assert isinstance(broken, Reject)
    assert (broken.source, broken.reason) == ("a.warc#record 2", "broken-record")
    assert broken.detail.startswith(f"record 2 at byte offset {len(first)} cannot be read (")
    assert "ArchiveLoadFailed" in broken.detail and "GARBAGE" in broken.detail
    assert "junk" not in broken.detail  # what follows the raw bytes is left out
    assert _readable(broken.detail)


def test_warc_broken_record_detail_holds_no_raw_bytes_of_a_damaged_gzip_member() -> None:
    first = Archive().response("https://x.example/a", bridge_page()).buffer.getvalue()
    second = Archive().response("https://x.example/b", ferry_page()).buffer.getvalue()
    damaged = second[:50] + b"\x00" * 40 + second[90:]
    *_, broken = _found(first + damaged)
    assert isinstance(broken, Reject) and broken.reason == "broken-record"
    assert broken.source == "a.warc#record 2"
    assert _readable(broken.detail), broken.detail
    assert "\n" not in broken.detail and "\x00" not in broken.detail


def test_warc_broken_record_long_message_is_cut_to_one_bounded_line() -> None:
    first = Archive(gzip=False).response("https://x.example/a", bridge_page()).buffer.getvalue()
    *_, broken = _found(first + b"x" * 5000 + b"\r\n" + b"y" * 5000)
    assert isinstance(broken, Reject) and broken.reason == "broken-record"
    assert _readable(broken.detail), broken.detail
