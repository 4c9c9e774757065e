"""The schema, built by named migrations run once each, in order.

Each migration has a name (``0001_base_tables``, ...); the names of those applied are recorded
in the ``migrations`` table, as sqlite-utils and Datasette do, and ``PRAGMA user_version``
is kept at their number for older readers. A database written before the table existed
(its ``user_version`` counting the migrations applied) has its first ``user_version``
migrations recorded as applied, then the rest run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..clean.header import site_of
from ..errors import StoreError, StoreOutdated
from .facet_rows import STORY_FACET_TABLE, write_story_facets
from .joining import write_entity_joins

Step = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    """One change of the schema: its name, recorded once it is applied, and the step that
    makes it (called with the connection, inside the caller's transaction)."""

    name: str
    step: Step

    def __call__(self, db: sqlite3.Connection) -> None:
        self.step(db)


MIGRATIONS: list[Migration] = []


def migration(name: str) -> Callable[[Step], Step]:
    """Register a schema migration under a name; they run once each, in the order they are
    defined."""

    def register(step: Step) -> Step:
        MIGRATIONS.append(Migration(name, step))
        return step

    return register


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction (executescript would
    commit it)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                db.execute(statement)
            statement = ""


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


@migration("0011_article_language")
def add_article_language(db: sqlite3.Connection) -> None:
    """Articles keep their language (an ISO 639-1 code; NULL where not known, as for every
    article stored before), indexed for the story list's language filter."""
    run_script(
        db,
        """
        ALTER TABLE articles ADD COLUMN language TEXT;
        CREATE INDEX articles_language ON articles (language);
        """,
    )


@migration("0012_sources")
def add_sources(db: sqlite3.Connection) -> None:
    """What storylens watch collects from and what it fetched: each source (a feed, a
    sitemap or a site's front page) with its polling state, and each article URL fetched
    (normalised), with how it ended, so that no page is fetched twice."""
    run_script(
        db,
        """
        CREATE TABLE sources (
            url TEXT PRIMARY KEY,
            name TEXT UNIQUE,
            every_minutes REAL,
            kind TEXT,
            added TEXT NOT NULL,
            last_poll TEXT,
            next_due REAL NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            last_status TEXT,
            last_error TEXT,
            last_detail TEXT,
            articles_found INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE fetched_urls (
            url TEXT PRIMARY KEY,
            source_url TEXT,
            status TEXT NOT NULL,
            reason TEXT,
            detail TEXT,
            article_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            fetched TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@migration("0013_outlet_sites")
def add_outlet_sites(db: sqlite3.Connection) -> None:
    """An article that names no outlet has the site of its URL as its outlet, as cleaning
    gives it since issue 18: articles stored before are given theirs here, so that the story
    list's outlet filter, the outlets of events' reports and the comparison of a story's
    outlets find them as the story's outlet count does; the stored views of their stories,
    computed without it, are dropped (serving computes them, the next ingest stores them)."""
    rows = db.execute(
        "SELECT rowid, url FROM articles WHERE outlet IS NULL AND url IS NOT NULL"
    ).fetchall()
    sites = [(site, rowid) for rowid, url in rows if (site := site_of(url))]
    db.executemany("UPDATE articles SET outlet = ? WHERE rowid = ?", sites)
    for start in range(0, len(sites), 500):
        chunk = [rowid for _, rowid in sites[start : start + 500]]
        marks = ",".join("?" * len(chunk))
        db.execute(
            "DELETE FROM story_views WHERE story_id IN (SELECT m.story_id FROM story_members m "
            f"JOIN articles a ON a.id = m.article_id WHERE a.rowid IN ({marks}))",
            chunk,
        )


@migration("0014_alerts")
def add_alerts(db: sqlite3.Connection) -> None:
    """Saved searches (alerts): their filters, optional webhook and the highest article rowid
    they were checked up to (articles are never deleted and their rowids only grow, so the
    stories changed since a check are those of the articles after it); each alert's entries,
    one per story and size it matched at, with the story's title and outlets then; and the
    webhook deliveries of those entries, queued until sent or given up."""
    run_script(
        db,
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            query TEXT,
            entity TEXT,
            outlet TEXT,
            webhook TEXT,
            site_url TEXT NOT NULL,
            created_at TEXT NOT NULL,
            checked_upto INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE alert_entries (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            size INTEGER NOT NULL,
            title TEXT,
            outlets TEXT NOT NULL,
            matched_at TEXT NOT NULL,
            baseline INTEGER NOT NULL DEFAULT 0,
            UNIQUE (alert_id, story_id, size)
        );
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES alert_entries (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at REAL NOT NULL,
            first_at REAL,
            last_at TEXT,
            reason TEXT
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
        CREATE INDEX webhook_deliveries_entry ON webhook_deliveries (entry_id);
        """,
    )


@migration("0015_facets")
def add_facets(db: sqlite3.Connection) -> None:
    """Each story's outlets, languages, entities and event types, one row per value, for
    the story list's facets (see facet_rows), written here for the stories stored; the
    articles by outlet and by language in date order, for the article list."""
    run_script(db, STORY_FACET_TABLE)
    write_story_facets(db, [row[0] for row in db.execute("SELECT id FROM stories")])


# The record of the migrations applied (not a migration itself: it records them).
_RECORD = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"


def is_up_to_date(db: sqlite3.Connection) -> bool:
    """Whether every migration is applied and recorded: one query, for every opening (the
    migrations table and ``user_version`` are always written together, by upgrade)."""
    version, recorded = db.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT COUNT(*) FROM "
        "sqlite_master WHERE type = 'table' AND name = 'migrations')"
    ).fetchone()
    return int(version) == len(MIGRATIONS) and bool(recorded)


def check_current(db: sqlite3.Connection, path: str) -> None:
    """Refuse, in one line, a database opened read-only whose schema is not this release's:
    an older one must be upgraded by a command that writes it, a newer one is not read."""
    if is_up_to_date(db):
        return
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"the database {path} was written by a newer storylens (schema {version})")
    raise StoreOutdated(
        f"the database {path} has an older schema than this storylens reads "
        "and can only be read here: run a command that writes it ('storylens ingest') where "
        "it can be written, to upgrade it"
    )


def applied_migrations(db: sqlite3.Connection) -> list[str]:
    """The names of the migrations recorded as applied, in the order they were applied."""
    return [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def upgrade(db: sqlite3.Connection, path: str) -> None:
    """Apply the migrations not yet applied, in order, each recorded by name; inside the
    caller's write transaction. A database of before the record (its ``user_version``
    counting what ran) has its first ``user_version`` migrations recorded first. A database
    of a newer storylens (a higher ``user_version``, or a migration this one does not know)
    is refused."""
    # Read under the write lock: another process may have just migrated.
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"the database {path} was written by a newer storylens (schema {version})")
    db.execute(_RECORD)
    applied = set(applied_migrations(db))
    if not applied and version:
        _record(db, MIGRATIONS[:version])
        applied = {m.name for m in MIGRATIONS[:version]}
    unknown = sorted(applied - {m.name for m in MIGRATIONS})
    if unknown:
        raise StoreError(
            f"the database {path} was written by a newer storylens (migration {unknown[0]})"
        )
    for step in MIGRATIONS:
        if step.name not in applied:
            step(db)
            _record(db, [step])
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")


def _record(db: sqlite3.Connection, applied: list[Migration]) -> None:
    """Record migrations as applied now."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.executemany(
        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
        [(m.name, now) for m in applied],
    )
