"""Two articles' leads align at a lower cosine than other sentences (compare/facts.py,
LEAD_MIN_SIMILARITY): the grouping put them in one story, and a lead states its event."""

from __future__ import annotations

from test_summary import article

from storylens.compare.facts import FACT_MIN_SIMILARITY, LEAD_MIN_SIMILARITY
from storylens.compare.outlets import compare_story

# Invented: two outlets' leads on one event, reworded (cosine between the two bars).
LEAD_A = (
    "HARBOURTOWN, March 4 — The leaders of Northport and Southport issued a joint note Friday "
    "expressing concern over Eastland's announcement that it is leaving "
    "the Coastal Fisheries Accord."
)
LEAD_B = (
    "The Northport Harbour Office expressed on Friday deep concern over Eastland's decision "
    "to leave the coastal Fisheries Accord, saying such a move would harm fishing."
)
OTHER = "Fishing crews in both ports said the season had started late because of storms."


def test_compare_leads_bar_is_lower() -> None:
    assert LEAD_MIN_SIMILARITY < FACT_MIN_SIMILARITY


def test_compare_leads_reworded_are_one_fact() -> None:
    one = article("a", "Harbour Post", [LEAD_A, OTHER])
    two = article("b", "City Daily", [LEAD_B])
    facts = compare_story([one, two], {}, {}).facts
    lead = next(f for f in facts if ("a", 0) in {(s.article_id, s.index) for s in f.sentences})
    assert lead.shared and lead.outlets == ("Harbour Post", "City Daily")


def test_compare_leads_lower_bar_only_for_leads() -> None:
    """The same two sentences further down their articles stay apart."""
    one = article("a", "Harbour Post", [OTHER, LEAD_A])
    two = article("b", "City Daily", ["Storm warnings were lifted on the coast overnight.", LEAD_B])
    facts = compare_story([one, two], {}, {}).facts
    assert not any(f.shared for f in facts)
