"""Alerts' webhooks (issue 19): a real receiver on 127.0.0.1 gets each new entry as JSON; one
that fails twice (500) gets it after the retries; one that never answers does not hold the
ingest beyond its wait, and what is not sent stays queued. Articles invented
(tests/alertdata.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from alertdata import FAST, FIRST_BATCH, GROWTH_BATCH, write_batch

from storylens import Store, ingest
from storylens.alerts import after_ingest, sender_for

# Quick retries for the tests.
QUICK = FAST.replace(webhook_timeout_seconds=2.0, webhook_backoff_seconds=0.1,
                     webhook_give_up_seconds=30.0)


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers ``fail_first`` POSTs with 500, then 204; with
    ``hang`` it reads the request and never answers."""

    fail_first: int = 0
    hang: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["content-length"]))
            state.attempts += 1
            if state.hang:
                state.release.wait(30)
                return
            if state.attempts <= state.fail_first:
                self.send_response(500)
                self.end_headers()
                return
            state.received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


def _ingest_growth(tmp_path: Path, url: str) -> tuple[Path, list[Any]]:
    """A database with the ferry story and an alert with a webhook, then the story's third
    report ingested and the alerts checked: the database and the new entries."""
    db = tmp_path / "hooks.db"
    with Store(db) as store:
        ingest([write_batch(tmp_path, "first", FIRST_BATCH)], store, QUICK)
        store.add_alert("ferry", query="ferry", webhook=url, site_url="http://news.example")
        ingest([write_batch(tmp_path, "growth", GROWTH_BATCH)], store, QUICK)
        started = time.monotonic()
        new = after_ingest(store, QUICK)
        assert time.monotonic() - started < 1.0  # the POSTs are not waited for
    return db, new


def test_alerts_webhook_receives_the_new_entry(tmp_path: Path, receiver: Receiver) -> None:
    db, new = _ingest_growth(tmp_path, receiver.url)
    assert len(new) == 1
    assert sender_for(db, QUICK).wait(10.0) == 0
    [payload] = receiver.received
    story = new[0][1].story_id
    assert payload == {
        "alert": "ferry", "story_id": story, "title": new[0][1].title,
        "outlets": ["Coastline Herald", "Harbour Daily", "Tidewater Post"], "articles": 3,
        "story_url": f"http://news.example/stories/{story}", "matched_at": new[0][1].matched_at,
    }
    with Store(db) as store:
        [status] = store.alert_statuses()
    assert (status.sent, status.pending, status.failed, status.last_reason) == (1, 0, 0, None)


def test_alerts_webhook_retried_after_two_failures(tmp_path: Path, receiver: Receiver) -> None:
    receiver.fail_first = 2
    db, _ = _ingest_growth(tmp_path, receiver.url)
    assert sender_for(db, QUICK).wait(10.0) == 0
    assert receiver.attempts == 3
    assert [p["articles"] for p in receiver.received] == [3]
    with Store(db) as store:
        [status] = store.alert_statuses()
    assert (status.sent, status.failed) == (1, 0)


def test_alerts_webhook_given_up_with_its_reason(tmp_path: Path, receiver: Receiver) -> None:
    receiver.fail_first = 100
    options = QUICK.replace(webhook_give_up_seconds=0.5)
    db = tmp_path / "hooks.db"
    with Store(db) as store:
        ingest([write_batch(tmp_path, "first", FIRST_BATCH)], store, options)
        store.add_alert("ferry", query="ferry", webhook=receiver.url)
        ingest([write_batch(tmp_path, "growth", GROWTH_BATCH)], store, options)
        after_ingest(store, options)
    assert sender_for(db, options).wait(10.0) == 0
    with Store(db) as store:
        [status] = store.alert_statuses()
    assert (status.sent, status.pending, status.failed) == (0, 0, 1)
    assert status.last_reason == "HTTP 500"
    assert 2 <= receiver.attempts <= 4


def test_alerts_webhook_that_never_answers_does_not_hold_the_ingest(
    tmp_path: Path, receiver: Receiver
) -> None:
    """The real command: its wait for deliveries is bounded by ingest_webhook_wait_seconds,
    and the delivery not sent is left queued, said on standard error."""
    receiver.hang = True
    db = tmp_path / "cli.db"
    env = {k: v for k, v in os.environ.items() if k != "STORYLENS_DB"}
    settings = ["-s", "worker_processes=1", "-s", "extract_attributions=false",
                "-s", "extract_events=false", "-s", "webhook_timeout_seconds=20",
                "-s", "ingest_webhook_wait_seconds=1"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "storylens", *args, "--db", str(db)],
                              capture_output=True, text=True, env=env, timeout=120)

    assert run("ingest", str(write_batch(tmp_path, "first", FIRST_BATCH)), *settings,
               "--quiet").returncode == 0
    added = run("alerts", "add", "ferry", "--query", "ferry", "--webhook", receiver.url)
    assert added.returncode == 0, added.stderr
    started = time.monotonic()
    done = run("ingest", str(write_batch(tmp_path, "growth", GROWTH_BATCH)), *settings,
               "--quiet")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "alerts: 1 new entry" in done.stdout
    assert "1 webhook delivery not sent yet: queued for the next run" in done.stderr
    # the process's start-up and the ingest itself, plus at most a second's wait, not the
    # receiver's 20 s timeout
    assert took < 15, took
    assert receiver.attempts == 1
    with Store(db) as store:
        [status] = store.alert_statuses()
    assert status.pending == 1
