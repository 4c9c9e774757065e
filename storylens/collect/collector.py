"""One round of storylens watch: each due source polled, its new articles fetched once and
ingested through the same pipeline as ``storylens ingest``.

Crash-safe: an article URL is marked fetched in the transaction that stores its article (or
its reject), and a source's state (validators, next poll) is written only after its articles
are handled, so a round killed at any moment is taken up again by the next one with nothing
lost, doubled, or fetched twice.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..alerts import after_ingest
from ..errors import FetchFailed, StorylensError
from ..model import Draft, RawInput, Reject
from ..options import Options
from ..pipeline.ingestor import Ingestor, StoryViews
from ..pipeline.prepare import prepare_many
from ..pipeline.stages import Extraction
from ..store import Source, Store
from ..store.connection import now_utc
from .discover import Link, feed_links, kind_of, page_feeds, sitemap_links
from .fetch import Fetcher

log = logging.getLogger(__name__)

# Reasons a fetch may fail for a while only: the page is tried again in a later round (up to
# ``fetch_retries`` times); any other failure is final.
PASSING = ("timeout", "http-429", "connection-failed", "backing-off")
# A source that keeps failing is polled at most this many intervals apart.
MAX_BACKOFF_INTERVALS = 8


@dataclass
class RoundSummary:
    """What one round did."""

    sources: int = 0  # sources polled
    not_modified: int = 0  # of them, answered 304
    source_errors: Counter[str] = field(default_factory=Counter)  # by reason
    pages: int = 0  # article pages fetched
    from_feeds: int = 0  # articles taken whole from feed items, no page fetched
    stored: int = 0
    duplicates: int = 0
    rejects: Counter[str] = field(default_factory=Counter)  # pages failed or rejected, by reason
    seconds: float = 0.0
    stopped: bool = False  # ended early (Ctrl-C)
    alert_entries: int = 0  # new entries of the saved searches (storylens alerts)

    @property
    def rejected(self) -> int:
        """Pages (or feed items) that gave no article, and sources that failed."""
        return sum(self.rejects.values()) + sum(self.source_errors.values())

    def as_dict(self) -> dict[str, object]:
        """The summary as JSON-ready values (what ``watch --json`` prints)."""
        return {
            "sources_polled": self.sources, "not_modified": self.not_modified,
            "source_errors": dict(sorted(self.source_errors.items())),
            "pages_fetched": self.pages, "from_feeds": self.from_feeds,
            "stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected,
            "rejects": dict(sorted(self.rejects.items())),
            "seconds": round(self.seconds, 3), "stopped": self.stopped,
            "alert_entries": self.alert_entries,
        }


class Collector:
    """Runs rounds over the sources of a store."""

    def __init__(
        self, store: Store, options: Options, *, views: StoryViews | None = None,
        progress: Callable[[str], None] | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        """``views`` stores the changed stories' views (read.stored.refresh_story_views);
        ``progress`` is told of each article handled (its URL); ``stopping`` says when to
        stop, between two requests."""
        self.store = store
        self.options = options
        self.views = views
        self.progress = progress
        self.stopping = stopping

    def next_due(self) -> float | None:
        """The Unix time the next source is due (None: there is no source)."""
        times = [s.next_due for s in self.store.sources()]
        return min(times) if times else None

    def round(self) -> RoundSummary:
        """Poll every due source and handle the articles it gives."""
        started = time.perf_counter()
        summary = RoundSummary()
        ingestor = Ingestor(self.store, self.options, record=True, views=self.views)
        with Fetcher(self.options, stopping=self.stopping) as fetcher:
            for source in self.store.due_sources(time.time()):
                if self.stopping():
                    break
                _SourceRound(self, fetcher, ingestor, summary).run(source)
        ingestor.flush(final=True)  # the stories' views brought up to date
        summary.alert_entries = self._check_alerts()
        summary.stopped = self.stopping()
        summary.seconds = time.perf_counter() - started
        return summary


    def _check_alerts(self) -> int:
        """Check the alerts against the round's articles (storylens.alerts.after_ingest; its
        webhooks are sent by a background thread): how many new entries. What was stored stays
        stored whatever the check meets: a failure is logged and the next round checks again."""
        try:
            return len(after_ingest(self.store, self.options))
        except StorylensError as error:
            self.store.rollback_open()
            log.warning("checking the alerts failed: %s", error)
            return 0


class _SourceRound:
    """One source's part of a round: poll it, handle its new articles, save its state."""

    def __init__(
        self, collector: Collector, fetcher: Fetcher, ingestor: Ingestor, summary: RoundSummary
    ) -> None:
        self.store = collector.store
        self.options = collector.options
        self.progress = collector.progress
        self.fetcher = fetcher
        self.ingestor = ingestor
        self.summary = summary
        self.extraction = Extraction.of(collector.options)

    def run(self, source: Source) -> None:
        """Poll the source, fetch what is new, and write its state."""
        self.summary.sources += 1
        now = time.time()
        interval = 60.0 * (source.every_minutes or self.options.watch_interval_minutes)
        source.last_poll = now_utc()
        try:
            links = self._poll(source)
        except FetchFailed as failure:
            if failure.reason == "stopped":
                return  # Ctrl-C: the source's state is left as it was
            self.summary.source_errors[failure.reason] += 1
            source.failures += 1
            source.last_status, source.last_error = "error", failure.reason
            source.last_detail = failure.detail
            backoff = interval * min(2 ** (source.failures - 1), MAX_BACKOFF_INTERVALS)
            source.next_due = max(failure.retry_at or 0.0, now + backoff)
            self.store.save_source(source)
            return
        for link in self._new(links):
            if self.fetcher.stopping():
                return  # the source's state is left as it was: the next round takes it up
            self._handle(link, source.url)
        source.failures = 0
        source.next_due = now + interval
        self.store.save_source(source)

    def _poll(self, source: Source) -> list[Link]:
        """Fetch the source (conditionally) and the links it gives: none when it answers
        304; its kind and validators updated on the record."""
        answer = self.fetcher.get(source.url, etag=source.etag,
                                  last_modified=source.last_modified)
        if answer.status == 304:
            self.summary.not_modified += 1
            source.last_status, source.last_error, source.last_detail = "not-modified", None, None
            return []
        kind = kind_of(answer.body, answer.content_type)
        errors: list[FetchFailed] = []
        if kind == "feed":
            links = feed_links(answer.body, answer.url)
        elif kind == "page":
            links = self._children(page_feeds(answer.body, answer.url), "feed", errors)
        elif kind == "sitemap-index":
            links = self._children(sitemap_links(answer.body, answer.url), "sitemap", errors)
        else:
            links = [Link(url) for url in sitemap_links(answer.body, answer.url)]
        source.kind, source.etag, source.last_modified = kind, answer.etag, answer.last_modified
        source.last_status, source.last_error, source.last_detail = "ok", None, None
        if errors:  # some of its feeds or sitemaps failed: the others were read
            source.last_error, source.last_detail = errors[0].reason, errors[0].detail
            self.summary.source_errors[errors[0].reason] += 1
        return links

    def _children(self, urls: list[str], kind: str, errors: list[FetchFailed]) -> list[Link]:
        """The links of the feeds a front page names, or the sitemaps an index lists (each
        fetched whole every poll); the failures of each are added to ``errors``."""
        links: list[Link] = []
        for url in urls:
            try:
                answer = self.fetcher.get(url)
                found = kind_of(answer.body, answer.content_type)
                if found != kind:
                    raise FetchFailed("unexpected-kind", f"{url} is a {found}, not a {kind}")
                if kind == "feed":
                    links += feed_links(answer.body, answer.url)
                else:
                    links += [Link(u) for u in sitemap_links(answer.body, answer.url)]
            except FetchFailed as failure:
                if failure.reason == "stopped":
                    raise
                errors.append(failure)
        return links

    def _new(self, links: list[Link]) -> list[Link]:
        """The links not fetched before (or failed for a passing reason, with retries
        left), each once."""
        unique: dict[str, Link] = {}
        for link in links:  # the first of each URL, or the one that carries its article
            if link.url not in unique or (link.draft and not unique[link.url].draft):
                unique[link.url] = link
        known = self.store.fetched(unique)
        return [
            link for link in unique.values()
            if link.url not in known or (
                known[link.url].status == "failed"
                and known[link.url].attempts <= self.options.fetch_retries
            )
        ]

    def _handle(self, link: Link, source_url: str) -> None:
        """Ingest the article of one link: from its feed item, or its page fetched; the
        URL marked fetched in the same transaction."""
        if self.progress is not None:
            self.progress(link.url)
        if link.draft is not None:
            self.summary.from_feeds += 1
            self._ingest(link.url, source_url, link.draft)
            return
        if self.fetcher.backoff_until(link.url) is not None:
            return  # its host asked us to wait: a later round fetches it
        try:
            answer = self.fetcher.get(link.url)
        except FetchFailed as failure:
            if failure.reason == "stopped":
                return
            status = "failed" if _passing(failure.reason) else "refused"
            self.summary.rejects[failure.reason] += 1
            with self.store.transaction():  # listed by 'storylens rejects' too
                self.store.add_rejects([Reject(link.url, failure.reason, failure.detail)])
                self.store.mark_fetched(link.url, source_url, status, reason=failure.reason,
                                        detail=failure.detail)
            return
        self.summary.pages += 1
        self._ingest(link.url, source_url, RawInput(link.url, "html", answer.body, answer.url))

    def _ingest(self, url: str, source_url: str, item: RawInput | Draft) -> None:
        """Prepare one page or feed item and store its article (or reject) with the URL
        marked fetched, in one transaction."""
        results = prepare_many([item], self.extraction)[0]
        ingestor = self.ingestor
        stored, duplicates = ingestor.summary.stored, ingestor.summary.duplicates
        met = len(ingestor.met)
        with self.store.transaction():
            ingestor.add(results)
            ingestor.flush()
            rejects = [r for r in results if isinstance(r, Reject)]
            article_id = ingestor.met[met] if len(ingestor.met) > met else None
            if ingestor.summary.stored > stored:
                status, reason, detail = "stored", None, None
            elif article_id is not None:
                status, reason, detail = "duplicate", None, None
            else:
                first = rejects[0] if rejects else None
                status = "rejected"
                reason = first.reason if first else "no-article"
                detail = first.detail if first else None
            self.store.mark_fetched(url, source_url, status, reason=reason, detail=detail,
                                    article_id=article_id)
        self.summary.stored += ingestor.summary.stored - stored
        self.summary.duplicates += ingestor.summary.duplicates - duplicates
        if status == "rejected":
            self.summary.rejects[str(reason)] += 1


def _passing(reason: str) -> bool:
    """Whether a fetch that failed for this reason may succeed later."""
    return reason in PASSING or reason.startswith("http-5")
