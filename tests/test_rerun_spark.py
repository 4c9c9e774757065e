"""The inputs a Spark run prepared whole travel with its Parquet tables (inputs.parquet):
``storylens import`` records them as known, so that an ingest of the same files into the
imported database skips them unparsed. Spark itself is not started here: its tasks' function
and the tables' writer and reader are run directly."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from storylens.ingest import parse
from storylens.model import Draft, RawInput, Reject
from storylens.options import Options
from storylens.pipeline import Extraction, ingest
from storylens.pipeline.known import input_hash
from storylens.spark.job import prepare_paths
from storylens.spark.parquet import read_tables, write_inputs, write_tables
from storylens.store import Store

pytest.importorskip("pyarrow")

OPTIONS = Options(extract_attributions=False, extract_events=False, worker_processes=1)


def _folder(root: Path) -> Path:
    """Three short news texts, a JSON Lines file of two records, and one with a broken line."""
    folder = root / "in"
    folder.mkdir()
    for number, town in enumerate(["Harlow", "Deepmere", "Pellbury"]):
        (folder / f"{town.lower()}.txt").write_text(
            f"{town} council funds repairs to the bridge\n\n{town.upper()} - The council of "
            f"{town} voted on Tuesday to pay for repairs to the old bridge, a plan first put "
            f"forward {number + 2} years ago. Work starts in spring, the mayor said.\n"
        )
    records = [
        {"title": f"Ferry service {n} resumes", "text": f"The ferry number {n} sails again "
         "after a month in dock, its owners said on Monday. Passengers welcomed the news."}
        for n in range(3)
    ]
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:2]))
    (folder / "part.jsonl").write_text(json.dumps(records[2]) + "\n{not json\n")
    return folder


def _inputs(folder: Path) -> list[tuple[str, str, int]]:
    """What a Spark task over the folder's files says of the inputs it prepared whole."""
    paths = sorted(str(p) for p in folder.iterdir())
    outcomes = prepare_paths(paths, OPTIONS, Extraction())
    return [value for kind, value in outcomes if kind == "input"]


def test_rerun_spark_task_says_each_input_prepared_whole(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    said = {source: (key, count) for key, source, count in _inputs(folder)}
    assert set(said) == {str(folder / n) for n in
                         ("harlow.txt", "deepmere.txt", "pellbury.txt", "wire.jsonl")}
    wire = folder / "wire.jsonl"
    assert said[str(wire)] == (input_hash(wire.read_bytes()), 2)
    assert said[str(folder / "harlow.txt")][1] == 1


def test_rerun_spark_import_records_inputs_that_an_ingest_then_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    tables = tmp_path / "tables"
    with Store(tmp_path / "run.db") as run:  # the driver's database, as Spark fills it
        ingest([folder], run, OPTIONS)
        write_tables(run, tables)
    assert write_inputs(_inputs(folder), tables) == 4
    with Store(tmp_path / "imported.db") as store:
        read = read_tables(store, tables)
        assert read["inputs"] == 4
        wire = (folder / "wire.jsonl").read_bytes()
        assert store.known_input(input_hash(wire)) == 2
        parsed: list[str] = []

        def spy(raw: RawInput) -> list[Draft | Reject]:
            parsed.append(raw.source)
            return parse.parse_input(raw)

        for name in ("storylens.pipeline.prepare", "storylens.pipeline.stages"):
            monkeypatch.setattr(importlib.import_module(name), "parse_input", spy)
        again = ingest([folder], store, OPTIONS)
        assert (again.stored, again.known, again.rejected) == (0, 4, 1)
        assert parsed == [str(folder / "part.jsonl")]  # its broken line: tried again


def test_rerun_spark_import_of_tables_without_inputs(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    tables = tmp_path / "tables"
    with Store(tmp_path / "run.db") as run:
        ingest([folder], run, OPTIONS)
        write_tables(run, tables)  # tables written before inputs.parquet was
    with Store(tmp_path / "imported.db") as store:
        assert read_tables(store, tables)["inputs"] == 0
        assert store.counts()["articles"] == 6
