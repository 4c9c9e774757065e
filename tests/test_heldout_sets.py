"""The held-out sets in storylens/bench/data, written by us for issue 17: the entity reports
read back by bench entities' reader and the event records by bench events' reader, with
their counts and labels checked (their scores are measured, not gated here)."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

from storylens.bench.entities import TYPES, read_conll
from storylens.bench.events import PLOVER_TYPES, read_plover

DATA = Path(str(resources.files("storylens") / "bench" / "data"))
ENTITIES = DATA / "heldout-entities.conll"
EVENTS = DATA / "heldout-events.jsonl"
TAGS = {"O", "I-PER", "I-LOC", "I-ORG", "I-MISC"}
# Sectors as the PLOVER gold records use them; IGO and NGO stand for bodies of no one country.
SECTORS = {
    "GOV", "MIL", "REB", "COP", "OPP", "CVL", "LAB", "BUS", "JUD", "LEG", "MED", "EDU", "REF",
    "JRN", "AGR", "CRM", "UAF",
}


def _documents_of_lines() -> list[list[list[tuple[str, str]]]]:
    """The entity file's documents, each a list of sentences of (token, tag)."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in ENTITIES.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if fields and fields[0] == "-DOCSTART-":
            assert fields == ["-DOCSTART-", "O"]
            documents.append([])
        elif fields:
            assert len(fields) == 2, line
            sentence.append((fields[0], fields[1]))
        elif sentence:
            documents[-1].append(sentence)
            sentence = []
    assert not sentence, "the file ends with a blank line"
    return documents


def test_heldout_entities_parse_with_counts_and_valid_tags() -> None:
    by_lines = _documents_of_lines()
    documents = read_conll(ENTITIES)
    assert len(documents) == len(by_lines) >= 40
    tags = Counter(tag for d in by_lines for s in d for _, tag in s)
    assert set(tags) == TAGS
    for lines, document in zip(by_lines, documents, strict=True):
        assert 4 <= len(lines) <= 9  # a headline and 3 to 8 sentences
        rebuilt = "\n".join(" ".join(token for token, _ in s) for s in lines)
        assert document.text == rebuilt
        for start, end, kind in document.spans:
            words = document.text[start:end]
            assert kind in TYPES and words == words.strip() and "\n" not in words
            assert words[0].isalnum(), words
    kinds = Counter(kind for d in documents for *_, kind in d.spans)
    assert sum(kinds.values()) >= 500
    assert min(kinds[kind] for kind in TYPES) >= 100
    misc = sum(1 for d in by_lines for s in d for i, (_, tag) in enumerate(s)
               if tag == "I-MISC" and (i == 0 or s[i - 1][1] != "I-MISC"))
    assert misc >= 30


def test_heldout_events_parse_with_counts_and_valid_codes() -> None:
    lines = [line for line in EVENTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    gold = read_plover(EVENTS)
    assert len(gold) == len(records) >= 80
    assert len({r["id"] for r in records}) == len(records)
    kinds = Counter(g.type for g in gold)
    assert set(kinds) == set(PLOVER_TYPES) and min(kinds.values()) >= 5
    for record, event in zip(records, gold, strict=True):
        assert record["event"] == event.type  # current type names only
        assert record["text"] == event.text and event.date is not None
        assert event.text.endswith(".") and "\n" not in event.text
        assert event.source or event.target
        for actor in [*record["source"], *record["target"]]:
            assert set(actor) <= {"actorText", "code", "sector"} and actor["actorText"]
            assert actor["actorText"] in event.text, actor
            assert re.fullmatch("[A-Z]{3}", actor["code"]), actor
            assert actor.get("sector", "GOV") in SECTORS, actor
