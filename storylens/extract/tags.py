"""The Penn Treebank tags the spaCy tagger gives (nlp.py), grouped as the extractors read
them. The attribute ruler that would map them to universal parts of speech is left out of the
pipeline, so attributions and events look at these tags directly."""

from __future__ import annotations

VERB_TAGS = frozenset(("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"))
NOUN_TAGS = frozenset(("NN", "NNS"))
PROPER_TAGS = frozenset(("NNP", "NNPS"))
ADJECTIVE_TAGS = frozenset(("JJ", "JJR", "JJS"))
