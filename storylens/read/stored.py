"""Story views as they are stored and served: compact JSON, compressed in the database, kept
up to date by the ingest that changes stories (refresh_story_views, computing many of them in
forked processes), and read back, or computed when out of date, for the API and the pages.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import zlib
from collections.abc import Callable
from typing import Any

from ..model import Entity, Story
from ..store import STORED_TOP, Store, StoredView, StoryCard
from .storypage import PAGE_FORMAT, encode_page, story_page_parts
from .views import VIEW_FORMAT, story_view

# Stored views are computed this many stories to a write.
VIEW_CHUNK = 50
PARALLEL_MIN_VIEWS = 40  # fewer stale views than this are computed in-process


def view_json(view: dict[str, Any]) -> bytes:
    """A view as the API sends it: compact UTF-8 JSON (as Starlette's JSONResponse writes)."""
    return json.dumps(view, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def encode_view(view: dict[str, Any]) -> bytes:
    """A view as it is stored: its JSON, compressed (text compresses several times over)."""
    return zlib.compress(view_json(view), 6)


def decode_view(body: bytes) -> bytes:
    """The JSON of a stored view."""
    return zlib.decompress(body)


def story_view_json(store: Store, story_id: str) -> tuple[tuple[int, str], bytes]:
    """The story's version and its view as JSON: the stored one when it is up to date, else
    computed now. NotFoundError for an unknown id."""
    version, stored = store.stored_story_view(story_id, VIEW_FORMAT)
    if stored is not None:
        return version, decode_view(stored)
    return version, view_json(story_view(store, story_id))


def _card(view: dict[str, Any]) -> StoryCard:
    """A story's line in the story list, from its view (the same counts: see story_list)."""
    story = Story(
        id=view["id"], title=view["title"], first_published=view["first_published"],
        last_published=view["last_published"], article_count=view["article_count"],
        outlets=view["outlets"], wire_copies=view["wire_copies"], languages=view["languages"],
        unnamed_articles=view["unnamed_articles"],
    )
    top = tuple(
        Entity(id=e["id"], name=e["name"], kind=e["kind"], mentions=e["mentions"],
               articles=e["articles"])
        for e in view["entities"][:STORED_TOP]
    )
    return StoryCard(story, top)


def refresh_story_views(
    store: Store,
    story_ids: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> int:
    """Compute and store the view of every story (of ``story_ids``, when given) whose stored
    view is missing or out of date (the ingest that changed stories calls this), a chunk of
    stories to a transaction (inside the caller's, when there is one); how many were
    computed. ``progress`` is told of each chunk done. With ``workers`` above 1, many stale
    views and no open transaction, forked processes compute them, each reading the database
    through a connection of its own (so they see what is committed), and this one stores
    them."""
    stale = store.stale_story_views(VIEW_FORMAT, PAGE_FORMAT, story_ids)
    if stale and not store.read_only:
        store.join_entities(stale)  # stories loaded whole (an import) have none yet
    parallel = (
        workers > 1 and len(stale) >= PARALLEL_MIN_VIEWS and store.path != ":memory:"
        and not store.in_transaction
    )
    size = max(1, min(VIEW_CHUNK, len(stale) // (4 * workers))) if parallel else VIEW_CHUNK
    chunks = [stale[start : start + size] for start in range(0, len(stale), size)]
    if parallel:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for computed in pool.imap(functools.partial(_computed_in, path=store.path), chunks):
                store.put_story_views(computed)
                if progress:
                    progress(len(computed))
        return len(stale)
    for chunk in chunks:
        store.put_story_views(_computed(store, chunk))
        if progress:
            progress(len(chunk))
    return len(stale)


def _computed(store: Store, story_ids: list[str]) -> list[StoredView]:
    """The views of these stories, computed now, with their list lines and rendered pages, as
    they are stored."""
    computed = []
    for story_id in story_ids:
        view = story_view(store, story_id)
        page = encode_page(story_page_parts(view))
        computed.append(StoredView(
            story_id, VIEW_FORMAT, encode_view(view), _card(view), page, PAGE_FORMAT
        ))
    return computed


def _computed_in(story_ids: list[str], path: str) -> list[StoredView]:
    """_computed in a worker process, over a connection of its own."""
    with Store(path, create=False) as store:
        return _computed(store, story_ids)
