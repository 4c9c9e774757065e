"""Entities: the people, organisations and places an article names (pure; no I/O beyond the
gazetteer's own data files, read once).

The text is split into word tokens (tokens.py), with every gazetteer name (gazetteer.py, which
reads the .tsv files beside it) as one token. Rules then read the tokens left to right
(scan.py; the rules in people.py, bodies.py, places.py and organisations.py):

- a country or an alias is a place; a capital is a place, or the country's government when
  it acts ("Moscow said", "Pyongyang's move", "by Moscow");
- a demonym or a country before a government body is one organisation ("Russian Foreign
  Ministry", "Russia's Foreign Ministry", "the Foreign Ministry of Russia");
- a bare demonym is its country, with the sector of the group noun after it ("Israeli
  troops": MIL);
- runs of capitalised words are people (with the title before them kept apart: "Japanese
  Prime Minister Junichiro Koizumi"), or organisations when they end in an organisation word;
- within the article (resolve.py), a later surname ("Koizumi", "Mr. Koizumi") or a
  description ("the Japanese premier") is the person named before it, when exactly one
  person fits.

Where the gazetteer does not know a name (a bare run of capitalised words the rules take for
a person, a capitalised word no mention covers), the pipeline's entities stage runs spaCy's
recogniser over those sentences alone, in one batch (recognise.py): a run it types as an
organisation or a place takes that type, with the context ("in X", a word for a place such as
"Junction" or "Stadium") making an organisation a place, and a name the rules missed is added.
The words around those names then decide their kind (context.py), one kind for one name in
an article: "in X", "the town of X" and a dateline make a place, "the X plant" a company, a
wire credit, an age or "an analyst at" a person, a work ("the film X") or a model code no
one; a name found only in a headline is left out, and a lone word that begins an
organisation's name is that organisation ("Halden", "Halden Water Company").
It costs: on 300 ECB+ news texts (329 words each) about half the sentences hold such a name;
the recogniser reads the eight words either side of each (a run of capitalised words kept
whole), 40% of the text, for about 13 ms an article against 17 ms for the whole sentences
(the 2-core machine, shared), with the same wikigold F1 (0.589 against 0.590). Sending only
the sentences with a bare run would cost less, but finds too few of the names the rules miss
(wikigold F1 0.52).
"""

from __future__ import annotations

from .gazetteer import Gazetteer, Hit, Role, build_gazetteer, load_gazetteer
from .localities import load_localities
from .mentions import aggregate, entities_of, entity_id, find_mentions
from .recognise import recognise, recogniser
from .resolve import person_key

__all__ = [
    "Gazetteer",
    "Hit",
    "Role",
    "aggregate",
    "build_gazetteer",
    "entities_of",
    "entity_id",
    "find_mentions",
    "load_gazetteer",
    "load_localities",
    "person_key",
    "recognise",
    "recogniser",
]
