"""The command line as a new user meets it (issue 18): story and event filters, tables that fit
80 columns, a closed pipe, --version, help that names its arguments, counts in agreement and
where the demo's database is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO, ROOT, Cli


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    runner = Cli(tmp_path_factory.mktemp("cli-output") / "demo.db")
    done = runner("ingest", str(DEMO / "articles"), "--quiet")
    assert done.returncode == 0, done.stderr
    return runner


def _lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_util_plural_agrees_with_its_count() -> None:
    from storylens._util import plural

    assert plural(1, "article") == "1 article"
    assert plural(2, "article") == "2 articles"
    assert plural(0, "article") == "0 articles"
    assert plural(1, "story", "stories") == "1 story"
    assert plural(3, "story", "stories") == "3 stories"


def test_cli_stories_filters_as_the_api(cli: Cli) -> None:
    every = cli.json("stories")
    assert isinstance(every, list) and len(every) > 3
    newest = every[0]
    outlet = newest["outlets"][0]
    by_outlet = cli.json("stories", "--outlet", outlet.upper())
    assert isinstance(by_outlet, list) and by_outlet
    assert all(outlet in s["outlets"] for s in by_outlet)
    assert len(by_outlet) < len(every)
    day = newest["last_published"]
    in_range = cli.json("stories", "--from", day, "--to", day)
    assert newest["id"] in [s["id"] for s in in_range]  # type: ignore[union-attr]
    assert cli.json("stories", "--from", "1990-01-01", "--to", "1990-01-02") == []
    word = newest["title"].split()[-1].strip(".,;:")
    found = cli.json("stories", "-q", word)
    assert newest["id"] in [s["id"] for s in found]  # type: ignore[union-attr]
    bad = cli("stories", "--from", "03/04/2025")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_cli_stories_limit_and_sort_by_size(cli: Cli) -> None:
    every = cli.json("stories")
    assert isinstance(every, list)
    assert len(cli.json("stories", "--limit", "2")) == 2  # type: ignore[arg-type]
    biggest = cli.json("stories", "--sort", "size", "--limit", "3")
    assert isinstance(biggest, list) and len(biggest) == 3
    sizes = sorted((s["article_count"] for s in every), reverse=True)
    assert [s["article_count"] for s in biggest] == sizes[:3]
    assert set(biggest[0]) == set(every[0])  # the same fields as without a filter


def test_cli_events_limit_type_and_days(cli: Cli) -> None:
    every = cli.json("events")
    assert isinstance(every, list) and len(every) > 5
    assert len(cli.json("events", "--limit", "3")) == 3  # type: ignore[arg-type]
    kind = every[0]["type"]
    typed = cli.json("events", "--type", kind.lower())
    assert isinstance(typed, list) and typed and all(e["type"] == kind for e in typed)
    assert len(typed) == sum(e["type"] == kind for e in every)
    day = next(e["date"] for e in every if e["date"])[:10]
    dated = cli.json("events", "--from", day, "--to", day)
    assert isinstance(dated, list) and dated
    assert all(e["date"][:10] == day for e in dated)
    bad = cli("events", "--type", "NOT_A_TYPE")
    assert bad.returncode == 2 and "AGREE" in bad.stderr


def test_cli_tables_fit_80_columns_cut_not_wrapped(cli: Cli) -> None:
    every = cli.json("stories")
    assert isinstance(every, list)
    for command in (["stories"], ["events"], ["entities"]):
        lines = _lines(cli(*command))
        assert all(len(line) <= 80 for line in lines), command
    lines = _lines(cli("stories"))
    assert len(lines) == len(every) + 1  # a header, then one line per story: nothing wraps
    long_title = max((s["title"] for s in every), key=len)
    assert long_title not in cli("stories").stdout
    assert any(line.endswith("…") or "… " in line for line in lines)


def test_cli_format_tsv_and_json(cli: Cli) -> None:
    every = cli.json("stories")
    assert isinstance(every, list)
    lines = _lines(cli("stories", "--format", "tsv"))
    assert lines[0].split("\t") == ["id", "first", "last", "articles", "outlets", "title"]
    assert [line.split("\t")[0] for line in lines[1:]] == [s["id"] for s in every]
    assert [line.split("\t")[-1] for line in lines[1:]] == [s["title"] for s in every]
    assert json.loads(cli("stories", "--format", "json").stdout) == every
    events = _lines(cli("events", "--format", "tsv", "--limit", "2"))
    assert len(events) == 3 and events[0].startswith("date\tstory\ttype")


def _closed_pipe_run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The command with its standard output a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    try:
        return subprocess.run(
            [sys.executable, "-m", "storylens", *args], stdout=write, stderr=subprocess.PIPE,
            env=env, timeout=300,
        )
    finally:
        os.close(write)


def test_cli_closed_pipe_ends_quietly(cli: Cli) -> None:
    for args in (["settings"], ["events", "--db", str(cli.db)], ["stories", "--db", str(cli.db)]):
        done = _closed_pipe_run(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert b"Broken pipe" not in done.stderr and b"Traceback" not in done.stderr, args
        assert done.stderr == b"", args


def test_cli_output_closed_while_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    from storylens.cli import output

    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(output.OutputClosed):
        output.print_rows(["a"], [["x"]] * 10_000, output.Format.tsv)
    with pytest.raises(output.OutputClosed):
        output.print_json(list(range(10)))


def test_cli_version(cli: Cli) -> None:
    from storylens import __version__

    done = cli("--version", db=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"storylens {__version__}"


@pytest.mark.parametrize(
    "command",
    [["ingest"], ["story"], ["spark"], ["search"], ["serve"], ["export", "events"],
     ["bench", "ingest"], ["bench", "cluster"]],
)
def test_cli_help_names_arguments_plainly(cli: Cli, command: list[str]) -> None:
    done = cli(*command, "--help", db=False)
    assert done.returncode == 0, done.stderr
    assert "{" not in done.stdout.split("\n\n")[0], done.stdout  # the usage line
    assert "<list[" not in done.stdout and "{paths}" not in done.stdout


def test_cli_help_ingest_names_its_formats(cli: Cli) -> None:
    done = cli("ingest", "--help", db=False)
    assert "Usage: python -m storylens ingest [OPTIONS] PATH..." in done.stdout
    assert "NAME=VALUE" in done.stdout
    for kind in (".txt", ".html", ".jsonl", "RSS/Atom", ".warc", "gzipped"):
        assert kind in " ".join(done.stdout.split()), kind


def test_cli_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(
        "Harbour board delays the ferry timetable\n\nThe harbour board of an invented town "
        "said on Monday that the new ferry timetable would start a week later than planned, "
        "because two of its boats need repairs.\n",
        encoding="utf-8",
    )
    cli = Cli(tmp_path / "one.db")
    done = cli("ingest", str(tmp_path / "in"), "--quiet", "-s", "extract_attributions=false",
               "-s", "extract_events=false")
    assert done.returncode == 0, done.stderr
    assert "1 new story " in done.stdout and "(1 input in" in done.stdout
    assert "0 duplicates" in done.stdout
    again = cli("ingest", str(tmp_path / "in"), "--quiet")
    assert "1 duplicate," in again.stdout, again.stdout
    story_id = cli.json("stories")[0]["id"]  # type: ignore[index]
    shown = cli("story", story_id)
    assert "1 article," in shown.stdout and "1 articles" not in shown.stdout


def test_cli_serve_without_database_points_at_demo(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    run = [sys.executable, "-m", "storylens", "serve"]
    done = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "demo.db" not in done.stderr
    (tmp_path / "demo.db").write_bytes(b"")
    done = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no database at storylens.db" in done.stderr
    assert "storylens serve --db demo.db" in done.stderr


def test_cli_demo_says_how_to_browse(tmp_path: Path) -> None:
    done = Cli(tmp_path / "demo.db")("demo")
    assert done.returncode == 0, done.stderr
    assert f"storylens serve --db {tmp_path / 'demo.db'}" in done.stdout.splitlines()[-1]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo_rule = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "storylens serve --db demo.db" in demo_rule
