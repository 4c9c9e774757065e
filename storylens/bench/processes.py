"""The processes bench serve starts and watches: a free port, the server's start-up, their
processor time and a clean stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .load import KINDS


def free_port() -> int:
    """A loopback port no one listens on now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_serving(
    base: str, server: subprocess.Popen[bytes], timeout: float, targets: dict[str, list[str]]
) -> dict[str, float]:
    """Wait until the server answers, then ask once for each kind of request (the first
    of each may load what later ones reuse); how long each of those first ones took, in ms."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UsageError(f"the server stopped at start-up (exit status {server.returncode})")
        try:
            if httpx.get(f"{base}/api/stories", timeout=5.0).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        raise UsageError(f"the server did not answer at {base} within {timeout:.0f} s")
    first: dict[str, float] = {}
    for kind in KINDS:
        sent = time.perf_counter()
        response = httpx.get(base + targets[kind][0], timeout=300.0)
        first[kind] = round((time.perf_counter() - sent) * 1000.0, 1)
        if response.status_code != 200:
            raise UsageError(f"{targets[kind][0]} answered {response.status_code}")
    return first


def cpu_seconds(pid: int, children: bool = False) -> float:
    """Processor time (user + system) a process has used so far, with ``children`` that of
    its child processes too (the server's workers, while they run); 0 where /proc is
    absent."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    if children:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            kids = []
        total += sum(cpu_seconds(int(kid), children=True) for kid in kids)
    return total


def python_command(*args: str) -> list[str]:
    """The command line running a module (``-m``) with this process's Python."""
    return [sys.executable, "-m", *args]


def stop(process: subprocess.Popen[Any], timeout: float = 30.0) -> None:
    """Ask a process to end (SIGTERM), killing it when it has not ended within the timeout."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
