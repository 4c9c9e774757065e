"""The SQLite store: the only module that speaks SQL.

One file, WAL mode, one writer. The schema is built by migrations registered in order; the
database's ``user_version`` says how many have run. Every ingest batch is written in one
transaction, so a killed ingest leaves the database as it was after the last whole batch.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .._util import LRUCache
from ..errors import NotFoundError, StoreError, UsageError
from ..group.stories import StoryIndex, StoryState
from ..model import (
    Actor,
    Article,
    Assignment,
    Attribution,
    Entity,
    EventMention,
    Mention,
    Reject,
    Sentence,
    Span,
    Story,
)

Migration = Callable[[sqlite3.Connection], None]
T = TypeVar("T")
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Register a schema migration; they run once each, in the order they are defined."""
    MIGRATIONS.append(function)
    return function


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


@migration
def create_base_tables(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
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
    )


@migration
def add_story_embeddings(db: sqlite3.Connection) -> None:
    """Stories keep the sum of their members' sentence embeddings (when that extra is used)."""
    run_script(db, "ALTER TABLE stories ADD COLUMN embedding BLOB;")


@migration
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


@migration
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


@migration
def add_outlet_index(db: sqlite3.Connection) -> None:
    """Stories by outlet (the story list's filter): the outlet matched in any (ASCII) case."""
    run_script(db, "CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE);")


@migration
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


@migration
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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class StoryCard:
    """A story's summary with its most mentioned entities (the story list's line)."""

    story: Story
    top_entities: tuple[Entity, ...]


STORY_CARDS: LRUCache[StoryCard] = LRUCache(20_000)


@dataclass(frozen=True)
class StoredView:
    """What the ingest stores for a story (see the story_views table): its view (compressed
    JSON) of ``view_format``, its card (with its top STORED_TOP entities), and its page
    content (compressed) rendered by templates of ``page_format``."""

    story_id: str
    view_format: int
    body: bytes
    card: StoryCard
    page: bytes
    page_format: str


# How many top entities a stored card keeps (the story list shows 5).
STORED_TOP = 5


def _card_json(card: StoryCard) -> str:
    story = card.story
    return json.dumps(
        {
            "title": story.title, "first_published": story.first_published,
            "last_published": story.last_published, "article_count": story.article_count,
            "outlets": story.outlets, "wire_copies": story.wire_copies,
            "top": [[e.id, e.name, e.kind, e.mentions, e.articles] for e in card.top_entities],
        },
        ensure_ascii=False,
    )


def _card_from_json(story_id: str, text: str) -> StoryCard:
    data = json.loads(text)
    story = Story(
        id=story_id, title=data["title"], first_published=data["first_published"],
        last_published=data["last_published"], article_count=data["article_count"],
        outlets=data["outlets"], wire_copies=data["wire_copies"],
    )
    top = tuple(
        Entity(id=i, name=name, kind=kind, mentions=mentions, articles=articles)
        for i, name, kind, mentions, articles in data["top"]
    )
    return StoryCard(story, top)


@dataclass(frozen=True)
class _Matching:
    """The stories a filter on members selects among the articles of rowid up to ``upto``:
    story id -> (last_ts, first_ts, rowid, size)."""

    upto: int
    stories: dict[str, tuple[float | None, float | None, int, int]]


# By database and filter (see Store._matching): followed as articles are stored.
MATCHING: LRUCache[_Matching] = LRUCache(256)
# The ordered (story id, size) of a filtered story list, by database, articles stored and
# filters: a few lists, each at most MAX_CACHED_HITS long.
STORY_HITS: LRUCache[list[tuple[str, int]]] = LRUCache(64)
MAX_CACHED_HITS = 100_000


class Store:
    """A storylens database. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        self._identity: object = object()  # what STORY_CARDS knows this database by
        if self.path != ":memory:":
            if not create and not Path(self.path).exists():
                raise StoreError(f"no database at {self.path} (run 'storylens ingest' first)")
            parent = Path(self.path).parent
            if not parent.exists():
                raise StoreError(f"cannot create the database {self.path}: no folder {parent}")
        try:
            # The busy timeout is set first (timeout=): switching to WAL takes a lock too, and
            # another process may be creating or migrating the same database right now.
            self.db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=10.0
            )
            self.db.row_factory = sqlite3.Row
            self._use_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            # Case-insensitive matching beyond ASCII (SQLite's LIKE and lower() stop there).
            self.db.create_function("casefold", 1, _casefold, deterministic=True)
            self._migrate()
            self._identity = self._file_identity()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open the database {self.path}: {error}") from error

    def _file_identity(self) -> object:
        """The database file, by its path, device and inode (a file deleted and made again
        is, nearly always, another inode)."""
        if self.path == ":memory:":
            return object()
        info = os.stat(self.path)
        return (os.path.realpath(self.path), info.st_dev, info.st_ino)

    def _use_wal(self) -> None:
        """Switch to WAL mode. SQLite may answer 'locked' at once, without waiting out the busy
        timeout, while another connection is switching the same new file: so retry a while."""
        deadline = time.monotonic() + 10.0
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version == len(MIGRATIONS):
            return
        with self.transaction():
            # Read again under the write lock: another process may have just migrated.
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the database {self.path} was written by a newer storylens "
                    f"(schema {version})"
                )
            for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
                step(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole if anything in it fails. Inside another,
        it is part of that one (the outer one commits or rolls back the whole)."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def write_batch(
        self,
        articles: list[Article],
        assignments: list[Assignment],
        index: StoryIndex,
        rejects: list[Reject],
        attributions: dict[str, list[Attribution]] | None = None,
        mentions: dict[str, list[Mention]] | None = None,
        events: dict[str, list[EventMention]] | None = None,
    ) -> None:
        """Articles, their sentences, attributions, entity mentions and event mentions (each
        keyed by article id), story membership, story state and rejects, atomically; earlier
        rejects of the stored articles' sources are cleared in the same transaction."""
        now = _now()
        signatures = {m.article_id: m.signature for m in assignments}
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO articles (id, source, kind, url, outlet, title, published, "
                "published_ts, place, wire, external_id, text, raw, removed, minhash, "
                "ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.id, a.source, a.kind, a.url, a.outlet, a.title, a.published,
                        a.timestamp, a.place, a.wire, a.external_id, a.text, a.raw,
                        json.dumps(a.removed, ensure_ascii=False),
                        signatures.get(a.id) or None, now,
                    )
                    for a in articles
                ],
            )
            db.executemany(
                "INSERT INTO sentences (article_id, idx, paragraph, start, end) "
                "VALUES (?,?,?,?,?)",
                [
                    (a.id, s.index, s.paragraph, s.start, s.end)
                    for a in articles
                    for s in a.sentences
                ],
            )
            db.executemany(
                "INSERT INTO attributions (article_id, idx, kind, content, content_spans, cue, "
                "cue_span, source, source_text, source_span, quoted) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.id, number, x.kind, x.content, json.dumps(x.content_spans), x.cue,
                        json.dumps(x.cue_span), x.source, x.source_text,
                        json.dumps(x.source_span), json.dumps(x.quoted),
                    )
                    for a in articles
                    for number, x in enumerate((attributions or {}).get(a.id, []))
                ],
            )
            db.executemany(
                "INSERT INTO entity_mentions (article_id, idx, entity_id, name, kind, text, "
                "start, end, code, sector, title) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.id, number, m.entity_id, m.name, m.kind, m.text, m.span[0],
                        m.span[1], m.code, m.sector, m.title,
                    )
                    for a in articles
                    for number, m in enumerate((mentions or {}).get(a.id, []))
                ],
            )
            db.executemany(
                "INSERT INTO event_mentions (article_id, idx, type, mode, source, target, date, "
                "place, sentence, sentence_start, sentence_end, trigger, trigger_start, "
                "trigger_end, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.id, number, e.type, e.mode, _actors_json(e.source),
                        _actors_json(e.target), e.date, e.place, e.sentence,
                        e.sentence_span[0], e.sentence_span[1], e.trigger, e.trigger_span[0],
                        e.trigger_span[1], e.confidence,
                    )
                    for a in articles
                    for number, e in enumerate((events or {}).get(a.id, []))
                ],
            )
            for story_id in sorted(index.changed):
                story = index.stories[story_id]
                db.execute(
                    "INSERT INTO stories (id, title, first_ts, last_ts, size, centroid, "
                    "embedding, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (id) DO UPDATE "
                    "SET title = excluded.title, first_ts = excluded.first_ts, "
                    "last_ts = excluded.last_ts, size = excluded.size, "
                    "centroid = excluded.centroid, embedding = excluded.embedding, "
                    "updated_at = excluded.updated_at",
                    (
                        story.id, story.title, story.first_ts, story.last_ts, story.size,
                        json.dumps(story.centroid),
                        None if story.embedding is None
                        else story.embedding.astype(np.float32).tobytes(),
                        now, now,
                    ),
                )
            db.executemany(
                "INSERT INTO story_members (article_id, story_id, similarity, wire_copy_of, "
                "position) VALUES (?,?,?,?,?)",
                [
                    (m.article_id, m.story_id, m.similarity, m.wire_copy_of, m.position)
                    for m in assignments
                ],
            )
            db.executemany(
                "INSERT INTO term_df (term, df) VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                list(index.df_delta.items()),
            )
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('documents', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(index.documents),),
            )
            # An input stored now is no longer a reject (it was fixed and ingested again).
            db.executemany(
                "DELETE FROM rejects WHERE source = ?", [(s,) for s in {a.source for a in articles}]
            )
            self._write_rejects(db, rejects, now)
        index.changed.clear()
        index.df_delta.clear()

    def add_rejects(self, rejects: list[Reject]) -> None:
        with self.transaction() as db:
            self._write_rejects(db, rejects, _now())

    @staticmethod
    def _write_rejects(db: sqlite3.Connection, rejects: list[Reject], now: str) -> None:
        db.executemany(
            "INSERT INTO rejects (source, reason, detail, created_at) VALUES (?,?,?,?) "
            "ON CONFLICT (source, reason) DO UPDATE SET detail = excluded.detail, "
            "created_at = excluded.created_at",
            [(r.source, r.reason, r.detail, now) for r in rejects],
        )

    # -- grouping state --------------------------------------------------------------------------

    def load_index(self, index: StoryIndex, terms: Iterable[str], ts_range: tuple[float, float]
                   | None, window_seconds: float) -> None:
        """Fill the index with what a batch needs: document frequencies of its terms and the
        stories that are open in its time range (with the signatures of their latest members)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()
        index.documents = max(index.documents, int(row[0]) if row else 0)
        missing = [t for t in terms if t not in index.df]
        for chunk in _chunks(missing, 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk)
            index.df.update({r[0]: r[1] for r in rows})
        if ts_range is None:
            ids = self.db.execute(
                "SELECT id FROM stories ORDER BY updated_at DESC, rowid DESC LIMIT 2000"
            )
        else:
            low, high = ts_range
            ids = self.db.execute(
                "SELECT id FROM stories WHERE last_ts IS NULL OR "
                "(last_ts >= ? AND first_ts <= ?)",
                (low - window_seconds, high + window_seconds),
            )
        self.load_stories(index, [r[0] for r in ids.fetchall()])

    def load_stories(self, index: StoryIndex, story_ids: Iterable[str]) -> None:
        """Put the stored stories of these ids that the index lacks into it (an id with no
        stored story is passed over)."""
        missing = [story_id for story_id in story_ids if story_id not in index.stories]
        for story_id in missing:
            r = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
            if r is None:
                continue
            members = self.db.execute(
                "SELECT m.article_id, a.minhash FROM story_members m JOIN articles a "
                "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY m.position DESC LIMIT 50",
                (r["id"],),
            ).fetchall()
            index.add_story(StoryState(
                id=r["id"],
                centroid=json.loads(r["centroid"]),
                first_ts=r["first_ts"],
                last_ts=r["last_ts"],
                size=r["size"],
                title=r["title"],
                embedding=None if r["embedding"] is None
                else np.frombuffer(r["embedding"], dtype=np.float32).copy(),
                members=[
                    (m[0], np.frombuffer(m[1], dtype=np.uint64))
                    for m in reversed(members)
                    if m[1] is not None
                ],
            ))

    # -- reading ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "stories": one("SELECT COUNT(*) FROM stories").fetchone()[0],
            "rejects": one("SELECT COUNT(*) FROM rejects").fetchone()[0],
        }

    def story_ids(self) -> list[str]:
        """Every story's id, in order."""
        return [row[0] for row in self.db.execute("SELECT id FROM stories ORDER BY id")]

    def story_of_articles(self) -> dict[str, str]:
        """The story of every stored article, by article id."""
        return dict(self.db.execute("SELECT article_id, story_id FROM story_members"))

    def first_articles(self, story_ids: Iterable[str]) -> list[tuple[str | None, str]]:
        """(title, text) of the first article of each of these stories."""
        return [
            (row[0], row[1]) for row in self.db.execute(
                "SELECT a.title, a.text FROM story_members m JOIN articles a "
                "ON a.id = m.article_id WHERE m.position = 0 AND m.story_id IN "
                "(SELECT value FROM json_each(?))", (json.dumps(list(story_ids)),)
            )
        ]

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this store's connection."""
        return self.db.in_transaction

    def rollback_open(self) -> None:
        """End an open transaction by rolling it back (a failed write leaves none behind)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    _STORY_SQL = """
        SELECT s.id, s.title, COUNT(m.article_id) AS article_count,
               MIN(a.published) AS first_published, MAX(a.published) AS last_published,
               SUM(m.wire_copy_of IS NOT NULL) AS wire_copies,
               json_group_array(a.outlet) AS outlets
        FROM stories s JOIN story_members m ON m.story_id = s.id
        JOIN articles a ON a.id = m.article_id
    """

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        sql = self._STORY_SQL + " GROUP BY s.id ORDER BY last_published DESC, s.rowid DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [self._story(r) for r in self.db.execute(sql)]

    def story_version(self, story_id: str) -> tuple[int, str]:
        """What changes whenever a story changes (its size and last update): a key for
        caching what is computed from it. NotFoundError for an unknown id."""
        row = self.db.execute(
            "SELECT size, updated_at FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id}")
        return int(row[0]), str(row[1])

    def stored_story_view(
        self, story_id: str, view_format: int
    ) -> tuple[tuple[int, str], bytes | None]:
        """The story's version and its stored view (compressed JSON, see ``story_views``)
        when one was stored for this version of the story and of the view code, else None.
        NotFoundError for an unknown id."""
        row = self.db.execute(
            "SELECT s.size, s.updated_at, v.body FROM stories s LEFT JOIN story_views v "
            "ON v.story_id = s.id AND v.size = s.size AND v.updated_at = s.updated_at "
            "AND v.format = ? WHERE s.id = ?",
            (view_format, story_id),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id}")
        return (int(row[0]), str(row[1])), row[2]

    def stored_story_page(
        self, story_id: str, view_format: int, page_format: str
    ) -> bytes | None:
        """The story page's content stored for the story's current version, rendered by
        templates of ``page_format`` from a view of ``view_format``; None when there is none
        such (compressed: see storypage.decode_page)."""
        row = self.db.execute(
            "SELECT v.page FROM stories s JOIN story_views v ON v.story_id = s.id "
            "AND v.size = s.size AND v.updated_at = s.updated_at AND v.format = ? "
            "AND v.page_format = ? WHERE s.id = ?",
            (view_format, page_format, story_id),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def stale_story_views(
        self, view_format: int, page_format: str, among: Iterable[str] | None = None
    ) -> list[str]:
        """The stories (of ``among``, when given) whose stored view is missing or was
        computed for another version of the story, of the view code or of the page
        templates, oldest first."""
        sql = (
            "SELECT s.rowid, s.id FROM stories s LEFT JOIN story_views v ON v.story_id = s.id "
            "WHERE (v.story_id IS NULL OR v.size != s.size OR v.updated_at != s.updated_at "
            "OR v.format != ? OR v.page_format != ?)"
        )
        if among is None:
            rows = self.db.execute(sql + " ORDER BY s.rowid", (view_format, page_format))
            return [r[1] for r in rows]
        found: list[tuple[int, str]] = []
        for chunk in _chunks(list(among), 500):
            marks = ",".join("?" * len(chunk))
            found.extend(
                (r[0], r[1])
                for r in self.db.execute(
                    sql + f" AND s.id IN ({marks})", (view_format, page_format, *chunk)
                )
            )
        return [story_id for _, story_id in sorted(found)]

    def put_story_views(self, views: Iterable[StoredView]) -> None:
        """Store each story's view, card and page content for its current version."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO story_views (story_id, size, updated_at, format, body, card, page, "
                "page_format) SELECT id, size, updated_at, ?, ?, ?, ?, ? FROM stories "
                "WHERE id = ? ON CONFLICT (story_id) DO UPDATE SET size = excluded.size, "
                "updated_at = excluded.updated_at, format = excluded.format, "
                "body = excluded.body, card = excluded.card, page = excluded.page, "
                "page_format = excluded.page_format",
                [
                    (v.view_format, v.body, _card_json(v.card), v.page, v.page_format,
                     v.story_id)
                    for v in views
                ],
            )

    # -- whole tables (storylens spark writes them to Parquet; storylens import reads them) --

    # The tables that hold a corpus, in the order they load (each after those it refers to).
    # story_views are left out: they are recomputed from these.
    CORPUS_TABLES = (
        "articles", "sentences", "stories", "story_members", "attributions",
        "entity_mentions", "event_mentions", "term_df", "rejects",
    )

    def table_columns(self, table: str) -> list[tuple[str, str]]:
        """(name, declared type) of each column of a corpus table."""
        if table not in self.CORPUS_TABLES:
            raise UsageError(f"not a corpus table: {table}")
        return [(r[1], str(r[2]).upper()) for r in self.db.execute(f"PRAGMA table_info({table})")]

    def table_rows(self, table: str, chunk: int = 2000) -> Iterator[list[tuple[Any, ...]]]:
        """A corpus table's rows (columns as table_columns lists them), a chunk at a time."""
        names = ", ".join(name for name, _ in self.table_columns(table))
        cursor = self.db.execute(f"SELECT {names} FROM {table}")
        while rows := cursor.fetchmany(chunk):
            yield [tuple(r) for r in rows]

    def load_table(
        self, table: str, columns: list[str], chunks: Iterable[list[tuple[Any, ...]]]
    ) -> int:
        """Add rows to a corpus table (in one transaction with the caller's), keeping what is
        there (term frequencies add up); how many rows were read."""
        known = {name for name, _ in self.table_columns(table)}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise UsageError(f"the {table} table has no column {unknown[0]!r}")
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        if table == "term_df":
            sql = (f"INSERT INTO term_df ({names}) VALUES ({marks}) "
                   "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df")
        else:
            sql = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"
        count = 0
        with self.transaction() as db:
            for rows in chunks:
                db.executemany(sql, rows)
                count += len(rows)
        return count

    def documents(self) -> int:
        """How many articles the grouping's term frequencies count."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()
        return int(row[0]) if row else 0

    def add_documents(self, count: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('documents', ?) ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
                (str(count),),
            )

    def story(self, story_id: str) -> Story:
        row = self.db.execute(self._STORY_SQL + " WHERE s.id = ? GROUP BY s.id", (story_id,))
        found = row.fetchone()
        if found is None:
            raise NotFoundError(f"no story with id {story_id}")
        return self._story(found)

    def story_page(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        entity_id: str | None = None,
        ts_from: float | None = None,
        ts_to: float | None = None,
        limit: int = 20,
        offset: int = 0,
        top_entities: int = 5,
        view_format: int | None = None,
    ) -> tuple[list[StoryCard], int]:
        """One page of stories, newest first (by their latest article; undated ones last),
        each with its most mentioned entities, and how many stories match in all. ``query``:
        an FTS5 query one of their articles' title or text matches; ``outlet``: one of their
        articles' outlet (any ASCII case); ``entity_id``: one of their articles mentions it;
        ``ts_from``/``ts_to``: their articles' span [first, last] overlaps [ts_from, ts_to)
        (seconds since 1970, UTC).

        The page's ids are chosen first, walking the ``stories_last_ts`` index (or the
        filters' own indexes), then only those stories are aggregated, and each only once per
        size (see ``STORY_CARDS``)."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if ts_from is not None:
            conditions.append("s.last_ts >= :ts_from")
            params["ts_from"] = ts_from
        if ts_to is not None:
            conditions.append("s.first_ts < :ts_to")
            params["ts_to"] = ts_to
        members = {
            kind: value
            for kind, value in (("query", query), ("outlet", outlet), ("entity", entity_id))
            if value is not None
        }
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if not members:
            # Walk the last_ts index (a range of it for dates): the page costs its own rows,
            # the count one pass over the index (or its range).
            page = [
                (r[0], r[1])
                for r in self.db.execute(
                    f"SELECT s.id, s.size FROM stories s{where} "
                    "ORDER BY s.last_ts DESC, s.rowid DESC LIMIT :limit OFFSET :offset",
                    {**params, "limit": limit, "offset": offset},
                )
            ]
            total = self.db.execute(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()
            return self.story_cards(page, top_entities, view_format), int(total[0])
        # The stories matching each filter on members (full text, outlet, entity) are found
        # once from that filter's index and then followed article by article as the database
        # grows (MATCHING); the dates are applied to what they hold, in order.
        seen = self._articles_seen()
        key = (self._identity, seen, query, outlet, entity_id, ts_from, ts_to)
        hits = STORY_HITS.get(key)
        if hits is None:
            sets = [self._matching(kind, value, seen) for kind, value in members.items()]
            sets.sort(key=lambda m: len(m.stories))
            found = [
                (story_id, meta)
                for story_id, meta in sets[0].stories.items()
                if all(story_id in other.stories for other in sets[1:])
                and (ts_from is None or (meta[0] is not None and meta[0] >= ts_from))
                and (ts_to is None or (meta[1] is not None and meta[1] < ts_to))
            ]
            # newest first by the latest article, undated last, then the newest story first
            found.sort(key=lambda h: (h[1][0] is None, -(h[1][0] or 0.0), -h[1][2]))
            hits = [(story_id, meta[3]) for story_id, meta in found]
            STORY_HITS.put(key, hits)
        cards = self.story_cards(hits[offset : offset + limit], top_entities, view_format)
        return cards, len(hits)

    # What a filter on members selects, by filter: the story's id, then whether and how one of
    # its articles matches. Each is the subquery of story ids, with its articles limited to
    # rowids in (:after, :upto].
    _MEMBER_FILTERS = {
        "query": "SELECT m.story_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
        "JOIN story_members m ON m.article_id = a.id WHERE articles_fts MATCH :value "
        "AND f.rowid > :after AND f.rowid <= :upto",
        "outlet": "SELECT m.story_id FROM articles a JOIN story_members m "
        "ON m.article_id = a.id WHERE a.outlet = :value COLLATE NOCASE "
        "AND a.rowid > :after AND a.rowid <= :upto",
        "entity": "SELECT m.story_id FROM entity_mentions e JOIN articles a "
        "ON a.id = e.article_id JOIN story_members m ON m.article_id = a.id "
        "WHERE e.entity_id = :value AND a.rowid > :after AND a.rowid <= :upto",
    }
    _META = "SELECT s.id, s.last_ts, s.first_ts, s.rowid, s.size FROM stories s"

    def _articles_seen(self) -> int:
        """The highest article rowid: it grows with every stored batch (articles are never
        deleted), and stories change only when articles are stored."""
        return int(self.db.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0])

    def _matching(self, kind: str, value: str, upto: int) -> _Matching:
        """The stories one of whose articles (of rowid up to ``upto``) matches a filter on
        members, each with (last_ts, first_ts, rowid, size). Stories only gain articles and
        their dates only widen, so a story that matched goes on matching: a cached set is
        brought up to date with the articles stored since (and the stories they joined)."""
        key = (self._identity, kind, value)
        cached = MATCHING.get(key)
        sub = self._MEMBER_FILTERS[kind]
        try:
            if cached is None or cached.upto > upto:
                rows = self.db.execute(
                    f"{self._META} WHERE s.id IN ({sub})", {"value": value, "after": 0,
                                                           "upto": upto}
                )
                stories = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
            elif cached.upto == upto:
                return cached
            else:
                stories = dict(cached.stories)
                bounds = {"value": value, "after": cached.upto, "upto": upto}
                # the stories that gained articles: their dates and sizes changed
                for r in self.db.execute(
                    f"{self._META} WHERE s.id IN (SELECT m.story_id FROM articles a "
                    "JOIN story_members m ON m.article_id = a.id "
                    "WHERE a.rowid > :after AND a.rowid <= :upto)", bounds
                ):
                    if r[0] in stories:
                        stories[r[0]] = (r[1], r[2], r[3], r[4])
                for r in self.db.execute(f"{self._META} WHERE s.id IN ({sub})", bounds):
                    stories[r[0]] = (r[1], r[2], r[3], r[4])
        except sqlite3.OperationalError as error:
            if kind == "query" and "locked" not in str(error):
                raise UsageError(f"bad search query {value!r}: {error}") from error
            raise
        found = _Matching(upto, stories)
        if len(stories) <= MAX_CACHED_HITS:
            MATCHING.put(key, found)
        return found

    def story_cards(
        self, stories: list[tuple[str, int]], top: int = 5, view_format: int | None = None
    ) -> list[StoryCard]:
        """The summary and top entities of each (story id, size), in that order. A story
        changes only by gaining members (its size grows; its members' entity mentions are
        written with them), so a card computed once is kept for that size. With
        ``view_format`` (and ``top`` = STORED_TOP), cards stored with up-to-date views of that
        format are read instead of computed."""
        cards: dict[str, StoryCard] = {}
        missing: list[str] = []
        for story_id, size in stories:
            card = STORY_CARDS.get((self._identity, story_id, size, top))
            if card is None:
                missing.append(story_id)
            else:
                cards[story_id] = card
        sizes = dict(stories)
        if missing and view_format is not None and top == STORED_TOP:
            marks = ",".join("?" * len(missing))
            for story_id, text in self.db.execute(
                "SELECT s.id, v.card FROM stories s JOIN story_views v ON v.story_id = s.id "
                "AND v.size = s.size AND v.updated_at = s.updated_at AND v.format = ? "
                f"WHERE s.id IN ({marks})",
                (view_format, *missing),
            ):
                card = _card_from_json(story_id, text)
                cards[story_id] = card
                if card.story.article_count == sizes.get(story_id):
                    STORY_CARDS.put((self._identity, story_id, card.story.article_count, top),
                                    card)
            missing = [i for i in missing if i not in cards]
        if missing:
            marks = ",".join("?" * len(missing))
            found = {
                r["id"]: self._story(r)
                for r in self.db.execute(
                    self._STORY_SQL + f" WHERE s.id IN ({marks}) GROUP BY s.id", missing
                )
            }
            entities = self.story_top_entities(found, top)
            for story_id, story in found.items():
                card = StoryCard(story, tuple(entities[story_id]))
                cards[story_id] = card
                if story.article_count == sizes.get(story_id):  # else: it grew meanwhile
                    STORY_CARDS.put((self._identity, story_id, story.article_count, top), card)
        return [cards[i] for i, _ in stories if i in cards]

    def story_top_entities(
        self, story_ids: Iterable[str], top: int = 5
    ) -> dict[str, list[Entity]]:
        """Story id -> its most mentioned entities (at most ``top``), counted over its
        articles' mentions as a story's entities are (most mentions, then most articles, then
        by name): the most common name and kind (the first in alphabetical order of equally
        common ones); codes, sectors, titles and written forms left empty."""
        ids = list(story_ids)
        # (story, entity) -> mentions per name, per kind, and the articles mentioning it
        names: dict[tuple[str, str], dict[str, int]] = {}
        kinds: dict[tuple[str, str], dict[str, int]] = {}
        articles: dict[tuple[str, str], set[str]] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for story_id, entity_id, name, kind, article_id, count in self.db.execute(
                "SELECT m.story_id, e.entity_id, e.name, e.kind, e.article_id, COUNT(*) "
                "FROM story_members m JOIN entity_mentions e ON e.article_id = m.article_id "
                f"WHERE m.story_id IN ({marks}) "
                "GROUP BY m.story_id, e.entity_id, e.name, e.kind, e.article_id",
                chunk,
            ):
                key = (story_id, entity_id)
                by_name = names.setdefault(key, {})
                by_name[name] = by_name.get(name, 0) + count
                by_kind = kinds.setdefault(key, {})
                by_kind[kind] = by_kind.get(kind, 0) + count
                articles.setdefault(key, set()).add(article_id)
        per_story: dict[str, list[Entity]] = {i: [] for i in ids}
        for key, by_name in names.items():
            story_id, entity_id = key
            by_kind = kinds[key]
            per_story[story_id].append(Entity(
                id=entity_id,
                name=min(by_name, key=lambda n: (-by_name[n], n)),
                kind=min(by_kind, key=lambda k: (-by_kind[k], k)),
                mentions=sum(by_name.values()),
                articles=len(articles[key]),
            ))
        for story_id, entities in per_story.items():
            entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name.casefold(), e.id))
            per_story[story_id] = entities[:top]
        return per_story

    @staticmethod
    def _story(row: sqlite3.Row) -> Story:
        outlets = sorted({o for o in json.loads(row["outlets"]) if o})
        return Story(
            id=row["id"],
            title=row["title"],
            first_published=row["first_published"][:10] if row["first_published"] else None,
            last_published=row["last_published"][:10] if row["last_published"] else None,
            article_count=row["article_count"],
            outlets=outlets,
            wire_copies=row["wire_copies"] or 0,
        )

    def story_articles(self, story_id: str) -> list[tuple[Article, dict[str, Any]]]:
        """The articles of a story in publication order, each with its membership record."""
        rows = self.db.execute(
            "SELECT a.*, m.similarity, m.wire_copy_of, m.position FROM story_members m "
            "JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? "
            "ORDER BY a.published_ts IS NULL, a.published_ts, m.position",
            (story_id,),
        ).fetchall()
        return [
            (
                self._article(r),
                {"similarity": r["similarity"], "wire_copy_of": r["wire_copy_of"]},
            )
            for r in rows
        ]

    def _article_rows(self, table: str, article_ids: Iterable[str]) -> Iterator[sqlite3.Row]:
        """The rows of a per-article table (attributions, entity or event mentions) for these
        articles, by article and then in the order they were found."""
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT * FROM {table} WHERE article_id IN ({marks}) ORDER BY article_id, idx",
                chunk,
            )

    def attributions(self, article_ids: Iterable[str]) -> dict[str, list[Attribution]]:
        """The stored attributions of these articles, in text order."""
        found: dict[str, list[Attribution]] = {}
        for r in self._article_rows("attributions", article_ids):
            found.setdefault(r["article_id"], []).append(
                Attribution(
                    r["article_id"], r["kind"], r["content"],
                    _spans(r["content_spans"]),
                    r["cue"], _span(r["cue_span"]), r["source"], r["source_text"],
                    _span(r["source_span"]),
                    _spans(r["quoted"]),
                )
            )
        return found

    def mentions(self, article_ids: Iterable[str]) -> dict[str, list[Mention]]:
        """The stored entity mentions of these articles, in the order they were found."""
        found: dict[str, list[Mention]] = {}
        for r in self._article_rows("entity_mentions", article_ids):
            found.setdefault(r["article_id"], []).append(
                Mention(
                    article_id=r["article_id"], entity_id=r["entity_id"], name=r["name"],
                    kind=r["kind"], text=r["text"], span=(r["start"], r["end"]),
                    code=r["code"], sector=r["sector"], title=r["title"],
                )
            )
        return found

    def event_mentions(self, article_ids: Iterable[str]) -> dict[str, list[EventMention]]:
        """The stored event mentions of these articles, in the order they were found."""
        found: dict[str, list[EventMention]] = {}
        for r in self._article_rows("event_mentions", article_ids):
            found.setdefault(r["article_id"], []).append(
                EventMention(
                    article_id=r["article_id"], type=r["type"], mode=r["mode"],
                    source=_actors(r["source"]), target=_actors(r["target"]),
                    date=r["date"], place=r["place"], sentence=r["sentence"],
                    sentence_span=(r["sentence_start"], r["sentence_end"]),
                    trigger=r["trigger"], trigger_span=(r["trigger_start"], r["trigger_end"]),
                    confidence=r["confidence"],
                )
            )
        return found

    # An entity over its mentions: the most common name (with its kind), the most common code
    # and sector where any mention has one, every title and written form, and the counts.
    # ``{scope}`` is a query for the entity ids to aggregate.
    _ENTITY_SQL = """
        WITH scope AS ({scope}),
        names AS (
            SELECT entity_id, name, kind, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, name, kind) AS r
            FROM entity_mentions WHERE entity_id IN scope GROUP BY entity_id, name, kind
        ),
        codes AS (
            SELECT entity_id, code, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, code) AS r
            FROM entity_mentions WHERE entity_id IN scope AND code IS NOT NULL
            GROUP BY entity_id, code
        ),
        sectors AS (
            SELECT entity_id, sector, ROW_NUMBER() OVER (
                PARTITION BY entity_id ORDER BY COUNT(*) DESC, sector) AS r
            FROM entity_mentions WHERE entity_id IN scope AND sector IS NOT NULL
            GROUP BY entity_id, sector
        ),
        totals AS (
            SELECT entity_id, COUNT(*) AS mentions, COUNT(DISTINCT article_id) AS articles,
                   json_group_array(DISTINCT title) AS titles,
                   json_group_array(DISTINCT text) AS aliases
            FROM entity_mentions WHERE entity_id IN scope GROUP BY entity_id
        )
        SELECT t.entity_id AS id, n.name, n.kind, c.code, s.sector, t.mentions, t.articles,
               t.titles, t.aliases
        FROM totals t
        JOIN names n ON n.entity_id = t.entity_id AND n.r = 1
        LEFT JOIN codes c ON c.entity_id = t.entity_id AND c.r = 1
        LEFT JOIN sectors s ON s.entity_id = t.entity_id AND s.r = 1
        ORDER BY t.articles DESC, casefold(n.name), n.name, t.entity_id
    """

    def entities(
        self, limit: int | None = None, offset: int = 0, query: str | None = None
    ) -> list[Entity]:
        """Entities, those mentioned in the most articles first, then by name. ``query`` keeps
        those with a name or written form containing it (case-insensitive)."""
        params: dict[str, Any] = {}
        if query is None:
            scope = "SELECT DISTINCT entity_id FROM entity_mentions"
        else:
            scope = (
                "SELECT DISTINCT entity_id FROM entity_mentions "
                "WHERE instr(casefold(name), :q) OR instr(casefold(text), :q)"
            )
            params["q"] = query.casefold()
        sql = self._ENTITY_SQL.format(scope=scope)
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [_entity(r) for r in self.db.execute(sql, params)]

    def entity(self, name_or_id: str) -> Entity:
        """An entity by its id; else by its name (any canonical name its mentions carry), else
        by a written form, both case-insensitive. Raises NotFoundError when nothing matches,
        UsageError (naming the candidates) when a name matches several entities."""
        for condition, value in (
            ("entity_id = ?", name_or_id),
            ("casefold(name) = ?", name_or_id.casefold()),
            ("casefold(text) = ?", name_or_id.casefold()),
        ):
            scope = f"SELECT DISTINCT entity_id FROM entity_mentions WHERE {condition}"
            found = [_entity(r) for r in self.db.execute(
                self._ENTITY_SQL.format(scope=scope), (value,)
            )]
            if len(found) == 1:
                return found[0]
            if found:
                candidates = "; ".join(f"{e.name} ({e.kind}, id {e.id})" for e in found[:10])
                more = f"; and {len(found) - 10} more" if len(found) > 10 else ""
                raise UsageError(
                    f"{name_or_id!r} names {len(found)} entities: {candidates}{more}; "
                    "give the id"
                )
        raise NotFoundError(f"no entity with id, name or written form {name_or_id!r}")

    def entity_id(self, name_or_id: str) -> str:
        """The id of an entity given by its id, name or written form, as ``entity`` finds it
        (same order, same errors) but through indexes alone, without aggregating the entity:
        for filters, where only the id is needed."""
        if self.db.execute(
            "SELECT 1 FROM entity_mentions WHERE entity_id = ? LIMIT 1", (name_or_id,)
        ).fetchone():
            return name_or_id
        wanted = name_or_id.casefold()
        for column in ("name", "text"):
            # NOCASE (the index) folds ASCII only; casefold() then checks what it found.
            found = {
                str(r[0])
                for r in self.db.execute(
                    f"SELECT DISTINCT entity_id, {column} FROM entity_mentions "
                    f"WHERE {column} = ? COLLATE NOCASE",
                    (name_or_id,),
                )
                if r[1].casefold() == wanted
            }
            if len(found) == 1:
                return found.pop()
            if found:
                break  # several: entity() names them
        if found or not name_or_id.isascii():
            # several candidates, or a name whose case only casefold() can fold
            return self.entity(name_or_id).id
        raise NotFoundError(f"no entity with id, name or written form {name_or_id!r}")

    def entity_articles(self, entity_id: str) -> list[tuple[str, str | None]]:
        """The articles that mention an entity, in publication order, with their story ids."""
        rows = self.db.execute(
            "SELECT e.article_id, m.story_id FROM "
            "(SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?) e "
            "JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN story_members m ON m.article_id = e.article_id "
            "ORDER BY a.published_ts IS NULL, a.published_ts, e.article_id",
            (entity_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def event_story_ids(self) -> list[str]:
        """The stories with at least one event mention, oldest first."""
        rows = self.db.execute(
            "SELECT s.id FROM stories s WHERE s.id IN ("
            "SELECT m.story_id FROM event_mentions e "
            "JOIN story_members m ON m.article_id = e.article_id) "
            "ORDER BY s.first_ts IS NULL, s.first_ts, s.id"
        )
        return [r[0] for r in rows]

    def outlets(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Article id -> its outlet (None where not named), for the articles that exist."""
        found: dict[str, str | None] = {}
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, outlet FROM articles WHERE id IN ({marks})", chunk)
            found.update({r[0]: r[1] for r in rows})
        return found

    def article(self, article_id: str) -> Article:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return self._article(row)

    def article_story(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def _article(self, row: sqlite3.Row) -> Article:
        text = row["text"]
        sentences = [
            Sentence(s["idx"], s["paragraph"], s["start"], s["end"], text[s["start"] : s["end"]])
            for s in self.db.execute(
                "SELECT * FROM sentences WHERE article_id = ? ORDER BY idx", (row["id"],)
            )
        ]
        return Article(
            id=row["id"],
            source=row["source"],
            kind=row["kind"],
            raw=row["raw"],
            text=row["text"],
            title=row["title"],
            outlet=row["outlet"],
            url=row["url"],
            published=row["published"],
            place=row["place"],
            wire=row["wire"],
            external_id=row["external_id"],
            paragraphs=row["text"].split("\n\n"),
            sentences=sentences,
            removed=[tuple(x) for x in json.loads(row["removed"])],
        )

    def rejects(self) -> list[dict[str, str]]:
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT source, reason, detail, created_at FROM rejects ORDER BY source, reason"
            )
        ]

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str | None]]:
        """Article ids and titles matching an FTS5 query, best first."""
        try:
            rows = self.db.execute(
                "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise UsageError(f"bad search query {query!r}: {error}") from error
        return [(r[0], r[1]) for r in rows]


def _entity(row: sqlite3.Row) -> Entity:
    def distinct(value: str) -> list[str]:
        return sorted({v for v in json.loads(value) if v}, key=lambda v: (v.casefold(), v))

    return Entity(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        code=row["code"],
        sector=row["sector"],
        titles=distinct(row["titles"]),
        aliases=distinct(row["aliases"]),
        mentions=row["mentions"],
        articles=row["articles"],
    )


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _actors_json(actors: tuple[Actor, ...]) -> str:
    return json.dumps(
        [
            {"name": a.name, "code": a.code, "sector": a.sector, "entity_id": a.entity_id,
             "text": a.text}
            for a in actors
        ],
        ensure_ascii=False,
    )


def _actors(value: str) -> tuple[Actor, ...]:
    return tuple(
        Actor(
            name=a["name"], code=a.get("code"), sector=a.get("sector"),
            entity_id=a.get("entity_id"), text=a.get("text") or "",
        )
        for a in json.loads(value)
    )


def _spans(value: str) -> tuple[Span, ...]:
    return tuple((int(start), int(end)) for start, end in json.loads(value))


def _span(value: str | None) -> Span | None:
    loaded = json.loads(value) if value else None
    return (int(loaded[0]), int(loaded[1])) if loaded else None


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
