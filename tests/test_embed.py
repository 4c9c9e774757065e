"""The optional sentence embeddings (storylens[embeddings]): real model, real grouping."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from conftest import DEMO, Cli

from storylens import Options, Store, ingest
from storylens.clean.cleaner import clean
from storylens.group.embed import available, embed
from storylens.model import Article, Draft

needs_extra = pytest.mark.skipif(
    not available(), reason="the embeddings extra is not installed (make embeddings)"
)


def _article(text: str, source: str, title: str | None = None) -> Article:
    result = clean(Draft(source=source, kind="text", raw=text + source, text=text, title=title))
    assert isinstance(result, Article)
    return result


@needs_extra
def test_embed_unit_vectors_close_for_paraphrases() -> None:
    fire = _article("A fire swept through the paper mill in Kesslow and hurt two workers.", "a")
    same = _article("Two workers were injured when flames tore through a Kesslow paper mill.", "b")
    other = _article("The central bank kept interest rates unchanged on Thursday.", "c")
    vectors = embed([fire, same, other])
    assert all(np.linalg.norm(v) == pytest.approx(1.0, abs=1e-4) for v in vectors.values())
    assert vectors[fire.id] @ vectors[same.id] > vectors[fire.id] @ vectors[other.id] + 0.2


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for article_id, story_id in store.db.execute("SELECT article_id, story_id FROM story_members"):
        groups[story_id].add(article_id)
    return {frozenset(g) for g in groups.values()}


@needs_extra
def test_embed_demo_events_each_one_story_with_embeddings(
    tmp_path: Path, demo_manifest: list[dict]
) -> None:
    """The demo's events each form one story with embeddings too (test_demo checks the
    stories without them against the manifest)."""
    with Store(tmp_path / "e.db") as dense, Store(tmp_path / "w.db") as words:
        ingest([DEMO / "articles"], dense, Options(use_sentence_embeddings=True))
        ingest([DEMO / "articles"], words, Options())
        missing = dense.db.execute("SELECT count(*) FROM stories WHERE embedding IS NULL")
        assert missing.fetchone()[0] == 0
        assert _partition(dense) == _partition(words)
        assert len(_partition(dense)) == len({e["event"] for e in demo_manifest})


def test_embed_setting_without_extra_is_one_clear_error(cli: Cli) -> None:
    if available():
        pytest.skip("the embeddings extra is installed here, so the setting works")
    done = cli("ingest", str(DEMO / "articles"), "--setting", "use_sentence_embeddings=true")
    assert done.returncode == 2
    assert "pip install 'storylens[embeddings]'" in done.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_embed_setting_rejects_non_switch_values(cli: Cli, value: str) -> None:
    done = cli("ingest", str(DEMO / "articles"), "--setting", f"use_sentence_embeddings={value}")
    assert done.returncode == 2
    assert "true or false" in done.stderr
