"""Invented articles for the alerts' tests: a ferry story reported by two outlets, then by a
third (the story grows), and an orchestra story that no ferry alert matches. Every outlet,
place and event here is made up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storylens import Options

# Fast: no language models (the alerts read what the story list reads).
FAST = Options(
    worker_processes=1, extract_attributions=False, extract_events=False,
    store_story_views=False,
)

FERRY = (
    "The Lantern Bay ferry service was suspended on Monday after a cracked hull was found on "
    "the vessel Gullwing during a routine inspection, harbour officials said. Inspectors in "
    "Lantern Bay said the Gullwing ferry would stay in dock for repairs to the hull for at "
    "least two weeks."
)
ORCHESTRA = (
    "The Millbrook youth orchestra won the regional brass competition on Saturday with a new "
    "piece by its conductor, organisers said. The Millbrook orchestra beat eleven other bands "
    "in the final round."
)


def _record(key: str, outlet: str, day: int, title: str, text: str) -> dict[str, Any]:
    return {"id": key, "outlet": outlet, "published": f"2026-03-{day:02d}T08:00:00Z",
            "title": title, "text": text}


FIRST_BATCH = [
    _record("ferry-1", "Tidewater Post", 2,
            "Lantern Bay ferry suspended after cracked hull found", FERRY),
    _record("ferry-2", "Harbour Daily", 2, "Gullwing ferry out of service in Lantern Bay",
            FERRY.replace("on Monday", "on Monday morning")),
]
ORCHESTRA_BATCH = [
    _record("band-1", "Millbrook Echo", 3, "Millbrook youth orchestra wins brass contest",
            ORCHESTRA),
]
GROWTH_BATCH = [
    _record("ferry-3", "Coastline Herald", 3, "Lantern Bay ferry repairs to take two weeks",
            FERRY.replace("harbour officials said", "the operator said")),
]


def write_batch(folder: Path, name: str, records: list[dict[str, Any]]) -> Path:
    """The records as a JSON Lines file in ``folder``."""
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
