"""A very large story costs in proportion to its size (issue 16, severe 1). 2,000 records of
one story, from 300 outlets, each with a shared fact and a shared quote: before, computing
its view took 3 GB of memory (every sentence compared with every other) and its page was 5 MB
(every shared sentence listed every outlet, every article was a column). The bounds below
sit many times over what linear cost needs and many times under what the square gave."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from storylens import Options, Store, ingest
from storylens.bench.bigstory import bench_big_story, records
from storylens.errors import NotFoundError
from storylens.model import ResolvedStoryFilter
from storylens.read.stored import view_json
from storylens.read.storypage import (
    LISTED_OUTLETS,
    PAGE_ARTICLES,
    PAGE_FORMAT,
    decode_page,
    story_page_parts,
)
from storylens.read.views import VIEW_FORMAT, story_view

RECORDS = 2_000
VIEW_PEAK_MB = 300  # linear: about 55; the square: about 3,000
PAGE_MB = 0.5  # linear: about 0.1; the square: 5.2


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("big")
    source = folder / "shared.jsonl"
    source.write_text("".join(line + "\n" for line in records("shared", RECORDS)))
    database = folder / "big.db"
    with Store(database) as store:
        summary = ingest([source], store, Options(extract_events=False), progress=None)
        assert summary.stored == RECORDS
        cards, _ = store.story_page(
            ResolvedStoryFilter(None, None, None, None, None), limit=100, offset=0
        )
    largest = max(cards, key=lambda card: card.story.article_count).story
    assert largest.article_count > RECORDS * 0.9
    return database, largest.id


def test_bigstory_view_memory_is_not_quadratic(big: tuple[Path, str]) -> None:
    database, story_id = big
    with Store(database, create=False) as store:
        story_view(store, story_id)  # the libraries it imports load once, outside the count
        tracemalloc.start()
        try:
            view = story_view(store, story_id)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()
    assert peak < VIEW_PEAK_MB, f"computing the view of {RECORDS} articles took {peak:.0f} MB"
    assert len(view["articles"]) == view["article_count"]
    assert sum(len(f["sentences"]) for f in view["facts"]) >= 3 * RECORDS
    assert any(f["shared"] and len(f["outlets"]) > LISTED_OUTLETS for f in view["facts"])
    assert len(view_json(view)) < 4_000 * RECORDS  # the view itself grows with the story


def test_bigstory_page_is_bounded_and_paged(big: tuple[Path, str]) -> None:
    database, story_id = big
    with Store(database, create=False) as store:
        stored = store.stored_story_page(story_id, VIEW_FORMAT, PAGE_FORMAT)
        view = json.loads(view_json(story_view(store, story_id)))
    assert stored is not None, "the ingest stores the first page"
    first = decode_page(stored)["content"]
    assert len(first.encode()) < PAGE_MB * 1e6
    assert first.count('class="outlet-column') == PAGE_ARTICLES
    # a sentence that hundreds of outlets report counts them, it does not list them
    assert "data-outlet-count=" in first
    assert f"Articles 1–{PAGE_ARTICLES} of {len(view['articles'])}" in first
    second = story_page_parts(view, 2)["content"]
    assert f"Articles {PAGE_ARTICLES + 1}–{2 * PAGE_ARTICLES} of" in second
    assert len(second.encode()) < PAGE_MB * 1e6
    last = -(-len(view["articles"]) // PAGE_ARTICLES)
    with pytest.raises(NotFoundError):
        story_page_parts(view, last + 1)


def test_bigstory_bench_measures_ingest_and_page(tmp_path: Path) -> None:
    figures = bench_big_story("alike", 300, tmp_path)
    assert figures["stored"] == 300
    assert figures["largest_story_articles"] >= 290
    assert 50 < figures["ingest_peak_rss_mb"] < 2_000
    assert 0 < figures["page_bytes"] < PAGE_MB * 1e6
    assert figures["page_first_ms"] > 0 and figures["page_ms"] > 0
    assert figures["later_page_first_ms"] is not None  # 300 articles: more than one page

