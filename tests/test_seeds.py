"""The first real input: two reports of 10 Jan 2003 on one event (read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, shared_path

BOILERPLATE = [
    "Sign up for Daily Newsletters",
    "Copyright ©",
    "Comment Policy",
    "Click to Read More",
    "Click to Hide",
    "Click here for reprint permission",
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    seeds = shared_path("seeds")
    cli = Cli(tmp_path_factory.mktemp("seeds") / "seeds.db")
    done = cli("ingest", str(seeds))
    assert done.returncode == 0, done.stderr
    return cli, seeds


@pytest.fixture(scope="module")
def story(seeded: tuple[Cli, Path]) -> dict:
    cli, _ = seeded
    stories = cli.json("stories")
    assert isinstance(stories, list)
    assert len(stories) == 1
    found = cli.json("story", stories[0]["id"])
    assert isinstance(found, dict)
    return found


def test_seeds_form_one_story_with_both_articles(story: dict) -> None:
    assert story["article_count"] == 2
    assert len(story["articles"]) == 2


def test_seeds_both_dated_2003_01_10(story: dict) -> None:
    assert [a["published"] for a in story["articles"]] == ["2003-01-10", "2003-01-10"]


def test_seeds_washington_times_outlet_wire_and_place(story: dict) -> None:
    first = next(a for a in story["articles"] if "UPI" in a["text"])
    assert first["outlet"] == "The Washington Times"
    assert first["wire"] == "UPI"
    assert first["place"] == "Moscow"


def test_seeds_second_outlet_not_invented(story: dict) -> None:
    second = next(a for a in story["articles"] if "UPI" not in a["text"])
    assert second["outlet"] is None
    assert second["title"] == "Russia Expresses Deep Concern over DPRK's Withdrawal from NPT"


def test_seeds_boilerplate_removed(story: dict) -> None:
    for article in story["articles"]:
        for line in BOILERPLATE:
            assert line not in article["text"]
        assert "The Washington Times -" not in article["text"]
        assert "Last updated at" not in article["text"]


def test_seeds_repeated_lead_kept_once(story: dict) -> None:
    second = next(a for a in story["articles"] if "UPI" not in a["text"])
    lead = second["text"].split("\n\n")[0]
    assert len(lead.split()) > 20
    assert second["text"].count(lead) == 1


def test_seeds_ingesting_again_adds_nothing(seeded: tuple[Cli, Path], story: dict) -> None:
    cli, seeds = seeded
    again = cli.json("ingest", str(seeds))
    assert isinstance(again, dict)
    assert again["stored"] == 0
    assert again["duplicates"] == 2
    assert len(cli.json("stories")) == 1  # type: ignore[arg-type]


# -- issue 4: what the outlets of the story said, and who said it ----------------------------


def _by_outlet(story: dict) -> dict[str | None, str]:
    return {a["outlet"]: a["id"] for a in story["articles"]}


def test_seeds_ministry_quote_shortened_in_washington_times(story: dict) -> None:
    matched = [
        q for q in story["quotes"] if "There is no doubt that such a step" in q["statement"]
    ]
    assert len(matched) == 1
    fidelity = {r["outlet"]: r["fidelity"] for r in matched[0]["renditions"]}
    assert fidelity == {"The Washington Times": "shortened", None: "verbatim"}
    assert "Ministry" in (matched[0]["speaker"] or "")
    assert "universal international legal mechanism" in matched[0]["statement"]


def test_seeds_1994_agreement_is_shared(story: dict) -> None:
    shared = [f for f in story["facts"] if f["shared"]]
    agreement = [f for f in shared if all("1994" in s["text"] for s in f["sentences"])]
    assert len(agreement) == 1
    assert {s["outlet"] for s in agreement[0]["sentences"]} == {"The Washington Times", None}


@pytest.mark.parametrize(
    ("outlet", "words"),
    [
        ("The Washington Times", ("Koizumi", "urged", "Putin")),
        (None, ("Yakovenko", "further study")),
        (None, ("keep close contacts", "Yakovenko")),
    ],
)
def test_seeds_exclusive_facts(story: dict, outlet: str | None, words: tuple[str, ...]) -> None:
    article = _by_outlet(story)[outlet]
    label = outlet or f"article {article}"
    exclusive = [s["text"] for f in story["exclusives"][label] for s in f["sentences"]]
    assert any(all(w in text for w in words) for text in exclusive), exclusive
    others = [lab for lab in story["exclusives"] if lab != label]
    for other in others:
        texts = [s["text"] for f in story["exclusives"][other] for s in f["sentences"]]
        assert not any(all(w in text for w in words) for text in texts)


@pytest.mark.parametrize(
    ("speaker", "cue_words"),
    [
        ("Junichiro Koizumi", ("urged", "told", "said", "called")),
        ("Russian Foreign Ministry", ("said",)),
        ("Alexander Rumyantsev", ("said", "saying")),
        ("Alexander Yakovenko", ("said",)),
    ],
)
def test_seeds_speakers_resolved(story: dict, speaker: str, cue_words: tuple[str, ...]) -> None:
    theirs = [a for a in story["attributions"] if a["speaker"] == speaker]
    assert theirs, sorted({a["speaker"] or "" for a in story["attributions"]})
    assert any(a["cue"].split()[-1] in cue_words for a in theirs)


def test_seeds_described_speakers_point_back_to_names(story: dict) -> None:
    written = {(a["speaker_text"] or "").lower(): a["speaker"] for a in story["attributions"]}
    assert written["the japanese premier"] == "Junichiro Koizumi"
    assert written["the ministry"] == "Russian Foreign Ministry"
    assert written["he"] == "Junichiro Koizumi"


# -- issue 5: entities and events ---------------------------------------------------------------


def _event(story: dict, kind: str, source: str, target: str | None) -> dict:
    """The story's event of this type from a source with this code (and sector GOV) to a
    target with that code (None: any or no target)."""
    for event in story["events"]:
        if event["type"] != kind:
            continue
        sources = {(a["code"], a["sector"]) for a in event["source"]}
        targets = {(a["code"], a["sector"]) for a in event["target"]}
        if (source, "GOV") in sources and (target is None or (target, "GOV") in targets):
            return event
    raise AssertionError(f"no {source} GOV -> {kind} -> {target} event in {story['events']}")


@pytest.mark.parametrize(
    ("kind", "source", "target", "articles"),
    [
        ("ACCUSE", "RUS", "PRK", 2),  # concern over the NPT withdrawal, in both
        ("REQUEST", "JPN", "PRK", 2),  # reverse its decision, in both
        ("REQUEST", "JPN", "RUS", 1),  # Koizumi urging Putin to intervene: one outlet
        ("CONSULT", "JPN", "RUS", 2),  # the visit and the Moscow talks
        ("SANCTION", "PRK", None, 2),  # withdrawing from the NPT
    ],
)
def test_seeds_events_counted_once_with_their_mentions(
    story: dict, kind: str, source: str, target: str | None, articles: int
) -> None:
    event = _event(story, kind, source, target)
    assert event["num_articles"] == articles
    assert len({m["article_id"] for m in event["mentions"]}) == articles
    assert event["date"] == "2003-01-10"
    assert all(m["sentence"] for m in event["mentions"])


def test_seeds_events_each_once(story: dict) -> None:
    keys = [
        (e["type"], tuple(sorted((a["code"] or a["name"]) for a in e["source"])),
         tuple(sorted((a["code"] or a["name"]) for a in e["target"])), e["date"])
        for e in story["events"]
    ]
    assert len(keys) == len(set(keys))


def _entity(story: dict, name: str) -> dict:
    for entity in story["entities"]:
        if entity["name"] == name:
            return entity
    raise AssertionError(f"no entity {name} in {[e['name'] for e in story['entities']]}")


@pytest.mark.parametrize(
    ("name", "code", "sector", "written"),
    [
        ("North Korea", "PRK", "GOV",
         {"DPRK", "Democratic People's Republic of Korea", "North Korea", "Pyongyang"}),
        ("Junichiro Koizumi", "JPN", "GOV", {"Koizumi", "the Japanese premier"}),
        ("Russian Foreign Ministry", "RUS", "GOV", {"Russian Foreign Ministry"}),
        ("Russia", "RUS", "GOV", {"Russia", "Moscow"}),
        ("Vladimir Putin", "RUS", "GOV", {"Putin"}),
        ("Alexander Yakovenko", "RUS", "GOV", {"Yakovenko"}),
        ("Alexander Rumyantsev", "RUS", "GOV", {"Rumyantsev"}),
        ("Kim Jong Il", "PRK", "GOV", {"Kim Jong Il"}),  # "North Korea's leader Kim Jong Il"
    ],
)
def test_seeds_entities_merged(
    story: dict, name: str, code: str, sector: str, written: set[str]
) -> None:
    entity = _entity(story, name)
    assert (entity["code"], entity["sector"]) == (code, sector)
    assert written <= set(entity["aliases"])


def test_seeds_entity_titles_kept_as_attributes(story: dict) -> None:
    assert _entity(story, "Junichiro Koizumi")["titles"] == ["Prime Minister"]


def test_seeds_entity_command_lists_its_events(seeded: tuple[Cli, Path]) -> None:
    cli, _ = seeded
    found = cli.json("entity", "DPRK")
    assert isinstance(found, dict)
    assert found["name"] == "North Korea"
    assert {"ACCUSE", "REQUEST"} <= {e["type"] for e in found["events"]}


# What each party of the seeds' story did, as the two reports tell it: Russia and Japan judge
# the withdrawal, ask North Korea to reverse it, and meet; China is concerned; Japan says it
# will work with others; North Korea withdraws and refuses to abide by its agreements.
SEEDS_ACTS = {
    "RUS": {"ACCUSE", "REQUEST", "CONSULT"},
    "JPN": {"ACCUSE", "REQUEST", "CONSULT", "AGREE"},
    "CHN": {"ACCUSE"},
    "PRK": {"SANCTION", "REJECT"},
}


def test_seeds_events_done_by_their_sources(story: dict) -> None:
    for event in story["events"]:
        for actor in event["source"]:
            assert event["type"] in SEEDS_ACTS.get(actor["code"], set()), (event["type"], actor)
