"""bench big-story: what one very large story costs. A JSON Lines file of many short, alike
records (all one story) is ingested by ``storylens ingest`` in a process of its own, whose peak
memory is read when it ends; then a real ``storylens serve`` is asked for the largest story's
page: its size, and how long the first request (nothing cached) and the next ones take.

The records are our own words: ``alike`` is the shape of the report that found the cost
quadratic ("Short item 7 text about the bridge in Harlow and repairs."); ``shared`` gives
each record an outlet (of 300), a fact that most outlets share, a quote that many carry and
a sentence of its own, so that every part of the comparison has work to do.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import ResolvedStoryFilter
from ..read.storypage import PAGE_ARTICLES
from ..store import Store
from .processes import free_port, python_command, stop

if TYPE_CHECKING:
    import httpx

KINDS = ("alike", "shared")
# The outlets the ``shared`` records come from, and the first day they are dated.
SHARED_OUTLETS = 300
FIRST_DAY = "2031-04-"
# Requests of the story page after the first (which finds nothing cached).
PAGE_REPEATS = 5

_FACTS = (
    "The old toll bridge at Harlow Reach will stay shut for repairs until the spring thaw.",
    "Repairs will keep the Harlow Reach toll bridge shut until the spring thaw, engineers say.",
    "Engineers expect the toll bridge at Harlow Reach to stay shut until the spring thaw.",
)
_QUOTES = (
    '"We will not reopen a bridge we cannot trust," said county engineer Odile Markham.',
    '"We will not reopen a bridge we cannot trust," county engineer Odile Markham said.',
    'County engineer Odile Markham said: "We will not reopen a bridge we cannot trust."',
)
_PEOPLE = ("A ferry pilot", "The parish clerk", "Two cyclists", "A baker", "The harbour master",
           "Local farmers", "A school bus driver", "Shopkeepers", "The night nurse", "Anglers")
_DID = ("waited with", "carried", "counted", "repaired", "sold", "lost", "found", "painted",
        "measured", "delivered")
_WHAT = ("forty crates of apples", "a broken lantern", "the detour signs", "six spare tyres",
         "a flooded cellar", "the morning post", "two stray goats", "a borrowed rowing boat",
         "cold tea and bread", "the old toll ledger")
_WHERE = ("near the east jetty", "behind the chapel", "at the ring road", "by the mill pond",
          "outside the market hall", "under the rail arch", "along the towpath",
          "beside the ferry ramp", "in Kessel Lane", "past the water tower")


def records(kind: str, count: int) -> Iterator[str]:
    """``count`` JSON Lines records of the ``kind`` asked for (see the module's text)."""
    if kind not in KINDS:
        raise UsageError(f"the kind of records is one of {', '.join(KINDS)}, not {kind!r}")
    for i in range(count):
        if kind == "alike":
            record = {"title": f"I{i}", "text": f"Short item {i} text about the bridge in "
                      "Harlow and repairs."}
        else:
            record = {
                "outlet": f"The Reach Courier {i % SHARED_OUTLETS}",
                "title": f"Harlow Reach bridge stays shut ({i})",
                "published": f"{FIRST_DAY}{i % 28 + 1:02d}T{i % 24:02d}:00:00Z",
                "text": " ".join((_FACTS[i % 3], _QUOTES[i % 3], *_own_sentences(i))),
            }
        yield json.dumps(record)


def _own_sentences(i: int) -> list[str]:
    """Three sentences only record ``i`` has, of words drawn for it (so that no record is a
    near copy of another: the shared fact and quote are a small part of each)."""
    draw = random.Random(i)
    return [
        f"{draw.choice(_PEOPLE)} {draw.choice(_DID)} {draw.choice(_WHAT)} "
        f"{draw.choice(_WHERE)} on day {draw.randint(1, 28)}, number {i}-{n}."
        for n in range(3)
    ]


def bench_big_story(kind: str, count: int, folder: Path | None = None) -> dict[str, Any]:
    """Ingest ``count`` records of ``kind`` into a fresh database and ask a real server for
    the largest story's page. Peak memory is the ingest process's (its largest process's,
    as ``/usr/bin/time`` reports it)."""
    with tempfile.TemporaryDirectory(prefix="storylens-bench-") as scratch:
        where = folder or Path(scratch)
        source = where / f"{kind}-{count}.jsonl"
        source.write_text("".join(line + "\n" for line in records(kind, count)))
        database = where / "big.db"
        summary, seconds, peak_kib = _ingest(source, database)
        story_id, members = _largest(database)
        page = _page_figures(database, story_id, members > PAGE_ARTICLES)
    return {
        "kind": kind,
        "records": count,
        "file_mb": round(source.stat().st_size / 1e6, 2) if folder else None,
        "stored": summary["stored"],
        "ingest_seconds": round(seconds, 2),
        "ingest_peak_rss_mb": round(peak_kib / 1024.0, 1),
        "largest_story": story_id,
        "largest_story_articles": members,
        **page,
    }


def _ingest(source: Path, database: Path) -> tuple[dict[str, Any], float, int]:
    """``storylens ingest`` of the file in a process of its own: its JSON summary, wall
    seconds and peak resident memory in KiB (of it or of the largest of its workers, read
    from the system when it ends)."""
    command = python_command(
        "storylens", "ingest", str(source), "--db", str(database), "--json", "--quiet"
    )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode not in (0, 3):
            detail = err.read().decode(errors="replace")[-300:]
            raise UsageError(f"the ingest failed ({process.returncode}): {detail}")
        return json.loads(out.read()), seconds, usage.ru_maxrss


def _largest(database: Path) -> tuple[str, int]:
    """The id and size of the largest of the newest 1,000 stories."""
    with Store(database, create=False) as store:
        cards, _ = store.story_page(
            ResolvedStoryFilter(None, None, None, None, None), limit=1000, offset=0,
            view_format=None,
        )
    if not cards:
        raise UsageError("the ingest made no story")
    largest = max(cards, key=lambda card: card.story.article_count).story
    return largest.id, largest.article_count


def _page_figures(database: Path, story_id: str, paged: bool) -> dict[str, Any]:
    """The story page's size and times, asked of a real server on 127.0.0.1: the first
    request of page 1 (the page the ingest stored), the median of PAGE_REPEATS more, and the
    first request of page 2 when there is one (rendered on request)."""
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        python_command("storylens", "serve", "--db", str(database), "--port", str(port)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait(base, server)
        with httpx.Client(base_url=base, timeout=300.0) as client:  # one: made once, it is slow
            first, body = _timed(client, f"/stories/{story_id}")
            again = [_timed(client, f"/stories/{story_id}")[0] for _ in range(PAGE_REPEATS)]
            page_two = _timed(client, f"/stories/{story_id}?page=2")[0] if paged else None
    finally:
        stop(server)
    return {
        "page_bytes": len(body),
        "page_first_ms": first,
        "page_ms": round(statistics.median(again), 1),
        "later_page_first_ms": page_two,
    }


def _timed(client: httpx.Client, url: str) -> tuple[float, bytes]:
    """How long a GET takes in ms, and its body; UsageError unless it answers 200."""
    sent = time.perf_counter()
    response = client.get(url)
    ms = round((time.perf_counter() - sent) * 1000.0, 1)
    if response.status_code != 200:
        raise UsageError(f"{url} answered {response.status_code}")
    return ms, response.content


def _wait(base: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Wait until the server answers."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UsageError(f"the server stopped at start-up (exit status {server.returncode})")
        try:
            if httpx.get(f"{base}/api/stories", timeout=5.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise UsageError(f"the server did not answer at {base} within {timeout:.0f} s")
