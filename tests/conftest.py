from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "storylens" / "demo"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the labelled data in ../shared is not beside this clone")
    return path


def demo_database(path: Path, *more: Path) -> Path:
    """A database at ``path`` of the demo corpus's articles (and any more inputs), every input
    stored."""
    from storylens import Options, Store, ingest

    with Store(path) as store:
        summary = ingest([DEMO / "articles", *more], store, Options())
    assert summary.rejected == 0, summary.rejects
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a database at ``target`` (SQLite's backup: its write-ahead log included)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the demo corpus, built once for the test module that uses it."""
    return demo_database(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def seeds() -> Path:
    return shared_path("seeds")


@pytest.fixture
def demo_manifest() -> list[dict[str, object]]:
    return json.loads((DEMO / "events.json").read_text(encoding="utf-8"))


class Cli:
    """Runs the real storylens command in a subprocess, against one database."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str, db: bool = True) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "storylens", *args]
        if db:
            command += ["--db", str(self.db)]
        env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    def json(self, *args: str, db: bool = True) -> object:
        done = self(*args, "--json", db=db)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "test.db")
