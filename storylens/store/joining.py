"""Entities joined across a story's articles: the short forms ("Trump", "Red Sox") each
story's articles use for a full name another of its articles gives ("Donald Trump", "Boston
Red Sox"), recorded per story in ``entity_joins`` (story_id, entity_id -> joined_id) and
recomputed whenever a story gains articles.

Every read of entities goes through the joins: a mention's entity in its story is the one
its own entity is joined to there, else its own (``JOINED_MENTIONS``)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from ..compare.tally import JOINED_KINDS, entity_joins

# The entity mentions, each with the entity it stands for in its story (``entity_id``), its
# own (``own_id``) and whether it was joined; ``{where}`` selects mentions (as ``e``) first.
JOINED_MENTIONS = """
    SELECT COALESCE(j.joined_id, e.entity_id) AS entity_id, e.entity_id AS own_id,
           j.joined_id IS NOT NULL AS joined, e.article_id, e.name, e.kind, e.text, e.code,
           e.sector, e.title
    FROM entity_mentions e
    LEFT JOIN story_members m ON m.article_id = e.article_id
    LEFT JOIN entity_joins j ON j.story_id = m.story_id AND j.entity_id = e.entity_id
    WHERE {where}
"""

# The key in ``meta`` counting changes of the joins (the story list's caches follow it).
JOINS_VERSION = "entity_joins_version"

_CHUNK = 200


def write_entity_joins(db: sqlite3.Connection, story_ids: list[str]) -> int:
    """Recompute the joins of these stories from their articles' entities (one row per
    distinct entity and name, so the work follows the story's distinct entities, not pairs
    of its articles) and rewrite those that changed; how many stories' joins changed. Inside
    the caller's transaction."""
    changed = 0
    kinds = ",".join(f"'{kind}'" for kind in JOINED_KINDS)
    for start in range(0, len(story_ids), _CHUNK):
        chunk = story_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for story_id, entity_id, name, kind in db.execute(
            "SELECT DISTINCT m.story_id, e.entity_id, e.name, e.kind FROM story_members m "
            "JOIN entity_mentions e ON e.article_id = m.article_id "
            f"WHERE m.story_id IN ({marks}) AND e.kind IN ({kinds})",
            chunk,
        ):
            found[story_id].append((entity_id, name, kind))
        stored: dict[str, dict[str, str]] = defaultdict(dict)
        for story_id, entity_id, joined_id in db.execute(
            f"SELECT story_id, entity_id, joined_id FROM entity_joins WHERE story_id IN ({marks})",
            chunk,
        ):
            stored[story_id][entity_id] = joined_id
        for story_id in chunk:
            joins = entity_joins(found.get(story_id, []))
            if joins == stored.get(story_id, {}):
                continue
            changed += 1
            db.execute("DELETE FROM entity_joins WHERE story_id = ?", (story_id,))
            db.executemany(
                "INSERT INTO entity_joins (story_id, entity_id, joined_id) VALUES (?, ?, ?)",
                [(story_id, short, full) for short, full in sorted(joins.items())],
            )
    if changed:
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (JOINS_VERSION,),
        )
    return changed
