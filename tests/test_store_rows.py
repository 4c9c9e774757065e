"""What the store hands to the stages above it as plain values: stories' stored state as
rows that group.loading turns into the StoryIndex, and the story list's one StoryFilter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from eventdata import build_demo_store, make_article, write_stories

from storylens import Store
from storylens.group.loading import load_stories, load_window
from storylens.group.stories import StoryIndex
from storylens.model import StoryFilter
from storylens.read.views import story_list

DAY = 86_400.0


def test_loading_stories_read_back_as_written(tmp_path: Path) -> None:
    first = make_article("a", "Planet", "2024-03-01", ["Japan urged North Korea to talk."])
    second = make_article("b", "Gazette", "2024-03-02", ["Tokyo called on Pyongyang."])
    other = make_article("c", "Courier", None, ["The rain went on all week."])
    with Store(tmp_path / "t.db") as store:
        write_stories(store, {"s": [(first, None), (second, "a")], "t": [(other, None)]})
        rows = store.story_rows(["t", "missing", "s"])
        assert [r.id for r in rows] == ["t", "s"]  # in the order asked, unknown ids passed over
        index = StoryIndex()
        load_stories(index, store, ["s", "missing"])
        state = index.stories["s"]
        assert (state.size, state.title, state.centroid) == (2, first.title, {"word": 1.0})
        assert state.first_ts == first.timestamp and state.last_ts == second.timestamp
        assert index.postings["word"] == {"s"}


def test_loading_window_takes_open_stories_and_term_counts(tmp_path: Path) -> None:
    with Store(build_demo_store(tmp_path / "t.db")) as store:
        index = StoryIndex()
        load_window(index, store, ["word", "absent"], (0.0, 1.0), DAY)
        assert index.stories == {}  # 1970: no story open then
        assert index.documents == store.documents()
        everything = store.open_story_ids(None, DAY)
        load_window(index, store, ["word"], None, DAY)
        assert sorted(index.stories) == sorted(everything) == sorted(store.story_ids())
        kept = index.stories[everything[0]]
        kept.size = 99  # what the index holds is not read again over it
        load_stories(index, store, everything)
        assert index.stories[everything[0]].size == 99
        assert all(isinstance(s.signatures, np.ndarray) or not s.members
                   for s in index.stories.values())


def test_model_story_filter_is_empty() -> None:
    assert StoryFilter().is_empty()
    assert StoryFilter(query="", outlet=None).is_empty()
    assert not StoryFilter(date_to="2024-03-01").is_empty()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"query": "Japan"},
        {"outlet": " gazette "},
        {"entity": "North Korea", "date_from": "2024-03-02"},
        {"date_from": "2024-03-01", "date_to": "2024-03-01"},
    ],
)
def test_views_story_list_takes_one_story_filter(tmp_path: Path, fields: dict[str, str]) -> None:
    with Store(build_demo_store(tmp_path / "t.db")) as store:
        assert story_list(store, StoryFilter(**fields), limit=10) == story_list(
            store, limit=10, **fields
        )
