"""Database errors at the command line: a damaged file, a read-only file or folder and a
full disk are one line on standard error and exit status 2, never a traceback; a database
that can only be read is read.

Run as root, a file's mode does not stop writes: the commands then run under ``setpriv``
without the capabilities that let root ignore file modes, so chmod bites; the read-only
opening is also checked directly (SQLite's ``mode=ro``), which bites whoever runs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO, Cli
from eventdata import make_article, write_stories

from storylens import Store, StoreError
from storylens.cli.app import main
from storylens.errors import StoreDamaged, StoreOutdated, StoreReadOnly
from storylens.store import connection

RELEASE_DB = Path(__file__).parent / "data" / "release-e6b458e.db"
TEXT = "Japan urged North Korea to return to talks on Tuesday."


def _one_line_exit_2(done: subprocess.CompletedProcess[str]) -> str:
    """The one line on standard error of a command that failed with exit status 2."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("storylens: error: ")
    return lines[0]


def _small_store(path: Path) -> str:
    """A database of one story of one article; the story's id."""
    with Store(path) as store:
        write_stories(store, {"s": [(make_article("a", "Planet", "2024-03-01", [TEXT]), None)]})
        return store.stories()[0].id


def _overwrite(path: Path, old: bytes, new: bytes) -> None:
    """Write ``new`` over every place ``old`` is in the file (same length)."""
    data = path.read_bytes()
    assert old in data and len(old) == len(new)
    path.write_bytes(data.replace(old, new))


def _unprivileged() -> list[str]:
    """The prefix that runs a command so that file modes bind it (setpriv, as root)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be made to bind")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """storylens with these arguments, bound by file modes."""
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    command = [*_unprivileged(), sys.executable, "-m", "storylens", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A database in a folder that, like the file, is read-only (made writable again after)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    _small_store(folder / "s.db")
    (folder / "s.db").chmod(0o444)
    folder.chmod(0o555)
    yield folder / "s.db"
    folder.chmod(0o755)
    (folder / "s.db").chmod(0o644)


def test_cli_errors_damaged_text_is_one_line_exit_2(tmp_path: Path) -> None:
    """Undecodable text is met only when its row is fetched, after the statement began."""
    path = tmp_path / "t.db"
    story_id = _small_store(path)
    _overwrite(path, TEXT.encode(), b"\xff" * len(TEXT.encode()))
    for command in (["story", story_id], ["article", "a"]):
        line = _one_line_exit_2(Cli(path)(*command))
        assert f"the database {path} is damaged" in line


def test_cli_errors_damaged_header_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _small_store(path)
    with path.open("r+b") as file:
        file.write(b"not a database!!" * 4)
    for command in (["stories"], ["story", "nope"], ["ingest", str(DEMO / "articles")]):
        line = _one_line_exit_2(Cli(path)(*command))
        assert "is damaged (file is not a database)" in line


def test_cli_errors_damaged_fetch_is_store_damaged(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _small_store(path)
    _overwrite(path, TEXT.encode(), b"\xff" * len(TEXT.encode()))
    with Store(path) as store:
        rows = store.db.execute("SELECT text FROM articles")
        with pytest.raises(StoreDamaged, match="is damaged") as raised:
            rows.fetchall()
    assert "\n" not in str(raised.value)


def test_cli_errors_ingest_into_read_only_file_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _small_store(path)
    path.chmod(0o444)
    line = _one_line_exit_2(_run("ingest", str(DEMO / "articles"), "--db", str(path)))
    assert f"the database {path} is read-only" in line


def test_cli_errors_write_to_read_only_store_is_store_read_only(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _small_store(path)
    with Store(path, read_only=True) as store, pytest.raises(StoreReadOnly, match="read-only"):
        write_stories(store, {"t": [(make_article("b", "Globe", "2024-03-02", [TEXT]), None)]})


def test_cli_errors_full_disk_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A disk that fills while a batch is written (SQLite's max_page_count stands for it)."""
    path = tmp_path / "t.db"
    _small_store(path)
    connect = connection.StoreBase._connect

    def full(self: connection.StoreBase, uri: str | None = None) -> connection.Connection:
        db = connect(self, uri)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(connection.StoreBase, "_connect", full)
    monkeypatch.setattr(sys, "argv", ["storylens", "ingest", "-q", str(DEMO / "articles"),
                                      "--db", str(path)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert "the disk is full" in lines[0]


@pytest.mark.parametrize("command", [["stories"], ["search", "Japan"]])
def test_cli_errors_read_only_folder_is_read(read_only_folder: Path, command: list[str]) -> None:
    done = _run(*command, "--db", str(read_only_folder))
    assert done.returncode == 0, done.stderr
    assert "Japan urged North Korea" in done.stdout


def test_cli_errors_read_only_folder_is_served(read_only_folder: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen(
        [*_unprivileged(), sys.executable, "-m", "storylens", "serve", "--port", str(port),
         "--db", str(read_only_folder)],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "serving" in line and "(read-only)" in line, line


def test_cli_errors_read_only_open_reads_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _small_store(path)
    before = path.read_bytes()
    with Store(path, read_only=True) as store:
        assert store.read_only
        assert [s.title for s in store.stories()] == [TEXT]
    assert path.read_bytes() == before


def test_cli_errors_read_only_open_of_older_schema_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(RELEASE_DB, path)
    with pytest.raises(StoreOutdated, match="older schema.*run a command that writes it") as e:
        Store(path, read_only=True)
    assert "\n" not in str(e.value)
    assert path.read_bytes() == RELEASE_DB.read_bytes()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 7  # not upgraded
    raw.close()


def test_cli_errors_read_only_older_schema_at_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(RELEASE_DB, folder / "old.db")
    (folder / "old.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        line = _one_line_exit_2(_run("stories", "--db", str(folder / "old.db")))
    finally:
        folder.chmod(0o755)
    assert "older schema" in line and "storylens ingest" in line


def test_cli_errors_missing_database_read_only_is_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        Store(tmp_path / "none.db", read_only=True)
    assert not (tmp_path / "none.db").exists()
