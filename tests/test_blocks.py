"""Grouping in time blocks, then joined (what storylens spark runs side by side), against
one run of group.group over the same articles: the same stories, with the same ids, also for
stories that cross a block boundary."""

from __future__ import annotations

import dataclasses
import math

import pytest
from conftest import DEMO

from storylens.blocks import UNDATED, BlockCounter, BlockPlan, block_of, group_in_blocks, order
from storylens.group import StoryIndex, group
from storylens.model import RawInput
from storylens.options import Options
from storylens.pipeline import Prepared, prepare

OPTIONS = Options(extract_attributions=False, extract_events=False)


@pytest.fixture(scope="module")
def demo() -> list[Prepared]:
    found = []
    for path in sorted((DEMO / "articles").glob("*.txt")):
        for item in prepare(RawInput(str(path), "text", path.read_bytes())):
            assert isinstance(item, Prepared)
            found.append(item)
    return found


def _single_run(items: list[Prepared], options: Options) -> dict[str, str]:
    assignments = group(
        [p.article for p in items], StoryIndex(), options,
        {p.article.id: p.terms for p in items}, {p.article.id: p.signature for p in items},
    )
    return {a.article_id: a.story_id for a in assignments}


def _crossing(items: list[Prepared], stories: dict[str, str], hours: float) -> int:
    """How many stories have articles in more than one block."""
    blocks: dict[str, set[int]] = {}
    for item in items:
        block = block_of(item.article.timestamp, hours * 3600.0)
        blocks.setdefault(stories[item.article.id], set()).add(block)
    return sum(1 for found in blocks.values() if len(found) > 1)


@pytest.mark.parametrize("hours", [72.0, 96.0, 120.0, 336.0, 24.0 * 365])
def test_blocks_same_stories_and_ids_as_one_run(demo: list[Prepared], hours: float) -> None:
    options = OPTIONS.replace(grouping_block_hours=hours)
    expected = _single_run(demo, options)
    assert group_in_blocks(demo, options) == expected


def test_blocks_stories_cross_block_boundaries(demo: list[Prepared]) -> None:
    """The case the joining step is for occurs in the demo corpus at the shortest blocks."""
    stories = _single_run(demo, OPTIONS)
    assert _crossing(demo, stories, 72.0) >= 1
    assert len({block_of(p.article.timestamp, 72 * 3600.0) for p in demo}) >= 6


def test_blocks_undated_articles_join_the_latest_stories(demo: list[Prepared]) -> None:
    """An undated copy of the latest story's articles (a block of its own, with the last
    window of dated articles as context) joins that story, as in one run."""
    latest = max(demo, key=order)
    undated = dataclasses.replace(
        latest, article=dataclasses.replace(latest.article, id="undated-copy", published=None)
    )
    items = [*demo, undated]
    stories = group_in_blocks(items, OPTIONS.replace(grouping_block_hours=72.0))
    assert stories["undated-copy"] == stories[latest.article.id]
    assert stories == _single_run(items, OPTIONS)


def test_blocks_copies_of_an_article_grouped_once(demo: list[Prepared]) -> None:
    items = [*demo, *(dataclasses.replace(p) for p in demo[:3])]
    assert group_in_blocks(items, OPTIONS.replace(grouping_block_hours=72.0)) == _single_run(
        demo, OPTIONS
    )


def test_blocks_context_read_by_the_next_block_only_within_the_window(
    demo: list[Prepared],
) -> None:
    options = OPTIONS.replace(grouping_block_hours=72.0)
    counter = BlockCounter(72 * 3600.0)
    for item in demo:
        counter.count(item)
    plan = BlockPlan.of(counter.blocks, options)
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
        group_in_blocks(demo, OPTIONS.replace(grouping_block_hours=24.0))


def test_blocks_headline_stream_agrees_with_one_run() -> None:
    """On the labelled headline stream (every 25th headline of the development set's 51
    days), the stories of two-week blocks agree with one run at B-cubed F1 of at least
    0.98."""
    from conftest import shared_path

    from storylens.bench import ClusterFields, clustering_scores, read_records, record_drafts

    path = shared_path("data", "uci-news", "uci-news-dev.tsv.gz")
    fields = ClusterFields(("title",), "story", time="timestamp", source="publisher")
    drafts = record_drafts(read_records(path)[::25], fields)
    items = [p for d in drafts for p in prepare(d) if isinstance(p, Prepared)]
    ours = group_in_blocks(items, OPTIONS)
    theirs = _single_run(items, OPTIONS)
    ids = sorted(theirs)
    scores = clustering_scores([ours[i] for i in ids], [theirs[i] for i in ids])
    assert scores["b3_f1"] >= 0.98, scores
    assert len({block_of(p.article.timestamp, 336 * 3600.0) for p in items}) >= 4
