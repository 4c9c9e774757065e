"""storylens watch killed (kill -9) in the middle of a round, then started again: no article
lost or doubled, and no page fetched twice (counted by the site, tests/collectsite.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from collectsite import Item, Route, Site, article_page, rss

from storylens.errors import StoreError
from storylens.store import Store

PAGES = 8
ARGS = ["-s", "politeness=off", "-s", "extract_attributions=false", "-s",
        "extract_events=false", "--quiet"]


def _watch(db: Path) -> list[str]:
    return [sys.executable, "-m", "storylens", "watch", "--once", "--db", str(db), *ARGS]


def _stored(db: Path) -> int:
    try:
        with Store(db, read_only=True) as store:
            return store.counts()["articles"]
    except StoreError:  # not created yet, or busy
        return 0


def _wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_collect_kill_mid_round_loses_and_repeats_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    with Site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", "text/plain")
        paths = [f"/news/k{n}.html" for n in range(PAGES)]
        for number, path in enumerate(paths):
            site.routes[path] = Route(article_page(number), delay=0.4)
        items = [Item(path + "?utm_source=feed", n) for n, path in enumerate(paths)]
        site.routes["/feed.xml"] = Route(rss(site.base, items), "application/rss+xml",
                                         etag='"k1"')
        with Store(db) as store:
            store.add_source(site.url("/feed.xml"), "kill", 0.01)
        first = subprocess.Popen(_watch(db), env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        try:
            _wait_for(lambda: _stored(db) >= 2, 120)
            # kill -9 while the next page is being asked for (the site holds it 0.4 s)
            asked = len(site.arrivals)
            _wait_for(lambda: len(site.arrivals) > asked, 30)
            first.send_signal(signal.SIGKILL)
        finally:
            first.wait(30)
        assert first.returncode == -signal.SIGKILL
        stored = _stored(db)
        assert 2 <= stored < PAGES  # killed in the middle of the round
        again = subprocess.run(_watch(db), env=env, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stderr
    for path in paths:
        assert site.served[path] == 1, (path, site.served, site.arrived)
    with Store(db) as store:
        assert store.counts()["articles"] == PAGES
        fetched = store.fetched_urls()
        assert store.sources()[0].articles_found == PAGES  # counted as each was stored
    assert sorted(f["url"].removeprefix(site.base) for f in fetched) == sorted(paths)
    assert {f["status"] for f in fetched} == {"stored"}
    assert len({f["article_id"] for f in fetched}) == PAGES


def test_collect_watch_ctrl_c_ends_cleanly(tmp_path: Path) -> None:
    """watch without --once sleeps until the next source is due; Ctrl-C (SIGINT) ends it
    between requests, with its summary and no traceback."""
    db = tmp_path / "loop.db"
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    with Site() as site:
        site.routes["/news/a.html"] = Route(article_page(1))
        site.routes["/feed.xml"] = Route(rss(site.base, [Item("/news/a.html", 1)]),
                                         "application/rss+xml", etag='"c1"')
        with Store(db) as store:
            store.add_source(site.url("/feed.xml"), "loop", 60)
        command = [sys.executable, "-m", "storylens", "watch", "--db", str(db), *ARGS]
        watching = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(lambda: _stored(db) >= 1 and site.served["/news/a.html"] == 1, 120)
            time.sleep(0.3)  # the round's summary printed: now it sleeps
            watching.send_signal(signal.SIGINT)
            output, errors = watching.communicate(timeout=30)
        finally:
            if watching.poll() is None:
                watching.kill()
    assert watching.returncode == 0, errors
    assert "Traceback" not in errors
    assert "1 stored" in output
