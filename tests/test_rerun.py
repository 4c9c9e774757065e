"""A rerun skips the inputs already stored by the hash of their bytes, before any parsing:
nothing new is stored, every input is counted as a duplicate, and the parser is not called;
a changed input is ingested again, and a database from before the inputs table upgrades."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from warcdata import mixed_archive

from storylens.bench.ingest import bench_ingest
from storylens.extract import nlp
from storylens.ingest import parse
from storylens.model import Draft, RawInput, Reject
from storylens.options import Options
from storylens.pipeline import ingest
from storylens.store import Store

OPTIONS = Options(extract_attributions=False, extract_events=False, worker_processes=1)
RELEASE_DB = Path(__file__).parent / "data" / "release-e6b458e.db"
TOWNS = ["Harlow", "Deepmere", "Castlebrook", "Northwick", "Pellbury", "Ashford"]


def _folder(root: Path) -> Path:
    """A folder of six short news texts and one JSON Lines file of two records."""
    folder = root / "in"
    folder.mkdir()
    for number, town in enumerate(TOWNS):
        (folder / f"{town.lower()}.txt").write_text(
            f"{town} council funds repairs to the bridge\n\n{town.upper()} - The council of "
            f"{town} voted on Tuesday to pay for repairs to the old bridge, a plan first put "
            f"forward {number + 2} years ago. Work starts in spring, the mayor said.\n"
        )
    records = [
        {"title": f"Ferry service {n} resumes", "text": f"The ferry number {n} sails again "
         "after a month in dock, its owners said on Monday. Passengers welcomed the news."}
        for n in range(2)
    ]
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources of the raw inputs parsed, counted by a spy around parse_input where the
    pipeline calls it."""
    calls: list[str] = []

    def spy(raw: RawInput) -> list[Draft | Reject]:
        calls.append(raw.source)
        return parse.parse_input(raw)

    for name in ("storylens.pipeline.prepare", "storylens.pipeline.stages"):
        monkeypatch.setattr(importlib.import_module(name), "parse_input", spy)
    return calls


def test_rerun_skips_known_inputs_before_parsing(tmp_path: Path, parsed: list[str]) -> None:
    folder = _folder(tmp_path)
    with Store(tmp_path / "r.db") as store:
        first = ingest([folder], store, OPTIONS)
        assert first.stored == 8 and first.rejected == 0
        assert len(parsed) == 7
        parsed.clear()
        again = ingest([folder], store, OPTIONS)
        assert again.as_dict()["inputs"] == 7
        assert (again.stored, again.duplicates, again.rejected) == (0, 8, 0)
        assert parsed == []
        assert store.counts()["articles"] == 8


def test_rerun_ingests_a_changed_file(tmp_path: Path, parsed: list[str]) -> None:
    folder = _folder(tmp_path)
    with Store(tmp_path / "r.db") as store:
        ingest([folder], store, OPTIONS)
        changed = folder / "harlow.txt"
        changed.write_text(changed.read_text().replace("old bridge", "stone bridge"))
        parsed.clear()
        again = ingest([folder], store, OPTIONS)
        assert (again.stored, again.duplicates) == (1, 7)
        assert parsed == [str(changed)]


def test_rerun_retries_a_rejected_input(tmp_path: Path, parsed: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = {"title": "Ferry resumes", "text": "The ferry sails again after a month in dock, "
            "its owners said on Monday. Passengers welcomed the news of its return."}
    (folder / "part.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    with Store(tmp_path / "r.db") as store:
        first = ingest([folder], store, OPTIONS)
        assert (first.stored, first.rejected) == (1, 1)
        parsed.clear()
        again = ingest([folder], store, OPTIONS)
        assert (again.stored, again.duplicates, again.rejected) == (0, 1, 1)
        assert len(parsed) == 1


def test_rerun_upgrades_a_release_database(tmp_path: Path, parsed: list[str]) -> None:
    path = tmp_path / "release.db"
    shutil.copy(RELEASE_DB, path)
    folder = _folder(tmp_path)
    with Store(path) as store:
        before = store.counts()["articles"]
        first = ingest([folder], store, OPTIONS)
        assert first.stored == 8
        parsed.clear()
        again = ingest([folder], store, OPTIONS)
        assert (again.stored, again.duplicates) == (0, 8) and parsed == []
        assert store.counts()["articles"] == before + 8


def test_rerun_skips_known_web_archive_records(tmp_path: Path, parsed: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    mixed_archive(folder / "crawl.warc.gz")
    with Store(tmp_path / "r.db") as store:
        first = ingest([folder], store, OPTIONS)
        assert first.stored > 0
        pages = len(parsed)
        parsed.clear()
        again = ingest([folder], store, OPTIONS)
        assert (again.stored, again.duplicates) == (0, first.stored + first.duplicates)
        assert (again.rejected, again.skipped) == (first.rejected, first.skipped)
        assert len(parsed) == pages - first.stored


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls of the function that loads the spaCy model, where the pipeline calls it,
    counted by a spy around it."""
    calls: list[str] = []

    def spy() -> object:
        calls.append("pipeline")
        return nlp.pipeline()

    for name in ("storylens.pipeline.ingestor", "storylens.pipeline.stages"):
        monkeypatch.setattr(importlib.import_module(name), "pipeline", spy)
    return calls


def test_rerun_loads_no_language_model(
    tmp_path: Path, parsed: list[str], loads: list[str]
) -> None:
    folder = _folder(tmp_path)
    (folder / "blank.txt").write_bytes(b"")  # rejected as it is read, in every run
    extracting = OPTIONS.replace(extract_attributions=True, extract_events=True)
    with Store(tmp_path / "r.db") as store:
        first = ingest([folder], store, OPTIONS)
        assert (first.stored, first.rejected) == (8, 1)
        parsed.clear()
        for parallel in (1, 2):  # in-process, and where workers would be started
            again = ingest([folder], store, extracting.replace(worker_processes=parallel))
            assert (again.stored, again.duplicates, again.rejected) == (0, 8, 1)
            assert again.as_dict()["known_inputs"] == 7
        assert parsed == [] and loads == []


def test_rerun_loads_the_language_model_for_a_changed_input(
    tmp_path: Path, parsed: list[str], loads: list[str]
) -> None:
    folder = _folder(tmp_path)
    extracting = OPTIONS.replace(extract_attributions=True, extract_events=True)
    with Store(tmp_path / "r.db") as store:
        ingest([folder], store, OPTIONS)
        changed = folder / "harlow.txt"
        changed.write_text(changed.read_text().replace("old bridge", "stone bridge"))
        parsed.clear()
        again = ingest([folder], store, extracting)
        assert (again.stored, again.duplicates) == (1, 7) and parsed == [str(changed)]
        assert loads  # loaded before the input was prepared (then by the parse stage)


def test_rerun_in_the_ingest_benchmark_counts_known_inputs(
    tmp_path: Path, parsed: list[str]
) -> None:
    figures = bench_ingest([_folder(tmp_path)], OPTIONS)
    assert figures["articles"] == 8
    rerun = figures["rerun"]
    assert (rerun["known_inputs"], rerun["stored"], rerun["duplicates"]) == (7, 0, 8)
    assert rerun["seconds"] >= 0 and len(parsed) == 7  # parsed in the first run only
