"""The SQLite store: the only package that speaks SQL.

Store (database) composes one class per table family over one connection (connection):
articles and rejects (articles), stories and their grouping state (stories), the story list
and its caches (story_list), stored story views (views), what was found in each article
(entities), the facet counts of the story and article lists (facets), the article and
attribution lists (lists), whole corpus tables (tables), saved searches with their entries and
webhook deliveries (alerts), what storylens watch collects from and fetched (sources),
articles per period and outlet (attention), and the articles of a set of stories counted per
outlet (coverage). The schema is built by named migrations (migrations); columns are encoded
and decoded in codec.
"""

from __future__ import annotations

from .alerts import Alert, AlertEntry, AlertStatus, Delivery, entry_payload
from .attention import SCOPE_KINDS, AttentionScope, AttentionSpan
from .coverage import CoverageCount
from .database import Store
from .facets import FACET_TOP, Facets
from .lists import ARTICLE_ROW, ATTRIBUTION_ROW
from .migrations import MIGRATIONS, Migration
from .records import STORED_TOP, SearchHit, StoredView, StoryCard, StoryRow
from .sources import Fetched, Source

__all__ = [
    "ARTICLE_ROW", "ATTRIBUTION_ROW", "FACET_TOP", "MIGRATIONS", "SCOPE_KINDS", "STORED_TOP",
    "Alert", "AlertEntry", "AlertStatus", "AttentionScope", "AttentionSpan", "CoverageCount",
    "Delivery", "Facets", "Fetched", "Migration", "SearchHit", "Source", "Store", "StoredView",
    "StoryCard", "StoryRow", "entry_payload",
]
