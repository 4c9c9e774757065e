"""What the benchmarks measure with: peak and sampled memory, worker processes and a timed
map over articles."""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from typing import TypeVar

from ..model import Article
from ..options import Options

T = TypeVar("T")


def peak_rss_mb(workers: int = 0) -> float:
    """Peak resident memory in megabytes (Linux reports KiB): this process's peak, plus, when
    worker processes ran, the largest worker's peak once per worker (an upper bound: forked
    workers share pages with this process)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * children) / 1024.0


class MemorySampler:
    """The memory of this process and its worker processes, sampled in a thread every
    ``interval`` seconds: proportional set size (shared pages counted once over the
    processes sharing them; resident size where the system does not tell), with the share
    of the inputs done at each sample."""

    def __init__(self, interval: float = 0.25) -> None:
        import threading

        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (share of inputs done, megabytes)
        self.done = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()  # a run shorter than the interval has its start and its end

    def _run(self) -> None:
        """Sample every interval until stopped."""
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        """Add one sample: the memory of this process and its children now."""
        import psutil

        me = psutil.Process()
        total = 0
        for process in [me, *me.children(recursive=True)]:
            try:
                info = process.memory_full_info()
                total += getattr(info, "pss", info.rss)
            except (psutil.Error, OSError):
                continue
        self.samples.append((self.done, total / 1024 / 1024))

    def by_quarter(self) -> dict[str, float]:
        """The peak memory (MB) while each quarter of the inputs was being read."""
        peaks: dict[str, float] = {}
        for number, label in enumerate(("0-25%", "25-50%", "50-75%", "75-100%")):
            low, high = number / 4, (number + 1) / 4
            inside = [mb for done, mb in self.samples if low <= done < high or
                      (high == 1.0 and done >= 1.0)]
            if inside:
                peaks[label] = round(max(inside), 1)
        return peaks


def worker_processes(options: Options) -> int:
    """The worker processes a run uses: as many as the options allow, at most one per core."""
    return min(options.worker_processes, os.cpu_count() or 1)


def timed_map(
    function: Callable[[Article], T], articles: list[Article], workers: int, chunksize: int
) -> tuple[list[T], float]:
    """``function`` over the articles, in forked worker processes when there are several
    (the caller loads what they share first), and the seconds it took."""
    started = time.perf_counter()
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(function, articles, chunksize=chunksize)
    else:
        results = [function(a) for a in articles]
    return results, time.perf_counter() - started
