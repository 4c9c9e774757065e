"""Grouping in time blocks, then joined (what storylens spark runs side by side), against
one run of group.group over the same articles: the same stories, with the same ids, also for
stories that cross a block boundary."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from conftest import DEMO

from storylens.model import RawInput
from storylens.options import Options
from storylens.pipeline import Ingestor, Prepared, prepare
from storylens.spark.blocks import (
    UNDATED,
    BlockCounter,
    BlockPlan,
    BlockStats,
    block_of,
    blocks_in_sequence,
    order,
)
from storylens.store import Store

OPTIONS = Options(extract_attributions=False, extract_events=False, store_story_views=False)


@pytest.fixture(scope="module")
def demo() -> list[Prepared]:
    found = []
    for path in sorted((DEMO / "articles").glob("*.txt")):
        for item in prepare(RawInput(str(path), "text", path.read_bytes())):
            assert isinstance(item, Prepared)
            found.append(item)
    return found


def _stories(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return dict(store.db.execute("SELECT article_id, story_id FROM story_members"))


def _in_process(items: list[Prepared], options: Options, db: Path) -> dict[str, str]:
    """The in-process Ingestor over the articles in time order."""
    with Store(db) as store:
        ingestor = Ingestor(store, options)
        ingestor.add(dataclasses.replace(p) for p in sorted(items, key=order))
        ingestor.flush(final=True)
    return _stories(db)


def _in_blocks(items: list[Prepared], options: Options, db: Path) -> dict[str, str]:
    """Grouped in blocks and joined (as storylens spark does), then stored by an Ingestor."""
    with Store(db) as store:
        ingestor = Ingestor(store, options)
        ingestor.add(blocks_in_sequence(items, options))
        ingestor.flush(final=True)
    return _stories(db)


def _crossing(items: list[Prepared], stories: dict[str, str], hours: float) -> int:
    """How many stories have articles in more than one block."""
    blocks: dict[str, set[int]] = {}
    for item in items:
        block = block_of(item.article.timestamp, hours * 3600.0)
        blocks.setdefault(stories[item.article.id], set()).add(block)
    return sum(1 for found in blocks.values() if len(found) > 1)


@pytest.mark.parametrize("hours", [72.0, 96.0, 120.0, 336.0, 24.0 * 365])
def test_blocks_same_stories_and_ids_as_in_process(
    demo: list[Prepared], hours: float, tmp_path: Path
) -> None:
    options = OPTIONS.replace(grouping_block_hours=hours)
    expected = _in_process(demo, options, tmp_path / "one.db")
    assert _in_blocks(demo, options, tmp_path / "blocks.db") == expected


def test_blocks_stories_cross_block_boundaries(demo: list[Prepared], tmp_path: Path) -> None:
    """The case the joining step is for occurs in the demo corpus at the shortest blocks."""
    stories = _in_process(demo, OPTIONS, tmp_path / "one.db")
    assert _crossing(demo, stories, 72.0) >= 1
    assert len({block_of(p.article.timestamp, 72 * 3600.0) for p in demo}) >= 6


def test_blocks_undated_articles_grouped_by_the_ingestor(
    demo: list[Prepared], tmp_path: Path
) -> None:
    """Undated articles come last, undecided, and join any story (here the earliest
    story's), as in-process."""
    earliest = min(demo, key=order)
    undated = dataclasses.replace(
        earliest, article=dataclasses.replace(earliest.article, id="undated", published=None)
    )
    items = [*demo, undated]
    options = OPTIONS.replace(grouping_block_hours=72.0)
    joined = list(blocks_in_sequence(items, options))
    assert joined[-1].article.id == "undated" and joined[-1].decided is None
    assert all(p.decided is not None for p in joined[:-1])
    stories = _in_blocks(items, options, tmp_path / "blocks.db")
    assert stories["undated"] == stories[earliest.article.id]
    assert stories == _in_process(items, options, tmp_path / "one.db")


def test_blocks_copies_of_an_article_grouped_once(demo: list[Prepared], tmp_path: Path) -> None:
    items = [*demo, *(dataclasses.replace(p) for p in demo[:3])]
    options = OPTIONS.replace(grouping_block_hours=72.0)
    joined = list(blocks_in_sequence(items, options))
    assert sorted(p.article.id for p in joined) == sorted(p.article.id for p in demo)
    assert _in_blocks(items, options, tmp_path / "blocks.db") == _in_process(
        demo, options, tmp_path / "one.db"
    )


def _plan(items: list[Prepared], hours: float) -> tuple[BlockPlan, list[BlockStats]]:
    """The blocks of the articles and their statistics, in order."""
    counter = BlockCounter(hours * 3600.0)
    for item in items:
        counter.count(item)
    plan = BlockPlan.of(counter.blocks, OPTIONS.replace(grouping_block_hours=hours))
    return plan, [counter.blocks[block] for block in plan.blocks]


def test_blocks_context_read_by_the_next_block_only_within_the_window(
    demo: list[Prepared],
) -> None:
    plan, _ = _plan(demo, 72.0)
    assert list(plan.blocks) == sorted(plan.blocks)
    for item in demo:
        ts = item.article.timestamp
        assert ts is not None
        targets = plan.targets(item)
        assert targets[0] == (plan.number(block_of(ts, 72 * 3600.0)), False)
        for number, is_context in targets[1:]:
            assert is_context and number == targets[0][0] + 1
            start = plan.blocks[number] * 72 * 3600.0
            assert start - 72 * 3600.0 <= ts < start


def test_blocks_block_stats_count_each_article_once(demo: list[Prepared]) -> None:
    counter = BlockCounter(336 * 3600.0)
    for item in [*demo, *demo]:
        counter.count(item)
    assert sum(s.documents for s in counter.blocks.values()) == len(demo)
    assert UNDATED not in counter.blocks
    first = min(p.article.timestamp or math.inf for p in demo)
    assert min(s.first_ts or math.inf for s in counter.blocks.values()) == first


def test_blocks_shorter_than_the_window_refused(demo: list[Prepared]) -> None:
    with pytest.raises(ValueError, match="grouping_block_hours"):
        list(blocks_in_sequence(demo, OPTIONS.replace(grouping_block_hours=24.0)))


def test_blocks_headline_stream_agrees_with_in_process(tmp_path: Path) -> None:
    """On the labelled headline stream (every 25th headline of the development set's 51
    days), the stories of two-week blocks agree with the in-process ones at B-cubed F1 of at
    least 0.98."""
    from conftest import shared_path

    from storylens.bench.cluster import clustering_scores
    from storylens.bench.records import ClusterFields, read_records, record_drafts

    path = shared_path("data", "uci-news", "uci-news-dev.tsv.gz")
    fields = ClusterFields(("title",), "story", time="timestamp", source="publisher")
    drafts = record_drafts(read_records(path)[::25], fields)
    items = [p for d in drafts for p in prepare(d) if isinstance(p, Prepared)]
    ours = _in_blocks(items, OPTIONS, tmp_path / "blocks.db")
    theirs = _in_process(items, OPTIONS, tmp_path / "one.db")
    ids = sorted(theirs)
    scores = clustering_scores([ours[i] for i in ids], [theirs[i] for i in ids])
    assert scores["b3_f1"] >= 0.98, scores
    assert len({block_of(p.article.timestamp, 336 * 3600.0) for p in items}) >= 4


@pytest.mark.parametrize("partitions", [1, 2, 3, 8, 100])
def test_blocks_spread_keeps_consecutive_blocks_together(
    demo: list[Prepared], partitions: int
) -> None:
    plan, stats = _plan(demo, 72.0)
    spread = plan.spread(stats, partitions)
    assert len(spread) == len(plan.blocks)
    assert list(spread) == sorted(spread)  # in time order: the driver reads them in turn
    assert spread[0] == 0 and max(spread) < partitions
    sizes: dict[int, int] = {}
    for number, partition in enumerate(spread):
        sizes[partition] = sizes.get(partition, 0) + stats[number].documents
    largest = max(s.documents for s in stats)
    assert max(sizes.values()) <= len(demo) / min(partitions, len(stats)) + largest
