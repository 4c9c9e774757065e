"""The Ingestor stores the stories' views only through the ``views`` function it is given:
the pipeline renders no views itself; storylens.ingest passes read's."""

from __future__ import annotations

from pathlib import Path

from conftest import DEMO

import storylens
from storylens.options import Options
from storylens.pipeline import ingest
from storylens.read.stored import refresh_story_views
from storylens.store import Store

OPTIONS = Options(extract_attributions=False, extract_events=False, worker_processes=1)


def test_ingestor_without_views_stores_none(tmp_path: Path) -> None:
    with Store(tmp_path / "plain.db") as store:
        summary = ingest([DEMO / "articles"], store, OPTIONS)
        assert summary.stored > 0
        # every story's view is still to be computed
        assert refresh_story_views(store) == len(store.story_ids()) > 0


def test_ingestor_with_views_stores_them(tmp_path: Path) -> None:
    calls: list[set[str] | None] = []

    def views(store: Store, story_ids: set[str] | None = None, *, workers: int = 1) -> int:
        calls.append(story_ids)
        return refresh_story_views(store, story_ids, workers=workers)

    with Store(tmp_path / "views.db") as store:
        ingest([DEMO / "articles"], store, OPTIONS, views=views)
        assert calls and refresh_story_views(store) == 0


def test_ingestor_public_ingest_stores_views(tmp_path: Path) -> None:
    with Store(tmp_path / "public.db") as store:
        storylens.ingest([DEMO / "articles"], store, OPTIONS)
        assert refresh_story_views(store) == 0
    with Store(tmp_path / "off.db") as store:
        storylens.ingest([DEMO / "articles"], store, OPTIONS.replace(store_story_views=False))
        assert refresh_story_views(store) > 0
