"""Issue 16: every input failure is a reject. A bad input beside a good one: the good one is
stored, the bad one is listed in rejects with its reason, and the batch goes on."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from storylens import Options, Store, ingest
from storylens.clean.cleaner import clean
from storylens.ingest.warc import warc_inputs
from storylens.model import Draft, RawInput, Reject
from storylens.pipeline import Prepared, prepare_many, stages

GOOD_TEXT = (
    "The harbour authority of Orvale said on Friday that it would close the northern pier for "
    "three weeks of repairs after divers found cracks in two of its pilings.\n\n"
    "Ferries will use the southern pier in the meantime, the authority's director told "
    "reporters, and the repairs are expected to cost about 1.2 million euros.\n"
)
OTHER_TEXT = GOOD_TEXT.replace("Orvale", "Tessary").replace("northern", "eastern")
BAD_DATES = ("Fri, 31 Dec 9999 23:59:59 -2359", "Fri, 28 Feb 999 05:33:20 GMT")
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>{items}'
    "</channel></rss>"
)
ITEM = (
    "<item><title>{title}</title><description>{text}</description><pubDate>{date}</pubDate>"
    "</item>"
)


def _good_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    return folder


def _ingested(folder: Path, db: Path) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """Ingest a folder in-process: the names (relative to it) of the stored articles, and the
    rejects' reasons and details by name."""
    with Store(db) as store:
        summary = ingest([folder], store, Options())
        sources = {row[0] for row in store.db.execute("SELECT source FROM articles")}
        rejects = {r["source"]: (r["reason"], r["detail"]) for r in store.rejects()}
    assert summary.rejected == len(rejects)
    prefix = str(folder) + os.sep
    return (
        {s.removeprefix(prefix) for s in sources},
        {s.removeprefix(prefix): v for s, v in rejects.items()},
    )


def test_pipeline_deeply_nested_json_is_rejected_as_too_deep(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    (folder / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (folder / "deep.jsonl").write_text(
        json.dumps({"text": OTHER_TEXT}) + "\n" + '{"a": ' * 50_000 + "\n", encoding="utf-8"
    )
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt", "deep.jsonl#line1"}
    assert set(rejects) == {"deep.json", "deep.jsonl#line2"}
    assert {reason for reason, _ in rejects.values()} == {"too-deep"}
    assert all("RecursionError" in detail for _, detail in rejects.values())


def test_pipeline_json_integer_of_too_many_digits_is_rejected(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    big = '{"text": "A record with a huge number.", "n": ' + "9" * 5000 + "}"
    (folder / "big.jsonl").write_text(
        json.dumps({"text": OTHER_TEXT}) + "\n" + big + "\n", encoding="utf-8"
    )
    (folder / "big.json").write_text("[" + "1" * 5000 + "]", encoding="utf-8")
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt", "big.jsonl#line1"}
    assert {s: r for s, (r, _) in rejects.items()} == {
        "big.jsonl#line2": "number-too-large",
        "big.json": "number-too-large",
    }
    assert all(detail.count("ValueError") == 1 for _, detail in rejects.values())


def test_sources_file_name_not_utf8_is_stored_with_escapes(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    try:
        with open(os.fsencode(folder) + b"/bad\xff.txt", "wb") as handle:
            handle.write(OTHER_TEXT.encode())
    except (OSError, UnicodeError):
        pytest.skip("the file system takes only UTF-8 names")
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt", "bad\\xff.txt"}
    assert rejects == {}


def test_pipeline_unreadable_file_name_is_printable_in_its_reject(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    try:
        with open(os.fsencode(folder) + b"/empty\xfe.txt", "wb"):
            pass
    except (OSError, UnicodeError):
        pytest.skip("the file system takes only UTF-8 names")
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt"}
    assert {s: r for s, (r, _) in rejects.items()} == {"empty\\xfe.txt": "empty"}


@pytest.mark.parametrize("date", BAD_DATES)
def test_parse_record_and_feed_dates_out_of_range_are_rejected(tmp_path: Path, date: str) -> None:
    folder = _good_folder(tmp_path / "in")
    records = [
        {"text": OTHER_TEXT, "date": "2024-05-02"},
        {"text": OTHER_TEXT.replace("Tessary", "Quenby"), "published": date},
    ]
    (folder / "records.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    items = [
        ITEM.format(title="Fine", text=GOOD_TEXT.replace("Orvale", "Lindry"),
                    date="Thu, 02 May 2024 10:00:00 GMT"),
        ITEM.format(title="Bad", text=GOOD_TEXT.replace("Orvale", "Marrow"), date=date),
    ]
    (folder / "feed.xml").write_text(FEED.format(items="".join(items)), encoding="utf-8")
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt", "records.jsonl#line1", "feed.xml#item1"}
    assert {s: r for s, (r, _) in rejects.items()} == {
        "records.jsonl#line2": "bad-date",
        "feed.xml#item2": "bad-date",
    }
    with Store(tmp_path / "t.db") as store:
        dates = {row[0] for row in store.db.execute("SELECT published FROM articles")}
    assert dates == {None, "2024-05-02", "2024-05-02T10:00:00Z"}


def test_sources_unlistable_folder_is_rejected_as_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _good_folder(tmp_path / "in")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "hidden-from-us.txt").write_text(OTHER_TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert stored == {"good.txt"}
    assert list(rejects) == ["locked"]
    reason, detail = rejects["locked"]
    assert reason == "unreadable" and "Permission denied" in detail


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_sources_folder_without_permission_is_rejected(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(OTHER_TEXT, encoding="utf-8")
    locked.chmod(0)
    try:
        stored, rejects = _ingested(folder, tmp_path / "t.db")
    finally:
        locked.chmod(0o755)
    assert stored == {"good.txt"}
    assert {s: r for s, (r, _) in rejects.items()} == {"locked": "unreadable"}


def test_sources_dot_files_and_folders_are_skipped_unless_named(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(200))
    (folder / ".hidden.txt").write_text(OTHER_TEXT, encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "notes.txt").write_text(OTHER_TEXT, encoding="utf-8")
    stored, rejects = _ingested(folder, tmp_path / "t.db")
    assert (stored, rejects) == ({"good.txt"}, {})
    with Store(tmp_path / "t.db") as store:
        ingest([folder / ".hidden.txt"], store, Options())
        sources = {Path(row[0]).name for row in store.db.execute("SELECT source FROM articles")}
    assert sources == {"good.txt", ".hidden.txt"}


def test_stages_unexpected_error_in_one_input_is_its_reject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_clean = stages.clean

    def clean_or_fail(draft: Draft) -> Any:
        if "Tessary" in draft.text:
            raise RuntimeError("no such thing\nsecond line")
        return real_clean(draft)

    monkeypatch.setattr(stages, "clean", clean_or_fail)
    inputs = [
        RawInput("a.txt", "text", GOOD_TEXT.encode()),
        RawInput("b.txt", "text", OTHER_TEXT.encode()),
    ]
    first, second = prepare_many(inputs)
    assert len(first) == 1 and isinstance(first[0], Prepared)
    assert second == [
        Reject("b.txt", "unreadable", "the input cannot be prepared (RuntimeError: no such thing)")
    ]


@pytest.mark.parametrize("published", ["yesterday", "999-02-28T05:33:20Z", "0999-02-28"])
def test_clean_rejects_a_draft_whose_date_cannot_be_placed(published: str) -> None:
    draft = Draft(source="pasted", kind="text", raw=GOOD_TEXT, text=GOOD_TEXT,
                  published=published)
    result = clean(draft)
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("pasted", "bad-date")
    assert published in result.detail


def test_clean_writes_lone_surrogates_with_escapes() -> None:
    text = GOOD_TEXT.replace("Friday", "Fri\ud800day")
    draft = Draft(source="in/x\udcff.json#line1", kind="json", raw=text, text=text)
    article = clean(draft)
    assert not isinstance(article, Reject)
    assert article.source == "in/x\\xff.json#line1"
    assert "Fri\\ud800day" in article.text and "Fri\\ud800day" in article.raw


def test_cli_ingest_bad_inputs_beside_good_ones_exits_3_and_lists_them(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    (folder / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (folder / "dates.jsonl").write_text(
        "".join(json.dumps({"text": OTHER_TEXT + d, "date": d}) + "\n" for d in BAD_DATES),
        encoding="utf-8",
    )
    cli = Cli(tmp_path / "t.db")
    done = cli("ingest", str(folder))
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    listed = cli.json("rejects")
    assert isinstance(listed, list)
    got = {Path(r["source"]).name: r["reason"] for r in listed}
    assert got == {
        "deep.json": "too-deep", "dates.jsonl#line1": "bad-date", "dates.jsonl#line2": "bad-date"
    }
    with Store(tmp_path / "t.db") as store:
        sources = [row[0] for row in store.db.execute("SELECT source FROM articles")]
    assert sources == [str(folder / "good.txt")]


def test_warc_unexpected_error_in_a_record_is_a_broken_record_reject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warcio.archiveiterator

    class Failing:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __iter__(self) -> Any:
            raise RuntimeError("an error warcio was never known to raise")

    monkeypatch.setattr(warcio.archiveiterator, "ArchiveIterator", Failing)
    found = list(warc_inputs("a.warc", io.BytesIO(b"WARC/1.0\r\n"), 1000))
    assert len(found) == 1 and isinstance(found[0], Reject)
    assert (found[0].source, found[0].reason) == ("a.warc#record 1", "broken-record")
    assert "an error warcio was never known to raise" in found[0].detail
