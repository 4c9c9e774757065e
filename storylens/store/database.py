"""Store: a storylens database, its table families composed over one connection, and the
ingest's batch write that spans them."""

from __future__ import annotations

from ..model import Article, Assignment, Attribution, EventMention, Mention, Reject
from .alerts import AlertTables
from .articles import ArticleTables, clear_rejects, insert_articles, write_rejects
from .attention import AttentionTables
from .connection import now_utc
from .coverage import CoverageTables
from .entities import EntityTables, insert_findings
from .facet_rows import write_story_facets
from .facets import FacetTables
from .joining import write_entity_joins
from .lists import ListTables
from .sources import SourceTables
from .stories import GroupingState, write_story_state
from .tables import CorpusTables
from .views import StoryViewTables


class Store(
    ArticleTables, AlertTables, CoverageTables, FacetTables, ListTables, StoryViewTables,
    EntityTables, CorpusTables, SourceTables, AttentionTables,
):
    """A storylens database. Use as a context manager, or call close().

    One file, WAL mode, one writer. Every ingest batch is written in one transaction, so a
    killed ingest leaves the database as it was after the last whole batch. SQLite's errors
    leave it as StoreError (see connection.translate)."""

    def write_batch(
        self,
        articles: list[Article],
        assignments: list[Assignment],
        index: GroupingState,
        rejects: list[Reject],
        attributions: dict[str, list[Attribution]] | None = None,
        mentions: dict[str, list[Mention]] | None = None,
        events: dict[str, list[EventMention]] | None = None,
    ) -> None:
        """Articles, their sentences, attributions, entity mentions and event mentions (each
        keyed by article id), story membership, story state (``index``, the grouping's, whose
        record of what changed is then cleared), the entity joins and facet values of the
        stories changed and rejects, atomically; earlier rejects of
        the stored articles' sources are cleared in the same transaction."""
        now = now_utc()
        signatures = {m.article_id: m.signature for m in assignments}
        with self.transaction() as db:
            insert_articles(db, articles, signatures, now)
            insert_findings(db, articles, attributions or {}, mentions or {}, events or {})
            write_story_state(db, index, assignments, now)
            # the stories that gained articles: their short forms may join a full name now
            write_entity_joins(db, sorted(index.changed))
            write_story_facets(db, sorted(index.changed))  # their facets, after the joins
            # An input stored now is no longer a reject (it was fixed and ingested again).
            clear_rejects(db, {a.source for a in articles})
            write_rejects(db, rejects, now)
        index.changed.clear()
        index.df_delta.clear()
