"""Web archives as input: every HTML page becomes an article with its record's URL and date;
what is not a page is counted or rejected with its reason; a broken archive keeps what came
before the break."""

from __future__ import annotations

import gzip as gz
import io
import json
from pathlib import Path

import pytest
from conftest import Cli
from warcdata import Archive, bridge_page, ferry_page, mixed_archive

from storylens import Options, Store, ingest
from storylens.ingest.warc import Skipped, warc_inputs
from storylens.model import RawInput, Reject

FAST = Options(extract_attributions=False, extract_events=False, worker_processes=1)


def _records(path: Path, limit: int = 1_000_000) -> list[RawInput | Reject | Skipped]:
    with path.open("rb") as handle:
        return list(warc_inputs(str(path), handle, limit))


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_inputs_pages_rejects_and_skipped_in_order(tmp_path: Path, gzip: bool) -> None:
    path = mixed_archive(tmp_path / ("mixed.warc.gz" if gzip else "mixed.warc"), gzip)
    kinds = [
        type(r).__name__ + ":" + (r.reason if isinstance(r, Reject) else
                                  r.record_type if isinstance(r, Skipped) else r.kind)
        for r in _records(path)
    ]
    assert kinds == [
        "Skipped:warcinfo", "Skipped:request", "RawInput:html", "Skipped:metadata",
        "Skipped:request", "RawInput:html", "Reject:not-html", "Reject:http-status",
        "RawInput:html",
    ]


def test_warc_inputs_keep_url_date_and_record_number(tmp_path: Path) -> None:
    pages = [r for r in _records(mixed_archive(tmp_path / "m.warc.gz")) if isinstance(r, RawInput)]
    assert [p.url for p in pages] == [
        "https://valley-herald.example/bridge",
        "https://lakeside-post.example/ferry",
        "https://valley-herald.example/bridge-update",
    ]
    assert [p.date for p in pages] == [
        "2025-05-12T08:30:00Z", "2025-05-14T06:00:00Z", "2025-05-13T10:00:00Z"
    ]
    assert [p.source.rsplit("#", 1)[1] for p in pages] == ["record 3", "record 6", "record 9"]


def test_warc_inputs_page_over_the_limit_is_rejected(tmp_path: Path) -> None:
    path = Archive().response("https://x.example/a", bridge_page()).save(tmp_path / "a.warc.gz")
    (record,) = _records(path, limit=100)
    assert isinstance(record, Reject)
    assert record.reason == "too-large"


def test_warc_inputs_broken_archive_keeps_what_came_before(tmp_path: Path) -> None:
    whole = Archive(gzip=True).response("https://x.example/a", bridge_page()) \
        .response("https://x.example/b", ferry_page()).buffer.getvalue()
    first_member = len(
        Archive(gzip=True).response("https://x.example/a", bridge_page()).buffer.getvalue()
    )
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: first_member + 40])  # the second record's gzip member cut short
    records = _records(cut)
    assert isinstance(records[0], RawInput)
    assert isinstance(records[-1], Reject)
    assert records[-1].reason == "broken-record"
    assert records[-1].source.endswith("#record 2")


def test_warc_inputs_not_an_archive_is_one_broken_record(tmp_path: Path) -> None:
    path = tmp_path / "nonsense.warc"
    path.write_bytes(b"this is not a web archive\n" * 10)
    (record,) = _records(path)
    assert isinstance(record, Reject)
    assert record.reason == "broken-record"


def test_warc_ingest_stores_pages_with_url_and_dates(tmp_path: Path) -> None:
    path = mixed_archive(tmp_path / "mixed.warc.gz")
    with Store(tmp_path / "w.db") as store:
        summary = ingest([path], store, FAST)
        assert summary.stored == 3
        assert {r.reason for r in summary.rejects} == {"not-html", "http-status"}
        assert dict(summary.skipped) == {"warcinfo": 1, "request": 2, "metadata": 1}
        rows = {
            r["url"]: r["published"]
            for r in store.db.execute("SELECT url, published FROM articles")
        }
    assert set(rows) == {
        "https://valley-herald.example/bridge",
        "https://lakeside-post.example/ferry",
        "https://valley-herald.example/bridge-update",
    }
    # the page's own date where it gives one, else the capture date
    assert rows["https://valley-herald.example/bridge-update"].startswith("2025-05-11")
    assert rows["https://lakeside-post.example/ferry"].startswith("2025-05-14")


def test_warc_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    path = mixed_archive(tmp_path / "mixed.warc.gz")
    with Store(tmp_path / "w.db") as store:
        ingest([path], store, FAST)
        again = ingest([path], store, FAST)
    assert again.stored == 0
    assert again.duplicates == 3


def test_warc_ingest_archive_without_pages_is_rejected(tmp_path: Path) -> None:
    path = Archive().warcinfo().request("https://x.example/").save(tmp_path / "info.warc.gz")
    with Store(tmp_path / "w.db") as store:
        summary = ingest([path], store, FAST)
    assert summary.stored == 0
    assert [r.reason for r in summary.rejects] == ["no-pages"]


def test_warc_inputs_whole_file_gzipped_is_refused_with_its_reason(tmp_path: Path) -> None:
    """A WARC gzipped as one file, not record by record as the standard asks, cannot be
    read record by record: one clear reject, not a silent nothing."""
    plain = mixed_archive(tmp_path / "plain.warc", gzip=False).read_bytes()
    path = tmp_path / "whole.warc.gz"
    with gz.open(path, "wb") as handle:
        handle.write(plain)
    records = _records(path)
    assert not [r for r in records if isinstance(r, RawInput)]
    (broken,) = [r for r in records if isinstance(r, Reject)]
    assert broken.reason == "broken-record"
    assert "single gzip" in broken.detail
    assert "\n" not in broken.detail


def test_warc_cli_ingest_reports_skipped_records(cli: Cli, tmp_path: Path) -> None:
    path = mixed_archive(tmp_path / "mixed.warc.gz")
    done = cli("ingest", str(path), "-s", "extract_attributions=false")
    assert done.returncode == 3  # some records were rejected
    assert "3 stored" in done.stdout
    assert "skipped" in done.stdout and "2 request" in done.stdout
    again = cli("ingest", str(path), "--json")
    assert again.returncode == 3
    summary = json.loads(again.stdout)
    assert summary["skipped_records"] == {"metadata": 1, "request": 2, "warcinfo": 1}
    assert summary["duplicates"] == 3


def test_warc_bytes_in_memory_read_as_from_disk(tmp_path: Path) -> None:
    path = mixed_archive(tmp_path / "mixed.warc.gz")
    from_disk = _records(path)
    in_memory = list(warc_inputs(str(path), io.BytesIO(path.read_bytes()), 1_000_000))
    assert in_memory == from_disk
