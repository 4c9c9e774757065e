"""storylens serve --watch: the server and a watch over the same database in one command,
against a news site served on 127.0.0.1 (tests/collectsite.py). The API shows the feed's
articles as rounds store them, a third item added to the feed appears without a restart, and
SIGTERM or SIGINT stops the server and its watch, both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from collectsite import Item, Route, Site, article_page, rss
from test_browser import _free_port
from typer.testing import CliRunner

from storylens.cli.app import app
from storylens.errors import UsageError
from storylens.store import Store

FAST = ["-s", "politeness=off", "-s", "extract_attributions=false", "-s",
        "extract_events=false", "-s", "fetch_timeout_seconds=2", "-s", "worker_processes=1"]


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _articles(base: str) -> int:
    """The articles in the stories the server lists now (none while it is not answering;
    the site's invented articles are alike enough to share stories)."""
    try:
        answer = httpx.get(f"{base}/api/stories", timeout=10)
    except httpx.HTTPError:
        return 0
    if answer.status_code != 200:
        return 0
    return sum(story["article_count"] for story in answer.json()["stories"])


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie no reaper collected has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _watch_pid(log: Path) -> int:
    """The watch's process id, as the server printed it at start."""
    for line in log.read_text(errors="replace").splitlines():
        if "(storylens watch, process " in line:
            return int(line.split("process ")[1].split(";")[0])
    raise AssertionError(log.read_text(errors="replace"))


def _feed(site: Site, numbers: list[int], tag: str) -> None:
    for number in numbers:
        site.routes[f"/news/w{number}.html"] = Route(article_page(number))
    items = [Item(f"/news/w{number}.html", number) for number in numbers]
    site.routes["/rss.xml"] = Route(rss(site.base, items), "application/rss+xml", etag=tag)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_collect_serve_watch_shows_new_articles_live(tmp_path: Path, stop: int) -> None:
    db = tmp_path / "live.db"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = tmp_path / "serve.log"
    with Site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", "text/plain")
        _feed(site, [1, 2], '"w1"')
        added = CliRunner().invoke(app, ["sources", "add", site.url("/rss.xml"), "--name",
                                         "courier", "--every", "0.02", "--db", str(db)])
        assert added.exit_code == 0, added.output
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "storylens", "serve", "--watch", "--db", str(db),
                 "--port", str(port), *FAST],
                stdout=output, stderr=subprocess.STDOUT, env=env,
            )
            try:
                _wait_for(lambda: _articles(base) == 2, 120, "the feed's two articles")
                watcher = _watch_pid(log)
                assert _alive(watcher)
                _feed(site, [1, 2, 3], '"w2"')  # a third item: no restart
                _wait_for(lambda: _articles(base) == 3, 60, "the third article")
                assert site.served["/news/w1.html"] == 1  # each page fetched once
                server.send_signal(stop)
                server.wait(60)
            finally:
                if server.poll() is None:
                    server.kill()
                    server.wait()
    # after kill -9 of the server, its watch notices within a second or two
    _wait_for(lambda: not _alive(watcher), 10, "the watch to end")
    text = log.read_text(errors="replace")
    if stop == signal.SIGKILL:
        return
    assert server.returncode in (0, -signal.SIGTERM), text
    assert "Traceback" not in text, text
    assert f"{base}/sources" in text  # the Sources page named at start
    assert "watch: 1 source polled" in text  # the watch's summaries, prefixed
    assert "the watch stopped" not in text  # stopped when asked, not on its own


def test_collect_serve_watch_says_when_the_watch_dies(tmp_path: Path) -> None:
    """A watch that ends on its own (killed here) is reported on standard error; the server
    goes on answering, its Sources page with the source's state."""
    db = tmp_path / "dies.db"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLENS_")}
    log = tmp_path / "serve.log"
    with Site() as site:
        _feed(site, [4], '"d1"')
        added = CliRunner().invoke(app, ["sources", "add", site.url("/rss.xml"), "--name",
                                         "courier", "--db", str(db)])
        assert added.exit_code == 0, added.output
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "storylens", "serve", "--watch", "--db", str(db),
                 "--port", str(port), *FAST],
                stdout=output, stderr=subprocess.STDOUT, env=env,
            )
            try:
                _wait_for(lambda: _articles(base) == 1, 120, "the feed's article")
                os.kill(_watch_pid(log), signal.SIGKILL)
                _wait_for(lambda: "the watch stopped" in log.read_text(errors="replace"), 30,
                          "the server to say the watch stopped")
                page = httpx.get(f"{base}/sources", timeout=10)
                assert page.status_code == 200 and "courier" in page.text
                assert server.poll() is None  # still serving
                server.send_signal(signal.SIGTERM)
                server.wait(60)
            finally:
                if server.poll() is None:
                    server.kill()
                    server.wait()
    text = log.read_text(errors="replace")
    assert "killed by signal 9" in text, text


def test_collect_serve_watch_needs_sources(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    with Store(db):
        pass
    with pytest.raises(UsageError, match="no sources"):
        CliRunner().invoke(app, ["serve", "--watch", "--db", str(db)], catch_exceptions=False)


def test_collect_serve_help_documents_watch() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--watch" in result.output and "storylens watch" in result.output
