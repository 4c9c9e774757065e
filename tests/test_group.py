"""Story grouping on small hand-made cases."""

from __future__ import annotations

import pytest

from storylens.clean.cleaner import clean
from storylens.group.stories import FEATURES, StoryIndex, group, merge_model, text_kind
from storylens.model import Article, Draft
from storylens.options import Options

FIRE_A = (
    "KESSLOW, June 3 — A fire broke out on Tuesday at the Brannock paper mill in Kesslow, "
    "injuring two workers and forcing the evacuation of 300 nearby homes, fire chief Ada Voss "
    "said. Firefighters battled the blaze at the paper mill for six hours. The cause of the "
    "Kesslow mill fire is under investigation, Voss said."
)
FIRE_A2 = (
    "Two workers were hurt when fire swept through the Brannock paper mill in Kesslow on "
    "Tuesday, and about 300 homes were evacuated. Chief Ada Voss said crews fought the mill "
    "blaze for six hours and that investigators were looking into the cause of the fire."
)
FIRE_B = (
    "DORRAN, Sept 9 — A fire destroyed a warehouse at the Peltwick textile plant in Dorran on "
    "Monday, officials said. No one was injured. Plant manager Cyrus Hale said the warehouse "
    "held cotton bales and that production would resume within a week."
)
FLOOD = (
    "Heavy rain flooded the low streets of Marwick on Thursday, and the river rose two metres "
    "above its usual level. The town council opened a shelter in the school gym, and the "
    "mayor asked residents to stay away from the embankment until the water fell."
)


def _article(text: str, published: str, source: str) -> Article:
    result = clean(Draft(source=source, kind="text", raw=text + source, text=text,
                         published=published))
    assert isinstance(result, Article)
    return result


def _stories(articles: list[Article], options: Options | None = None) -> list[str]:
    assignments = group(articles, StoryIndex(), options or Options())
    by_id = {a.article_id: a.story_id for a in assignments}
    return [by_id[a.id] for a in articles]


def test_group_same_event_two_outlets_one_story() -> None:
    ids = _stories([_article(FIRE_A, "2025-06-03", "a"), _article(FIRE_A2, "2025-06-03", "b")])
    assert ids[0] == ids[1]


@pytest.mark.parametrize("other", [FIRE_B, FLOOD])
def test_group_different_events_two_stories(other: str) -> None:
    ids = _stories([_article(FIRE_A, "2025-06-03", "a"), _article(other, "2025-06-04", "b")])
    assert ids[0] != ids[1]


def test_group_reprint_marked_as_wire_copy() -> None:
    original = _article(FIRE_A, "2025-06-03T08:00:00Z", "wire")
    reprint = _article(FIRE_A + " Copyright 2025 The Kesslow Echo.", "2025-06-03T10:00:00Z", "r")
    assignments = group([original, reprint], StoryIndex(), Options())
    assert assignments[0].story_id == assignments[1].story_id
    assert assignments[0].wire_copy_of is None
    assert assignments[1].wire_copy_of == original.id


def test_group_follow_up_after_window_opens_new_story() -> None:
    options = Options(story_window_hours=72)
    ids = _stories(
        [_article(FIRE_A, "2025-06-03", "a"), _article(FIRE_A2, "2025-06-20", "b")], options
    )
    assert ids[0] != ids[1]


def test_group_late_follow_up_inside_window_joins() -> None:
    options = Options(story_window_hours=72)
    ids = _stories(
        [_article(FIRE_A, "2025-06-03", "a"), _article(FIRE_A2, "2025-06-05", "b")], options
    )
    assert ids[0] == ids[1]


def test_group_story_id_stable_when_articles_arrive_later() -> None:
    index = StoryIndex()
    first = group([_article(FIRE_A, "2025-06-03", "a")], index, Options())
    later = group([_article(FIRE_A2, "2025-06-03", "b")], index, Options())
    assert later[0].story_id == first[0].story_id


HEADLINE_A = "Kesslow paper mill fire injures two workers"
HEADLINE_B = "Fire at Kesslow paper mill: two workers hurt, homes evacuated"


@pytest.mark.parametrize(
    ("later", "together"),
    [("2025-06-03T09:30:00Z", True), ("2025-06-05T02:00:00Z", False)],
)
def test_group_headlines_same_story_only_while_fresh(later: str, together: bool) -> None:
    """Headlines share few words; the merge decision learned that a headline stream's story is
    short-lived, so the same words 42 hours on start a new story (a full article would join:
    see test_group_late_follow_up_inside_window_joins)."""
    first = _article(HEADLINE_A, "2025-06-03T08:00:00Z", "a")
    second = _article(HEADLINE_B, later, "b")
    ids = _stories([first, second])
    assert (ids[0] == ids[1]) is together


@pytest.mark.parametrize(
    ("text", "kind"),
    [(HEADLINE_A, "headline"), (FIRE_A, "article")],
)
def test_group_text_kind_by_length(text: str, kind: str) -> None:
    assert text_kind(_article(text, "2025-06-03", "a")) == kind


def test_group_merge_model_matches_features() -> None:
    model = merge_model()
    assert set(model.weights) == {
        "headline", "article", "headline+embeddings", "article+embeddings"
    }
    assert all(len(w) == 1 + len(FEATURES) for w in model.weights.values())
