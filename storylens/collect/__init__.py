"""Collection: storylens watch polls sources (RSS and Atom feeds, news sitemaps and sitemap
indexes, a site's front page) and fetches each new article once, politely (fetch), its
links read from what the source holds (discover) and normalised (urls); a round
(collector) ingests through the same pipeline as ``storylens ingest``; sources named one a
line (sources). The only package that goes to the network; its state is kept by the store.
"""

from __future__ import annotations

from .collector import Collector, RoundSummary
from .fetch import Fetcher, Response
from .sources import SourceLine, add_sources, checked, read_sources_file
from .urls import normalise

__all__ = [
    "Collector", "Fetcher", "Response", "RoundSummary", "SourceLine", "add_sources", "checked",
    "normalise", "read_sources_file",
]
