"""Each story's facet values, kept in ``story_facet_values`` (kind, value, story_id): the
outlets, languages, entities (as the story's joins count them) and event types of its
articles, one row per distinct value. Written with the story by the ingest that changes it
(and with the joins wherever they are recomputed), so that the facets of the whole story
list are one pass over an index of these rows, not over every article and mention.

``value`` compares in any (ASCII) case, as the outlet filter does: an outlet written in two
cases is one value, kept as its spelling with the most lower-case letters ("Meridian Wire",
not "MERIDIAN WIRE").
"""

from __future__ import annotations

import sqlite3

# The table, its index by story, and the article list's indexes (an outlet's or a
# language's articles, newest first, without sorting them).
STORY_FACET_TABLE = """
    CREATE TABLE story_facet_values (
        kind TEXT NOT NULL,
        value TEXT NOT NULL COLLATE NOCASE,
        story_id TEXT NOT NULL REFERENCES stories (id),
        PRIMARY KEY (kind, value, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_facet_values_story ON story_facet_values (story_id, kind, value);
    CREATE INDEX articles_outlet_published ON articles (outlet COLLATE NOCASE, published_ts);
    CREATE INDEX articles_language_published ON articles (language, published_ts);
"""

# A story's values of each kind, from its members (``m``), as the story list's filters of
# that kind select stories (see StoryList._MEMBER_FILTERS); ``{marks}`` the story ids.
_VALUES = """
    SELECT 'outlet', MAX(a.outlet), m.story_id FROM story_members m
    JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({marks}) AND a.outlet IS NOT NULL
    GROUP BY m.story_id, a.outlet COLLATE NOCASE
    UNION SELECT 'language', a.language, m.story_id FROM story_members m
    JOIN articles a ON a.id = m.article_id
    WHERE m.story_id IN ({marks}) AND a.language IS NOT NULL
    UNION SELECT 'entity', COALESCE(j.joined_id, e.entity_id), m.story_id FROM story_members m
    JOIN entity_mentions e ON e.article_id = m.article_id
    LEFT JOIN entity_joins j ON j.story_id = m.story_id AND j.entity_id = e.entity_id
    WHERE m.story_id IN ({marks})
    UNION SELECT 'event_type', v.type, m.story_id FROM story_members m
    JOIN event_mentions v ON v.article_id = m.article_id WHERE m.story_id IN ({marks})
"""
_CHUNK = 200


def write_story_facets(db: sqlite3.Connection, story_ids: list[str]) -> None:
    """Rewrite the facet values of these stories from their articles, after their entity
    joins; inside the caller's transaction."""
    for start in range(0, len(story_ids), _CHUNK):
        chunk = story_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM story_facet_values WHERE story_id IN ({marks})", chunk)
        db.execute(
            "INSERT OR IGNORE INTO story_facet_values (kind, value, story_id) "
            + _VALUES.format(marks=marks),
            chunk * 4,
        )


def without_facets(db: sqlite3.Connection, story_ids: list[str]) -> list[str]:
    """Those of these stories that have no facet values written (a story loaded whole, by
    an import)."""
    found = []
    for start in range(0, len(story_ids), _CHUNK):
        chunk = story_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found += [
            str(r[0]) for r in db.execute(
                f"SELECT s.id FROM stories s WHERE s.id IN ({marks}) AND NOT EXISTS "
                "(SELECT 1 FROM story_facet_values f WHERE f.story_id = s.id)",
                chunk,
            )
        ]
    return found
