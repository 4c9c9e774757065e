"""The command line: help, documentation, JSON output, reports, exit statuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DEMO, ROOT, Cli
from typer.main import get_command

from storylens.cli.app import app
from storylens.options import Options


def _command_names() -> list[str]:
    root = get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{name} {sub}" for sub in subcommands]
        else:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("command", _command_names())
def test_cli_every_command_documented_in_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`storylens {command}" in readme


def _long_options() -> list[str]:
    """Every command's long options, as 'COMMAND --option'."""
    root = get_command(app)
    found = []
    for name in _command_names():
        command = root
        for word in name.split():
            command = command.commands[word]  # type: ignore[attr-defined]
        found += [
            f"{name} {opt}" for param in command.params for opt in param.opts
            if opt.startswith("--") and opt != "--help"
        ]
    return sorted(found)


@pytest.mark.parametrize("option", _long_options())
def test_cli_every_option_documented_in_readme_commands(option: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    assert re.search(rf"(?<![\w-]){option.split()[-1]}(?![\w-])", section), option


@pytest.mark.parametrize("setting", [f.name for f in Options.settings()])
def test_cli_every_setting_documented_in_readme(setting: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{setting}` \|", readme, re.MULTILINE)


@pytest.mark.parametrize("setting", Options.settings(), ids=lambda f: f.name)
def test_cli_every_setting_has_help_and_unit(setting: object) -> None:
    help_text = setting.metadata.get("help")  # type: ignore[attr-defined]
    assert help_text and len(help_text) > 20
    name = setting.name  # type: ignore[attr-defined]
    if isinstance(setting.default, bool | str):  # type: ignore[attr-defined]
        return  # a switch, or a text (the User-Agent), has no unit
    units = (
        "_mb", "_hours", "_seconds", "_articles", "_similarity", "_probability", "_jaccard",
        "_processes", "_minutes", "_redirects", "_retries", "_outlets",
    )
    assert name.endswith(units), f"{name} names no unit"


@pytest.mark.parametrize("command", _command_names())
def test_cli_every_command_has_help(cli: Cli, command: str) -> None:
    done = cli(*command.split(), "--help", db=False)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("cli") / "demo.db")
    done = cli("ingest", str(DEMO / "articles"), "--quiet")
    assert done.returncode == 0, done.stderr
    return cli


def test_cli_stories_json_fields(demo_cli: Cli) -> None:
    stories = demo_cli.json("stories")
    assert isinstance(stories, list) and len(stories) == 6
    assert set(stories[0]) == {
        "id", "title", "first_published", "last_published", "article_count", "outlets",
        "unnamed_articles", "wire_copies", "languages",
    }


def test_cli_story_json_article_fields(demo_cli: Cli) -> None:
    stories = demo_cli.json("stories")
    story = demo_cli.json("story", stories[0]["id"])  # type: ignore[index]
    assert isinstance(story, dict)
    for article in story["articles"]:
        assert {"id", "outlet", "title", "published", "url", "place", "wire", "text"} <= set(
            article
        )
        assert article["published"] is None or re.fullmatch(
            r"\d{4}-\d\d-\d\d", article["published"]
        )


def test_cli_article_json_has_sentences_and_removed_lines(demo_cli: Cli) -> None:
    stories = demo_cli.json("stories")
    story = demo_cli.json("story", stories[0]["id"])  # type: ignore[index]
    article_id = story["articles"][0]["id"]  # type: ignore[index]
    article = demo_cli.json("article", article_id)
    assert isinstance(article, dict)
    assert article["story_id"] == stories[0]["id"]  # type: ignore[index]
    assert article["sentences"] and "removed" in article


def test_cli_article_json_lists_attributions_with_offsets(demo_cli: Cli) -> None:
    found = 0
    for summary in demo_cli.json("stories"):  # type: ignore[union-attr]
        story = demo_cli.json("story", summary["id"])
        assert isinstance(story, dict)
        for item in story["articles"]:
            article = demo_cli.json("article", item["id"])
            assert isinstance(article, dict)
            for attribution in article["attributions"]:
                found += 1
                assert {"speaker", "speaker_text", "cue", "content", "kind"} <= set(attribution)
                pieces = [article["text"][s:e] for s, e in attribution["content_spans"]]
                assert " … ".join(pieces) == attribution["content"]
    assert found > 10


@pytest.mark.parametrize("command", [["story", "nope"], ["article", "nope"]])
def test_cli_unknown_id_exit_4_one_line(demo_cli: Cli, command: list[str]) -> None:
    done = demo_cli(*command)
    assert done.returncode == 4
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_missing_database_exit_2(tmp_path: Path) -> None:
    done = Cli(tmp_path / "none.db")("stories")
    assert done.returncode == 2
    assert "no database" in done.stderr


def test_cli_unknown_setting_exit_2(tmp_path: Path) -> None:
    done = Cli(tmp_path / "t.db")("ingest", str(DEMO / "articles"), "--setting", "colour=red")
    assert done.returncode == 2
    assert "unknown setting" in done.stderr


def test_cli_report_escapes_article_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = (
        "FENWICK, May 1 — The council of Fenwick voted on Monday to rebuild the old bridge "
        "<script>alert('x')</script> after an inspection found cracks, the mayor said.\n\n"
        "<img src=x onerror=alert(1)> Work is due to start in the spring and last a year.\n"
    )
    (folder / "a.txt").write_text(hostile, encoding="utf-8")
    cli = Cli(tmp_path / "t.db")
    assert cli("ingest", str(folder)).returncode == 0
    story_id = cli.json("stories")[0]["id"]  # type: ignore[index]
    out = tmp_path / "report.html"
    done = cli("report", story_id, "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html


def test_cli_report_shows_outlets_side_by_side(demo_cli: Cli, tmp_path: Path) -> None:
    stories = demo_cli.json("stories")
    biggest = max(stories, key=lambda s: s["article_count"])  # type: ignore[arg-type, index]
    out = tmp_path / "r.html"
    assert demo_cli("report", biggest["id"], "--out", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<article ") == biggest["article_count"]
    for outlet in biggest["outlets"]:
        assert outlet in html


def test_cli_settings_json_lists_every_setting(cli: Cli) -> None:
    done = cli("settings", "--json", db=False)
    names = [row["name"] for row in json.loads(done.stdout)]
    assert names == [f.name for f in Options.settings()]


def test_cli_search_json(demo_cli: Cli) -> None:
    hits = demo_cli.json("search", "flood")
    assert isinstance(hits, list) and hits
    assert all(hit["story_id"] for hit in hits)


def test_cli_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    done = Cli(tmp_path / "none.db")("serve", "--port", "1")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "no database at" in done.stderr
    assert not (tmp_path / "none.db").exists()
