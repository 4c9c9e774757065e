"""The schema's later migrations (0011 on): article languages, watched sources and
fetched URLs, the sites of unnamed outlets, alerts and their webhooks, the stories by size, the
stories' facet values."""

from __future__ import annotations

import sqlite3

from ..clean.header import site_of
from .facet_rows import STORY_FACET_TABLE, write_story_facets
from .registry import migration, run_script


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


@migration("0015_stories_size")
def add_stories_size(db: sqlite3.Connection) -> None:
    """The stories by size, for the coverage matrix: its biggest stories are read from this
    index rather than by reading every story's row."""
    run_script(db, "CREATE INDEX stories_size ON stories (size);")


@migration("0016_facets")
def add_facets(db: sqlite3.Connection) -> None:
    """Each story's outlets, languages, entities and event types, one row per value, for
    the story list's facets (see facet_rows), written here for the stories stored; the
    articles by outlet and by language in date order, for the article list."""
    run_script(db, STORY_FACET_TABLE)
    write_story_facets(db, [row[0] for row in db.execute("SELECT id FROM stories")])
