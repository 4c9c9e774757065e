"""storylens sources and storylens watch through the command line, against news sites served
on 127.0.0.1 (tests/collectsite.py): every article stored once, robots.txt obeyed, each bad
case recorded with its reason, and a second round that fetches only what changed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from collectsite import Item, Route, Site, article_page, atom, rss, sitemap
from typer.testing import CliRunner

from storylens.cli.app import app
from storylens.errors import UsageError
from storylens.store import Store

FAST = [
    "-s", "politeness=off", "-s", "extract_attributions=false", "-s", "extract_events=false",
    "-s", "fetch_timeout_seconds=0.5", "-s", "fetch_max_mb=0.02",
]
GOOD_PAGES = ["/news/a1.html", "/news/a2.html", "/news/a3.html", "/news/s1.html",
              "/news/m1.html"]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _main_site(site: Site) -> None:
    """A site with an RSS feed (summaries, one item in full), an Atom feed (items in full),
    a sitemap index, a front page naming its feed, and every bad case."""
    b = site.base
    routes = site.routes
    routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    for number, path in enumerate(GOOD_PAGES, start=1):
        routes[path] = Route(article_page(number))
    routes["/news/f6.html"] = Route(article_page(6))  # in the RSS feed in full
    routes["/news/f7.html"] = Route(article_page(7))  # in the Atom feed in full
    routes["/news/f8.html"] = Route(article_page(8))
    routes["/private/p9.html"] = Route(article_page(9))
    routes["/news/slow.html"] = Route(article_page(10), delay=1.0)
    routes["/news/big.html"] = Route(article_page(11) + b" " * 40_000, length=False)
    routes["/news/gone.html"] = Route(b"oops", "text/plain", 500)
    routes["/news/loop.html"] = Route(status=302, headers={"Location": "/news/loop2.html"})
    routes["/news/loop2.html"] = Route(status=301, headers={"Location": "/news/loop.html"})
    routes["/news/photo.jpg"] = Route(b"\xff\xd8\xff", "image/jpeg")
    items = [
        Item("/news/a1.html?utm_source=rss&utm_medium=feed", 1), Item("/news/a2.html", 2),
        Item("/news/a3.html?utm_source=rss", 3), Item("/private/p9.html", 9),
        Item("/news/f6.html", 6, full=True), Item("/news/slow.html", 10),
        Item("/news/big.html", 11), Item("/news/gone.html", 12), Item("/news/loop.html", 4),
        Item("/news/photo.jpg", 5),
    ]
    routes["/rss.xml"] = Route(rss(b, items), "application/rss+xml", etag='"r1"')
    routes["/atom.xml"] = Route(
        atom(b, [Item("/news/f7.html", 7, full=True), Item("/news/f8.html", 8, full=True)]),
        "application/atom+xml", last_modified="Fri, 20 Mar 2026 09:00:00 GMT",
    )
    routes["/sitemap-index.xml"] = Route(sitemap(b, ["/sitemaps/news.xml"], index=True),
                                         "application/xml")
    routes["/sitemaps/news.xml"] = Route(
        sitemap(b, ["/news/s1.html", "/news/a1.html?fbclid=XyZ", "/news/a3.html?utm_campaign=s"]),
        "application/xml",
    )
    routes["/"] = Route(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/more.xml">'
        b"</head><body><h1>The Vale Courier</h1></body></html>"
    )
    routes["/more.xml"] = Route(
        rss(b, [Item("/news/m1.html", 5), Item("/news/a3.html?fbclid=abc#comments", 3)]),
        "application/rss+xml",
    )
    routes["/notafeed.xml"] = Route(b"this feed is plain words, not XML", "application/rss+xml")
    routes["/broken.xml"] = Route(b"down", "text/plain", 500)


@pytest.fixture
def sites() -> tuple[Site, Site]:
    """The main site, and a second host whose feed answers 429 with a Retry-After."""
    with Site() as site, Site() as busy:
        _main_site(site)
        busy.routes["/feed.xml"] = Route(b"slow down", "text/plain", 429,
                                         headers={"Retry-After": "120"})
        yield site, busy


def _add_sources(site: Site, busy: Site, db: Path, tmp_path: Path) -> None:
    code, output = _run("sources", "add", site.url("/rss.xml"), "--name", "courier",
                        "--every", "0.01", "--db", str(db))
    assert code == 0, output
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# the other sources of the test\n"
        f"{site.url('/atom.xml')} Lowland Gazette 0.01\n"
        f"{site.url('/sitemap-index.xml')}   0.01  # a sitemap index\n"
        f"{site.url('/')} front 0.01\n\n"
        f"{site.url('/notafeed.xml')} 0.01\n{site.url('/broken.xml')} 0.01\n"
        f"{busy.url('/feed.xml')} busy 0.01\n",
        encoding="utf-8",
    )
    code, output = _run("sources", "add", "--file", str(listing), "--db", str(db))
    assert code == 0 and "6 sources added" in output, output


def test_collect_watch_once_stores_each_article_once(
    sites: tuple[Site, Site], tmp_path: Path
) -> None:
    site, busy = sites
    db = tmp_path / "watch.db"
    _add_sources(site, busy, db, tmp_path)
    code, output = _run("watch", "--once", "--json", "--db", str(db), *FAST)
    assert code == 3, output  # some pages and sources failed: as ingest's rejects
    summary = json.loads(output)
    assert summary["stored"] == 8  # five pages, three feed items in full
    assert summary["from_feeds"] == 3
    with Store(db) as store:
        assert store.counts()["articles"] == 8
        fetched = {f["url"].removeprefix(site.base): f for f in store.fetched_urls()}
        sources = {s.url: s for s in store.sources()}
        rejects = {r["source"].removeprefix(site.base): r["reason"] for r in store.rejects()}
    for path in GOOD_PAGES:
        assert site.served[path] == 1, path  # the same article under three URLs: once
        assert fetched[path]["status"] == "stored"
    for path in ("/news/f6.html", "/news/f7.html", "/news/f8.html"):
        assert site.arrived[path] == 0 and fetched[path]["status"] == "stored"
    assert site.arrived["/private/p9.html"] == 0  # robots.txt obeyed
    assert site.arrived["/robots.txt"] == 1  # read once in the round
    reasons = {path: fetched[path]["reason"] for path in (
        "/private/p9.html", "/news/slow.html", "/news/big.html", "/news/gone.html",
        "/news/loop.html", "/news/photo.jpg")}
    assert reasons == {
        "/private/p9.html": "robots-disallowed", "/news/slow.html": "timeout",
        "/news/big.html": "too-large", "/news/gone.html": "http-500",
        "/news/loop.html": "redirect-loop", "/news/photo.jpg": "wrong-content-type",
    }
    assert rejects == reasons  # 'storylens rejects' lists them
    errors = {url: (s.last_status, s.last_error) for url, s in sources.items()}
    assert errors[site.url("/notafeed.xml")] == ("error", "not-xml")
    assert errors[site.url("/broken.xml")] == ("error", "http-500")
    assert errors[busy.url("/feed.xml")] == ("error", "http-429")
    assert sources[busy.url("/feed.xml")].next_due > time.time() + 100  # Retry-After kept
    kinds = {url.removeprefix(site.base): s.kind for url, s in sources.items()}
    assert kinds["/rss.xml"] == kinds["/atom.xml"] == "feed"
    assert kinds["/sitemap-index.xml"] == "sitemap-index" and kinds["/"] == "page"
    assert sum(s.articles_found for s in sources.values()) == 8

    # Round two: one new item in the RSS feed; the rest unchanged.
    site.routes["/news/n1.html"] = Route(article_page(13))
    site.routes["/rss.xml"] = Route(
        rss(site.base, [Item("/news/n1.html", 13), Item("/news/a1.html", 1)]),
        "application/rss+xml", etag='"r2"',
    )
    before = site.served.copy()
    # A saved search on the new article's town: the round's alert check gives it an entry.
    code, output = _run("alerts", "add", "castlemere", "--query", "Castlemere", "--db", str(db))
    assert code == 0, output
    time.sleep(0.7)  # every source is due again
    code, output = _run("watch", "--once", "--json", "--db", str(db), *FAST)
    second = json.loads(output)
    assert second["stored"] == 1 and second["not_modified"] == 1, second
    assert second["alert_entries"] == 1, second
    assert site.not_modified["/atom.xml"] == 1
    assert site.served["/news/n1.html"] == 1
    for path in [*GOOD_PAGES, "/news/big.html", "/news/loop.html", "/news/photo.jpg"]:
        assert site.served[path] == before[path], path  # not requested again
    assert busy.arrived["/feed.xml"] == 1  # in backoff until its Retry-After
    with Store(db) as store:
        assert store.counts()["articles"] == 9
        (entry, *_) = store.alert_entries(store.alert("castlemere"))
        assert not entry.baseline and entry.size >= 1


def test_collect_sources_list_and_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert _run("sources", "add", "HTTP://News.Example/feed.xml?utm_source=x", "--name",
                "example", "--db", db)[0] == 0
    code, output = _run("sources", "list", "--json", "--db", db)
    listed = json.loads(output)
    assert [(s["url"], s["name"]) for s in listed] == [("http://news.example/feed.xml", "example")]
    code, output = _run("sources", "list", "--db", db)
    assert "example" in output and "news.example" in output
    code, output = _run("sources", "add", "http://news.example/feed.xml", "--every", "5",
                        "--db", db)
    assert "0 sources added, 1 updated" in output
    assert json.loads(_run("sources", "list", "--json", "--db", db)[1])[0]["every_minutes"] == 5
    with pytest.raises(UsageError, match="positive"):
        _run("sources", "add", "http://b.example/rss", "--every", "0", "--db", db)
    assert _run("sources", "remove", "example", "--db", db)[0] == 0
    assert json.loads(_run("sources", "list", "--json", "--db", db)[1]) == []
