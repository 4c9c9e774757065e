"""The headline database bench serve measures: built from records in the UCI News Aggregator
layout, sampled for the paths the clients ask for, and grown by the concurrent ingest (its own
process) while the server is loaded."""

from __future__ import annotations

import random
import re
import signal
import time
from pathlib import Path
from types import FrameType
from typing import Any

from ..clean import warm_up as warm_up_cleaning
from ..errors import UsageError
from ..group.stories import warm_up
from ..model import Draft
from ..options import Options
from ..pipeline import Ingestor, feed
from ..read.stored import refresh_story_views
from ..store import Store
from .records import ClusterFields, labelled_draft, read_records, time_order

RECORD_FIELDS = ClusterFields(
    text=("title",), label="story", time="timestamp", source="publisher", id="id"
)
SAMPLE_STORIES = 1000
SAMPLE_WORDS = 200


def _options() -> Options:
    """The settings of the build and the concurrent ingest: no attributions or events."""
    return Options().replace(extract_attributions=False, extract_events=False)


def _drafts(records: list[dict[str, Any]], start: int) -> list[Draft]:
    """Drafts of the records, in time order as bench cluster feeds them (the record number
    ``start + i`` names each in its source)."""
    drafts = [labelled_draft(r, RECORD_FIELDS, start + i + 1) for i, r in enumerate(records)]
    return [drafts[i] for i in time_order(drafts)]


def build_database(db: Path, records: Path, articles: int) -> int:
    """A database of the first ``articles`` records (worker processes as ingest uses them);
    returns how many articles it holds."""
    rows = read_records(records, articles)
    if not rows:
        raise UsageError(f"{records} holds no records")
    warm_up_cleaning()
    warm_up()
    with Store(db) as store:
        feed(
            ((d, True) for d in _drafts(rows, 0)),
            Ingestor(store, _options(), views=refresh_story_views),
        )
        return count_articles(store)


def count_articles(store: Store) -> int:
    """How many articles the store holds."""
    return store.counts()["articles"]


def sample_targets(db: Path, seed: int) -> dict[str, list[str]]:
    """The paths each kind of request picks from: story pages of sampled stories, the story
    list, and the story list filtered by a word of a sampled story's first article."""
    chance = random.Random(seed)
    with Store(db, create=False) as store:
        ids = store.story_ids()
        if not ids:
            raise UsageError(f"{db} holds no stories")
        picked = chance.sample(range(len(ids)), min(SAMPLE_STORIES, len(ids)))
        texts = [
            f"{title or ''} {text}" for title, text in store.first_articles(ids[i] for i in picked)
        ]
    words = sorted({w.lower() for text in texts for w in re.findall(r"[A-Za-z]{5,}", text)})
    words = chance.sample(words, min(SAMPLE_WORDS, len(words))) or ["news"]
    return {
        "story page": [f"/stories/{ids[i]}" for i in picked],
        "/api/stories": ["/api/stories"],
        "/api/stories?q=": [f"/api/stories?q={w}" for w in words],
    }


def ingest_more(db: Path, records: Path, skip: int, rate: float) -> dict[str, Any]:
    """Ingest the records after the first ``skip`` into the database, a batch per
    transaction, until stopped (SIGTERM) or out of records; says ``ready`` on standard
    output once the first batch is in, and returns when each batch was committed."""
    stop = False

    def on_term(signum: int, frame: FrameType | None) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    rows = read_records(records)[skip:]
    options = _options()
    warm_up_cleaning()
    warm_up()
    commits: list[tuple[float, int]] = []
    with Store(db) as store:
        ingestor = Ingestor(store, options, views=refresh_story_views)
        started = time.time()
        # at a capped rate, smaller batches: about one commit a second
        size = options.batch_size_articles if rate <= 0 else max(1, min(200, int(rate)))
        for start in range(0, len(rows), size):
            if stop:
                break
            # drafted a batch at a time (time order within each): drafting all at once
            # would delay the start by seconds
            chunk = _drafts(rows[start : start + size], skip + start)
            before = ingestor.summary.stored
            feed(((d, True) for d in chunk), ingestor, parallel=False)
            commits.append((time.time(), ingestor.summary.stored - before))
            if len(commits) == 1:
                print("ready", flush=True)
            if rate > 0:
                pause = started + ingestor.summary.stored / rate - time.time()
                while pause > 0 and not stop:
                    time.sleep(min(pause, 0.1))
                    pause = started + ingestor.summary.stored / rate - time.time()
        if not commits:
            print("ready", flush=True)
    return {"started": started, "commits": commits, "exhausted": not stop}
