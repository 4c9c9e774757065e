"""Collection's parts: the fetcher against a site on 127.0.0.1 (delays, robots.txt's
Crawl-delay, conditional requests, backoff), URLs normalised, sources files, what a source
holds, and a round that is stopped or retried."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from collectsite import Item, Route, Site, article_page, atom, rss, sitemap

from storylens.collect import Collector, Fetcher, normalise, read_sources_file
from storylens.collect.discover import feed_links, kind_of
from storylens.collect.fetch import parse_retry_after
from storylens.errors import FetchFailed, UsageError
from storylens.options import Options
from storylens.store import Store

QUICK = Options(politeness=False, extract_attributions=False, extract_events=False,
                fetch_timeout_seconds=0.5)


def _gaps(site: Site, path: str) -> list[float]:
    times = [t for p, t in site.arrivals if p == path]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_collect_fetch_waits_between_requests_to_one_host() -> None:
    with Site() as site:
        site.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
        site.routes["/a.html"] = Route(article_page(1))
        with Fetcher(Options(fetch_delay_seconds=0.2)) as fetcher:
            for _ in range(3):
                fetcher.get(site.url("/a.html"))
        with Fetcher(Options(fetch_delay_seconds=0.2, politeness=False)) as fetcher:
            started = time.monotonic()
            for _ in range(3):
                fetcher.get(site.url("/a.html"))
            quick = time.monotonic() - started
    gaps = _gaps(site, "/a.html")
    assert min(gaps[:2]) >= 0.39  # robots.txt's Crawl-delay, longer than the setting
    assert quick < 0.4  # politeness off: no waiting


def test_collect_fetch_robots_group_of_our_agent() -> None:
    with Site() as site:
        site.routes["/robots.txt"] = Route(
            b"User-agent: storylens\nDisallow: /news/\n\nUser-agent: *\nAllow: /\n",
            "text/plain",
        )
        site.routes["/news/a.html"] = Route(article_page(1))
        with Fetcher(QUICK) as fetcher, pytest.raises(FetchFailed) as refused:
            fetcher.get(site.url("/news/a.html"))
    assert refused.value.reason == "robots-disallowed"
    assert site.arrived["/news/a.html"] == 0
    assert site.agents == {QUICK.fetch_user_agent}
    assert QUICK.fetch_user_agent.startswith("storylens/0.1.0 (+")


def test_collect_fetch_conditional_request_answers_304() -> None:
    with Site() as site:
        site.routes["/feed.xml"] = Route(rss(site.base, [Item("/a.html", 1)]),
                                         "application/rss+xml", etag='"e1"',
                                         last_modified="Fri, 20 Mar 2026 09:00:00 GMT")
        with Fetcher(QUICK) as fetcher:
            first = fetcher.get(site.url("/feed.xml"))
            again = fetcher.get(site.url("/feed.xml"), etag=first.etag)
            dated = fetcher.get(site.url("/feed.xml"), last_modified=first.last_modified)
    assert (first.status, again.status, dated.status) == (200, 304, 304)
    assert site.not_modified["/feed.xml"] == 2


def test_collect_fetch_backoff_refuses_without_asking() -> None:
    with Site() as site:
        site.routes["/busy.html"] = Route(b"wait", "text/plain", 429,
                                          headers={"Retry-After": "60"})
        site.routes["/a.html"] = Route(article_page(1))
        with Fetcher(QUICK) as fetcher:
            with pytest.raises(FetchFailed) as first:
                fetcher.get(site.url("/busy.html"))
            started = time.monotonic()
            with pytest.raises(FetchFailed) as second:
                fetcher.get(site.url("/a.html"))
            assert time.monotonic() - started < 0.5  # never a long sleep
    assert first.value.reason == "http-429"
    assert first.value.retry_at is not None and first.value.retry_at > time.time() + 50
    assert second.value.reason == "backing-off"
    assert site.arrived["/a.html"] == 0


def test_collect_fetch_retry_after_in_seconds_or_http_date() -> None:
    assert abs(parse_retry_after("30") - (time.time() + 30)) < 2  # type: ignore[operator]
    moment = datetime(2099, 10, 21, 7, 28, tzinfo=UTC).timestamp()
    assert parse_retry_after("Wed, 21 Oct 2099 07:28:00 GMT") == moment
    assert parse_retry_after("soon") is None


def test_collect_fetch_unreachable_host_is_a_reason() -> None:
    with Site() as site:
        closed = site.base
    with Fetcher(QUICK) as fetcher, pytest.raises(FetchFailed) as failed:
        fetcher.get(closed + "/a.html")
    assert failed.value.reason == "connection-failed"


@pytest.mark.parametrize(
    ("url", "known"),
    [
        ("HTTP://News.EXAMPLE/a/b.html?utm_source=x&utm_medium=y#top",
         "http://news.example/a/b.html"),
        ("https://news.example/story?id=7&fbclid=abc&gclid=d", "https://news.example/story?id=7"),
        ("https://news.example/story?b=2&a=1", "https://news.example/story?a=1&b=2"),
        ("mailto:desk@news.example", None),
        ("/relative/page.html", None),
    ],
)
def test_collect_urls_normalised(url: str, known: str | None) -> None:
    assert normalise(url) == known


def test_collect_urls_relative_to_base() -> None:
    assert normalise("../b.html?utm_campaign=z", "http://a.test/x/y.html") == "http://a.test/b.html"


def test_collect_sources_file_read() -> None:
    text = (
        "# our sources\n\nhttps://a.test/feed.xml\n"
        "https://b.test/rss  The Lowland Gazette  15   # every quarter hour\n"
        "https://c.test/sitemap.xml 5\n"
    )
    lines = read_sources_file(text)
    assert [(s.url, s.name, s.every_minutes) for s in lines] == [
        ("https://a.test/feed.xml", None, None),
        ("https://b.test/rss", "The Lowland Gazette", 15.0),
        ("https://c.test/sitemap.xml", None, 5.0),
    ]
    with pytest.raises(UsageError, match="line 2"):
        read_sources_file("https://a.test/x\nftp://b.test/y\n")


def test_collect_kind_read_from_content() -> None:
    assert kind_of(b'<?xml version="1.0"?><rss version="2.0"></rss>', "text/xml") == "feed"
    assert kind_of(b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'/>", "") == "feed"
    assert kind_of(b"<!-- hi --><urlset/>", "application/xml") == "sitemap"
    assert kind_of(b"<sitemapindex/>", "application/xml") == "sitemap-index"
    assert kind_of(b"<!DOCTYPE html><html><body></body></html>", "text/html") == "page"
    for body, reason in ((b"plain words", "not-xml"), (b"<catalogue/>", "unknown-xml")):
        with pytest.raises(FetchFailed) as failed:
            kind_of(body, "application/xml")
        assert failed.value.reason == reason


def test_collect_feed_items_in_full_carry_their_article() -> None:
    base = "http://gazette.test"
    links = feed_links(atom(base, [Item("/a.html", 1, full=True), Item("/b.html", 2)]),
                       base + "/atom.xml")
    assert [link.url for link in links] == [base + "/a.html", base + "/b.html"]
    assert links[0].draft is not None and "Quillsby" in links[0].draft.text
    assert links[1].draft is None  # a summary only: the page is fetched


def _round(store: Store, options: Options, **kwargs: object) -> object:
    return Collector(store, options, **kwargs).round()  # type: ignore[arg-type]


def test_collect_round_stopped_takes_up_again(tmp_path: Path) -> None:
    with Site() as site, Store(tmp_path / "stop.db") as store:
        paths = [f"/news/{n}.html" for n in range(4)]
        for number, path in enumerate(paths):
            site.routes[path] = Route(article_page(number))
        site.routes["/feed.xml"] = Route(
            rss(site.base, [Item(p, n) for n, p in enumerate(paths)]), "application/rss+xml",
            etag='"s1"',
        )
        store.add_source(site.url("/feed.xml"), None, 0.001)
        seen: list[str] = []
        first = Collector(store, QUICK, progress=seen.append, stopping=lambda: len(seen) >= 3)
        summary = first.round()
        assert summary.stopped and summary.stored == 2
        assert store.sources()[0].etag is None  # its state left for the next round
        second = Collector(store, QUICK).round()
        assert second.stored == 2 and store.counts()["articles"] == 4
    assert all(site.served[p] == 1 for p in paths)


def test_collect_failed_page_retried_in_later_rounds(tmp_path: Path) -> None:
    options = QUICK.replace(fetch_retries=1)
    with Site() as site, Store(tmp_path / "retry.db") as store:
        site.routes["/news/down.html"] = Route(b"down", "text/plain", 503)
        site.routes["/feed.xml"] = Route(rss(site.base, [Item("/news/down.html", 1)]),
                                         "application/rss+xml")
        store.add_source(site.url("/feed.xml"), None, 0.001)
        for _ in range(4):
            time.sleep(0.07)
            Collector(store, options).round()
        failed = store.fetched_urls()[0]
    assert site.arrived["/news/down.html"] == 2  # once, then one retry
    assert (failed["status"], failed["reason"], failed["attempts"]) == ("failed", "http-503", 2)


def test_collect_page_back_after_failing_is_stored_and_no_longer_rejected(
    tmp_path: Path,
) -> None:
    with Site() as site, Store(tmp_path / "back.db") as store:
        site.routes["/news/back.html"] = Route(b"down", "text/plain", 500)
        site.routes["/feed.xml"] = Route(rss(site.base, [Item("/news/back.html", 2)]),
                                         "application/rss+xml")
        store.add_source(site.url("/feed.xml"), None, 0.001)
        Collector(store, QUICK).round()
        assert [r["reason"] for r in store.rejects()] == ["http-500"]
        site.routes["/news/back.html"] = Route(article_page(2))
        time.sleep(0.07)
        assert Collector(store, QUICK).round().stored == 1
        assert store.rejects() == []
        assert store.fetched_urls()[0]["status"] == "stored"


def test_collect_gzipped_sitemaps_unpacked_within_the_size_limit(tmp_path: Path) -> None:
    options = QUICK.replace(fetch_max_mb=0.05)
    with Site() as site, Store(tmp_path / "gz.db") as store:
        paths = ["/news/g1.html", "/news/g2.html"]
        for number, path in enumerate(paths, 1):
            site.routes[path] = Route(article_page(number))
        site.routes["/sitemap-news.xml.gz"] = Route(
            gzip.compress(sitemap(site.base, paths)), "application/x-gzip")
        site.routes["/sitemap.xml.gz"] = Route(
            gzip.compress(sitemap(site.base, ["/sitemap-news.xml.gz"], index=True)),
            "application/gzip")
        # 60 kB of XML packed into a few hundred bytes: past the 50 kB limit once unpacked
        site.routes["/bomb.xml.gz"] = Route(
            gzip.compress(b"<urlset>" + b" " * 60_000 + b"</urlset>"), "application/gzip")
        site.routes["/broken.xml.gz"] = Route(gzip.compress(b"<urlset/>")[:12],
                                              "application/gzip")
        for path in ("/sitemap.xml.gz", "/bomb.xml.gz", "/broken.xml.gz"):
            store.add_source(site.url(path), None, 60)
        summary = Collector(store, options).round()
        state = {s.url.rsplit("/", 1)[1]: s for s in store.sources()}
    assert summary.stored == 2
    assert state["sitemap.xml.gz"].kind == "sitemap-index"
    assert state["sitemap.xml.gz"].last_error is None
    assert state["bomb.xml.gz"].last_error == "too-large"
    assert state["broken.xml.gz"].last_error == "bad-gzip"
