"""Issue 18, other formats: files storylens does not read (PDF, images, office documents,
archives other than gzip ...) are rejected by their content, whatever their name, with a
detail naming the format; nothing of them is stored. A text file named as one is text."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli

from storylens import Options, Store, ingest

STORY = (
    "The harbour authority of Orvale said on Friday that it would close the northern pier for "
    "three weeks of repairs after divers found cracks in two of its pilings.\n\n"
    "Ferries will use the southern pier in the meantime, the authority's director told "
    "reporters, and the repairs are expected to cost about 1.2 million euros.\n"
)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, f"<x>{STORY}</x>")
    return buffer.getvalue()


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        data = STORY.encode()
        info = tarfile.TarInfo("story.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# Files of each format, made here (their first bytes as the format writes them, then text:
# a sniffer that read only the text after them would take them for articles).
FILES: dict[str, tuple[str, bytes, str]] = {
    "pdf": ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + STORY.encode(), "a PDF document"),
    "png": ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "a PNG image"),
    "jpeg": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "a JPEG image"),
    "gif": ("anim.gif", b"GIF89a\x01\x00\x01\x00" + bytes(20), "a GIF image"),
    "webp": ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(30), "a WebP image"),
    "zip": ("stories.zip", _zip("story.txt"), "a zip archive"),
    "docx": ("story.docx", _zip("word/document.xml"), "a Word document (.docx)"),
    "xlsx": ("sheet.xlsx", _zip("xl/workbook.xml"), "an Excel workbook (.xlsx)"),
    "doc": ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(60), "an old Microsoft Office"),
    "tar": ("stories.tar", _tar(), "a tar archive"),
    "7z": ("stories.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(30), "a 7-Zip archive"),
    "elf": ("tool", b"\x7fELF\x02\x01\x01" + bytes(60), "an executable (ELF)"),
    "mp3": ("sound.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(40), "an MP3 audio file"),
}
TESTED = ["pdf", "png", "zip", "docx", "jpeg", "gif", "webp", "xlsx", "doc", "tar", "7z", "elf",
          "mp3"]


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _ingested(tmp_path: Path, folder: Path) -> Iterator[tuple[str, str, str]]:
    """The rejects of an ingest of the folder (file name, reason, detail); asserts nothing
    was stored."""
    with Store(tmp_path / "t.db") as store:
        summary = ingest([folder], store, Options())
        assert store.counts()["articles"] == 0
    assert summary.stored == 0
    for reject in summary.rejects:
        yield Path(reject.source).name, reject.reason, reject.detail


@pytest.mark.parametrize("kind", TESTED)
def test_formats_unread_format_rejected_by_content_under_its_own_name(
    tmp_path: Path, kind: str
) -> None:
    name, data, format_name = FILES[kind]
    folder = _folder(tmp_path, {name: data})
    ((source, reason, detail),) = list(_ingested(tmp_path, folder))
    assert (source, reason) == (name, "unsupported-format")
    assert detail.startswith(format_name), detail
    assert "storylens reads text, HTML, JSON Lines, CSV/TSV, RSS/Atom and WARC" in detail


@pytest.mark.parametrize("kind", ["pdf", "png", "zip", "docx"])
@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".csv", ""])
def test_formats_unread_format_rejected_under_a_text_name(
    tmp_path: Path, kind: str, suffix: str
) -> None:
    _, data, format_name = FILES[kind]
    folder = _folder(tmp_path, {f"story{suffix}": data})
    ((source, reason, detail),) = list(_ingested(tmp_path, folder))
    assert (source, reason) == (f"story{suffix}", "unsupported-format")
    assert detail.startswith(format_name)


def test_formats_gzipped_pdf_rejected_by_its_content(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"report.txt.gz": gzip.compress(FILES["pdf"][1])})
    ((source, reason, detail),) = list(_ingested(tmp_path, folder))
    assert (source, reason) == ("report.txt.gz", "unsupported-format")
    assert detail.startswith("a PDF document")


def test_formats_text_named_as_a_pdf_read_as_text(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"story.pdf": STORY.encode()})
    with Store(tmp_path / "t.db") as store:
        summary = ingest([folder], store, Options())
    assert (summary.stored, summary.rejected) == (1, 0), summary.rejects


def test_formats_rejects_listed_by_the_cli_with_the_format(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {
        "report.pdf": FILES["pdf"][1],
        "photo.txt": FILES["png"][1],
        "story.docx": FILES["docx"][1],
        "story.txt": STORY.encode(),
    })
    cli = Cli(tmp_path / "t.db")
    done = cli("ingest", str(folder), "-s", "extract_attributions=false")
    assert done.returncode == 3, done.stderr
    listed = cli.json("rejects")
    assert isinstance(listed, list)
    got = {Path(r["source"]).name: (r["reason"], r["detail"].split(";")[0]) for r in listed}
    assert got == {
        "report.pdf": ("unsupported-format", "a PDF document"),
        "photo.txt": ("unsupported-format", "a PNG image"),
        "story.docx": ("unsupported-format", "a Word document (.docx)"),
    }
    with Store(tmp_path / "t.db") as store:
        (source,) = [row[0] for row in store.db.execute("SELECT source FROM articles")]
    assert Path(source).name == "story.txt"


def test_formats_upload_page_stores_a_table_and_rejects_a_pdf(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storylens.web.app import create_app
    from storylens.web.deps import ServerConfig

    db = tmp_path / "web.db"
    Store(db).close()
    table = f"title\ttext\nPier closes\t{STORY.split(chr(10))[0]}\n".encode()
    config = ServerConfig(db, write_token="formats-token")
    with TestClient(create_app(config)) as client:
        response = client.post(
            "/ingest",
            data={"token": "formats-token"},
            files=[
                ("files", ("pier.tsv", table, "text/tab-separated-values")),
                ("files", ("report.txt", FILES["pdf"][1], "text/plain")),
            ],
        )
        page = client.get("/ingest")
    assert response.status_code == 200, response.text[:500]
    assert "CSV/TSV" in page.text
    with Store(db, create=False) as store:
        sources = [row[0] for row in store.db.execute("SELECT source FROM articles")]
        rejects = [tuple(row) for row in store.db.execute("SELECT source, reason FROM rejects")]
    assert sources == ["upload:pier.tsv#row2"]
    assert rejects == [("upload:report.txt", "unsupported-format")]
