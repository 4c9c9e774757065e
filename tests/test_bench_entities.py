"""bench entities: CoNLL files read back into texts and gold spans, typed spans scored, the
command's figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli

from storylens.bench.entities import Span, parse_conll, score_spans

# Two documents of our own words, tagged IOB2: two people side by side are two spans.
IOB2 = """\
-DOCSTART- O

Marta B-PER
Quill I-PER
joined O
Harbour B-ORG
Lantern I-ORG
Bakery I-ORG
in O
Dunmore B-LOC
. O

The O
Fenwick B-MISC
Prize I-MISC
went O
to O
Ana B-PER
Ben B-PER
. O
-DOCSTART- O

Pellow B-LOC
Vale I-LOC
welcomed O
Oskar B-PER
Treadle I-PER
. O
"""

# The same documents tagged IO (where the two people are one run), tab-separated.
IO = IOB2.replace(" B-", " I-").replace(" O\n", "\tO\n").replace(" I-", "\tI-")

FIRST = (
    "Marta Quill joined Harbour Lantern Bakery in Dunmore .\n"
    "The Fenwick Prize went to Ana Ben ."
)
SECOND = "Pellow Vale welcomed Oskar Treadle ."


def _span(text: str, words: str, kind: str) -> Span:
    start = text.index(words)
    return (start, start + len(words), kind)


def test_bench_entities_conll_iob2_read_into_texts_and_spans() -> None:
    first, second = parse_conll(IOB2.splitlines())
    assert first.text == FIRST
    assert first.spans == {
        _span(FIRST, "Marta Quill", "PER"),
        _span(FIRST, "Harbour Lantern Bakery", "ORG"),
        _span(FIRST, "Dunmore", "LOC"),
        _span(FIRST, "Ana", "PER"),
        _span(FIRST, "Ben", "PER"),
    }
    assert second.text == SECOND
    assert second.spans == {
        _span(SECOND, "Pellow Vale", "LOC"), _span(SECOND, "Oskar Treadle", "PER")
    }


def test_bench_entities_conll_io_read_into_texts_and_spans() -> None:
    first, second = parse_conll(IO.splitlines())
    assert (first.text, second.text) == (FIRST, SECOND)
    assert _span(FIRST, "Ana Ben", "PER") in first.spans
    assert len(first.spans) == 4
    assert second.spans == parse_conll(IOB2.splitlines())[1].spans


def test_bench_entities_score_spans_exact_typed() -> None:
    gold = [frozenset({(0, 5, "PER"), (6, 10, "ORG"), (20, 25, "LOC")}), frozenset({(0, 3, "PER")})]
    predicted = [{(0, 5, "PER"), (6, 10, "LOC"), (30, 35, "ORG")}, set[Span]()]
    scores = score_spans(predicted, gold)
    assert scores["precision"] == pytest.approx(1 / 3)
    assert scores["recall"] == pytest.approx(1 / 4)
    assert scores["f1"] == pytest.approx(2 / 7)


def test_bench_entities_bench_command_json(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "small.conll"
    path.write_text(IOB2, encoding="utf-8")
    figures = cli.json("bench", "entities", str(path), db=False)
    assert isinstance(figures, dict)
    assert figures["documents"] == 2
    assert figures["gold_spans"] == 7
    for key in ("precision", "recall", "f1", "reference_precision", "reference_recall",
                "reference_f1"):
        assert 0.0 <= figures[key] <= 1.0
    assert figures["seconds"] >= 0.0 and figures["reference_seconds"] >= 0.0


def test_bench_entities_bench_command_missing_file(cli: Cli, tmp_path: Path) -> None:
    done = cli("bench", "entities", str(tmp_path / "absent.conll"), db=False)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "absent.conll" in done.stderr
