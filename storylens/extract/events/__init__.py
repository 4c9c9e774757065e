"""The events stage: who did what to whom, typed with the PLOVER ontology.

A dictionary coder over the dependency parse, in the tradition of TABARI and PETRARCH but on
spaCy and our own lexicon (event_lexicon.tsv beside this file, read by lexicon.py, written
from the PLOVER type definitions). For each trigger word of the lexicon in a parsed sentence:

- the entry is chosen by what is attached to the trigger (a particle, a preposition, the head
  of its object: "call on", "impose sanctions", "express concern"), a specific entry before a
  generic one;
- the source is the trigger's subject (the agent of a passive; the subject of the verb it
  depends on, for "decided to withdraw" or "..., saying"; the possessor or the demonym of an
  event noun: "Israel's invasion", "Israeli strikes"; the subject of a light verb: "held
  talks", "launched an attack");
- the target is found by the entry's slots in turn (direct object, a preposition's object,
  the subject of a that-clause, the owner of the object: "rejected Japan's proposal");
- actors are coded from the entity mentions inside those phrases (country code, sector), the
  sector also from the phrase's role words ("officials": GOV, "troops": MIL);
- negated triggers ("did not attack", "refused to attack") and hypothetical ones ("may
  impose", "could attack", "if ...") are not coded as the event itself; a trigger that only
  says what someone else was asked, urged or threatened to do is left to the verb it depends
  on; a future material action ("will visit") is coded as the intent it expresses (AGREE),
  a future use of force or sanctions as THREATEN;
- the date is the sentence's own date, resolved against the article's (when.event_date),
  else the article's date; the place a place named with "in" or "at".

The coder (coder.py) finds the triggers (triggers.py), checks what kind of statement each
is (modality.py), finds the heads of its parties (heads.py), their actors (actors.py) and
its country (places.py), and keeps what the text asserts, one event an act (acts.py): not
an act only asked for, refused or threatened, not a backdrop beside a reported act, not
one act under two types, nor an act named again; an event one of whose parties is no actor
(a greeting, a quoted title) is dropped, and who judges an act ("called the withdrawal
regrettable") is not its source. Pure: a function of the articles, their parse (shared with the
attributions stage, see extract.attribution.parse_articles) and their entity mentions.
"""

from __future__ import annotations

from .coder import code_events, trigger_forms
from .lexicon import (
    MODES,
    TYPES,
    Lexicon,
    LexiconEntry,
    form_index,
    forms,
    load_lexicon,
    parse_lexicon,
)
from .when import event_date

__all__ = [
    "MODES",
    "TYPES",
    "Lexicon",
    "LexiconEntry",
    "code_events",
    "event_date",
    "form_index",
    "forms",
    "load_lexicon",
    "parse_lexicon",
    "trigger_forms",
]
