"""storylens spark: a real Spark run (local[2]) over a web archive and a JSON Lines file we
write here, against the in-process ingest of the same files: the same articles, cleaned
texts and extractions, and the same stories (B-cubed F1 at least 0.98); then the Parquet
tables imported into a database that serves them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO, Cli
from warcdata import mixed_archive

from storylens import Options, Store, ingest
from storylens.bench.cluster import clustering_scores

pytest.importorskip("pyspark", reason="the spark extra is not installed")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (make test installs it)", allow_module_level=True)

OPTIONS = Options(worker_processes=1)  # every extraction on, as the defaults have it
# Spark groups in the shortest time blocks allowed (the story window): the demo's stories
# then cross block boundaries, and are joined across them
SPARK_OPTIONS = OPTIONS.replace(grouping_block_hours=OPTIONS.story_window_hours)


UNDATED_TEXT = (
    "The reading room of the Harwick town library has reopened after its roof was repaired, "
    "the librarian said, and the evening hours are back."
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a web archive and a JSON Lines file of the demo corpus's texts."""
    folder = tmp_path_factory.mktemp("spark-inputs")
    mixed_archive(folder / "pages.warc.gz")
    with (folder / "demo.jsonl").open("w", encoding="utf-8") as out:
        for path in sorted((DEMO / "articles").glob("*.txt")):
            out.write(json.dumps({"id": path.stem, "text": path.read_text("utf-8")}) + "\n")
        # an undated report: grouped after the dated ones, by the driver in Spark
        out.write(json.dumps({"id": "undated", "text": UNDATED_TEXT}) + "\n")
        out.write("{not json\n")  # one broken line: rejected with its reason, in both
    return folder


@pytest.fixture(scope="module")
def spark_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from storylens.spark import job as spark

    output = tmp_path_factory.mktemp("spark-out") / "tables"
    summary = spark.run([str(inputs)], output, SPARK_OPTIONS, master="local[2]", partitions=2)
    db = output.parent / "imported.db"
    from storylens.spark.parquet import read_tables

    with Store(db) as store:
        read_tables(store, output)
    return {"summary": summary, "output": output, "db": db}


@pytest.fixture(scope="module")
def in_process(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("in-process") / "ingest.db"
    with Store(db) as store:
        ingest([inputs], store, OPTIONS)
    return db


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with Store(db) as store:
        return sorted(tuple(r) for r in store.db.execute(sql))


def test_spark_local2_writes_every_table(spark_run: dict[str, Any]) -> None:
    tables = spark_run["summary"].tables
    for table in ("articles", "stories", "story_members", "attributions", "events",
                  "event_mentions", "entity_mentions", "sentences"):
        assert (spark_run["output"] / f"{table}.parquet").is_file(), table
        assert tables[table] > 0, table


def test_spark_same_articles_and_cleaned_texts(spark_run: dict[str, Any], in_process: Path
                                               ) -> None:
    sql = ("SELECT id, source, kind, url, outlet, title, published, place, wire, text, removed "
           "FROM articles")
    assert _rows(spark_run["db"], sql) == _rows(in_process, sql)
    assert len(_rows(in_process, sql)) == len(list((DEMO / "articles").glob("*.txt"))) + 4
    undated = [r for r in _rows(spark_run["db"], sql) if r[6] is None]
    assert [r[9] for r in undated] == [UNDATED_TEXT]


@pytest.mark.parametrize("table, columns", [
    ("sentences", "article_id, idx, paragraph, start, end"),
    ("attributions", "article_id, idx, kind, content, cue, source, source_text, quoted"),
    ("entity_mentions", "article_id, idx, entity_id, name, kind, text, start, end, code"),
    ("event_mentions", "article_id, idx, type, mode, source, target, date, sentence, trigger"),
])
def test_spark_same_extractions(
    spark_run: dict[str, Any], in_process: Path, table: str, columns: str
) -> None:
    sql = f"SELECT {columns} FROM {table}"
    expected = _rows(in_process, sql)
    assert expected, f"the in-process ingest found no {table}"
    assert _rows(spark_run["db"], sql) == expected


def test_spark_stories_agree_with_in_process(spark_run: dict[str, Any], in_process: Path
                                             ) -> None:
    sql = "SELECT article_id, story_id FROM story_members"
    ours = dict(_rows(spark_run["db"], sql))
    theirs = dict(_rows(in_process, sql))
    assert set(ours) == set(theirs)
    ids = sorted(ours)
    scores = clustering_scores([ours[i] for i in ids], [theirs[i] for i in ids])
    assert scores["b3_f1"] >= 0.98, scores
    assert ours == theirs  # here, the very same stories, ids included


def test_spark_groups_in_time_blocks(spark_run: dict[str, Any]) -> None:
    """The demo's six stories lie months apart: at least one block each (grouped side by
    side), and some stories cross a block boundary (tests/test_blocks.py)."""
    assert spark_run["summary"].blocks >= 6


def test_spark_same_rejects_and_skipped_records(spark_run: dict[str, Any], in_process: Path
                                                ) -> None:
    sql = "SELECT source, reason FROM rejects"
    assert _rows(spark_run["db"], sql) == _rows(in_process, sql)
    assert {r for _, r in _rows(in_process, sql)} == {"not-html", "http-status", "bad-json"}
    assert dict(spark_run["summary"].skipped) == {"warcinfo": 1, "request": 2, "metadata": 1}


def test_spark_imported_database_serves_views(spark_run: dict[str, Any]) -> None:
    from storylens.read.storypage import PAGE_FORMAT
    from storylens.read.views import VIEW_FORMAT

    with Store(spark_run["db"]) as store:
        assert store.counts()["stories"] == spark_run["summary"].tables["stories"]
        assert store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT) == []
        hits = store.db.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ferry'"
        ).fetchone()[0]
    assert hits == 1


def test_spark_import_refuses_a_database_with_articles(spark_run: dict[str, Any], cli: Cli
                                                       ) -> None:
    done = cli("import", str(spark_run["output"]))
    assert done.returncode == 0, done.stderr
    again = cli("import", str(spark_run["output"]))
    assert again.returncode == 2
    assert "new database" in again.stderr


def test_spark_parquet_tables_read_by_duckdb(spark_run: dict[str, Any]) -> None:
    duckdb = pytest.importorskip("duckdb")
    folder = spark_run["output"]
    rows = duckdb.sql(
        f"SELECT count(*) FROM '{folder}/story_members.parquet' m "
        f"JOIN '{folder}/articles.parquet' a ON a.id = m.article_id"
    ).fetchall()
    assert rows == [(spark_run["summary"].stored,)]


def test_spark_task_over_bytes_reads_as_the_task_over_paths(inputs: Path) -> None:
    """The two ways a Spark task gets its files (bytes from binaryFiles for URIs such as
    s3a://, paths for local and mounted file systems) give the same outcomes."""
    from storylens.pipeline import Extraction
    from storylens.spark.job import prepare_files, prepare_paths

    options = Options(extract_attributions=False, extract_events=False)
    extraction = Extraction()
    paths = sorted(str(p) for p in inputs.iterdir())
    from_paths = list(prepare_paths(paths, options, extraction))
    from_bytes = list(prepare_files(
        [(f"file:{p}", Path(p).read_bytes()) for p in paths],
        int(options.max_file_size_mb * 1024 * 1024), extraction,
    ))

    def plain(outcomes: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        return [(kind, value.article if kind == "article" else value)
                for kind, value in outcomes]

    assert plain(from_bytes) == plain(from_paths)
    assert ("inputs", 2) in from_paths


def test_spark_task_over_parquet_records_reads_them_as_json_lines(inputs: Path) -> None:
    """A Parquet input's records are read as the records of a JSON Lines file: the same
    articles, and the same reject for a record without text."""
    from storylens.ingest.parse import parse_input
    from storylens.pipeline import Extraction
    from storylens.spark.job import prepare_records

    lines = [json.loads(line) for line in (inputs / "demo.jsonl").read_text().splitlines()
             if line.startswith("{\"")]
    records = [*lines, {"id": "empty", "title": "No text"}]
    outcomes = list(prepare_records(
        [(f"records.parquet#record {n}", r) for n, r in enumerate(records, start=1)],
        20 * 1024 * 1024, Extraction(),
    ))
    ids = sorted(value.article.id for kind, value in outcomes if kind == "article")
    jsonl = "\n".join(json.dumps(r) for r in lines).encode()
    from storylens.clean.cleaner import clean
    from storylens.model import Article, Draft, RawInput

    drafts = [d for d in parse_input(RawInput("x.jsonl", "json", jsonl)) if isinstance(d, Draft)]
    cleaned = [clean(d) for d in drafts]
    expected = sorted(a.id for a in cleaned if isinstance(a, Article))
    assert ids == expected
    rejects = [value for kind, value in outcomes if kind == "reject"]
    assert [r.source for r in rejects] == [f"records.parquet#record {len(records)}"]


def test_spark_workers_forked_with_the_language_model_loaded() -> None:
    """A task's worker holds the spaCy pipeline and the grouping model before it asks for
    them: the daemon (storylens.spark.daemon) loaded them before forking it."""
    from storylens.spark.job import session

    def loaded_in_worker(_: object) -> tuple[int, int]:  # pickled by value: a local function
        from storylens.extract.nlp import pipeline
        from storylens.group.stories import merge_model

        return pipeline.cache_info().currsize, merge_model.cache_info().currsize

    spark = session("local[1]")
    try:
        found = spark.sparkContext.parallelize([0], 1).map(loaded_in_worker).collect()
    finally:
        spark.stop()
    assert found == [(1, 1)]


def test_spark_command_prints_its_summary(inputs: Path, tmp_path: Path, cli: Cli) -> None:
    """`storylens spark` from the command line: the run's summary as JSON, its tables on
    disk, then imported by `storylens import`."""
    output = tmp_path / "tables"
    summary = cli.json(
        "spark", str(inputs / "demo.jsonl"), "--output", str(output), "--master", "local[1]",
        "-s", "extract_attributions=false", "-s", "extract_events=false", db=False,
    )
    assert isinstance(summary, dict)
    assert summary["stored"] == len(list((DEMO / "articles").glob("*.txt"))) + 1
    assert summary["rejected"] == 1 and summary["rejects"][0]["reason"] == "bad-json"
    assert summary["blocks"] >= 6
    assert set(summary["stage_seconds"]) == {"prepare", "group", "write"}
    assert (output / "story_members.parquet").is_file()
    done = cli("import", str(output))
    assert done.returncode == 0, done.stderr


def test_spark_blocks_shorter_than_the_window_are_a_usage_error(
    inputs: Path, tmp_path: Path, cli: Cli
) -> None:
    done = cli(
        "spark", str(inputs), "--output", str(tmp_path / "tables"),
        "-s", "grouping_block_hours=24", db=False,
    )
    assert done.returncode == 2
    assert "grouping_block_hours (24) is less than story_window_hours (72)" in done.stderr
