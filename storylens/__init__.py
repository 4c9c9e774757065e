"""storylens: news articles from many outlets in, deduplicated stories out.

The public API is small; everything else is in modules whose layout may change.
"""

from ._ingest import ingest
from .errors import NotFoundError, RejectedInput, StoreError, StorylensError, UsageError
from .model import Article, Assignment, Reject, Sentence, Story
from .options import Options
from .pipeline import IngestSummary
from .store import Store

__all__ = [
    "Article",
    "Assignment",
    "IngestSummary",
    "NotFoundError",
    "Options",
    "Reject",
    "RejectedInput",
    "Sentence",
    "Store",
    "Story",
    "StoreError",
    "StorylensError",
    "UsageError",
    "ingest",
]
__version__ = "0.1.0"
