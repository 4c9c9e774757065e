"""Exporting events counted once, through the real command line, as TSV, JSON Lines and
Parquet, read back with pandas and DuckDB."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas
import pytest
from conftest import ROOT
from eventdata import build_demo_store
from typer.testing import CliRunner

from storylens import UsageError
from storylens.cli.app import app
from storylens.read.export import EXPORT_COLUMNS

COLUMNS = [
    "event_id", "story_id", "date", "source_code", "source_name", "source_sector", "type",
    "mode", "target_code", "target_name", "target_sector", "place", "num_articles",
    "num_outlets", "confidence", "first_url", "evidence",
]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("export") / "t.db")


def export(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["export", "events", *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_columns_are_the_documented_ones() -> None:
    assert list(EXPORT_COLUMNS) == COLUMNS
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exporting events", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE) == COLUMNS


def test_export_tsv_read_by_pandas(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.tsv"
    export(db, "--format", "tsv", "--output", str(path))
    frame = pandas.read_csv(path, sep="\t")
    assert list(frame.columns) == COLUMNS
    first = frame.iloc[0]
    assert (first["type"], first["source_code"], first["target_name"]) == (
        "CONSULT",
        "JPN",
        "North Korea",
    )
    assert (first["num_articles"], first["num_outlets"], first["confidence"]) == (3, 2, 0.9)
    assert first["first_url"] == "https://planet.example/a1"


def test_export_tsv_tabs_in_values_become_spaces(db: Path) -> None:
    lines = export(db, "--format", "tsv").splitlines()
    assert len(lines) == 3
    assert all(len(line.split("\t")) == len(COLUMNS) for line in lines)
    assert lines[2].endswith("China criticised North Korea for the launch.")


def test_export_jsonl_read_by_pandas(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    export(db, "--format", "jsonl", "--output", str(path))
    frame = pandas.read_json(path, lines=True)
    assert list(frame.columns) == COLUMNS
    assert list(frame["type"]) == ["CONSULT", "DISAPPROVE"]
    assert list(frame["num_outlets"]) == [2, 1]


def test_export_jsonl_to_standard_output_keeps_missing_values_null(db: Path) -> None:
    rows = [json.loads(line) for line in export(db, "--format", "jsonl").splitlines()]
    assert rows[0]["place"] is None and rows[1]["place"] == "Beijing"
    assert rows[1]["evidence"] == "China criticised North Korea\tfor the launch."


def test_export_parquet_read_by_pandas(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    export(db, "--format", "parquet", "--output", str(path))
    frame = pandas.read_parquet(path)
    assert list(frame.columns) == COLUMNS
    assert list(frame["story_id"]) == ["s-talks", "s-launch"]
    assert list(frame["date"]) == ["2024-03-01", "2024-03-08"]


def test_export_parquet_read_by_duckdb(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    export(db, "--format", "parquet", "--output", str(path))
    relation = duckdb.sql(f"select * from read_parquet('{path}')")
    assert relation.columns == COLUMNS
    assert relation.types[COLUMNS.index("num_articles")] == "BIGINT"
    rows = duckdb.sql(
        f"select type, num_articles, source_name from read_parquet('{path}') order by date"
    ).fetchall()
    assert rows == [("CONSULT", 3, "Japan"), ("DISAPPROVE", 1, "China")]


def test_export_parquet_needs_output(db: Path) -> None:
    result = CliRunner().invoke(app, ["export", "events", "--format", "parquet", "--db", str(db)])
    assert isinstance(result.exception, UsageError)


def test_export_story_option_keeps_its_events(db: Path) -> None:
    lines = export(db, "--format", "tsv", "--story", "s-launch").splitlines()
    assert [line.split("\t")[COLUMNS.index("type")] for line in lines[1:]] == ["DISAPPROVE"]


def test_export_unknown_format_refused(db: Path) -> None:
    result = CliRunner().invoke(app, ["export", "events", "--format", "xlsx", "--db", str(db)])
    assert result.exit_code == 2
