"""Story grouping in time blocks, side by side, then joined (pure; no Spark, no I/O).

storylens spark groups a corpus in parallel this way:

1. Every article falls in a time block of ``grouping_block_hours`` (counted from the epoch).
2. Each block is grouped by group.group, in publication order, with the state it would have
   in a single run: the document frequencies of all earlier articles (``BlockStats``, summed
   from what the prepare tasks counted). It first reads, as *context*, the articles of the
   last ``story_window_hours`` of the block before it, which the block before it groups as
   its own.
3. The joining step (``Joiner``), on the driver, reads the blocks in order. A story of a block
   that holds context articles continues the story that most of them belong to; the others
   are new. Following these links block after block is the connected-components step: a story
   that spans any number of blocks keeps the id of its first article, as in-process.
4. Articles with no publication time come last, in a block that is not grouped there: an
   undated article may join any open story, whatever its time, so the driver's Ingestor
   groups them after all dated ones, with every story stored by then, as in-process.

Each block's state is bounded by the story window (group.StoryIndex.forget_before), and so
is the joiner's (the articles of the latest window).
"""

from __future__ import annotations

import math
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..group.embed import embed
from ..group.stories import StoryIndex, group, publication_order
from ..model import Assignment
from ..options import Options
from ..pipeline import Prepared, batched

UNDATED = sys.maxsize  # the block of the articles with no publication time


def block_of(ts: float | None, block_seconds: float) -> int:
    """The time block of a publication time."""
    return UNDATED if ts is None else math.floor(ts / block_seconds)


def order(item: Prepared) -> tuple[bool, float, str]:
    """Publication order, as group.group takes articles."""
    return publication_order(item.article)


@dataclass
class BlockStats:
    """What the prepare tasks found of one time block: how many articles, in how many of
    them each term occurs, their first and last publication times."""

    documents: int = 0
    df: Counter[str] = field(default_factory=Counter)
    first_ts: float | None = None
    last_ts: float | None = None

    def count(self, item: Prepared) -> None:
        self.documents += 1
        self.df.update(item.terms.keys())
        ts = item.article.timestamp
        if ts is not None:
            self.first_ts = ts if self.first_ts is None else min(self.first_ts, ts)
            self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)

    def merge(self, other: BlockStats) -> None:
        self.documents += other.documents
        self.df.update(other.df)
        for ts in (other.first_ts, other.last_ts):
            if ts is not None:
                self.first_ts = ts if self.first_ts is None else min(self.first_ts, ts)
                self.last_ts = ts if self.last_ts is None else max(self.last_ts, ts)


class BlockCounter:
    """BlockStats of articles by time block, each article id counted once."""

    def __init__(self, block_seconds: float) -> None:
        self.block_seconds = block_seconds
        self.blocks: dict[int, BlockStats] = {}
        self._seen: set[str] = set()

    def count(self, item: Prepared) -> None:
        if item.article.id not in self._seen:
            self._seen.add(item.article.id)
            block = block_of(item.article.timestamp, self.block_seconds)
            self.blocks.setdefault(block, BlockStats()).count(item)


@dataclass(frozen=True)
class BlockPlan:
    """The blocks of a run, in order (their number is their partition), and which blocks
    read an article as context."""

    blocks: tuple[int, ...]
    block_seconds: float
    window_seconds: float

    @classmethod
    def of(cls, stats: dict[int, BlockStats], options: Options) -> BlockPlan:
        block_seconds = options.grouping_block_hours * 3600.0
        window_seconds = options.story_window_hours * 3600.0
        if block_seconds < window_seconds:
            raise ValueError("grouping_block_hours is less than story_window_hours")
        return cls(tuple(sorted(stats)), block_seconds, window_seconds)

    def spread(self, stats: list[BlockStats], partitions: int) -> tuple[int, ...]:
        """The partition of each block (by number): consecutive blocks share one, so that
        there are at most ``partitions``, with about as many articles each."""
        total = sum(s.documents for s in stats) or 1
        found = []
        before = 0
        for block in stats:
            found.append(min(partitions - 1, before * partitions // total))
            before += block.documents
        return tuple(found)

    def number(self, block: int) -> int:
        return self.blocks.index(block)

    def targets(self, item: Prepared) -> list[tuple[int, bool]]:
        """(block number, as context) of each block that reads the article."""
        ts = item.article.timestamp
        block = block_of(ts, self.block_seconds)
        found = [(self.number(block), False)]
        if ts is None:
            return found
        following = block + 1
        if following in self.blocks and ts >= following * self.block_seconds - (
            self.window_seconds
        ):
            found.append((self.number(following), True))
        return found


# What a block's grouping hands on: ("links", {its story id: [its context articles]}) first,
# then ("article", Prepared with its block's Assignment, none for undated ones) in
# publication order, then ("duplicates", count of later copies of an article it dropped).
Grouped = tuple[str, Any]


def group_block(
    number: int,
    records: Iterable[tuple[Prepared, bool]],
    stats: list[BlockStats],
    options: Options,
) -> Iterator[Grouped]:
    """Group one block: ``records`` are its articles in publication order, each with whether
    it is context (see the module's note); ``stats`` those of every block, in order. The
    block of undated articles is handed on ungrouped."""
    df: Counter[str] = Counter()
    documents = 0
    for earlier in stats[:number]:
        df.update(earlier.df)
        documents += earlier.documents
    seen: set[str] = set()
    duplicates = 0
    context: list[Prepared] = []
    owned: list[Prepared] = []
    stream = iter(records)
    for item, is_context in stream:  # the context comes first: it is older
        if item.article.id in seen:
            duplicates += not is_context
            continue
        seen.add(item.article.id)
        if not is_context:
            owned.append(item)
            break
        context.append(item)
    for item in context:  # their terms are counted again as they are grouped
        df.subtract(item.terms.keys())
        documents -= 1
    index = StoryIndex(df={t: n for t, n in df.items() if n > 0}, documents=documents)
    links: dict[str, list[str]] = {}
    for batch in batched(context, options.batch_size_articles):
        for assignment in group_batch(batch, index, options):
            links.setdefault(assignment.story_id, []).append(assignment.article_id)
    yield "links", links

    def rest() -> Iterator[Prepared]:
        nonlocal duplicates
        yield from owned
        for item, is_context in stream:
            if item.article.id in seen or is_context:
                duplicates += not is_context
                continue
            seen.add(item.article.id)
            yield item

    for batch in batched(rest(), options.batch_size_articles):
        if batch[0].article.timestamp is None:  # the undated block
            for item in batch:
                yield "article", item
            continue
        group_batch(batch, index, options)
        for item in batch:
            yield "article", item
    yield "duplicates", duplicates


def group_batch(
    batch: list[Prepared], index: StoryIndex, options: Options
) -> list[Assignment]:
    """group.group over a batch, as the Ingestor runs it, the index then trimmed to the
    window (nothing is written: the changes are not kept); each article's
    ``Prepared.decided`` is its assignment."""
    articles = [p.article for p in batch]
    embeddings = embed(articles) if options.use_sentence_embeddings else None
    assignments = group(
        articles, index, options,
        {p.article.id: p.terms for p in batch},
        {p.article.id: p.signature for p in batch},
        embeddings,
    )
    decided = {a.article_id: a for a in assignments}
    for item in batch:
        item.decided = decided[item.article.id]
        if embeddings is not None:
            item.embedding = embeddings[item.article.id]
    index.changed.clear()
    index.df_delta.clear()
    stamps = [a.timestamp for a in articles if a.timestamp is not None]
    if stamps:
        index.forget_before(max(stamps), options.story_window_hours * 3600.0)
    return assignments


class Joiner:
    """The joining step: reads the blocks' output in block order and gives each article the
    story it belongs to across blocks (``Prepared.decided``, ready for the Ingestor)."""

    def __init__(self, options: Options) -> None:
        self.window_seconds = options.story_window_hours * 3600.0
        self.duplicates = 0
        self._story_of: dict[str, str] = {}  # article id -> story, for the latest window
        self._recent: deque[tuple[float, str]] = deque()
        self._continues: dict[str, str] = {}  # the current block's stories -> earlier ones

    def take(self, kind: str, value: Any) -> Prepared | None:
        """One piece of a block's output; the article to store, if it is one."""
        if kind == "links":
            self._continues = {}
            for story_id, members in value.items():
                earlier = Counter(self._story_of[m] for m in members if m in self._story_of)
                if earlier:
                    self._continues[story_id] = earlier.most_common(1)[0][0]
            return None
        if kind == "duplicates":
            self.duplicates += value
            return None
        item: Prepared = value
        if item.decided is None:  # undated: the Ingestor groups it
            return item
        story_id = self._continues.get(item.decided.story_id, item.decided.story_id)
        item.decided = replace(item.decided, story_id=story_id)
        ts = item.article.timestamp
        if ts is not None:
            self._story_of[item.article.id] = story_id
            self._recent.append((ts, item.article.id))
            while self._recent and self._recent[0][0] < ts - self.window_seconds:
                self._story_of.pop(self._recent.popleft()[1], None)
        return item


def blocks_in_sequence(items: Iterable[Prepared], options: Options) -> Iterator[Prepared]:
    """What storylens spark does with prepared articles, one block after the other in this
    process: the articles in time order, each with the story decided for it in its block and
    joined across blocks (undated ones undecided), ready for an Ingestor. For tests and
    measurements of the block grouping without Spark."""
    items = list(items)
    counter = BlockCounter(options.grouping_block_hours * 3600.0)
    for item in items:
        counter.count(item)
    plan = BlockPlan.of(counter.blocks, options)
    records: list[list[tuple[tuple[bool, float, str], Prepared, bool]]] = [[] for _ in plan.blocks]
    for item in items:
        for number, is_context in plan.targets(item):
            records[number].append((order(item), replace(item), is_context))
    stats = [counter.blocks[block] for block in plan.blocks]
    joiner = Joiner(options)
    for number, block in enumerate(records):
        block.sort(key=lambda record: record[0])
        rows = ((item, is_context) for _, item, is_context in block)
        for kind, value in group_block(number, rows, stats, options):
            joined = joiner.take(kind, value)
            if joined is not None:
                yield joined
