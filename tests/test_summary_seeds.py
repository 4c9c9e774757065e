"""The seeds' story summary (issue 20, acceptance 1): two reports of 10 Jan 2003 on Russia's
reaction to North Korea leaving the NPT (read from ../shared). The withdrawal, Russia's concern
and the 1994 agreement are facts both outlets are cited for; Koizumi urging Putin is listed
under The Washington Times only; every offset points at the cited outlet's sentence. The
summary is stored with the story's view at ingest, and is in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, shared_path

from storylens import Store
from storylens.read.stored import decode_view
from storylens.read.views import VIEW_FORMAT

TIMES = "The Washington Times"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict]:
    seeds = shared_path("seeds")
    cli = Cli(tmp_path_factory.mktemp("summary-seeds") / "seeds.db")
    done = cli("ingest", str(seeds))
    assert done.returncode == 0, done.stderr
    stories = cli.json("stories")
    assert isinstance(stories, list) and len(stories) == 1
    story = cli.json("story", stories[0]["id"])
    assert isinstance(story, dict)
    return cli, story


@pytest.fixture(scope="module")
def story(seeded: tuple[Cli, dict]) -> dict:
    return seeded[1]


def _other(story: dict) -> str:
    """The label of the second seed, whose page names no outlet: its article."""
    unnamed = [a["id"] for a in story["articles"] if a["outlet"] is None]
    assert len(unnamed) == 1
    return f"article {unnamed[0]}"


def _cited_texts(story: dict, sentence: dict) -> dict[str, str]:
    """Outlet -> the text its citation's offsets cut from its article."""
    texts = {a["id"]: a["text"] for a in story["articles"]}
    return {c["outlet"]: texts[c["article_id"]][c["start"] : c["end"]] for c in sentence["outlets"]}


@pytest.mark.parametrize(
    ("fact", "words"),
    [
        ("the withdrawal", ("withdraw", "Non-Proliferation Treaty")),
        ("Russia's concern", ("concern",)),
        ("the 1994 agreement", ("1994", "agreement")),
    ],
)
def test_summary_seeds_fact_cited_by_both_outlets(
    story: dict, fact: str, words: tuple[str, ...]
) -> None:
    assert story["summary"]["kind"] == "shared"
    both = {TIMES, _other(story)}
    found = [
        s for s in story["summary"]["sentences"]
        if {c["outlet"] for c in s["outlets"]} == both
        and any(all(w in text for w in words) for text in _cited_texts(story, s).values())
    ]
    assert found, f"{fact}: {[s['text'] for s in story['summary']['sentences']]}"


def test_summary_seeds_koizumi_urging_putin_under_washington_times_only(story: dict) -> None:
    summary = story["summary"]

    def urging(text: str) -> bool:
        return all(w in text for w in ("Koizumi", "urged", "Putin"))

    own = {g["outlet"]: [s["text"] for s in g["sentences"]] for g in summary["exclusives"]}
    assert any(urging(t) for t in own[TIMES]), own[TIMES]
    assert not any(urging(t) for label, texts in own.items() if label != TIMES for t in texts)
    assert not any(urging(s["text"]) for s in summary["sentences"])


def test_summary_seeds_offsets_point_at_the_cited_sentences(story: dict) -> None:
    """Every sentence shown is its article's text at its offsets, and every citation's offsets
    cut from the cited outlet's article exactly the sentence the comparison aligned there."""
    texts = {a["id"]: a["text"] for a in story["articles"]}
    outlets = {a["id"]: a["outlet"] or f"article {a['id']}" for a in story["articles"]}
    aligned = {
        (s["article_id"], s["index"]): (s["start"], s["end"], s["text"], fact["outlets"])
        for fact in story["facts"] for s in fact["sentences"]
    }
    summary = story["summary"]
    shown = [*summary["sentences"], *(s for g in summary["exclusives"] for s in g["sentences"])]
    assert len(shown) >= 5
    for sentence in shown:
        whole = texts[sentence["article_id"]]
        assert whole[sentence["start"] : sentence["end"]] == sentence["text"]
        fact_outlets = aligned[(sentence["article_id"], sentence["index"])][3]
        assert sorted(c["outlet"] for c in sentence["outlets"]) == sorted(fact_outlets)
        for citation in sentence["outlets"]:
            start, end, text, _ = aligned[(citation["article_id"], citation["index"])]
            assert (citation["start"], citation["end"]) == (start, end)
            assert texts[citation["article_id"]][start:end] == text
            assert outlets[citation["article_id"]] == citation["outlet"]


def test_summary_seeds_stored_with_the_view_at_ingest(seeded: tuple[Cli, dict]) -> None:
    cli, story = seeded
    with Store(cli.db, create=False) as store:
        _, stored = store.stored_story_view(story["id"], VIEW_FORMAT)
    assert stored is not None
    assert json.loads(decode_view(stored))["summary"] == story["summary"]


def test_summary_seeds_in_the_report(seeded: tuple[Cli, dict], tmp_path: Path) -> None:
    cli, story = seeded
    out = tmp_path / "report.html"
    done = cli("report", story["id"], "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    summary = html[html.index('<section id="summary">') : html.index("</section>")]
    assert "1994 agreement" in summary
    assert f"Only in {TIMES}" in summary and "urged President Vladimir Putin" in summary


def test_summary_seeds_in_the_story_command(seeded: tuple[Cli, dict]) -> None:
    cli, story = seeded
    done = cli("story", story["id"])
    assert done.returncode == 0, done.stderr
    head = " ".join(done.stdout.split("== ")[0].split())  # as one line, however wrapped
    assert "Summary" in head and "1994 agreement" in head and TIMES in head
