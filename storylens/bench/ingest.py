"""bench ingest: articles per second and peak memory of ingest + clean + store, and the cost
of a rerun of the same inputs."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from ..clean import warm_up as warm_up_cleaning
from ..group.stories import warm_up
from ..options import Options
from ..pipeline import ingest
from ..read.stored import refresh_story_views
from ..store import Store
from .measure import peak_rss_mb, worker_processes


def bench_ingest(paths: list[Path], options: Options) -> dict[str, Any]:
    """Ingest + clean + store into a fresh temporary database; articles per second after
    start-up (the one-off loads of the cleaning and grouping stages are done before the clock
    starts);
    then the same inputs again (``rerun``): its seconds and the inputs skipped as known."""
    warm_up_cleaning()
    warm_up()
    with (
        tempfile.TemporaryDirectory(prefix="storylens-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        started = time.perf_counter()
        summary = ingest(paths, store, options, views=refresh_story_views)
        seconds = time.perf_counter() - started
        again = ingest(paths, store, options, views=refresh_story_views)
    return {
        "articles": summary.stored,
        "rejected": summary.rejected,
        "seconds": round(seconds, 3),
        "articles_per_second": round(summary.stored / seconds, 1) if seconds else 0.0,
        "peak_rss_mb": round(peak_rss_mb(worker_processes(options)), 1),
        # the same inputs again: those stored whole are skipped unparsed, as known
        "rerun": {
            "seconds": round(again.seconds, 3),
            "known_inputs": again.known,
            "stored": again.stored,
            "duplicates": again.duplicates,
        },
    }
