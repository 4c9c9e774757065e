"""storylens alerts add | list | show | remove (issue 19), the real command in a subprocess.
Articles invented (tests/alertdata.py)."""

from __future__ import annotations

from pathlib import Path

from alertdata import FIRST_BATCH, GROWTH_BATCH, write_batch
from conftest import Cli

FAST = ["-s", "worker_processes=1", "-s", "extract_attributions=false",
        "-s", "extract_events=false", "--quiet"]


def test_alerts_cli_add_list_show_remove(cli: Cli, tmp_path: Path) -> None:
    assert cli("ingest", str(write_batch(tmp_path, "first", FIRST_BATCH)), *FAST).returncode == 0
    added = cli.json("alerts", "add", "ferry", "--query", "ferry", "--outlet", "Harbour Daily")
    assert (added["name"], added["entries"], added["feed"]) == ("ferry", 1, "/alerts/ferry.atom")
    grown = cli("ingest", str(write_batch(tmp_path, "growth", GROWTH_BATCH)), *FAST)
    assert grown.returncode == 0, grown.stderr
    assert "alerts: 1 new entry" in grown.stdout
    [listed] = cli.json("alerts", "list")
    assert (listed["name"], listed["entries"], listed["outlet"]) == ("ferry", 2, "Harbour Daily")
    table = cli("alerts", "list")
    assert table.stdout.split("\n")[0].split() == [
        "name", "entries", "last", "match", "webhook", "filters"
    ]
    shown = cli.json("alerts", "show", "ferry")
    assert [(e["articles"], e["baseline"]) for e in shown["entries"]] == [(3, False), (2, True)]
    assert shown["entries"][0]["story_url"].startswith("http://127.0.0.1:8000/stories/")
    tsv = cli("alerts", "show", "ferry", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == ["matched", "story", "articles", "outlets", "title"]
    assert tsv[1].split("\t")[2:4] == ["3", "Coastline Herald, Harbour Daily, Tidewater Post"]
    assert cli("alerts", "remove", "ferry").returncode == 0
    assert cli.json("alerts", "list") == []
    missing = cli("alerts", "show", "ferry")
    assert missing.returncode == 4 and "no alert named 'ferry'" in missing.stderr


def test_alerts_cli_refuses_bad_names_urls_and_doubles(cli: Cli) -> None:
    bad_name = cli("alerts", "add", "../x", "--query", "ferry")
    assert bad_name.returncode == 2 and "alert's name" in bad_name.stderr
    bad_url = cli("alerts", "add", "ferry", "--query", "ferry", "--webhook", "ftp://x")
    assert bad_url.returncode == 2 and "--webhook must be an http" in bad_url.stderr
    assert cli("alerts", "add", "ferry", "--query", "ferry").returncode == 0
    again = cli("alerts", "add", "ferry", "--query", "hull")
    assert again.returncode == 2 and "already an alert named 'ferry'" in again.stderr
    helped = " ".join(cli("alerts", "add", "--help", db=False).stdout.split())
    assert "Its feed starts with the newest stories that match now" in helped
