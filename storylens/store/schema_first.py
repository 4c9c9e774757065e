"""The schema's first migrations (0001 to 0010): articles, stories, rejects and the
full-text index, then attributions, entities and events, stored story views, inputs and
entity joins."""

from __future__ import annotations

import sqlite3

from .joining import write_entity_joins
from .registry import migration, run_script

# The first schema: articles with their sentences, stories with their members and the
# grouping's term frequencies, rejects, and the full-text index of the articles.
_ARTICLE_TABLES = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            title TEXT,
            published TEXT,
            published_ts REAL,
            place TEXT,
            wire TEXT,
            external_id TEXT,
            text TEXT NOT NULL,
            raw TEXT NOT NULL,
            removed TEXT NOT NULL DEFAULT '[]',
            minhash BLOB,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles (published_ts);
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        """

_STORY_TABLES = """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            first_ts REAL,
            last_ts REAL,
            size INTEGER NOT NULL,
            centroid TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_ts ON stories (last_ts);
        CREATE TABLE story_members (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories (id),
            similarity REAL NOT NULL,
            wire_copy_of TEXT,
            position INTEGER NOT NULL
        );
        CREATE INDEX story_members_story ON story_members (story_id, position);
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        """

_REJECTS_AND_SEARCH = """
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (source, reason)
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, text, content='articles', content_rowid='rowid'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
        END;
        """


@migration("0001_base_tables")
def create_base_tables(db: sqlite3.Connection) -> None:
    """Articles, sentences, stories, story members, term frequencies, rejects and the
    articles' full-text index."""
    for script in (_ARTICLE_TABLES, _STORY_TABLES, _REJECTS_AND_SEARCH):
        run_script(db, script)


@migration("0002_story_embeddings")
def add_story_embeddings(db: sqlite3.Connection) -> None:
    """Stories keep the sum of their members' sentence embeddings (when that extra is used)."""
    run_script(db, "ALTER TABLE stories ADD COLUMN embedding BLOB;")


@migration("0003_attributions")
def add_attributions(db: sqlite3.Connection) -> None:
    """Attributions found in each article (quotes and reported speech with their speakers)."""
    run_script(
        db,
        """
        CREATE TABLE attributions (
            article_id TEXT NOT NULL REFERENCES articles (id),
            idx INTEGER NOT NULL,
            kind TEXT NOT NULL,
            content TEXT NOT NULL,
            content_spans TEXT NOT NULL,
            cue TEXT NOT NULL,
            cue_span TEXT,
            source TEXT,
            source_text TEXT,
            source_span TEXT,
            quoted TEXT NOT NULL,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX attributions_source ON attributions (source);
        """,
    )


@migration("0004_entities_and_events")
def add_entities_and_events(db: sqlite3.Connection) -> None:
    """Entity mentions and event mentions found in each article; both go with their article.
    The primary keys (article_id, idx) serve as the article_id indexes."""
    run_script(
        db,
        """
        CREATE TABLE entity_mentions (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            code TEXT,
            sector TEXT,
            title TEXT,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
        CREATE TABLE event_mentions (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            type TEXT NOT NULL,
            mode TEXT,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            date TEXT,
            place TEXT,
            sentence TEXT NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX event_mentions_type ON event_mentions (type);
        """,
    )


@migration("0005_outlet_index")
def add_outlet_index(db: sqlite3.Connection) -> None:
    """Stories by outlet (the story list's filter): the outlet matched in any (ASCII) case."""
    run_script(db, "CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE);")


@migration("0006_entity_name_indexes")
def add_entity_name_indexes(db: sqlite3.Connection) -> None:
    """Entities by name or written form (the story list's entity filter), in any (ASCII)
    case."""
    run_script(
        db,
        """
        CREATE INDEX entity_mentions_name ON entity_mentions (name COLLATE NOCASE, entity_id);
        CREATE INDEX entity_mentions_text ON entity_mentions (text COLLATE NOCASE, entity_id);
        """,
    )


@migration("0007_story_views")
def add_story_views(db: sqlite3.Connection) -> None:
    """Each story's view (what ``story --json`` prints and the story page shows), computed by
    the ingest that changed the story and kept with the version of the story and of the view
    code it was computed for (``format``): serving reads it instead of computing it. ``card``:
    the story's line in the story list (JSON, see Store.story_cards); ``page``: the story
    page's content as rendered then (compressed), by templates of ``page_format``."""
    run_script(
        db,
        """
        CREATE TABLE story_views (
            story_id TEXT PRIMARY KEY REFERENCES stories (id),
            size INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            format INTEGER NOT NULL,
            body BLOB NOT NULL,
            card TEXT NOT NULL,
            page BLOB NOT NULL,
            page_format TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@migration("0008_inputs")
def add_inputs(db: sqlite3.Connection) -> None:
    """The hash of every raw input stored (a file's bytes, or a web archive record's), with
    how many articles it gave: a rerun skips a known input before parsing it."""
    run_script(
        db,
        """
        CREATE TABLE inputs (
            hash TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            articles INTEGER NOT NULL,
            first_seen TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@migration("0009_story_title_candidates")
def add_story_title_candidates(db: sqlite3.Connection) -> None:
    """Stories keep the members their title is chosen among (grouping's JSON): the title is
    their most central titled member's, and follows the story as it grows."""
    run_script(db, "ALTER TABLE stories ADD COLUMN title_candidates TEXT;")


@migration("0010_entity_joins")
def add_entity_joins(db: sqlite3.Connection) -> None:
    """Entities joined across a story's articles: in a story, a short form ("Trump") is the
    one full name of its kind the story gives ("Donald Trump"); see joining. The joins of
    the stories already stored are computed here."""
    run_script(
        db,
        """
        CREATE TABLE entity_joins (
            story_id TEXT NOT NULL REFERENCES stories (id),
            entity_id TEXT NOT NULL,
            joined_id TEXT NOT NULL,
            PRIMARY KEY (story_id, entity_id)
        ) WITHOUT ROWID;
        CREATE INDEX entity_joins_entity ON entity_joins (entity_id);
        CREATE INDEX entity_joins_joined ON entity_joins (joined_id);
        """,
    )
    write_entity_joins(db, [row[0] for row in db.execute("SELECT id FROM stories")])
