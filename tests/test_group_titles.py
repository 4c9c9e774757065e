"""A story's title is its most central titled member's, nearest the centroid of the
grouping's term vectors, and follows the story as it grows (in one ingest and across
ingests); an untitled story is titled by its central member's first sentence, shortened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens import Options, Store, ingest
from storylens.group import titles
from storylens.group.loading import load_stories
from storylens.group.stories import StoryIndex, StoryState, apply, story_id_for
from storylens.model import Article, Assignment
from storylens.read.stored import decode_view
from storylens.read.views import VIEW_FORMAT

FAST = Options(extract_attributions=False)

# A first article whose headline is about something else (a roundup that opens on the news)
OFF_TOPIC = (
    "Four speed-reading apps for the long commute",
    "Petrol prices rose for a third week on Monday, the average litre at the pump up four "
    "cents as two coastal refineries slowed for repairs, and more drivers in the northern "
    "provinces left the car at home. On the train, four speed-reading apps can make the ride "
    "useful.",
)
ON_TOPIC = [
    (
        "Petrol prices climb for a third week as refineries slow",
        "Petrol prices rose for a third straight week on Monday, with the average litre at "
        "the pump up four cents, as two coastal refineries cut output for repairs. Drivers "
        "in the northern provinces paid the most, and fuel retailers warned that prices "
        "could climb further before the holiday weekend.",
    ),
    (
        "Drivers pay more at the pump as refinery repairs cut fuel supply",
        "Drivers paid more at the pump for a third week as repairs at two coastal refineries "
        "cut the supply of petrol. The average litre rose four cents on Monday, retailers "
        "said, and prices in the northern provinces were the highest in the country ahead "
        "of the holiday weekend.",
    ),
    (
        "Fuel retailers warn petrol prices will rise before the holiday weekend",
        "Fuel retailers warned on Monday that petrol prices would keep rising before the "
        "holiday weekend, after two coastal refineries slowed for repairs and the average "
        "litre at the pump rose four cents in a third week of increases. Drivers in the "
        "northern provinces paid the most.",
    ),
]


def _article(number: int, title: str | None, text: str) -> Article:
    return Article(
        id=f"p{number}", source=f"p{number}.txt", kind="text", raw=text, text=text,
        title=title, outlet=f"Outlet {number}", published=f"2025-06-0{number + 1}",
    )


def _one_story(
    articles: list[Article], index: StoryIndex | None = None, story_id: str | None = None
) -> StoryState:
    """The articles taken into one story (a new one, or ``story_id`` of the index) in their
    publication order, the grouping decided elsewhere as storylens.spark does; that story."""
    index = index or StoryIndex()
    story_id = story_id or story_id_for(articles[0].id)
    decided = {
        a.id: Assignment(a.id, story_id, 1.0, False, None, b"", 0) for a in articles
    }
    apply(articles, index, decided, FAST)
    return index.stories[story_id]


def test_titles_off_topic_first_article_gives_way_to_central_title() -> None:
    first = _article(0, *OFF_TOPIC)
    others = [_article(n + 1, title, text) for n, (title, text) in enumerate(ON_TOPIC)]
    story = _one_story([first, *others])
    assert story.title in {title for title, _ in ON_TOPIC}
    best = story.candidates[0]
    assert best.title == story.title
    assert all(best.score(story.centroid) >= c.score(story.centroid) for c in story.candidates)


def test_titles_first_untitled_takes_later_members_title() -> None:
    first = _article(0, None, ON_TOPIC[0][1])
    second = _article(1, ON_TOPIC[1][0], ON_TOPIC[1][1])
    story = _one_story([first, second])
    assert story.title == ON_TOPIC[1][0]


def test_titles_untitled_story_gets_central_first_sentence_shortened() -> None:
    articles = [_article(n, None, text) for n, (_, text) in enumerate(ON_TOPIC)]
    story = _one_story(articles)
    assert story.title is not None
    assert story.title.endswith("…")
    assert len(story.title) <= titles.LEAD_CHARS + 1
    body = story.title.removesuffix("…")
    first_sentences = [text.split(". ")[0] for _, text in ON_TOPIC]
    assert any(sentence.startswith(body + " ") for sentence in first_sentences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short and whole.", "Short and whole."),
        ("word " * 30, "word " * 15 + "word…"),
        ("x" * 100, "x" * 80 + "…"),
    ],
)
def test_titles_shorten_at_word_boundary(text: str, expected: str) -> None:
    assert titles.shorten(text.strip()) == expected


def _write_inputs(folder: Path, records: list[tuple[str | None, str]], start: int) -> Path:
    """Each record as a JSON Lines file of its own in a new folder, a day apart."""
    folder.mkdir()
    for offset, (title, text) in enumerate(records):
        number = start + offset
        record = {
            "title": title, "text": text, "outlet": f"Outlet {number}",
            "published": f"2025-06-0{number + 1}T08:00:00Z",
        }
        (folder / f"p{number}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


def test_titles_follow_the_story_across_ingests_into_stored_views(tmp_path: Path) -> None:
    first = _write_inputs(tmp_path / "first", [OFF_TOPIC], 0)
    later = _write_inputs(tmp_path / "later", ON_TOPIC, 1)
    with Store(tmp_path / "t.db") as store:
        ingest([first], store, FAST)
        (story,) = store.stories()
        assert story.title == OFF_TOPIC[0]
        ingest([later], store, FAST)
        grown = store.story(story.id)
        assert grown.article_count == 1 + len(ON_TOPIC)
        assert grown.title in {title for title, _ in ON_TOPIC}
        version, stored = store.stored_story_view(story.id, VIEW_FORMAT)
        assert stored is not None and version[0] == grown.article_count
        assert json.loads(decode_view(stored))["title"] == grown.title


def test_titles_one_ingest_takes_the_central_title(tmp_path: Path) -> None:
    inputs = _write_inputs(tmp_path / "all", [OFF_TOPIC, *ON_TOPIC], 0)
    with Store(tmp_path / "t.db") as store:
        ingest([inputs], store, FAST)
        (story,) = store.stories()
        assert story.article_count == 1 + len(ON_TOPIC)
        assert story.title in {title for title, _ in ON_TOPIC}


def test_titles_story_stored_without_candidates_keeps_its_title(tmp_path: Path) -> None:
    """A story an earlier storylens stored (its title, no candidates) keeps its title while
    those who join lie farther from the centre than it stood."""
    first = _write_inputs(tmp_path / "first", [ON_TOPIC[0]], 0)
    with Store(tmp_path / "t.db") as store:
        ingest([first], store, FAST)
        (story,) = store.stories()
        store.db.execute("UPDATE stories SET title = 'As titled before', title_candidates = NULL")
        index = StoryIndex()
        load_stories(index, store, [story.id])
        grown = _one_story([_article(1, *OFF_TOPIC)], index, story.id)
    assert grown.size == 2
    assert grown.title == "As titled before"
