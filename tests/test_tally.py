"""Counting once: reports of the same event in a story become one Event, with how many
articles and outlets report it; wire copies count as the outlet they copy."""

from __future__ import annotations

from eventdata import CHINA, JAPAN, KOIZUMI, NORTH_KOREA, event_mention, make_article

from storylens.compare.tally import actor_key, count_entities, count_once
from storylens.model import Actor, Mention

TALKS = "Japan urged North Korea to return to the talks."


def test_tally_same_event_from_two_outlets_counted_once() -> None:
    a = make_article("a", "Planet", "2024-03-01T09:00:00Z", [TALKS])
    b = make_article("b", "Gazette", "2024-03-01T10:00:00Z", [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    (event,) = count_once("s", [a, b], mentions)
    assert (event.num_articles, event.num_outlets) == (2, 2)
    assert [m.article_id for m in event.mentions] == ["a", "b"]


def test_tally_wire_copy_counts_as_the_outlet_it_copies() -> None:
    a = make_article("a", "Planet", "2024-03-01T09:00:00Z", [TALKS])
    b = make_article("b", "Courier", "2024-03-01T10:00:00Z", [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    (event,) = count_once("s", [a, b], mentions, {"a": None, "b": "a"})
    assert (event.num_articles, event.num_outlets) == (2, 1)


def test_tally_articles_without_outlet_each_count_as_their_own() -> None:
    a = make_article("a", None, "2024-03-01", [TALKS])
    b = make_article("b", None, "2024-03-01", [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    (event,) = count_once("s", [a, b], mentions)
    assert event.num_outlets == 2


def test_tally_dates_two_days_apart_are_two_events() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    b = make_article("b", "Gazette", "2024-03-03", [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    events = count_once("s", [a, b], mentions)
    assert [e.date for e in events] == ["2024-03-01", "2024-03-03"]


def test_tally_dates_a_day_apart_chain_into_one_event() -> None:
    articles = [
        make_article(f"a{day}", f"Outlet {day}", f"2024-03-0{day}", [TALKS]) for day in (1, 2, 3)
    ]
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in articles]
    (event,) = count_once("s", articles, mentions)
    assert (event.date, event.num_articles) == ("2024-03-01", 3)


def test_tally_different_targets_are_two_events() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    b = make_article("b", "Gazette", "2024-03-01", [TALKS])
    events = count_once(
        "s",
        [a, b],
        [
            event_mention(a, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged"),
            event_mention(b, "CONSULT", (JAPAN,), (CHINA,), "urged"),
        ],
    )
    assert len(events) == 2


def test_tally_different_types_are_two_events() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    events = count_once(
        "s",
        [a],
        [
            event_mention(a, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged"),
            event_mention(a, "DEMAND", (JAPAN,), (NORTH_KOREA,), "urged"),
        ],
    )
    assert [e.type for e in events] == ["CONSULT", "DEMAND"]


def test_tally_actors_with_same_code_and_sector_are_the_same_actor() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    b = make_article("b", "Gazette", "2024-03-01", [TALKS])
    (event,) = count_once(
        "s",
        [a, b],
        [
            event_mention(a, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged"),
            event_mention(b, "CONSULT", (KOIZUMI,), (NORTH_KOREA,), "urged"),
        ],
    )
    assert event.num_articles == 2


def test_tally_actor_key_falls_back_to_entity_then_name() -> None:
    assert actor_key(Actor("Japan", "JPN", "GOV", "e1")) == "JPNGOV"
    assert actor_key(Actor("Red Cross", None, None, "e2")) == "e2"
    assert actor_key(Actor("The Rebels", None, None)) == "the rebels"


def test_tally_undated_mention_joins_dated_event() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    b = make_article("b", "Gazette", None, [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    (event,) = count_once("s", [a, b], mentions)
    assert (event.date, event.num_articles) == ("2024-03-01", 2)


def test_tally_event_takes_best_actors_earliest_date_most_common_mode() -> None:
    a = make_article("a", "Planet", "2024-03-02", [TALKS])
    b = make_article("b", "Gazette", "2024-03-01", [TALKS])
    c = make_article("c", "Courier", "2024-03-02", [TALKS])
    (event,) = count_once(
        "s",
        [a, b, c],
        [
            event_mention(
                a, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged", confidence=0.5, mode="visit"
            ),
            event_mention(b, "CONSULT", (KOIZUMI,), (NORTH_KOREA,), "urged", confidence=0.9),
            event_mention(
                c, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged", confidence=0.4, mode="visit"
            ),
        ],
    )
    assert event.source == (KOIZUMI,)
    assert (event.date, event.mode, event.confidence) == ("2024-03-01", "visit", 0.9)


def test_tally_mentions_in_publication_order_and_first_url() -> None:
    a = make_article("a", "Planet", "2024-03-01T12:00:00Z", [TALKS], url="https://p/a")
    b = make_article("b", "Gazette", "2024-03-01T08:00:00Z", [TALKS])
    c = make_article("c", "Courier", "2024-03-01T10:00:00Z", [TALKS], url="https://c/c")
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b, c)]
    (event,) = count_once("s", [a, b, c], mentions)
    assert [m.article_id for m in event.mentions] == ["b", "c", "a"]
    assert event.first_url == "https://c/c"


def test_tally_event_id_stable_across_runs_and_input_order() -> None:
    a = make_article("a", "Planet", "2024-03-01", [TALKS])
    b = make_article("b", "Gazette", "2024-03-01", [TALKS])
    mentions = [event_mention(x, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged") for x in (a, b)]
    first = count_once("s", [a, b], mentions)
    again = count_once("s", [b, a], list(reversed(mentions)))
    assert [e.id for e in first] == [e.id for e in again]
    assert len(first[0].id) == 16 and int(first[0].id, 16) >= 0
    assert count_once("other story", [a, b], mentions)[0].id != first[0].id


def test_tally_events_sorted_by_date_then_type() -> None:
    a = make_article("a", "Planet", "2024-03-05", [TALKS])
    mentions = [
        event_mention(a, "DEMAND", (JAPAN,), (NORTH_KOREA,), "urged", date="2024-03-01"),
        event_mention(a, "CONSULT", (JAPAN,), (NORTH_KOREA,), "urged", date="2024-03-05"),
        event_mention(a, "AGREE", (JAPAN,), (NORTH_KOREA,), "urged", date="2024-03-05"),
    ]
    events = count_once("s", [a], mentions)
    assert [(e.date, e.type) for e in events] == [
        ("2024-03-01", "DEMAND"),
        ("2024-03-05", "AGREE"),
        ("2024-03-05", "CONSULT"),
    ]


def test_tally_count_entities_most_mentioned_first() -> None:
    mentions = [
        Mention("a", "e-nk", "North Korea", "place", "Pyongyang", (0, 9), "PRK"),
        Mention("a", "e-nk", "North Korea", "place", "North Korea", (20, 31), "PRK"),
        Mention("b", "e-nk", "North Korea", "place", "DPRK", (0, 4), "PRK"),
        Mention("b", "e-jp", "Japan", "place", "Japan", (10, 15), "JPN"),
    ]
    nk, jp = count_entities(mentions)
    assert (nk.name, nk.mentions, nk.articles) == ("North Korea", 3, 2)
    assert nk.aliases == ["DPRK", "North Korea", "Pyongyang"]
    assert (jp.name, jp.mentions) == ("Japan", 1)
