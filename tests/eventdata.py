"""Small invented stories with entity and event mentions, built by hand and written through
the real Store.write_batch, for the store, view, CLI and export tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from test_compare import make_article as compare_article

from storylens.group.stories import StoryIndex, StoryState
from storylens.model import Actor, Article, Assignment, EventMention, Mention
from storylens.store import Store

JAPAN = Actor("Japan", "JPN", "GOV", "e-japan", "Japan")
NORTH_KOREA = Actor("North Korea", "PRK", "GOV", "e-nk", "North Korea")
CHINA = Actor("China", "CHN", "GOV", "e-china", "Beijing")
KOIZUMI = Actor("Junichiro Koizumi", "JPN", "GOV", "e-koizumi", "Koizumi")


def make_article(
    article_id: str,
    outlet: str | None,
    published: str | None,
    sentences: list[str],
    url: str | None = None,
) -> Article:
    """An article with one sentence a paragraph (test_compare's), its first sentence as its
    title, with a date and an address."""
    return replace(
        compare_article(article_id, outlet, sentences),
        title=sentences[0],
        url=url,
        published=published,
    )


def event_mention(
    article: Article,
    type_: str,
    source: tuple[Actor, ...],
    target: tuple[Actor, ...],
    trigger: str,
    date: str | None = None,
    confidence: float = 0.8,
    mode: str | None = None,
    place: str | None = None,
) -> EventMention:
    """An event reported in the first sentence of the article holding ``trigger``."""
    sentence = next(s for s in article.sentences if trigger in s.text)
    start = sentence.start + sentence.text.index(trigger)
    return EventMention(
        article_id=article.id,
        type=type_,
        mode=mode,
        source=source,
        target=target,
        date=date if date is not None else article.published_date,
        place=place,
        sentence=sentence.text,
        sentence_span=(sentence.start, sentence.end),
        trigger=trigger,
        trigger_span=(start, start + len(trigger)),
        confidence=confidence,
    )


def mention(
    article: Article,
    entity_id: str,
    name: str,
    kind: str,
    text: str,
    code: str | None = None,
    sector: str | None = None,
    title: str | None = None,
) -> Mention:
    """A mention of an entity at the first place ``text`` is written in the article."""
    start = article.text.index(text)
    return Mention(
        article.id, entity_id, name, kind, text, (start, start + len(text)), code, sector, title
    )


def write_stories(
    store: Store,
    stories: dict[str, list[tuple[Article, str | None]]],
    mentions: Sequence[Mention] = (),
    events: Sequence[EventMention] = (),
) -> None:
    """Write stories (story id -> its articles in order, each with the id of the article it
    is a wire copy of) in one batch, with these mentions and event mentions."""
    index = StoryIndex()
    articles, assignments = [], []
    for story_id, members in stories.items():
        stamps = [a.timestamp for a, _ in members if a.timestamp is not None]
        index.stories[story_id] = StoryState(
            id=story_id,
            centroid={"word": 1.0},
            first_ts=min(stamps) if stamps else None,
            last_ts=max(stamps) if stamps else None,
            size=len(members),
            title=members[0][0].title,
        )
        index.changed.add(story_id)
        for position, (article, copy_of) in enumerate(members):
            articles.append(article)
            assignments.append(
                Assignment(article.id, story_id, 1.0, position == 0, copy_of, b"", position)
            )
    by_article: dict[str, list[Mention]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    by_article_events: dict[str, list[EventMention]] = {}
    for e in events:
        by_article_events.setdefault(e.article_id, []).append(e)
    store.write_batch(
        articles, assignments, index, [], mentions=by_article, events=by_article_events
    )


def _demo_articles() -> tuple[Article, Article, Article, Article]:
    """The demo's articles: three reports of the talks (a3 a wire copy of a1), then b1."""
    a1 = make_article(
        "a1",
        "Daily Planet",
        "2024-03-01T09:00:00Z",
        [
            "Japan urged North Korea on Friday to return to the talks.",
            "Prime Minister Koizumi said the door stayed open.",
        ],
        url="https://planet.example/a1",
    )
    a2 = make_article(
        "a2",
        "Gazette",
        "2024-03-01T15:00:00Z",
        [
            "Tokyo called on Pyongyang to resume talks.",
            "Koizumi spoke to reporters in Tokyo.",
        ],
        url="https://gazette.example/a2",
    )
    a3 = make_article(
        "a3",
        "Courier",
        "2024-03-01T18:00:00Z",
        [
            "Japan urged North Korea on Friday to return to the talks.",
            "Prime Minister Koizumi said the door stayed open.",
        ],
    )
    b1 = make_article(
        "b1",
        None,
        "2024-03-08",
        ["China criticised North Korea\tfor the launch.", "Beijing said Japan was consulted."],
    )
    return a1, a2, a3, b1


def _demo_mentions(a1: Article, a2: Article, a3: Article, b1: Article) -> list[Mention]:
    """The entity mentions of the demo's articles."""
    return [
        mention(a1, "e-japan", "Japan", "place", "Japan", "JPN"),
        mention(a1, "e-nk", "North Korea", "place", "North Korea", "PRK"),
        mention(
            a1,
            "e-koizumi",
            "Junichiro Koizumi",
            "person",
            "Koizumi",
            "JPN",
            "GOV",
            "Prime Minister",
        ),
        mention(a2, "e-japan", "Japan", "place", "Tokyo", "JPN"),
        mention(a2, "e-nk", "North Korea", "place", "Pyongyang", "PRK"),
        mention(a2, "e-koizumi", "Junichiro Koizumi", "person", "Koizumi", "JPN", "GOV"),
        mention(a3, "e-japan", "Japan", "place", "Japan", "JPN"),
        mention(a3, "e-nk", "North Korea", "place", "North Korea", "PRK"),
        mention(b1, "e-china", "China", "place", "China", "CHN"),
        mention(b1, "e-nk", "North Korea", "place", "North Korea", "PRK"),
        mention(b1, "e-japan", "Japan", "place", "Japan", "JPN"),
    ]


def _demo_events(a1: Article, a2: Article, a3: Article, b1: Article) -> list[EventMention]:
    """The event mentions of the demo's articles."""
    return [
        event_mention(
            a1, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged", confidence=0.9, mode="talks"
        ),
        event_mention(a2, "CONSULT", (KOIZUMI,), (NORTH_KOREA,), "called on", confidence=0.7),
        event_mention(
            a3, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged", confidence=0.9, mode="talks"
        ),
        event_mention(
            b1,
            "DISAPPROVE",
            (CHINA,),
            (NORTH_KOREA,),
            "criticised",
            confidence=0.6,
            place="Beijing",
        ),
    ]


def build_demo_store(path: Path) -> Path:
    """Two stories: talks urged by Japan and reported by two outlets and a wire copy, and a
    Chinese criticism of North Korea a week later; with entity mentions of all four actors."""
    a1, a2, a3, b1 = _demo_articles()
    mentions = _demo_mentions(a1, a2, a3, b1)
    events = _demo_events(a1, a2, a3, b1)
    with Store(path) as store:
        write_stories(
            store,
            {"s-talks": [(a1, None), (a2, None), (a3, "a1")], "s-launch": [(b1, None)]},
            mentions,
            events,
        )
    return path
