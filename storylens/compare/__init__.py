"""The outlets of a story side by side: shared and exclusive facts and quote fidelity
(outlets), and events and voices counted once (tally); the voice each article speaks with
(voices); the story's summary with its citations (summary)."""

from __future__ import annotations

from .outlets import Comparison, compare_story, comparison_json
from .summary import Summary, summarise, summary_json
from .tally import actor_key, count_entities, count_once
from .voices import outlet_label, voices

__all__ = [
    "Comparison",
    "Summary",
    "actor_key",
    "compare_story",
    "comparison_json",
    "count_entities",
    "count_once",
    "outlet_label",
    "summarise",
    "summary_json",
    "voices",
]
