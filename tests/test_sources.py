"""Tests of storylens.ingest.sources: check_paths, list_files, kind_of and read_inputs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from storylens.errors import UsageError
from storylens.ingest.sources import check_paths, kind_of, list_files, read_inputs
from storylens.model import RawInput, Reject
from storylens.options import Options

ARTICLE = (
    "ORVELLE, Maine — The Orvelle harbor board voted on Tuesday to rebuild the north pier "
    "before the spring fishing season, board chair Hettie Marlowe said.\n"
).encode()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- check_paths ------------------------------------------------------------------------------


def test_sources_check_paths_accepts_existing_files_and_folders(tmp_path: Path) -> None:
    article = _write(tmp_path / "a.txt", ARTICLE)
    check_paths([article, tmp_path])


def test_sources_check_paths_raises_usage_error_for_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "gone.txt"
    with pytest.raises(UsageError, match="gone.txt"):
        check_paths([tmp_path, missing])


def test_sources_check_paths_raises_usage_error_when_no_path_is_given() -> None:
    with pytest.raises(UsageError):
        check_paths([])


def test_sources_usage_error_has_exit_status_2(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        check_paths([tmp_path / "missing.jsonl"])
    assert raised.value.exit_status == 2


# -- list_files -------------------------------------------------------------------------------


def test_sources_list_files_walks_folders_recursively_in_sorted_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", ARTICLE)
    _write(tmp_path / "a.txt", ARTICLE)
    _write(tmp_path / "sub" / "deeper" / "c.html", b"<html></html>")
    _write(tmp_path / "sub" / "d.jsonl.gz", gzip.compress(b'{"text": "x"}\n'))
    files = list_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a.txt",
        "b.txt",
        "sub/d.jsonl.gz",
        "sub/deeper/c.html",
    ]


def test_sources_list_files_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    _write(tmp_path / "kept.txt", ARTICLE)
    _write(tmp_path / ".hidden.txt", ARTICLE)
    _write(tmp_path / ".cache" / "inside.txt", ARTICLE)
    assert list_files([tmp_path]) == [tmp_path / "kept.txt"]


def test_sources_list_files_keeps_given_files_in_the_given_order(tmp_path: Path) -> None:
    second = _write(tmp_path / "z.txt", ARTICLE)
    first = _write(tmp_path / "folder" / "a.txt", ARTICLE)
    assert list_files([second, tmp_path / "folder"]) == [second, first]


# -- kind_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("story.txt", "text"),
        ("notes.md", "text"),
        ("page.html", "html"),
        ("PAGE.HTM", "html"),
        ("export.jsonl", "json"),
        ("export.json", "json"),
        ("records.ndjson", "json"),
        ("feed.xml", "feed"),
        ("feed.rss", "feed"),
        ("feed.atom", "feed"),
        ("page.html.gz", "html"),
        ("export.jsonl.gz", "json"),
        ("feed.xml.gz", "feed"),
    ],
)
def test_sources_kind_of_follows_the_suffix_ignoring_gz(name: str, kind: str) -> None:
    assert kind_of(Path(name), b"plain words that do not look like markup") == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">',
         "feed"),
        (b"<rss version='2.0'><channel/></rss>", "feed"),
        (b"<!DOCTYPE html><html><head></head><body><p>Hi</p></body></html>", "html"),
        (b"  <html><body>text</body></html>", "html"),
        (b'{"text": "a story"}\n{"text": "another"}', "json"),
        (b'[{"text": "a story"}]', "json"),
        (ARTICLE, "text"),
    ],
)
def test_sources_kind_of_sniffs_the_content_without_a_known_suffix(data: bytes, kind: str) -> None:
    assert kind_of(Path("download"), data) == kind
    assert kind_of(Path("download.gz"), data) == kind


# -- read_inputs ------------------------------------------------------------------------------


def test_sources_read_inputs_yields_the_bytes_and_kind_of_a_plain_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "harbor.txt", ARTICLE)
    results = list(read_inputs([path], Options()))
    assert results == [RawInput(str(path), "text", ARTICLE)]


def test_sources_read_inputs_decompresses_gzip_files(tmp_path: Path) -> None:
    data = b'{"text": "The pier will be rebuilt.", "outlet": "Orvelle Tide"}\n'
    path = _write(tmp_path / "export.jsonl.gz", gzip.compress(data))
    results = list(read_inputs([path], Options()))
    assert results == [RawInput(str(path), "json", data)]


def test_sources_read_inputs_decompresses_gzip_by_magic_bytes_not_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "story.txt", gzip.compress(ARTICLE))
    results = list(read_inputs([path], Options()))
    assert results == [RawInput(str(path), "text", ARTICLE)]


def test_sources_read_inputs_reads_every_file_of_a_folder_tree(tmp_path: Path) -> None:
    _write(tmp_path / "one.txt", ARTICLE)
    _write(tmp_path / "nested" / "two.html.gz", gzip.compress(b"<html><body>x</body></html>"))
    _write(tmp_path / "nested" / "more" / "three.jsonl", b'{"text": "y"}\n')
    results = list(read_inputs(list_files([tmp_path]), Options()))
    assert all(isinstance(r, RawInput) for r in results)
    assert [(Path(r.source).name, r.kind) for r in results if isinstance(r, RawInput)] == [
        ("one.txt", "text"),
        ("two.html.gz", "html"),
        ("three.jsonl", "json"),
    ]


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \n"])
def test_sources_read_inputs_rejects_an_empty_file(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path / "empty.txt", data)
    results = list(read_inputs([path], Options()))
    assert len(results) == 1
    assert isinstance(results[0], Reject)
    assert results[0].reason == "empty"
    assert results[0].source == str(path)


def test_sources_read_inputs_rejects_an_empty_gzip_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.txt.gz", gzip.compress(b""))
    (result,) = read_inputs([path], Options())
    assert isinstance(result, Reject)
    assert result.reason == "empty"


def test_sources_read_inputs_rejects_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", b"word " * 30_000)  # 150,000 bytes
    (result,) = read_inputs([path], Options(max_file_size_mb=0.1))
    assert isinstance(result, Reject)
    assert result.reason == "too-large"
    assert "max_file_size_mb" in result.detail


def test_sources_read_inputs_rejects_a_gzip_over_the_limit_after_decompression(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "big.txt.gz", gzip.compress(b"word " * 30_000))
    assert path.stat().st_size < 0.1 * 1024 * 1024
    (result,) = read_inputs([path], Options(max_file_size_mb=0.1))
    assert isinstance(result, Reject)
    assert result.reason == "too-large"


def test_sources_read_inputs_accepts_a_file_just_under_the_limit(tmp_path: Path) -> None:
    limit = int(0.1 * 1024 * 1024)
    data = b"a" * limit
    path = _write(tmp_path / "edge.txt", data)
    (result,) = read_inputs([path], Options(max_file_size_mb=0.1))
    assert result == RawInput(str(path), "text", data)


def test_sources_read_inputs_rejects_a_truncated_gzip_as_unreadable(tmp_path: Path) -> None:
    packed = gzip.compress(ARTICLE * 50)
    path = _write(tmp_path / "cut.txt.gz", packed[: len(packed) // 2])
    (result,) = read_inputs([path], Options())
    assert isinstance(result, Reject)
    assert result.reason == "unreadable"


def test_sources_read_inputs_goes_on_after_a_reject(tmp_path: Path) -> None:
    empty = _write(tmp_path / "a_empty.txt", b"")
    big = _write(tmp_path / "b_big.txt", b"x" * 200_000)
    good = _write(tmp_path / "c_good.txt", ARTICLE)
    results = list(read_inputs([empty, big, good], Options(max_file_size_mb=0.1)))
    assert [r.reason if isinstance(r, Reject) else r.kind for r in results] == [
        "empty",
        "too-large",
        "text",
    ]
    assert results[2] == RawInput(str(good), "text", ARTICLE)
