"""storylens serve --watch: collection beside the server, in a process of its own.

The server (uvicorn, one process or several) is never slowed by collection: ``WatchChild``
runs ``storylens watch`` over the same database in a child process, started before the
server and stopped after it. SQLite's WAL mode lets the server's readers go on while the
child writes. The child's output reaches standard error a line at a time, each line
prefixed with ``watch:``; when the child ends on its own, the server says so there and goes
on serving (the Sources page still shows each source's last state).

The child runs in its own process group, so that a Ctrl-C at the terminal reaches the server
alone; the server then asks the child to stop between two requests (SIGINT, as a first
Ctrl-C does to ``storylens watch``), and kills it if it has not stopped within
``STOP_GRACE_SECONDS`` past the fetch timeout (a killed watch loses nothing: its state is
crash-safe). The child is told the server's process id (``--parent``) and stops by itself
should the server vanish without stopping it (kill -9).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import IO

from ..errors import UsageError
from ..store import Store
from .output import err

# How long, past one request's timeout, a stopping watch is waited for before it is killed.
STOP_GRACE_SECONDS = 10.0
# What begins each line of the watch's output on the server's standard error.
PREFIX = "watch: "


def check_watchable(store: Store) -> None:
    """Refuse --watch over a database the watch could not use: one that cannot be written,
    or one with no sources to collect from."""
    if store.read_only:
        raise UsageError(
            f"--watch needs a writable database, and {store.path} (or its folder) is read-only"
        )
    if not store.sources():
        raise UsageError("no sources to watch: add one with 'storylens sources add URL'")


def say_stderr(line: str) -> None:
    """One line on standard error, as it is (no markup, no highlighting)."""
    err.print(line, markup=False, highlight=False, soft_wrap=True)


class WatchChild:
    """``storylens watch`` over ``db`` in a child process, with ``settings`` (NAME=VALUE
    pairs) and a stop that waits ``stop_seconds`` before it kills."""

    def __init__(self, db: Path, settings: list[str], stop_seconds: float) -> None:
        self.db = db
        self.settings = settings
        self.stop_seconds = stop_seconds
        self.process: subprocess.Popen[str] | None = None
        self.stopping = threading.Event()
        self._reader: threading.Thread | None = None

    def command(self) -> list[str]:
        """The child's command line: this Python running ``storylens watch``."""
        pairs = [arg for pair in self.settings for arg in ("--setting", pair)]
        return [sys.executable, "-m", "storylens", "watch", "--db", str(self.db), "--quiet",
                "--parent", str(os.getpid()), *pairs]

    def start(self) -> int:
        """Start the watch; its process id."""
        self.process = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
            bufsize=1, process_group=0,
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._relay, args=(self.process.stdout,), name="watch-output", daemon=True
        )
        self._reader.start()
        return self.process.pid

    def _relay(self, stream: IO[str]) -> None:
        """Copy the watch's output to standard error, a prefixed line at a time; when it ends
        while the server still runs, say that collection stopped."""
        for line in stream:
            say_stderr(PREFIX + line.rstrip("\n"))
        assert self.process is not None
        status = self.process.wait()
        if not self.stopping.is_set():
            how = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
            say_stderr(
                f"storylens: the watch stopped ({how}); still serving, without collecting. "
                "The Sources page shows each source's last state; "
                f"'storylens watch --db {self.db}' collects again."
            )

    def stop(self) -> None:
        """Ask the watch to stop between two requests and wait for it; kill it if it takes
        longer than ``stop_seconds`` (or when waiting is itself interrupted)."""
        self.stopping.set()
        process = self.process
        if process is None:
            return
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(self.stop_seconds)
                except subprocess.TimeoutExpired:
                    say_stderr("storylens: the watch did not stop in time: killed")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            if self._reader is not None:
                self._reader.join(5.0)


class Terminated(Exception):  # noqa: N818 - a signal, not an error
    """SIGTERM reached the server: raised in the main thread, so that the watch is stopped
    before the process ends as SIGTERM ends it."""


def _terminated(number: int, frame: FrameType | None) -> None:
    raise Terminated


def serve_with_watch(child: WatchChild, run_server: Callable[[], None]) -> None:
    """Run the server (``run_server``, called without arguments) with the watch started
    before it and stopped after it, whether the server returns, fails or is stopped by
    SIGINT or SIGTERM; after a SIGTERM the process ends as that signal ends it."""
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        pid = child.start()
        say_stderr(f"storylens: watching the sources in {child.db} (storylens watch, process "
                   f"{pid}; its lines begin '{PREFIX.strip()}')")
        run_server()
    except Terminated:
        child.stop()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
    finally:
        child.stop()
        if signal.getsignal(signal.SIGTERM) is _terminated:
            signal.signal(signal.SIGTERM, previous)
