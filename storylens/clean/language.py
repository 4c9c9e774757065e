"""An article's language: detected from its title and body with the model py3langid ships
(naive Bayes over byte n-grams, 97 languages, offline), or the language its input declared
when the text is too short to tell (pure; no I/O).

The result is an ISO 639-1 code ("en", "ru", "ko") or None ("und"): a text too short to tell
with nothing declared, or one whose best language is less likely than ``MIN_CONFIDENCE``
(a text mixing two languages about equally, a list of names).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# What a text needs before its detected language is trusted over a declared one: letters of
# this many bytes in UTF-8 (the model reads bytes: 60 Latin letters, 30 Cyrillic, Greek or
# Arabic ones, 20 Chinese, Japanese or Korean ones, which say as much). Below it (a headline
# of a few words) the model's guess is no better than chance between related languages, so
# the input's own word is taken (and None when it gives none).
MIN_LETTER_BYTES = 60
# The least probability (the model's, normalised over its languages) of a detected language.
# Measured: the 982 English ECB+ texts all score 1.00 but one at 0.86; our short paragraphs
# in eight other languages score 0.99 and above; a text half English and half Russian
# scores about 0.5-0.7, and a list of capitalised names below 0.5.
MIN_CONFIDENCE = 0.8
# Characters read from the start of a long text: the language does not change further on,
# and the model's time grows with the text. Measured on the 982 ECB+ texts: the same
# languages from 600, 1,000, 1,500 and 4,000 characters (977 en, 5 undecided), in 0.58 s
# for all of them at 1,000 against 1.52 s at 4,000.
SAMPLE_CHARS = 1000
_LETTER = re.compile(r"[^\W\d_]")
_DECLARED = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


@functools.cache
def _identifier() -> Any:
    """The model, loaded once a process (under a second), with probabilities normalised."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    """The language the model finds most likely for ``text`` and its probability; (None,
    0.0) for a text with no letters."""
    sample = text[:SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return None, 0.0
    language, confidence = _identifier().classify(sample)
    return str(language), float(confidence)


def declared_language(value: str | None) -> str | None:
    """A language as an input declares it ("en-US", "pt_BR", "RU", "rus") as the code of
    the language alone ("en", "pt", "ru"); None for nothing, "und" or what is no code."""
    match = _DECLARED.match(value or "")
    if not match:
        return None
    code = match.group(1).lower()
    return None if code in {"und", "mul", "zxx", "mis"} else code


def language_of(title: str | None, body: str, declared: str | None = None) -> str | None:
    """An article's language: the one detected in its title and body when the text has
    letters enough (MIN_LETTER_BYTES), else the declared one (``declared_language``); None
    when the text is long enough but no language reaches MIN_CONFIDENCE, or short with none
    declared."""
    text = f"{title}\n\n{body}" if title else body
    letters = "".join(_LETTER.findall(text[:SAMPLE_CHARS]))
    if len(letters.encode("utf-8", "surrogatepass")) < MIN_LETTER_BYTES:
        return declared_language(declared)
    language, confidence = detect(text)
    return language if confidence >= MIN_CONFIDENCE else None
